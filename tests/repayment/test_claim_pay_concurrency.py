"""Two payments of the same claim at the same moment cannot together pay more than it owes:
claim_pay locks the fund row before it reads what is outstanding, so the second payment reads
it after the first has committed (PostgreSQL; on SQLite the IMMEDIATE transaction serialises
the writers anyway, so the test means something only on PostgreSQL).

No sleeps: a third connection holds the fund row's lock while both payments start, and the test
lets it go only once PostgreSQL shows both payments waiting for a lock. With claim_pay's own
lock they wait before reading the outstanding amount; without it they read 500 kr outstanding
each, then wait for the ledger's lock in post_entry and both get paid."""

import threading
import time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import translation

from sifra.funds.models import Fund
from sifra.funds.selectors import project_balances
from sifra.repayment import services
from sifra.repayment.models import Claim, ClaimPayment

D = Decimal
WAIT = 60  # seconds: only a bound for a broken run, never waited for in a passing one


@pytest.fixture
def halves(granted_project, economist, unit_a, unit_b):
    """50/50 between units A and B: a verified saving of 1 000 kr brings two claims of 500 kr."""
    services.agreement_set(
        project=granted_project,
        model="savings_share",
        share=D(100),
        shares=[(unit_a, D(50)), (unit_b, D(50))],
        acting_user=economist,
    )
    services.saving_verify(
        project=granted_project,
        year=2025,
        unit=unit_a,
        amount=100_000,
        evidence_kind="finance",
        evidence="Utfall 2025",
        acting_user=economist,
    )
    return {c.unit_id: c for c in Claim.objects.all()}


def _waiting_for_a_lock() -> int:
    """Backends of this test database that wait for a lock (a row lock, or the transaction
    that holds it)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_payments_cannot_overpay_a_claim(halves, economist, unit_a):
    claim_pk = halves[unit_a.pk].pk
    fund_pk = halves[unit_a.pk].project.fund_id
    locked, release = threading.Event(), threading.Event()
    outcomes: list[str] = []
    errors: list[dict] = []
    guard = threading.Lock()

    def hold_the_fund() -> None:
        try:
            with transaction.atomic():
                Fund.objects.select_for_update().get(pk=fund_pk)
                locked.set()
                release.wait(timeout=WAIT)
        finally:
            connection.close()

    def pay() -> None:
        try:
            claim = Claim.objects.get(pk=claim_pk)  # this thread's own instance
            with translation.override("en"):  # the language is the thread's own
                services.claim_pay(
                    claim=claim, amount=30_000, kind="repayment", acting_user=economist
                )
            result = "paid"
        except ValidationError as error:
            result = "refused"
            with guard:
                errors.append(error.message_dict)
        finally:
            connection.close()
        with guard:
            outcomes.append(result)

    holder = threading.Thread(target=hold_the_fund)
    holder.start()
    assert locked.wait(timeout=WAIT)
    payers = [threading.Thread(target=pay) for _ in range(2)]
    for t in payers:
        t.start()
    # both payments blocked on the held lock (polled, not slept: the loop ends when they wait)
    deadline = time.monotonic() + WAIT
    while _waiting_for_a_lock() < 2 and time.monotonic() < deadline:
        pass
    both_waiting = _waiting_for_a_lock() == 2
    release.set()
    holder.join(timeout=WAIT)
    for t in payers:
        t.join(timeout=WAIT)

    assert both_waiting
    assert sorted(outcomes) == ["paid", "refused"]
    # the second read the first's payment: 500 − 300 = 200 kr left
    left = "The amount exceeds what is outstanding on the claim (SEK 200)."
    assert errors == [{"amount": [left]}]
    assert list(ClaimPayment.objects.values_list("amount", flat=True)) == [30_000]
    assert services.outstanding(Claim.objects.get(pk=claim_pk)) == 20_000
    # the ledger: 1 000 kr of claims, 300 kr repaid
    assert project_balances(project=halves[unit_a.pk].project).claims == 70_000
