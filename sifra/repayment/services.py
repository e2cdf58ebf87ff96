"""Repayment: the agreement, verified savings and the claims that follow, repayments and
write-offs. Claims never exceed the agreement's cap; repayments plus write-offs never exceed a
claim; every amount is a ledger entry."""

import datetime as dt
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sifra.accounts import permissions
from sifra.accounts.models import Unit
from sifra.audit.models import AuditEvent
from sifra.audit.services import audit_record
from sifra.core.money import format_ore, largest_remainder
from sifra.core.personnummer import refuse_personal_numbers
from sifra.funds.models import EntryKind, LedgerEntry
from sifra.funds.services import _locked_fund, post_entry, reverse_entry
from sifra.projects.models import Project
from sifra.repayment.models import (
    Agreement,
    AgreementShare,
    Claim,
    ClaimPayment,
    Instalment,
    Model,
    VerifiedSaving,
)
from sifra.repayment.selectors import claim_due_date, claim_outstanding, claims_annotated

NOT_ALLOWED = gettext_lazy("You may not do this.")
SHARES_SUM = gettext_lazy("The parts of those who repay must add up to 100 %.")
SHARES_NEEDED = gettext_lazy("Name at least one unit that repays.")
SHARE_NEEDED = gettext_lazy("Give the share of savings repaid, above 0 and at most 100 %.")
CAP_NEEDED = gettext_lazy("Give a cap above zero.")
INSTALMENTS_NEEDED = gettext_lazy("Give the amounts per year.")
HAS_CLAIMS = gettext_lazy("The agreement already has claims; it can no longer be changed.")
AMOUNT_POSITIVE = gettext_lazy("The amount must be greater than zero.")
EVIDENCE_NEEDED = gettext_lazy("Say what the saving rests on.")
BEYOND_OUTSTANDING = gettext_lazy("The amount exceeds what is outstanding on the claim (%(left)s).")
REASON_NEEDED = gettext_lazy("Give the reason for the write-off.")
UNKNOWN_KIND = gettext_lazy("Choose repayment or write-off.")
DUPLICATE_SAVING = gettext_lazy("A saving for this year and unit is already verified.")
PART_RANGE = gettext_lazy("Each part must be above 0 and at most 100 %.")
DUPLICATE_UNIT = gettext_lazy("Name each unit that repays only once.")
CLAIM_REVERSED = gettext_lazy("This claim has been reversed in the ledger; it takes no payment.")
BEFORE_CLAIM = gettext_lazy("The date cannot be before the claim was posted (%(date)s).")
DATE_IN_FUTURE = gettext_lazy("The date cannot be in the future.")
YEAR_NOT_BEGUN = gettext_lazy("Savings can only be verified for a year that has begun.")
SAVING_REVERSED = gettext_lazy("This saving has already been reversed.")
SAVING_HAS_PAYMENTS = gettext_lazy(
    "Repayments or write-offs are recorded against this saving's claims: reverse those "
    "payments first, or write off what is left instead of reversing the saving."
)
CORRECTION_REASON_NEEDED = gettext_lazy("Say why the saving is reversed.")


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(NOT_ALLOWED)


def granted(project: Project) -> int:
    """What the fund actually granted the project: its commitments less its releases, each
    counted only while its entry is not reversed (a reversed release grants again)."""
    standing = LedgerEntry.objects.filter(project=project, reversed_by__isnull=True)
    sums = standing.aggregate(
        c=Sum("amount", filter=Q(kind=EntryKind.COMMITMENT)),
        r=Sum("amount", filter=Q(kind=EntryKind.RELEASE)),
    )
    return (sums["c"] or 0) - (sums["r"] or 0)


def claimed(project: Project) -> int:
    """The project's claims, less those whose ledger entry was reversed (they no longer bind)."""
    claims = Claim.objects.filter(project=project, ledger_entry__reversed_by__isnull=True)
    return claims.aggregate(s=Sum("amount"))["s"] or 0


def _check_agreement(
    model: str,
    share: Decimal | None,
    cap: int,
    shares: list[tuple[Unit, Decimal]],
    instalments: list[tuple[int, int]],
) -> None:
    if model == Model.NONE:
        return
    # A budget adjustment's debtor is always the saving unit, so it needs no parts.
    if not shares and model != Model.BUDGET_ADJUSTMENT:
        raise ValidationError({"shares": str(SHARES_NEEDED)})
    if any(not 0 < p <= 100 for _u, p in shares):
        raise ValidationError({"shares": str(PART_RANGE)})
    if len({u.pk for u, _p in shares}) != len(shares):
        raise ValidationError({"shares": str(DUPLICATE_UNIT)})
    if shares and sum((p for _u, p in shares), Decimal(0)) != 100:
        raise ValidationError({"shares": str(SHARES_SUM)})
    if model == Model.SAVINGS_SHARE and not (share and 0 < share <= 100):
        raise ValidationError({"share": str(SHARE_NEEDED)})
    if model == Model.FIXED and not instalments:
        raise ValidationError({"instalments": str(INSTALMENTS_NEEDED)})
    if model != Model.FIXED and cap <= 0:
        raise ValidationError({"cap": str(CAP_NEEDED)})


@transaction.atomic(durable=True)
def agreement_set(
    *,
    project: Project,
    model: str,
    acting_user: Any,
    shares: list[tuple[Unit, Decimal]],
    share: Decimal | None = None,
    cap: int | None = None,
    instalments: list[tuple[int, int]] | None = None,
    due_months: int = 6,
    decision_ref: str = "",
    notes: str = "",
) -> Agreement:
    """Set (or, while it has no claims, replace) a project's repayment agreement. The cap
    defaults to the granted amount; a fixed schedule's claims are created at once."""
    _require(permissions.can_manage_repayment(acting_user))
    _locked_fund(project.fund)
    if Claim.objects.filter(project=project).exists():
        raise ValidationError({"__all__": str(HAS_CLAIMS)})
    instalments = list(instalments or [])
    if model == Model.FIXED:
        cap = sum(amount for _year, amount in instalments)
    cap = granted(project) if cap is None else cap
    _check_agreement(model, share, cap, shares, instalments)
    refuse_personal_numbers(decision_ref=decision_ref, notes=notes)
    Agreement.objects.filter(project=project).delete()
    agreement = Agreement.objects.create(
        project=project,
        model=model,
        share=share if model == Model.SAVINGS_SHARE else None,
        cap=cap if model != Model.NONE else 0,
        due_months=due_months,
        decision_ref=decision_ref.strip(),
        notes=notes.strip(),
        created_by=acting_user,
    )
    for unit, percent in shares:
        AgreementShare.objects.create(agreement=agreement, unit=unit, percent=percent)
    for year, amount in instalments:
        if amount <= 0:
            raise ValidationError({"instalments": str(AMOUNT_POSITIVE)})
        instalment = Instalment.objects.create(agreement=agreement, year=year, amount=amount)
        _claims_for(agreement, amount, year, acting_user, instalment=instalment)
    audit_record(
        acting_user=acting_user,
        kind=AuditEvent.Kind.AGREEMENT_CHANGED,
        subject=project,
        data={
            "model": model,
            "share": str(share) if share else None,
            "cap_ore": cap,
            "shares": {u.name: str(p) for u, p in shares},
            "instalments": dict(instalments),
        },
    )
    return agreement


def _due(agreement: Agreement, year: int) -> dt.date:
    """The last day of the month `due_months` after the year's end."""
    return claim_due_date(due_months=agreement.due_months, year=year)


def split(total: int, parts: list[tuple[Unit, Decimal]]) -> list[tuple[Unit, int]]:
    """Whole öre per unit in proportion to its part, by the largest remainder (the one rounding
    rule, sifra.core.money); a unit whose part rounds to nothing gets no claim."""
    if not parts:
        return []
    amounts = largest_remainder(total, [p for _u, p in parts])
    return [(u, a) for (u, _p), a in zip(parts, amounts, strict=True) if a > 0]


def _claims_for(
    agreement: Agreement,
    total: int,
    year: int,
    acting_user: Any,
    debtors: list[tuple[Unit, Decimal]] | None = None,
    saving: VerifiedSaving | None = None,
    instalment: Instalment | None = None,
    date: dt.date | None = None,
) -> list[Claim]:
    parts = debtors or [(s.unit, s.percent) for s in agreement.shares.select_related("unit")]
    claims = []
    for unit, amount in split(total, parts):
        entry = post_entry(
            fund=agreement.project.fund,
            kind=EntryKind.CLAIM,
            amount=amount,
            project=agreement.project,
            acting_user=acting_user,
            text=_("Repayment claim %(year)s: %(unit)s") % {"year": year, "unit": unit.name},
            decision_ref=agreement.decision_ref,
            date=date,
        )
        claims.append(
            Claim.objects.create(
                project=agreement.project,
                unit=unit,
                year=year,
                amount=amount,
                due_date=_due(agreement, year),
                saving=saving,
                instalment=instalment,
                ledger_entry=entry,
            )
        )
    return claims


def claim_total_for_saving(agreement: Agreement, amount: int, already_claimed: int) -> int:
    """What a verified saving adds to the claims, within what is left under the cap."""
    room = max(agreement.cap - already_claimed, 0)
    if agreement.model == Model.SAVINGS_SHARE:
        owed = int((Decimal(amount) * (agreement.share or 0) / 100).to_integral_value(ROUND_FLOOR))
    elif agreement.model == Model.BUDGET_ADJUSTMENT:
        owed = amount
    else:
        owed = 0
    return min(owed, room)


@transaction.atomic(durable=True)
def saving_verify(
    *,
    project: Project,
    year: int,
    unit: Unit,
    amount: int,
    evidence_kind: str,
    evidence: str,
    acting_user: Any,
    report: Any = None,
    evaluation: Any = None,
    document: Any = None,
    date: dt.date | None = None,
) -> VerifiedSaving:
    """Record a saving the economist has verified; under the project's agreement the claims
    follow at once (a share of it, or all of it for a budget adjustment, within the cap)."""
    _require(permissions.can_manage_repayment(acting_user))
    _locked_fund(project.fund)
    if amount <= 0:
        raise ValidationError({"amount": str(AMOUNT_POSITIVE)})
    if not evidence.strip():
        raise ValidationError({"evidence": str(EVIDENCE_NEEDED)})
    if year > timezone.localdate().year:
        raise ValidationError({"year": str(YEAR_NOT_BEGUN)})
    standing = VerifiedSaving.objects.filter(reversed_at__isnull=True)
    if standing.filter(project=project, year=year, unit=unit).exists():
        raise ValidationError({"year": str(DUPLICATE_SAVING)})
    saving = VerifiedSaving(
        project=project,
        year=year,
        unit=unit,
        amount=amount,
        evidence_kind=evidence_kind,
        evidence=evidence.strip(),
        report=report,
        evaluation=evaluation,
        document=document,
        verified_by=acting_user,
    )
    saving.full_clean()
    saving.save()
    agreement = Agreement.objects.filter(project=project).first()
    claims: list[Claim] = []
    if agreement is not None:
        total = claim_total_for_saving(agreement, amount, claimed(project))
        debtors = [(unit, Decimal(100))] if agreement.model == Model.BUDGET_ADJUSTMENT else None
        claims = _claims_for(
            agreement, total, year, acting_user, debtors=debtors, saving=saving, date=date
        )
    audit_record(
        acting_user=acting_user,
        kind=AuditEvent.Kind.SAVING_VERIFIED,
        subject=saving,
        data={
            "project": project.code,
            "year": year,
            "unit": unit.name,
            "amount_ore": amount,
            "evidence": saving.evidence,
            "claims_ore": [c.amount for c in claims],
        },
    )
    return saving


def _check_reversible(saving: VerifiedSaving, reason: str) -> list[Claim]:
    """The saving's claims still standing in the ledger, once it is clear they may go."""
    if saving.reversed_at is not None:
        raise ValidationError({"__all__": str(SAVING_REVERSED)})
    if not reason.strip():
        raise ValidationError({"reason": str(CORRECTION_REASON_NEEDED)})
    refuse_personal_numbers(reason=reason)
    claims = list(claims_annotated(saving.claims.all()).filter(Q(is_reversed=False)))
    if any(c.paid or c.written_off for c in claims):  # type: ignore[attr-defined]
        raise ValidationError({"__all__": str(SAVING_HAS_PAYMENTS)})
    return claims


@transaction.atomic(durable=True)
def saving_reverse(
    *, saving: VerifiedSaving, reason: str, acting_user: Any, date: dt.date | None = None
) -> VerifiedSaving:
    """Correct a saving found wrong: its unpaid claims are reversed in the ledger, the saving
    is marked reversed (kept, with who, when and why) and its year and unit are free for a new
    verification. Refused while a claim of it has repayments or write-offs standing."""
    _require(permissions.can_manage_repayment(acting_user))
    _locked_fund(saving.project.fund)
    saving = VerifiedSaving.objects.select_related("project", "unit").get(pk=saving.pk)
    claims = _check_reversible(saving, reason)
    text = _("Reversed saving %(year)s, %(unit)s: %(reason)s")
    text %= {"year": saving.year, "unit": saving.unit.name, "reason": reason.strip()}
    entries = [
        # the ledger's reversal inside this transaction: a saving and its claims go together
        reverse_entry(entry=c.ledger_entry, text=text[:300], acting_user=acting_user, date=date)
        for c in claims
    ]
    saving.reversed_at = timezone.now()
    saving.reversed_by = acting_user
    saving.reversal_reason = reason.strip()
    saving.save(update_fields=["reversed_at", "reversed_by", "reversal_reason"])
    audit_record(
        acting_user=acting_user,
        kind=AuditEvent.Kind.SAVING_REVERSED,
        subject=saving,
        data={
            "project": saving.project.code,
            "year": saving.year,
            "unit": saving.unit.name,
            "amount_ore": saving.amount,
            "reason": saving.reversal_reason,
            "reversals": [e.number for e in entries],
        },
    )
    return saving


def outstanding(claim: Claim) -> int:
    """What the claim still owes: selectors.claim_outstanding, the one definition."""
    return claim_outstanding(claim)


def _check_payable(claim: Claim, date: dt.date) -> None:
    """Read under the fund's lock: a claim reversed meanwhile takes no payment, and a payment
    lies between the claim's own entry and today."""
    entry = LedgerEntry.objects.get(pk=claim.ledger_entry_id)
    if LedgerEntry.objects.filter(reverses=entry).exists():
        raise ValidationError({"__all__": str(CLAIM_REVERSED)})
    if date > timezone.localdate():
        raise ValidationError({"date": str(DATE_IN_FUTURE)})
    if date < entry.date:
        raise ValidationError({"date": str(BEFORE_CLAIM) % {"date": entry.date.isoformat()}})


@transaction.atomic(durable=True)
def claim_pay(
    *,
    claim: Claim,
    amount: int,
    kind: str,
    acting_user: Any,
    date: dt.date | None = None,
    reason: str = "",
) -> ClaimPayment:
    """A repayment (capital back into the fund) or a write-off (with its reason) of a claim."""
    _require(permissions.can_manage_repayment(acting_user))
    if kind not in ClaimPayment.Kind.values:
        raise ValidationError({"kind": str(UNKNOWN_KIND)})
    _locked_fund(claim.project.fund)
    date = date or timezone.localdate()
    _check_payable(claim, date)
    if amount <= 0:
        raise ValidationError({"amount": str(AMOUNT_POSITIVE)})
    left = outstanding(claim)
    if amount > left:
        # to the öre, as in the ledger's messages: a rounded figure could not be paid exactly
        left_text = format_ore(left)
        raise ValidationError({"amount": str(BEYOND_OUTSTANDING) % {"left": left_text}})
    if kind == ClaimPayment.Kind.WRITE_OFF and not reason.strip():
        raise ValidationError({"reason": str(REASON_NEEDED)})
    refuse_personal_numbers(reason=reason)
    text = (
        _("Repayment from %(unit)s, claim %(year)s")
        if kind == ClaimPayment.Kind.REPAYMENT
        else _("Write-off, claim %(year)s on %(unit)s")
    ) % {"unit": claim.unit.name, "year": claim.year}
    entry = post_entry(
        fund=claim.project.fund,
        kind=kind,
        amount=amount,
        project=claim.project,
        acting_user=acting_user,
        date=date,
        text=f"{text}: {reason.strip()}" if reason.strip() else text,
    )
    payment = ClaimPayment.objects.create(claim=claim, kind=kind, amount=amount, ledger_entry=entry)
    audit_record(
        acting_user=acting_user,
        kind=AuditEvent.Kind.CLAIM_PAID,
        subject=claim,
        data={"kind": kind, "amount_ore": amount, "reason": reason.strip()},
    )
    return payment
