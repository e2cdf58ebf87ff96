"""Writes to funds and the ledger. Each public service is one durable transaction that checks
who acts, validates, locks the fund row and writes an audit event beside its change."""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from sifra.accounts import permissions
from sifra.accounts.models import Organisation
from sifra.audit.models import AuditEvent
from sifra.audit.services import audit_record, changes
from sifra.core.money import format_ore
from sifra.core.personnummer import refuse_personal_numbers
from sifra.funds.models import EntryKind, Fund, LedgerEntry
from sifra.funds.selectors import Balances, fund_balances, project_balances

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
    "Reversing this entry would make the fund's balances negative; reverse the later entries "
    "that depend on it first."
)
NAME_REQUIRED = gettext_lazy("The fund needs a name.")
USE_REPAYMENT_PAGE = gettext_lazy(
    "This project has a repayment agreement: record its claims, repayments and write-offs on "
    "its repayment page, so that each is tied to the unit that owes it."
)
CLAIM_KINDS = {EntryKind.CLAIM, EntryKind.REPAYMENT, EntryKind.WRITE_OFF}


def _check(condition: bool, field: str, message: Any) -> None:
    if not condition:
        raise ValidationError({field: str(message)})


def _money(ore: int) -> dict[str, str]:
    return {"left": format_ore(max(ore, 0), decimals=True)}


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


@transaction.atomic(durable=True)
def fund_create(*, organisation: Organisation, acting_user: Any, **fields: Any) -> Fund:
    if not permissions.can_manage_funds(acting_user):
        raise PermissionDenied(NOT_ALLOWED)
    unknown = set(fields) - set(FUND_FIELDS)
    if unknown:
        raise TypeError(f"unknown fund fields: {sorted(unknown)}")
    _check(bool((fields.get("name") or "").strip()), "name", NAME_REQUIRED)
    fund = Fund(organisation=organisation, **fields)
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
    _check(date <= timezone.localdate(), "date", DATE_IN_FUTURE)
    _check(bool(text.strip()), "text", TEXT_REQUIRED)
    if kind == EntryKind.DEPOSIT:
        _check(project is None, "project", PROJECT_NOT_ALLOWED)
    else:
        _check(project is not None, "project", PROJECT_REQUIRED)
        _check(project.fund_id == fund.pk, "project", PROJECT_OTHER_FUND)


def _after(before: Balances, d: tuple[int, int, int]) -> Balances:
    return Balances(before.capital + d[0], before.committed + d[1], before.claims + d[2])


def _refuse(message: Any, left: int) -> None:
    raise ValidationError({"amount": str(message) % _money(left)})


def _check_rules(kind: str, fund: Fund, project: Any, deltas: tuple[int, int, int]) -> None:
    """The ledger's rules, checked on the balances as they would be after the posting."""
    fund_before = fund_balances(fund=fund)
    project_before = project_balances(project=project) if project else Balances()
    fund_after, project_after = _after(fund_before, deltas), _after(project_before, deltas)
    if kind == EntryKind.COMMITMENT and fund_after.available < 0:
        _refuse(EXCEEDS_AVAILABLE, fund_before.available)
    if kind in (EntryKind.DISBURSEMENT, EntryKind.RELEASE) and project_after.committed < 0:
        _refuse(EXCEEDS_COMMITMENT, project_before.committed)
    if kind in (EntryKind.REPAYMENT, EntryKind.WRITE_OFF) and project_after.claims < 0:
        _refuse(EXCEEDS_CLAIMS, project_before.claims)
    balances = [*vars(fund_after).values(), fund_after.available]
    if project is not None:
        balances += [project_after.committed, project_after.claims]
    _check(min(balances) >= 0, "amount", REVERSAL_BREAKS_RULES)


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
    _check_rules(kind, fund, project, deltas)
    # The ledger is append-only: a personal number posted could never be erased.
    refuse_personal_numbers(text=text, decision_ref=decision_ref)
    last = LedgerEntry.objects.filter(fund=fund).order_by("-number").first()
    return LedgerEntry.objects.create(
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


@transaction.atomic(durable=True)
def ledger_entry_reverse(
    *, entry: LedgerEntry, text: str, acting_user: Any, date: dt.date | None = None
) -> LedgerEntry:
    """Cancel an earlier entry with a new one that points at it; nothing is edited."""
    original_kind = entry.reverses.kind if entry.reverses else entry.kind
    if not permissions.can_post(acting_user, original_kind):
        raise PermissionDenied(NOT_ALLOWED)
    date = date or timezone.localdate()
    _check(entry.kind != EntryKind.REVERSAL, "entry", REVERSAL_OF_REVERSAL)
    _check(date <= timezone.localdate(), "date", DATE_IN_FUTURE)
    _check(bool(text.strip()), "text", TEXT_REQUIRED)
    fund = _locked_fund(entry.fund)
    _check(not LedgerEntry.objects.filter(reverses=entry).exists(), "entry", ALREADY_REVERSED)
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
