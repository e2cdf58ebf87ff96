"""The accounting export: a fund's ledger for a fiscal year as a SIE 4 file, and the account
mapping it is booked with (read by coordinator, economist and auditor; changed by the
coordinator)."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema

from sifra.accounting import chart, export, selectors, services
from sifra.accounts import permissions
from sifra.api.schemas import In
from sifra.core.http import require
from sifra.funds.models import Fund

router = Router(tags=["accounting"])


class AccountOut(Schema):
    role: str
    number: str
    name: str
    kind: str = Field(..., description="#KTYP: T asset, S equity/liability, K cost, I income")


class PostingOut(Schema):
    kind: str
    debit: list[str]
    credit: list[str]


class MappingOut(Schema):
    accounts: list[AccountOut]
    postings: list[PostingOut]


def _number() -> Any:
    return Field(..., max_length=6, description="3 to 6 digits, in the role's account class")


def _name() -> Any:
    return Field(..., max_length=100)


class MappingIn(In):
    """Every role's account: the whole mapping is replaced."""

    cash_number: str = _number()
    cash_name: str = _name()
    claims_number: str = _number()
    claims_name: str = _name()
    available_number: str = _number()
    available_name: str = _name()
    committed_number: str = _number()
    committed_name: str = _name()
    claims_offset_number: str = _number()
    claims_offset_name: str = _name()
    grants_number: str = _number()
    grants_name: str = _name()
    repayments_number: str = _number()
    repayments_name: str = _name()


def _fund(request: HttpRequest, fund_id: int) -> Fund:
    fund = get_object_or_404(Fund, pk=fund_id)
    require(permissions.can_export_accounts(request.user))
    return fund


def _mapping_out(fund: Fund) -> dict[str, Any]:
    accounts = selectors.fund_accounts(fund=fund)
    return {
        "accounts": [
            {"role": role, "number": a.number, "name": a.name, "kind": a.kind}
            for role, a in accounts.items()
        ],
        "postings": [
            {
                "kind": kind,
                "debit": [accounts[d].number for d, _c in pairs],
                "credit": [accounts[c].number for _d, c in pairs],
            }
            for kind, pairs in chart.POSTINGS.items()
        ],
    }


@router.get(
    "/{fund_id}/accounts",
    response=MappingOut,
    summary="The fund's accounts per role and what each kind of entry debits and credits",
)
def get_mapping(request: HttpRequest, fund_id: int) -> dict[str, Any]:
    fund = _fund(request, fund_id)
    services.account_mapping_ensure(fund=fund)
    return _mapping_out(fund)


@router.put(
    "/{fund_id}/accounts", response=MappingOut, summary="Change the fund's accounts (coordinator)"
)
def put_mapping(request: HttpRequest, fund_id: int, payload: MappingIn) -> dict[str, Any]:
    fund = _fund(request, fund_id)
    data = payload.dict()
    accounts = {r: (data[f"{r}_number"], data[f"{r}_name"]) for r in chart.ROLE_KEYS}
    services.account_mapping_update(fund=fund, accounts=accounts, acting_user=request.user)
    return _mapping_out(fund)


@router.get(
    "/{fund_id}/sie/{year}",
    summary="The fund's ledger for a fiscal year as a SIE 4 file (code page 437)",
    response={200: None},
)
def get_sie(request: HttpRequest, fund_id: int, year: int) -> HttpResponse:
    fund = _fund(request, fund_id)
    export.check_year(fund=fund, year=year, today=timezone.localdate())
    services.account_mapping_ensure(fund=fund)
    response = HttpResponse(export.sie_bytes(fund=fund, year=year), content_type=SIE_TYPE)
    name = export.sie_filename(fund=fund, year=year)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


SIE_TYPE = "text/plain; charset=IBM437"
