"""The repayment services lock the fund row before they read what their rules decide on (what a
claim still owes, what is claimed under the cap, whether a saving is reversed, whether the
agreement has claims), so two of them at the same moment act one after the other: the second
reads what the first committed. On SQLite the IMMEDIATE transaction serialises the writers
anyway; the lock means something, and these tests run, only on PostgreSQL.

No sleeps: a third connection holds the fund row's lock while both calls start, and the test
lets it go only once PostgreSQL shows both calls waiting for a lock. With the service's own lock
they wait before reading; without it they read the same state, then wait for the ledger's lock
(post_entry, reverse_entry) or for the other's uncommitted row, and act on what they read."""

import threading
import time
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import translation

from sifra.funds.models import Fund
from sifra.funds.selectors import project_balances
from sifra.repayment import services
from sifra.repayment.models import Agreement, Claim, ClaimPayment, VerifiedSaving

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

D = Decimal
WAIT = 60  # seconds: only a bound for a broken run, never waited for in a passing one


def _waiting_for_a_lock() -> int:
    """Backends of this test database that wait for a lock (a row lock, or the transaction
    that holds it)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def race(fund_pk: int, calls: list[Callable[[], object]]) -> list[object]:
    """Run the calls at the same moment, each in its own thread and connection, behind the fund
    row's lock held by another transaction; return each one's outcome (in the order they end):
    "done", the ValidationError's message_dict, or the name of another exception."""
    locked, release = threading.Event(), threading.Event()
    outcomes: list[object] = []
    guard = threading.Lock()

    def hold_the_fund() -> None:
        try:
            with transaction.atomic():
                Fund.objects.select_for_update().get(pk=fund_pk)
                locked.set()
                release.wait(timeout=WAIT)
        finally:
            connection.close()

    def run(call: Callable[[], object]) -> None:
        try:
            with translation.override("en"):  # the language is the thread's own
                call()
            outcome: object = "done"
        except ValidationError as error:
            outcome = error.message_dict
        except Exception as error:  # reported as its name: the test's assert fails on it
            outcome = type(error).__name__
        finally:
            connection.close()
        with guard:
            outcomes.append(outcome)

    holder = threading.Thread(target=hold_the_fund)
    holder.start()
    assert locked.wait(timeout=WAIT)
    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    # every call blocked behind the held lock (polled, not slept: the loop ends when they wait)
    deadline = time.monotonic() + WAIT
    while _waiting_for_a_lock() < len(calls) and time.monotonic() < deadline:
        pass
    waiting = _waiting_for_a_lock()
    release.set()
    holder.join(timeout=WAIT)
    for t in threads:
        t.join(timeout=WAIT)
    assert waiting == len(calls)
    assert len(outcomes) == len(calls)
    return outcomes


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


def _sorted(outcomes: list[object]) -> list[object]:
    return sorted(outcomes, key=lambda o: o != "done")  # "done" first


def test_two_simultaneous_payments_cannot_overpay_a_claim(halves, economist, unit_a):
    claim = halves[unit_a.pk]

    def pay() -> None:
        own = Claim.objects.get(pk=claim.pk)  # the thread's own instance
        services.claim_pay(claim=own, amount=30_000, kind="repayment", acting_user=economist)

    outcomes = race(claim.project.fund_id, [pay, pay])

    # the second read the first's payment: 500 − 300 = 200 kr left
    left = "The amount exceeds what is outstanding on the claim (SEK 200)."
    assert _sorted(outcomes) == ["done", {"amount": [left]}]
    assert list(ClaimPayment.objects.values_list("amount", flat=True)) == [30_000]
    assert services.outstanding(Claim.objects.get(pk=claim.pk)) == 20_000
    # the ledger: 1 000 kr of claims, 300 kr repaid
    assert project_balances(project=claim.project).claims == 70_000


def test_two_simultaneous_savings_stay_within_the_cap(granted_project, economist, unit_a):
    services.agreement_set(
        project=granted_project,
        model="savings_share",
        share=D(100),
        cap=100_000,
        shares=[(unit_a, D(100))],
        acting_user=economist,
    )

    def verify(year: int) -> Callable[[], object]:
        return lambda: services.saving_verify(
            project=granted_project,
            year=year,
            unit=unit_a,
            amount=80_000,
            evidence_kind="finance",
            evidence=f"Utfall {year}",
            acting_user=economist,
        )

    outcomes = race(granted_project.fund_id, [verify(2024), verify(2025)])

    assert outcomes == ["done", "done"]
    # the first claims its 800 kr, the second only what is left under the 1 000 kr cap
    assert sorted(Claim.objects.values_list("amount", flat=True)) == [20_000, 80_000]
    assert project_balances(project=granted_project).claims == 100_000


def test_two_simultaneous_reversals_of_a_saving_reverse_it_once(halves, economist, unit_a):
    saving_pk = halves[unit_a.pk].saving_id

    def reverse() -> None:
        saving = VerifiedSaving.objects.get(pk=saving_pk)
        services.saving_reverse(saving=saving, reason="Fel utfall", acting_user=economist)

    outcomes = race(halves[unit_a.pk].project.fund_id, [reverse, reverse])

    # the second read the saving as the first left it: the saving's own message
    reversed_already = "This saving has already been reversed."
    assert _sorted(outcomes) == ["done", {"__all__": [reversed_already]}]
    assert project_balances(project=halves[unit_a.pk].project).claims == 0


def test_two_simultaneous_fixed_agreements_one_is_refused(granted_project, economist, unit_a):
    def agree(amount: int) -> Callable[[], object]:
        return lambda: services.agreement_set(
            project=granted_project,
            model="fixed",
            shares=[(unit_a, D(100))],
            instalments=[(2027, amount)],
            acting_user=economist,
        )

    outcomes = race(granted_project.fund_id, [agree(50_000), agree(70_000)])

    # the second read the first's claims: the agreement can no longer be replaced
    has_claims = "The agreement already has claims; it can no longer be changed."
    assert _sorted(outcomes) == ["done", {"__all__": [has_claims]}]
    assert Agreement.objects.count() == 1
    agreement = Agreement.objects.get()
    assert list(Claim.objects.values_list("amount", flat=True)) == [agreement.cap]
    assert agreement.cap in (50_000, 70_000)
    assert project_balances(project=granted_project).claims == agreement.cap
