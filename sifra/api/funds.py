import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from sifra.accounts import permissions
from sifra.accounts.models import Organisation
from sifra.api.schemas import (
    Amount,
    BalancesOut,
    In,
    PageIn,
    kept,
    kronor,
    long_text,
    page_of,
    paged,
    to_ore,
)
from sifra.core.http import download_name, require
from sifra.core.text import LONG_TEXT, RULES_TEXT
from sifra.funds import exports, selectors, services
from sifra.funds.charts import fund_balance_chart
from sifra.funds.models import FiscalYearClosing, Fund, LedgerEntry
from sifra.projects.models import Project

router = Router(tags=["funds"])


class FundIn(In):
    name: str = Field(..., max_length=200)
    description: str = long_text()
    rules: str = Field("", max_length=RULES_TEXT)
    rules_decision_ref: str = Field("", max_length=100)
    established_on: dt.date | None = None
    annual_topup: Amount = "0"
    target_capital: Amount = "0"
    is_active: bool = True


class FundPatch(In):
    name: str = kept(max_length=200)
    description: str = kept(max_length=LONG_TEXT)
    rules: str = kept(max_length=RULES_TEXT)
    rules_decision_ref: str = kept(max_length=100)
    established_on: dt.date | None = None
    annual_topup: Amount | None = None
    target_capital: Amount | None = None
    is_active: bool = kept()


class FundOut(Schema):
    id: int
    name: str
    description: str
    rules: str
    rules_decision_ref: str
    established_on: dt.date | None
    annual_topup_ore: int
    target_capital_ore: int
    is_active: bool
    balances: BalancesOut


class EntryIn(In):
    kind: Literal[
        "deposit", "commitment", "release", "disbursement", "claim", "repayment", "write_off"
    ]
    amount: Amount
    text: str = Field(..., max_length=300)
    date: dt.date | None = None
    project_id: int | None = None
    decision_ref: str = Field("", max_length=100)


class ReverseIn(In):
    text: str = Field(..., max_length=300)
    date: dt.date | None = None


class EntryOut(Schema):
    number: int
    kind: str
    amount_ore: int
    amount: str
    date: dt.date
    fiscal_year: int
    text: str
    project_id: int | None
    project_code: str | None
    decision_ref: str
    reverses: int | None
    reversed_by: int | None
    posted_by: str
    posted_at: dt.datetime


class ClosingIn(In):
    year: int = Field(..., description="The fiscal year to close; it must have ended")
    decided_on: dt.date = Field(..., description="When the annual accounts were decided")
    decision_ref: str = Field(..., max_length=100)


class ClosingOut(Schema):
    year: int
    decided_on: dt.date
    decision_ref: str
    capital_ore: int
    committed_ore: int
    available_ore: int
    claims_ore: int
    closed_by: str
    closed_at: dt.datetime


class LedgerQuery(In):
    kind: str = Field("", max_length=20)
    project_id: int | None = None
    fiscal_year: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    text: str = Field("", max_length=300)


def _balances(b: selectors.Balances, at: dt.date | None) -> dict[str, Any]:
    values = {
        "capital": b.capital,
        "committed": b.committed,
        "available": b.available,
        "claims": b.claims,
    }
    return {
        "date": at,
        **{f"{k}_ore": v for k, v in values.items()},
        **{k: kronor(v) for k, v in values.items()},
    }


def _fund_out(fund: Fund) -> dict[str, Any]:
    return {
        "id": fund.pk,
        "name": fund.name,
        "description": fund.description,
        "rules": fund.rules,
        "rules_decision_ref": fund.rules_decision_ref,
        "established_on": fund.established_on,
        "annual_topup_ore": fund.annual_topup,
        "target_capital_ore": fund.target_capital,
        "is_active": fund.is_active,
        "balances": _balances(selectors.fund_balances(fund=fund), None),
    }


def _entry_out(e: LedgerEntry) -> dict[str, Any]:
    reversed_by = getattr(e, "reversed_by", None)
    return {
        "number": e.number,
        "kind": e.kind,
        "amount_ore": e.amount,
        "amount": kronor(e.amount),
        "date": e.date,
        "fiscal_year": e.fiscal_year,
        "text": e.text,
        "project_id": e.project_id,
        "project_code": e.project.code if e.project else None,
        "decision_ref": e.decision_ref,
        "reverses": e.reverses.number if e.reverses else None,
        "reversed_by": reversed_by.number if reversed_by else None,
        "posted_by": e.posted_by.username,
        "posted_at": e.posted_at,
    }


def _fund(request: HttpRequest, fund_id: int) -> Fund:
    fund = get_object_or_404(Fund, pk=fund_id)
    require(permissions.can_view_fund(request.user, fund))
    return fund


@router.get("", response=list[FundOut], summary="The funds with their balances now")
def list_funds(request: HttpRequest) -> list[dict[str, Any]]:
    return [_fund_out(f) for f in selectors.funds_visible(user=request.user)]


def _fund_fields(payload: Schema) -> dict[str, Any]:
    data = payload.dict(exclude_unset=True)
    for money in ("annual_topup", "target_capital"):
        if money in data:
            data[money] = to_ore(money, data[money]) or 0
    return data


@router.post("", response={201: FundOut}, summary="Create a fund (coordinator)")
def create_fund(request: HttpRequest, payload: FundIn) -> Status:
    require(permissions.can_manage_funds(request.user))  # before the amounts are read
    fund = services.fund_create(
        organisation=Organisation.current(), acting_user=request.user, **_fund_fields(payload)
    )
    return Status(201, _fund_out(fund))


@router.get("/{fund_id}", response=FundOut)
def get_fund(request: HttpRequest, fund_id: int) -> dict[str, Any]:
    return _fund_out(_fund(request, fund_id))


@router.patch("/{fund_id}", response=FundOut, summary="Change a fund's settings and rules")
def update_fund(request: HttpRequest, fund_id: int, payload: FundPatch) -> dict[str, Any]:
    fund = _fund(request, fund_id)
    require(permissions.can_manage_funds(request.user))  # before the amounts are read
    fund = services.fund_update(fund=fund, acting_user=request.user, **_fund_fields(payload))
    return _fund_out(fund)


@router.get(
    "/{fund_id}/balances",
    response=BalancesOut,
    summary="Capital, committed, available and claims now or at the end of a date",
)
def get_balances(request: HttpRequest, fund_id: int, at: dt.date | None = None) -> dict[str, Any]:
    return _balances(selectors.fund_balances(fund=_fund(request, fund_id), at=at), at)


@router.get("/{fund_id}/chart", summary="Vega-Lite chart of capital and available over time")
def get_chart(request: HttpRequest, fund_id: int) -> dict[str, Any]:
    series = selectors.fund_balance_series(fund=_fund(request, fund_id))
    return fund_balance_chart(series)


def _entries(request: HttpRequest, fund: Fund, q: LedgerQuery) -> Any:
    filters = selectors.LedgerFilter(**q.dict())
    return selectors.ledger_entries(fund=fund, user=request.user, filters=filters)


@router.get(
    "/{fund_id}/ledger",
    response=paged(EntryOut),
    summary="The ledger, filtered, in pages (`limit` entries from `offset` on, by number)",
)
def list_entries(
    request: HttpRequest, fund_id: int, q: Query[LedgerQuery], page: Query[PageIn]
) -> dict[str, Any]:
    return page_of(_entries(request, _fund(request, fund_id), q), page, _entry_out)


@router.get(
    "/{fund_id}/ledger/export", summary="The filtered ledger as CSV or Excel", response={200: None}
)
def export_entries(
    request: HttpRequest,
    fund_id: int,
    q: Query[LedgerQuery],
    format: Literal["csv", "xlsx"] = "csv",
) -> HttpResponse:
    fund = _fund(request, fund_id)
    entries = _entries(request, fund, q)
    if format == "csv":
        response = HttpResponse(exports.ledger_csv(entries), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            exports.ledger_xlsx(entries, title=fund.name),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = (
        content_disposition_header(True, f"{download_name(_('ledger'), fund.name)}.{format}") or ""
    )
    return response


@router.post(
    "/{fund_id}/ledger",
    response={201: EntryOut},
    summary="Post an entry; refused when it would break the ledger's rules",
)
def post_entry(request: HttpRequest, fund_id: int, payload: EntryIn) -> Status:
    fund = _fund(request, fund_id)
    require(permissions.can_post(request.user, payload.kind))  # before the amount is read
    project = (
        get_object_or_404(Project, pk=payload.project_id, fund=fund) if payload.project_id else None
    )
    entry = services.ledger_entry_post(
        fund=fund,
        kind=payload.kind,
        amount=to_ore("amount", payload.amount),
        text=payload.text,
        date=payload.date,
        project=project,
        decision_ref=payload.decision_ref,
        acting_user=request.user,
    )
    return Status(201, _entry_out(entry))


@router.post(
    "/{fund_id}/ledger/{number}/reverse",
    response={201: EntryOut},
    summary="Reverse an entry with a new entry that cancels it",
)
def reverse_entry(request: HttpRequest, fund_id: int, number: int, payload: ReverseIn) -> Status:
    entry = get_object_or_404(LedgerEntry, fund=_fund(request, fund_id), number=number)
    reversal = services.ledger_entry_reverse(
        entry=entry, text=payload.text, date=payload.date, acting_user=request.user
    )
    return Status(201, _entry_out(reversal))


def _closing_out(c: FiscalYearClosing) -> dict[str, Any]:
    return {
        "year": c.year,
        "decided_on": c.decided_on,
        "decision_ref": c.decision_ref,
        "capital_ore": c.capital,
        "committed_ore": c.committed,
        "available_ore": c.available,
        "claims_ore": c.claims,
        "closed_by": c.closed_by.username,
        "closed_at": c.closed_at,
    }


@router.get(
    "/{fund_id}/closings",
    response=list[ClosingOut],
    summary="The closed fiscal years with their balances at 31 December",
)
def list_closings(request: HttpRequest, fund_id: int) -> list[dict[str, Any]]:
    return [_closing_out(c) for c in selectors.fund_closings(fund=_fund(request, fund_id))]


@router.post(
    "/{fund_id}/closings",
    response={201: ClosingOut},
    summary="Close the next fiscal year (coordinator); it then takes no entries and cannot be "
    "reopened",
)
def close_year(request: HttpRequest, fund_id: int, payload: ClosingIn) -> Status:
    closing = services.fiscal_year_close(
        fund=_fund(request, fund_id),
        year=payload.year,
        decided_on=payload.decided_on,
        decision_ref=payload.decision_ref,
        acting_user=request.user,
    )
    return Status(201, _closing_out(closing))
