"""The portfolio and who paid and who saved, as the pages show them."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from sifra.accounts import permissions
from sifra.api.schemas import DB_INT_MAX, DbId, In
from sifra.core.http import require
from sifra.funds.models import Fund
from sifra.portfolio import selectors
from sifra.portfolio.exports import portfolio_xlsx
from sifra.portfolio.summaries import stale_count
from sifra.portfolio.tasks import refresh_case_summaries
from sifra.projects.models import Project

router = Router(tags=["portfolio"])


class PortfolioQuery(In):
    status: Project.Status | None = None
    unit: DbId | None = None
    year: int | None = Field(None, ge=1900, le=2200)
    limit: int = Field(selectors.PAGE_SIZE, ge=1, le=500)
    offset: int = Field(0, ge=0, le=DB_INT_MAX)


class ProjectRowOut(Schema):
    id: int
    code: str
    title: str
    status: str
    lead_unit: str
    start_date: str | None
    granted_ore: int
    disbursed_ore: int
    npv: float | None = Field(description="Ex-ante net present value, SEK (the case's)")
    p_npv_positive: float | None
    expost_npv: float | None = Field(description="Ex-post NPV, SEK, where evaluated")
    forecast_savings_ore: int | None = Field(
        description="The case's municipal savings for the years with verified savings"
    )
    verified_savings_ore: int
    realisation: float | None
    claimed_ore: int
    repaid_ore: int
    claims_outstanding_ore: int


class YearOut(Schema):
    year: int
    forecast_ore: int
    verified_ore: int


class TotalsOut(Schema):
    count: int
    granted_ore: int
    disbursed_ore: int
    claimed_ore: int
    repaid_ore: int
    claims_outstanding_ore: int
    verified_savings_ore: int
    forecast_savings_ore: int
    realisation: float | None
    years: list[YearOut]


class PortfolioOut(Schema):
    count: int
    limit: int
    offset: int
    stale: int = Field(description="Projects whose case figures are missing or out of date")
    totals: TotalsOut
    projects: list[ProjectRowOut]


class RefreshOut(Schema):
    stale: int


class CellOut(Schema):
    payer_id: int
    payer: str
    saver_id: int
    saver: str
    saved_ore: int
    repaid_ore: int


class UnitOut(Schema):
    id: int
    name: str
    spent_ore: int | None = None


class MatrixOut(Schema):
    year: int | None
    payers: list[UnitOut]
    savers: list[UnitOut]
    cells: list[CellOut]
    spent_ore: int
    saved_ore: int
    saved_elsewhere_ore: int
    repaid_ore: int


def _fund(request: HttpRequest, fund_id: int) -> Fund:
    require(permissions.can_view_portfolio(request.user))
    return get_object_or_404(Fund, pk=fund_id)


def _filter(q: PortfolioQuery) -> selectors.PortfolioFilter:
    return selectors.PortfolioFilter(status=q.status or "", unit_id=q.unit, year=q.year)


def _row(r: selectors.Row) -> dict[str, Any]:
    p = r.project
    return {
        "id": p.pk,
        "code": p.code,
        "title": p.title,
        "status": p.status,
        "lead_unit": p.lead_unit.name,
        "start_date": p.start_date.isoformat() if p.start_date else None,
        "granted_ore": r.granted,
        "disbursed_ore": r.disbursed,
        "npv": r.npv,
        "p_npv_positive": r.p_npv_positive,
        "expost_npv": r.expost_npv,
        "forecast_savings_ore": r.forecast,
        "verified_savings_ore": r.verified,
        "realisation": r.realisation,
        "claimed_ore": r.claimed,
        "repaid_ore": r.repaid,
        "claims_outstanding_ore": r.claims_outstanding,
    }


def _totals(t: selectors.Totals) -> dict[str, Any]:
    return {
        "count": t.count,
        "granted_ore": t.granted,
        "disbursed_ore": t.disbursed,
        "claimed_ore": t.claimed,
        "repaid_ore": t.repaid,
        "claims_outstanding_ore": t.claims_outstanding,
        "verified_savings_ore": t.verified,
        "forecast_savings_ore": t.forecast,
        "realisation": t.realisation,
        "years": [
            {"year": y["year"], "forecast_ore": y["forecast"], "verified_ore": y["verified"]}
            for y in t.by_year
        ],
    }


@router.get(
    "/{fund_id}/portfolio",
    response=PortfolioOut,
    summary="Every project of the fund with its money, its case and its savings (paginated)",
)
def portfolio(request: HttpRequest, fund_id: int, q: Query[PortfolioQuery]) -> dict[str, Any]:
    fund = _fund(request, fund_id)
    projects = selectors.portfolio_projects(fund=fund, filters=_filter(q))
    page = selectors.with_money(projects)[q.offset : q.offset + q.limit]
    totals = selectors.portfolio_totals(projects)
    return {
        "count": totals.count,
        "limit": q.limit,
        "offset": q.offset,
        "stale": stale_count(fund=fund),
        "totals": _totals(totals),
        "projects": [_row(r) for r in selectors.rows_of(list(page))],
    }


@router.get(
    "/{fund_id}/portfolio/export",
    summary="The filtered portfolio as an Excel workbook",
    response={200: None},
)
def portfolio_export(request: HttpRequest, fund_id: int, q: Query[PortfolioQuery]) -> HttpResponse:
    fund = _fund(request, fund_id)
    projects = selectors.portfolio_projects(fund=fund, filters=_filter(q))
    rows = selectors.rows_of(list(selectors.with_money(projects)))
    body = portfolio_xlsx(
        rows, selectors.portfolio_totals(projects), title=f"{fund.name} – {_('Portfolio')}"
    )
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="sifra-portfolio-{fund.pk}.xlsx"'
    return response


@router.post(
    "/{fund_id}/portfolio/refresh",
    response={202: RefreshOut},
    summary="Compute the missing or out-of-date case figures in the task worker",
)
def portfolio_refresh(request: HttpRequest, fund_id: int) -> Any:
    fund = _fund(request, fund_id)
    require(permissions.can_refresh_portfolio(request.user))
    refresh_case_summaries.enqueue(fund.pk)
    return Status(202, {"stale": stale_count(fund=fund)})


@router.get(
    "/{fund_id}/payer-saver",
    response=MatrixOut,
    summary="Who paid and who saved: lead units × saving (and repaying) units",
)
def payer_saver(
    request: HttpRequest, fund_id: int, year: int | None = Query(None, ge=1900, le=2200)
) -> dict[str, Any]:
    m = selectors.payer_saver(fund=_fund(request, fund_id), year=year)
    return {
        "year": year,
        "payers": [
            {"id": u.pk, "name": u.name, "spent_ore": m.spent.get(u.pk, 0)} for u in m.payers
        ],
        "savers": [{"id": u.pk, "name": u.name} for u in m.savers],
        "cells": [
            {
                "payer_id": p.pk,
                "payer": p.name,
                "saver_id": s.pk,
                "saver": s.name,
                "saved_ore": m.saved.get((p.pk, s.pk), 0),
                "repaid_ore": m.repaid.get((p.pk, s.pk), 0),
            }
            for p in m.payers
            for s in m.savers
            if (p.pk, s.pk) in m.saved or (p.pk, s.pk) in m.repaid
        ],
        "spent_ore": m.spent_total,
        "saved_ore": m.saved_total,
        "saved_elsewhere_ore": m.saved_elsewhere,
        "repaid_ore": m.repaid_total,
    }
