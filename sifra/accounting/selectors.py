"""Reads for the accounting export: a fund's accounts (its mapping, or the defaults until one
is stored) and the first fiscal year it has."""

from typing import Any

from django.db.models import Min

from sifra.accounting import chart
from sifra.accounting.models import FundAccount
from sifra.accounting.sie import Account
from sifra.funds.models import Fund, LedgerEntry


def fund_accounts(*, fund: Fund) -> dict[str, Account]:
    """The account of each role, in chart.ROLES order: the stored one, else the default."""
    stored = {a.role: a for a in FundAccount.objects.filter(fund=fund)}
    result = {}
    for role in chart.ROLES:
        row: Any = stored.get(role.key)
        number, name = (row.number, row.name) if row else (role.number, role.name)
        result[role.key] = Account(number=number, name=name, kind=role.kind)
    return result


def first_year(*, fund: Fund) -> int | None:
    """The fund's first fiscal year: of its establishment, else of its first entry."""
    first = LedgerEntry.objects.filter(fund=fund).aggregate(first=Min("date"))["first"]
    dates = [d for d in (fund.established_on, first) if d is not None]
    return min(dates).year if dates else None
