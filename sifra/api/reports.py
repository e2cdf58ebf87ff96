"""The annual fund report in the API: its years, the report as JSON (money as `<name>_ore`
and `<name>` in kronor, as elsewhere), and the PDF and Excel downloads. For the coordinator,
the decision maker, the economist and the auditor."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from sifra.accounts import permissions
from sifra.core.http import require
from sifra.funds.models import Fund
from sifra.funds.selectors import fund_closings
from sifra.reports import outputs, selectors
from sifra.reports.data import AnnualReport, as_json

router = Router(tags=["reports"])


class ReportYearOut(Schema):
    year: int
    closed: bool
    closing_decision_ref: str
    url: str


def _report(request: HttpRequest, fund_id: int, year: int) -> AnnualReport:
    fund = get_object_or_404(Fund.objects.select_related("organisation"), pk=fund_id)
    return selectors.annual_report(fund=fund, year=year, user=request.user)


@router.get(
    "/{fund_id}/annual-reports",
    response=list[ReportYearOut],
    summary="The fiscal years an annual report can be made for, newest first",
)
def list_report_years(request: HttpRequest, fund_id: int) -> list[dict[str, Any]]:
    fund = get_object_or_404(Fund, pk=fund_id)
    require(permissions.can_view_annual_report(request.user))
    closed = {c.year: c.decision_ref for c in fund_closings(fund=fund)}
    return [
        {
            "year": year,
            "closed": year in closed,
            "closing_decision_ref": closed.get(year, ""),
            "url": f"/api/funds/{fund.pk}/annual-reports/{year}",
        }
        for year in reversed(selectors.report_years(fund=fund))
    ]


@router.get(
    "/{fund_id}/annual-reports/{year}",
    response=dict[str, Any],
    summary="The annual fund report of a fiscal year; a closed year's balances are its snapshot",
)
def get_annual_report(request: HttpRequest, fund_id: int, year: int) -> dict[str, Any]:
    return as_json(_report(request, fund_id, year))


@router.get(
    "/{fund_id}/annual-reports/{year}/pdf",
    response={200: None},
    summary="The annual fund report as PDF (arsrapport-<fund>-<year>.pdf)",
)
def get_annual_report_pdf(request: HttpRequest, fund_id: int, year: int) -> HttpResponse:
    return outputs.download(_report(request, fund_id, year), "pdf", request)


@router.get(
    "/{fund_id}/annual-reports/{year}/xlsx",
    response={200: None},
    summary="The annual fund report as an Excel workbook, one sheet per section",
)
def get_annual_report_xlsx(request: HttpRequest, fund_id: int, year: int) -> HttpResponse:
    return outputs.download(_report(request, fund_id, year), "xlsx", request)
