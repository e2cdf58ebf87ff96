"""A fund's ledger for one fiscal year as a SIE 4 file, booked as sifra.accounting.chart says:
one verification per ledger entry (a reversal is its own), numbered as the ledger numbers
them, with the entry's project as SIE object (dimension 6, projekt).

The opening balances are those of every earlier entry, with each earlier year's result carried
into the available equity (as the annual accounts carry it); the closing balances are the
opening ones plus the year's verifications. So a year's #IB equals the previous year's #UB for
every account but the available equity, whose #IB also holds the previous year's result, and
after a closed year the #IB values are the closing snapshot's capital, claims, available and
committed."""

import datetime as dt
from collections import defaultdict
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy

from sifra import __version__
from sifra.accounting import chart, selectors
from sifra.accounting.sie import (
    PROJECT_DIMENSION,
    Account,
    SieFile,
    Transaction,
    Verification,
    write,
)
from sifra.accounts.models import Organisation
from sifra.funds.models import Fund, LedgerEntry

SERIES = "SIF"  # the verification series of the fund's entries
YEAR_BEFORE_FUND = gettext_lazy("The fund has no fiscal year %(year)s: its first is %(first)s.")
YEAR_IN_FUTURE = gettext_lazy("The fiscal year %(year)s has not begun.")
FUND_EMPTY = gettext_lazy("The fund has no entries and no date of establishment yet.")


def check_year(*, fund: Fund, year: int, today: dt.date) -> None:
    """A year the fund has had: from its first up to this one. Errors name the field `year`."""
    first = selectors.first_year(fund=fund)
    if first is None:
        raise ValidationError({"year": str(FUND_EMPTY)})
    if year < first:
        raise ValidationError({"year": str(YEAR_BEFORE_FUND) % {"year": year, "first": first}})
    if year > today.year:
        raise ValidationError({"year": str(YEAR_IN_FUTURE) % {"year": year}})


def _role_totals(entries: Any) -> dict[str, int]:
    """Debit-positive totals per role of `entries`, summed per kind in the database."""
    totals: dict[str, int] = defaultdict(int)
    rows = entries.values("kind", "reverses__kind").annotate(total=Sum("amount"))
    for row in rows:
        effect = chart.movements(row["kind"], row["total"], reverses=row["reverses__kind"])
        for role, ore in effect.items():
            totals[role] += ore
    return totals


def _is_result(role: str) -> bool:
    return chart.BY_KEY[role].kind in ("K", "I")


def opening_by_role(*, fund: Fund, year: int) -> dict[str, int]:
    """The balance accounts' balances at 1 January, every earlier result carried to equity."""
    earlier = _role_totals(LedgerEntry.objects.filter(fund=fund, date__lt=dt.date(year, 1, 1)))
    opening: dict[str, int] = defaultdict(int)
    for role, ore in earlier.items():
        opening[chart.RESULT_CARRIED_TO if _is_result(role) else role] += ore
    return opening


def _text(entry: LedgerEntry) -> str:
    if entry.reverses is not None:
        original = entry.reverses
        kind = chart.KIND_TEXT[original.kind].lower()
        return f"{chart.KIND_TEXT['reversal']} av nr {original.number} ({kind}): {entry.text}"
    return f"{chart.KIND_TEXT[entry.kind]}: {entry.text}"


def _verification(entry: LedgerEntry, accounts: dict[str, Account]) -> Verification:
    reverses = entry.reverses.kind if entry.reverses is not None else None
    effect = chart.movements(entry.kind, entry.amount, reverses=reverses)
    objects = ((PROJECT_DIMENSION, entry.project.code),) if entry.project else ()
    rows = tuple(
        Transaction(account=accounts[role].number, amount=ore, objects=objects)
        for role, ore in effect.items()
    )
    return Verification(
        series=SERIES,
        number=entry.number,
        date=entry.date,
        text=_text(entry),
        transactions=rows,
        registered_on=timezone.localtime(entry.posted_at).date(),
        signature=entry.posted_by.get_username(),
    )


def sie_file(*, fund: Fund, year: int, today: dt.date | None = None) -> SieFile:
    today = today or timezone.localdate()
    check_year(fund=fund, year=year, today=today)
    accounts = selectors.fund_accounts(fund=fund)
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    entries = list(
        LedgerEntry.objects.filter(fund=fund, date__gte=start, date__lte=end)
        .select_related("project", "reverses", "posted_by")
        .order_by("number")
    )
    verifications = [_verification(e, accounts) for e in entries]
    opening = opening_by_role(fund=fund, year=year)
    moved: dict[str, int] = defaultdict(int)
    for v in verifications:
        for t in v.transactions:
            moved[t.account] += t.amount
    balance = [r.key for r in chart.ROLES if not _is_result(r.key)]
    organisation = Organisation.objects.filter(pk=fund.organisation_id).first()
    projects = {e.project.code: e.project.title for e in entries if e.project is not None}
    return SieFile(
        program="Sifra",
        program_version=__version__,
        generated_on=today,
        company_name=organisation.name if organisation else fund.name,
        org_number=organisation.org_number if organisation else "",
        comment=f"Sifra: {fund.name}, räkenskapsår {year}",
        year_start=start,
        year_end=end,
        covers=min(end, today),
        accounts=list(accounts.values()),
        opening={accounts[r].number: opening[r] for r in balance},
        closing={accounts[r].number: opening[r] + moved[accounts[r].number] for r in balance},
        results={
            accounts[r.key].number: moved[accounts[r.key].number]
            for r in chart.ROLES
            if _is_result(r.key)
        },
        verifications=verifications,
        objects=[(PROJECT_DIMENSION, code, title) for code, title in sorted(projects.items())],
    )


def sie_bytes(*, fund: Fund, year: int, today: dt.date | None = None) -> bytes:
    return write(sie_file(fund=fund, year=year, today=today))


def sie_filename(*, fund: Fund, year: int) -> str:
    """Swedish, as the finance office files it: bokforing-social-investeringsfond-2025.se."""
    return f"bokforing-{slugify(fund.name) or fund.pk}-{year}.se"
