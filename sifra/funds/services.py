"""Writes to funds and the ledger. Each public service is one durable transaction that checks
who acts, validates, locks the fund row and writes an audit event beside its change.

The ledger's rules (DOMAIN.md), checked on every posting and reversal under the fund's lock:
- no date in the future, none before the fund's date of establishment, and none before
  LEDGER_EARLIEST (2000-01-01) whatever that date says or where it is not set;
- a commitment not before the decision on its project (the application's decision date, for a
  project that came from one); every other project entry not before the project's first
  commitment, and none on a project without one;
- a reversal not before the entry it reverses; a claim with unreversed repayments or
  write-offs tied to it is not reversed;
- the balances at the end of the entry's date and of every later day with entries (fund
  capital, committed, available and claims; the project's committed and claims) stay at or
  above zero, for each balance the entry lowers. How that read is bounded: sifra.funds.days.
"""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext_lazy

from sifra.accounts import permissions
from sifra.accounts.models import Organisation
from sifra.audit.models import AuditEvent
from sifra.audit.services import audit_record, changes
from sifra.core.money import format_ore
from sifra.core.personnummer import refuse_personal_numbers
from sifra.funds.days import Point, balances_from, days_add
from sifra.funds.models import EntryKind, FiscalYearClosing, Fund, LedgerEntry
from sifra.funds.selectors import Balances, last_closing, next_closable_year

# The effect of one krona of each kind on (capital, committed, claims): DOMAIN.md's table.
EFFECTS: dict[str, tuple[int, int, int]] = {
    EntryKind.DEPOSIT: (1, 0, 0),
    EntryKind.COMMITMENT: (0, 1, 0),
    EntryKind.RELEASE: (0, -1, 0),
    EntryKind.DISBURSEMENT: (-1, -1, 0),
    EntryKind.CLAIM: (0, 0, 1),
    EntryKind.REPAYMENT: (1, 0, -1),
    EntryKind.WRITE_OFF: (0, 0, -1),
}
PROJECT_KINDS = set(EFFECTS) - {EntryKind.DEPOSIT}

NOT_ALLOWED = gettext_lazy("You may not do this.")
AMOUNT_NOT_POSITIVE = gettext_lazy("The amount must be greater than zero.")
DATE_IN_FUTURE = gettext_lazy("The date cannot be in the future.")
TEXT_REQUIRED = gettext_lazy("Write what the entry is for.")
PROJECT_REQUIRED = gettext_lazy("Choose the project this entry belongs to.")
PROJECT_NOT_ALLOWED = gettext_lazy("A deposit belongs to the fund, not to a project.")
PROJECT_OTHER_FUND = gettext_lazy("The project belongs to another fund.")
UNKNOWN_KIND = gettext_lazy("Unknown kind of entry.")
EXCEEDS_AVAILABLE = gettext_lazy("The commitment exceeds the fund's available money (%(left)s).")
EXCEEDS_COMMITMENT = gettext_lazy(
    "The amount exceeds the project's outstanding commitment (%(left)s)."
)
EXCEEDS_CLAIMS = gettext_lazy("The amount exceeds the project's outstanding claims (%(left)s).")
REVERSAL_OF_REVERSAL = gettext_lazy("A reversal cannot be reversed; post a new entry instead.")
ALREADY_REVERSED = gettext_lazy("This entry has already been reversed.")
REVERSAL_BREAKS_RULES = gettext_lazy(
    "Reversing this entry would make the fund's balances negative on %(date)s; reverse the "
    "later entries that depend on it first."
)
BREAKS_RULES = gettext_lazy("This entry would make the fund's balances negative on %(date)s.")
LIMIT_ON_LATER_DATE = gettext_lazy("That is what is left on %(date)s, a later date with entries.")
DATE_TOO_EARLY = gettext_lazy("The date is too early: the ledger takes no entries before %(date)s.")
DATE_BEFORE_FUND = gettext_lazy("The date is before the fund was established (%(date)s).")
DATE_BEFORE_PROJECT = gettext_lazy("The date is before the decision on the project (%(date)s).")
NO_COMMITMENT_YET = gettext_lazy("The project has no commitment yet: post its commitment first.")
DATE_BEFORE_COMMITMENT = gettext_lazy(
    "The date is before the project's first commitment (%(date)s)."
)
REVERSAL_BEFORE_ENTRY = gettext_lazy(
    "A reversal cannot be dated before the entry it reverses (%(date)s)."
)
CLAIM_HAS_PAYMENTS = gettext_lazy(
    "Repayments or write-offs are recorded against this claim: write off or repay the rest instead."
)
FUND_ESTABLISHED_TOO_EARLY = gettext_lazy("The date of establishment cannot be before %(date)s.")
FUND_ESTABLISHED_AFTER_ENTRIES = gettext_lazy(
    "The fund has entries dated %(date)s: it cannot have been established after that."
)
DATE_IN_CLOSED_YEAR = gettext_lazy(
    "The fiscal year %(year)s is closed: post the correction in the open year."
)
YEAR_NOT_ENDED = gettext_lazy("Only a fiscal year that has ended can be closed.")
YEAR_OUT_OF_ORDER = gettext_lazy("Fiscal years are closed in order: close %(year)s next.")
NOTHING_TO_CLOSE = gettext_lazy("The fund has no entries and no date of establishment yet.")
CLOSING_DECISION_REQUIRED = gettext_lazy("Give the decision that adopted the annual accounts.")
CLOSING_DECIDED_TOO_EARLY = gettext_lazy(
    "The annual accounts are decided after the year has ended, on %(date)s or later."
)
NAME_REQUIRED = gettext_lazy("The fund needs a name.")
USE_REPAYMENT_PAGE = gettext_lazy(
    "This project has a repayment agreement: record its claims, repayments and write-offs on "
    "its repayment page, so that each is tied to the unit that owes it."
)
CLAIM_KINDS = {EntryKind.CLAIM, EntryKind.REPAYMENT, EntryKind.WRITE_OFF}
# No entry is dated earlier, whatever a fund's date of establishment says: the first Swedish
# social investment funds date from 2010, so an earlier date is a typing error.
LEDGER_EARLIEST = dt.date(2000, 1, 1)


def _check(condition: bool, field: str, message: Any) -> None:
    if not condition:
        raise ValidationError({field: str(message)})


def _money(ore: int) -> dict[str, str]:
    return {"left": format_ore(max(ore, 0))}


# --- Funds ------------------------------------------------------------------------------------

FUND_FIELDS = (
    "name",
    "description",
    "rules",
    "rules_decision_ref",
    "established_on",
    "annual_topup",
    "target_capital",
    "is_active",
)


def _fund_snapshot(fund: Fund) -> dict[str, Any]:
    return {f: _jsonable(getattr(fund, f)) for f in FUND_FIELDS}


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _check_established(fund: Fund) -> None:
    """The ledger's entries never predate the fund, so its date of establishment can neither be
    absurdly early nor later than an entry it already has."""
    established = fund.established_on
    if established is None:
        return
    floor = {"date": _day(LEDGER_EARLIEST)}
    _check(established >= LEDGER_EARLIEST, "established_on", FUND_ESTABLISHED_TOO_EARLY % floor)
    if fund.pk is None:
        return
    first = LedgerEntry.objects.filter(fund=fund).aggregate(first=Min("date"))["first"]
    if first is not None:
        message = FUND_ESTABLISHED_AFTER_ENTRIES % {"date": _day(first)}
        _check(established <= first, "established_on", message)


@transaction.atomic(durable=True)
def fund_create(*, organisation: Organisation, acting_user: Any, **fields: Any) -> Fund:
    if not permissions.can_manage_funds(acting_user):
        raise PermissionDenied(NOT_ALLOWED)
    unknown = set(fields) - set(FUND_FIELDS)
    if unknown:
        raise TypeError(f"unknown fund fields: {sorted(unknown)}")
    _check(bool((fields.get("name") or "").strip()), "name", NAME_REQUIRED)
    fund = Fund(organisation=organisation, **fields)
    _check_established(fund)
    fund.full_clean()
    fund.save()
    audit_record(
        acting_user=acting_user,
        kind=AuditEvent.Kind.FUND_CREATED,
        subject=fund,
        data=_fund_snapshot(fund),
    )
    return fund


@transaction.atomic(durable=True)
def fund_update(*, fund: Fund, acting_user: Any, **fields: Any) -> Fund:
    if not permissions.can_manage_funds(acting_user):
        raise PermissionDenied(NOT_ALLOWED)
    fund = Fund.objects.select_for_update().get(pk=fund.pk)
    before = _fund_snapshot(fund)
    for name, value in fields.items():
        if name not in FUND_FIELDS:
            raise TypeError(f"unknown fund field: {name}")
        setattr(fund, name, value)
    _check(bool(fund.name.strip()), "name", NAME_REQUIRED)
    _check_established(fund)
    fund.full_clean()
    fund.save(update_fields=list(fields) or None)
    diff = changes(before, _fund_snapshot(fund))
    if diff:
        audit_record(
            acting_user=acting_user, kind=AuditEvent.Kind.FUND_UPDATED, subject=fund, data=diff
        )
    return fund


# --- The ledger -------------------------------------------------------------------------------


def _locked_fund(fund: Fund) -> Fund:
    """Row lock on PostgreSQL; on SQLite the IMMEDIATE transaction already serialises writers."""
    return Fund.objects.select_for_update().get(pk=fund.pk)


def _validate_posting(
    *, fund: Fund, kind: str, amount: int, date: dt.date, text: str, project: Any
) -> None:
    _check(kind in EFFECTS, "kind", UNKNOWN_KIND)
    _check(isinstance(amount, int) and amount > 0, "amount", AMOUNT_NOT_POSITIVE)
    _check(bool(text.strip()), "text", TEXT_REQUIRED)
    if kind == EntryKind.DEPOSIT:
        _check(project is None, "project", PROJECT_NOT_ALLOWED)
    else:
        _check(project is not None, "project", PROJECT_REQUIRED)
        _check(project.fund_id == fund.pk, "project", PROJECT_OTHER_FUND)


# --- The rules at every date --------------------------------------------------------------------


def _date_floor(fund: Fund) -> tuple[dt.date, Any]:
    """The earliest date the fund's ledger takes: its establishment, or where that is not set,
    LEDGER_EARLIEST (no Swedish social investment fund predates it)."""
    if fund.established_on is not None:
        return max(fund.established_on, LEDGER_EARLIEST), DATE_BEFORE_FUND
    return LEDGER_EARLIEST, DATE_TOO_EARLY


def _check_date(fund: Fund, date: dt.date) -> None:
    """What every entry's date must meet, reversals included."""
    _check(date <= timezone.localdate(), "date", DATE_IN_FUTURE)
    floor, message = _date_floor(fund)
    _check(date >= floor, "date", message % {"date": _day(floor)})
    closing = last_closing(fund=fund)
    if closing is not None:
        # years close in order, so every year up to the last closed one is closed
        _check(date.year > closing.year, "date", DATE_IN_CLOSED_YEAR % {"year": date.year})


def _day(date: dt.date) -> str:
    return date.isoformat()


def project_decided_on(project: Any) -> dt.date | None:
    """The date of the decision that created the project from an application, if it was."""
    decided = type(project).objects.filter(pk=project.pk)
    return decided.values_list("application__decision__decided_on", flat=True).first()


def project_first_commitment(project: Any) -> dt.date | None:
    """The date of the project's first commitment (reversed or not: it stays the day the grant
    was first booked, so reversing it never leaves later entries before it)."""
    commitments = LedgerEntry.objects.filter(project=project, kind=EntryKind.COMMITMENT)
    return commitments.aggregate(first=Min("date"))["first"]


def _check_project_date(kind: str, project: Any, date: dt.date) -> None:
    if kind == EntryKind.COMMITMENT:
        decided = project_decided_on(project)
        if decided is not None:
            _check(date >= decided, "date", DATE_BEFORE_PROJECT % {"date": _day(decided)})
        return
    first = project_first_commitment(project)
    if first is None:
        raise ValidationError({"project": str(NO_COMMITMENT_YET)})
    _check(date >= first, "date", DATE_BEFORE_COMMITMENT % {"date": _day(first)})


def _with(b: Balances, d: tuple[int, int, int]) -> Balances:
    return Balances(b.capital + d[0], b.committed + d[1], b.claims + d[2])


def _lowest(points: list[Point], name: str) -> tuple[int, dt.date]:
    value, day = min((getattr(b, name), day) for day, b in points)
    return value, day


def _broken(points: list[Point], names: tuple[str, ...], d: tuple[int, int, int]) -> list[str]:
    """The balances that the posting would lower below zero on some date. A balance it does not
    lower never refuses it, so a ledger that broke the rules before they held takes repairs."""
    lowered = [name for name in names if getattr(_with(Balances(), d), name) < 0]
    return [n for n in lowered if any(getattr(_with(b, d), n) < 0 for _day_, b in points)]


def _refuse_at(message: Any, points: list[Point], name: str, date: dt.date) -> None:
    left, day = _lowest(points, name)
    text = str(message) % _money(left)
    if day != date:
        text += " " + str(LIMIT_ON_LATER_DATE) % {"date": _day(day)}
    raise ValidationError({"amount": text})


FUND_BALANCES: tuple[str, ...] = ("available", "capital", "committed", "claims")
PROJECT_BALANCES: tuple[str, ...] = ("committed", "claims")
SPECIFIC: dict[tuple[str, str, str], Any] = {  # the message for the balance each kind is limited by
    (EntryKind.COMMITMENT, "fund", "available"): EXCEEDS_AVAILABLE,
    (EntryKind.DISBURSEMENT, "project", "committed"): EXCEEDS_COMMITMENT,
    (EntryKind.RELEASE, "project", "committed"): EXCEEDS_COMMITMENT,
    (EntryKind.REPAYMENT, "project", "claims"): EXCEEDS_CLAIMS,
    (EntryKind.WRITE_OFF, "project", "claims"): EXCEEDS_CLAIMS,
}


def _check_rules(
    kind: str, fund: Fund, project: Any, deltas: tuple[int, int, int], date: dt.date
) -> None:
    """DOMAIN.md's rules on the balances at the end of `date` and of every later day with
    entries, as they would be with this posting (see sifra.funds.days for how it is bounded).
    Where the kind has its own rule (a commitment and the fund's available money, ...), its
    message wins, since it says how much is left."""
    series = [("fund", balances_from(fund=fund, date=date, base=_closed_base(fund)), FUND_BALANCES)]
    if project is not None:
        points = balances_from(fund=fund, date=date, project_id=project.pk)
        series.append(("project", points, PROJECT_BALANCES))
    broken = [(lv, pts, name) for lv, pts, names in series for name in _broken(pts, names, deltas)]
    for level, points, name in broken:
        message = SPECIFIC.get((kind, level, name))
        if message is not None:
            _refuse_at(message, points, name, date)
    if broken:
        _level, points, name = broken[0]
        generic = REVERSAL_BREAKS_RULES if kind == EntryKind.REVERSAL else BREAKS_RULES
        _, day = _lowest([(d, _with(b, deltas)) for d, b in points], name)
        raise ValidationError({"amount": str(generic) % {"date": _day(day)}})


def _closed_base(fund: Fund) -> Point | None:
    """The balances at the end of the last closed fiscal year, once the fund has closed one."""
    closing = last_closing(fund=fund)
    if closing is None:
        return None
    year_end = dt.date(closing.year, 12, 31)
    return year_end, Balances(closing.capital, closing.committed, closing.claims)


def _insert(
    *,
    fund: Fund,
    kind: str,
    amount: int,
    deltas: tuple[int, int, int],
    date: dt.date,
    text: str,
    project: Any,
    decision_ref: str,
    reverses: LedgerEntry | None,
    acting_user: Any,
) -> LedgerEntry:
    # The ledger is append-only: a personal number posted could never be erased. Checked
    # first, as it reads no balance.
    refuse_personal_numbers(text=text, decision_ref=decision_ref)
    _check_rules(kind, fund, project, deltas, date)
    last = LedgerEntry.objects.filter(fund=fund).order_by("-number").first()
    entry = LedgerEntry.objects.create(
        fund=fund,
        number=(last.number + 1) if last else 1,
        kind=kind,
        amount=amount,
        date=date,
        fiscal_year=date.year,
        text=text.strip(),
        project=project,
        decision_ref=decision_ref,
        reverses=reverses,
        d_capital=deltas[0],
        d_committed=deltas[1],
        d_claims=deltas[2],
        posted_by=acting_user,
    )
    days_add(entry=entry)
    return entry


def post_entry(
    *,
    fund: Fund,
    kind: str,
    amount: int,
    text: str,
    acting_user: Any,
    date: dt.date | None = None,
    project: Any = None,
    decision_ref: str = "",
) -> LedgerEntry:
    """The posting itself, inside the caller's transaction and without the role check: for
    services whose own authority covers it (a decision to approve commits its amount)."""
    date = date or timezone.localdate()
    _validate_posting(fund=fund, kind=kind, amount=amount, date=date, text=text, project=project)
    fund = _locked_fund(fund)
    _check_date(fund, date)  # on the locked row: its date of establishment as it is now
    if project is not None:
        _check_project_date(kind, project, date)
    cap, com, clm = EFFECTS[kind]
    deltas = (cap * amount, com * amount, clm * amount)
    entry = _insert(
        fund=fund,
        kind=kind,
        amount=amount,
        deltas=deltas,
        date=date,
        text=text,
        project=project,
        decision_ref=decision_ref,
        reverses=None,
        acting_user=acting_user,
    )
    audit_record(
        acting_user=acting_user,
        kind=AuditEvent.Kind.LEDGER_POSTED,
        subject=entry,
        data=_entry_data(entry),
    )
    return entry


@transaction.atomic(durable=True)
def ledger_entry_post(*, kind: str, acting_user: Any, **kwargs: Any) -> LedgerEntry:
    """Post an entry. Refuses what would break the ledger's rules (DOMAIN.md), with a message."""
    if not permissions.can_post(acting_user, kind):
        raise PermissionDenied(NOT_ALLOWED)
    project = kwargs.get("project")
    if kind in CLAIM_KINDS and project is not None and hasattr(project, "agreement"):
        raise ValidationError({"kind": str(USE_REPAYMENT_PAGE)})
    return post_entry(kind=kind, acting_user=acting_user, **kwargs)


def _check_reversible(entry: LedgerEntry, date: dt.date) -> None:
    _check(entry.kind != EntryKind.REVERSAL, "entry", REVERSAL_OF_REVERSAL)
    _check(not LedgerEntry.objects.filter(reverses=entry).exists(), "entry", ALREADY_REVERSED)
    _check(date >= entry.date, "date", REVERSAL_BEFORE_ENTRY % {"date": _day(entry.date)})
    if entry.kind == EntryKind.CLAIM:
        # ClaimPayment's entries, reached through their reverse relations (no import of repayment)
        paid = LedgerEntry.objects.filter(
            claim_payment__claim__ledger_entry=entry, reversed_by__isnull=True
        )
        _check(not paid.exists(), "entry", CLAIM_HAS_PAYMENTS)


def reverse_entry(
    *, entry: LedgerEntry, text: str, acting_user: Any, date: dt.date | None = None
) -> LedgerEntry:
    """The reversal itself, inside the caller's transaction and without the role check: for
    services whose own authority covers it (reversing a saving reverses its unpaid claims)."""
    date = date or timezone.localdate()
    _check(bool(text.strip()), "text", TEXT_REQUIRED)
    fund = _locked_fund(entry.fund)
    _check_date(fund, date)
    _check_reversible(entry, date)
    deltas = (-entry.d_capital, -entry.d_committed, -entry.d_claims)
    reversal = _insert(
        fund=fund,
        kind=EntryKind.REVERSAL,
        amount=entry.amount,
        deltas=deltas,
        date=date,
        text=text,
        project=entry.project,
        decision_ref=entry.decision_ref,
        reverses=entry,
        acting_user=acting_user,
    )
    audit_record(
        acting_user=acting_user,
        kind=AuditEvent.Kind.LEDGER_REVERSED,
        subject=reversal,
        data={**_entry_data(reversal), "reverses": entry.number},
    )
    return reversal


@transaction.atomic(durable=True)
def ledger_entry_reverse(
    *, entry: LedgerEntry, text: str, acting_user: Any, date: dt.date | None = None
) -> LedgerEntry:
    """Cancel an earlier entry with a new one that points at it; nothing is edited."""
    original_kind = entry.reverses.kind if entry.reverses else entry.kind
    if not permissions.can_post(acting_user, original_kind):
        raise PermissionDenied(NOT_ALLOWED)
    return reverse_entry(entry=entry, text=text, acting_user=acting_user, date=date)


def _entry_data(entry: LedgerEntry) -> dict[str, Any]:
    return {
        "number": entry.number,
        "kind": entry.kind,
        "amount_ore": entry.amount,
        "date": entry.date.isoformat(),
        "text": entry.text,
        "project": entry.project.code if entry.project else None,
        "decision_ref": entry.decision_ref,
    }


# --- Fiscal-year closing (bokslut) -----------------------------------------------------------


def _check_closable(fund: Fund, year: int, decided_on: dt.date, decision_ref: str) -> None:
    expected = next_closable_year(fund=fund)
    _check(expected is not None, "year", NOTHING_TO_CLOSE)
    _check(year < timezone.localdate().year, "year", YEAR_NOT_ENDED)
    _check(year == expected, "year", YEAR_OUT_OF_ORDER % {"year": expected})
    _check(bool(decision_ref.strip()), "decision_ref", CLOSING_DECISION_REQUIRED)
    after = dt.date(year + 1, 1, 1)
    message = CLOSING_DECIDED_TOO_EARLY % {"date": _day(after)}
    _check(decided_on >= after, "decided_on", message)
    _check(decided_on <= timezone.localdate(), "decided_on", DATE_IN_FUTURE)


def fiscal_year_check(*, fund: Fund, year: int, decided_on: dt.date, decision_ref: str) -> bool:
    """The closing's rules without closing: so that the page asks to confirm only what the
    service will accept (it checks again, under the lock)."""
    _check_closable(fund, year, decided_on, decision_ref)
    return True


def closing_balances(*, fund: Fund, year: int) -> Balances:
    """The balances at 31 December of `year`: the previous closing's snapshot and the year's
    day totals (under the fund's lock, so nothing is posted in between)."""
    year_end = dt.date(year, 12, 31)
    points = balances_from(fund=fund, date=year_end, base=_closed_base(fund))
    return points[0][1]


@transaction.atomic(durable=True)
def fiscal_year_close(
    *, fund: Fund, year: int, decided_on: dt.date, decision_ref: str, acting_user: Any
) -> FiscalYearClosing:
    """Close a fiscal year after the annual accounts: no entry is dated in it from now on, and
    its closing balances are kept. There is no reopening in the app."""
    if not permissions.can_manage_funds(acting_user):
        raise PermissionDenied(NOT_ALLOWED)
    fund = _locked_fund(fund)
    _check_closable(fund, year, decided_on, decision_ref)
    refuse_personal_numbers(decision_ref=decision_ref)
    b = closing_balances(fund=fund, year=year)
    closing = FiscalYearClosing.objects.create(
        fund=fund,
        year=year,
        decided_on=decided_on,
        decision_ref=decision_ref.strip(),
        capital=b.capital,
        committed=b.committed,
        claims=b.claims,
        closed_by=acting_user,
    )
    audit_record(
        acting_user=acting_user,
        kind=AuditEvent.Kind.FISCAL_YEAR_CLOSED,
        subject=fund,
        data={
            "fiscal_year_closed": year,
            "decided_on": decided_on.isoformat(),
            "decision_ref": closing.decision_ref,
            "capital_ore": b.capital,
            "committed_ore": b.committed,
            "claims_ore": b.claims,
        },
    )
    return closing
