"""The claims' kept balances (Claim.repaid_sum, written_off_sum, entry_reversed) and their
payments' kept day and reversal mark (ClaimPayment.date, entry_reversed): derived from the
ledger, kept in step in the same transaction, rebuilt from it on demand.

Why: the claims list of a large fund (some 15 000 claims) summed each claim's payments in a
subquery per claim, on every request. The ledger stays the truth: services check against
claims_annotated (which reads the entries); the lists read these columns; a test runs random
sequences of postings and reversals and compares the two after each step.

They change only when a ledger entry is posted: a repayment or write-off (a ClaimPayment is
created with its entry) or a reversal of a claim's or a payment's entry. Both are caught here by
post_save, so that the funds app, which posts reversals, needs to know nothing of claims.
"""

from collections.abc import Iterable
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, F, Q, QuerySet, Subquery
from django.db.models.signals import post_save

from sifra.funds.models import LedgerEntry
from sifra.repayment.models import Claim, ClaimPayment
from sifra.repayment.selectors import claims_annotated


def _ledger_values(claims: QuerySet[Claim]) -> Iterable[tuple[int, int, int, bool]]:
    fields = ("pk", "paid", "written_off", "is_reversed")  # the annotations' names
    return claims_annotated(claims).values_list(*fields)


def claim_balances_refresh(*, claim_ids: Iterable[int]) -> None:
    """Set the kept balances of these claims from the ledger."""
    for pk, paid, written_off, is_reversed in _ledger_values(
        Claim.objects.filter(pk__in=list(claim_ids))
    ):
        Claim.objects.filter(pk=pk).update(
            repaid_sum=paid, written_off_sum=written_off, entry_reversed=is_reversed
        )


def claim_balance_problems(*, claims: QuerySet[Claim] | None = None) -> list[Claim]:
    """The claims whose kept balances differ from the ledger's (none, when all is in step)."""
    qs = Claim.objects.all() if claims is None else claims
    wrong = []
    for claim in claims_annotated(qs.order_by("pk")):
        ledger = (claim.paid, claim.written_off, claim.is_reversed)  # type: ignore[attr-defined]
        if (claim.repaid_sum, claim.written_off_sum, claim.entry_reversed) != ledger:
            wrong.append(claim)
    return wrong


def payment_problems(*, payments: QuerySet[ClaimPayment] | None = None) -> list[ClaimPayment]:
    """The payments whose kept day or reversal mark differ from their ledger entry's."""
    qs = ClaimPayment.objects.all() if payments is None else payments
    ledger = qs.annotate(
        entry_date=F("ledger_entry__date"),
        reversed_in_ledger=ExpressionWrapper(
            Q(ledger_entry__reversed_by__isnull=False), output_field=BooleanField()
        ),
    )
    return [
        p
        for p in ledger.order_by("pk")
        if (p.date, p.entry_reversed) != (p.entry_date, p.reversed_in_ledger)  # type: ignore[attr-defined]
    ]


def claim_balances_rebuild(*, claims: QuerySet[Claim] | None = None) -> int:
    """Recompute the kept balances of `claims` (every claim when None), and the kept day and
    reversal mark of their payments, from the ledger; returns how many claims and payments
    were out of step."""
    wrong = claim_balance_problems(claims=claims)
    for claim in wrong:
        claim.repaid_sum = claim.paid  # type: ignore[attr-defined]
        claim.written_off_sum = claim.written_off  # type: ignore[attr-defined]
        claim.entry_reversed = claim.is_reversed  # type: ignore[attr-defined]
    Claim.objects.bulk_update(
        wrong, ["repaid_sum", "written_off_sum", "entry_reversed"], batch_size=500
    )
    payments = payment_problems(
        payments=None if claims is None else ClaimPayment.objects.filter(claim__in=claims)
    )
    for p in payments:
        p.date, p.entry_reversed = p.entry_date, p.reversed_in_ledger  # type: ignore[attr-defined]
    ClaimPayment.objects.bulk_update(payments, ["date", "entry_reversed"], batch_size=500)
    return len(wrong) + len(payments)


def _payment_saved(sender: Any, instance: ClaimPayment, created: bool, raw: bool, **_: Any) -> None:
    if created and not raw:
        date = LedgerEntry.objects.filter(pk=instance.ledger_entry_id).values("date")
        ClaimPayment.objects.filter(pk=instance.pk).update(date=Subquery(date))
        claim_balances_refresh(claim_ids=[instance.claim_id])


def _entry_saved(sender: Any, instance: LedgerEntry, created: bool, raw: bool, **_: Any) -> None:
    """A reversal of a claim's entry, or of a payment's, changes that claim's balances."""
    if not created or raw or instance.reverses_id is None:
        return
    reversed_id = instance.reverses_id
    claims = set(Claim.objects.filter(ledger_entry=reversed_id).values_list("pk", flat=True))
    payments = ClaimPayment.objects.filter(ledger_entry=reversed_id)
    claims |= set(payments.values_list("claim", flat=True))
    payments.update(entry_reversed=True)
    if claims:
        claim_balances_refresh(claim_ids=claims)


def connect() -> None:
    post_save.connect(_payment_saved, sender=ClaimPayment, dispatch_uid="claim-balances-payment")
    post_save.connect(_entry_saved, sender=LedgerEntry, dispatch_uid="claim-balances-reversal")
