"""The claims' kept balances (Claim.repaid_sum, written_off_sum, entry_reversed): set in the
transaction that posts a payment or a reversal, equal to what the ledger says, rebuilt from it,
filled by the data migration; and the claims list and its totals read them."""

import datetime as dt
import importlib
from decimal import Decimal

from django.apps import apps

from sifra.funds.services import ledger_entry_reverse
from sifra.repayment import selectors, services
from sifra.repayment.balances import (
    claim_balance_problems,
    claim_balances_rebuild,
    payment_problems,
)
from sifra.repayment.models import Claim, ClaimPayment

D = Decimal


def kept(claim):
    claim.refresh_from_db()
    return (claim.repaid_sum, claim.written_off_sum, claim.entry_reversed)


def two_claims(project, economist, unit_a, unit_b):
    """A fixed schedule: 600 000 öre owed by A and 400 000 by B, both for 2027."""
    services.agreement_set(
        project=project,
        model="fixed",
        shares=[(unit_a, D(60)), (unit_b, D(40))],
        instalments=[(2027, 1_000_000)],
        acting_user=economist,
    )
    return Claim.objects.get(unit=unit_a), Claim.objects.get(unit=unit_b)


def pay(claim, user, amount, kind="repayment"):
    reason = "Enheten har lagts ned" if kind == "write_off" else ""
    return services.claim_pay(
        claim=claim, amount=amount, kind=kind, acting_user=user, reason=reason
    )


def test_a_new_claim_owes_its_amount(granted_project, economist, unit_a, unit_b):
    a, _b = two_claims(granted_project, economist, unit_a, unit_b)
    assert kept(a) == (0, 0, False)
    assert selectors.claims_with_balances().get(pk=a.pk).outstanding == 600_000


def test_payments_and_their_reversals_move_the_kept_balances(
    granted_project, economist, coordinator, unit_a, unit_b
):
    a, b = two_claims(granted_project, economist, unit_a, unit_b)
    first = pay(a, economist, 100_000)
    pay(a, economist, 50_000)
    pay(a, economist, 20_000, kind="write_off")
    assert kept(a) == (150_000, 20_000, False)
    assert kept(b) == (0, 0, False)
    ledger_entry_reverse(entry=first.ledger_entry, text="Felbokning", acting_user=coordinator)
    assert kept(a) == (50_000, 20_000, False)
    row = selectors.claims_with_balances().get(pk=a.pk)
    assert (row.paid, row.written_off, row.outstanding) == (50_000, 20_000, 530_000)
    # each payment keeps its entry's day and whether that entry was reversed
    marks = sorted((p.amount, p.date, p.entry_reversed) for p in ClaimPayment.objects.all())
    today = first.ledger_entry.date
    assert marks == [(20_000, today, False), (50_000, today, False), (100_000, today, True)]
    assert selectors.payment_series() == [{"date": today, "repaid": 50_000, "written_off": 20_000}]


def test_a_reversed_claim_leaves_the_list_and_its_totals(
    granted_project, economist, coordinator, unit_a, unit_b
):
    a, b = two_claims(granted_project, economist, unit_a, unit_b)
    ledger_entry_reverse(entry=b.ledger_entry, text="Fel enhet", acting_user=coordinator)
    assert kept(b) == (0, 0, True)
    assert [c.pk for c in selectors.claims_with_balances()] == [a.pk]
    report = selectors.fund_claims(fund=granted_project.fund)
    assert (report.totals.count, report.totals.due, report.totals.outstanding) == (
        1,
        600_000,
        600_000,
    )


def test_the_totals_count_what_is_overdue(granted_project, economist, unit_a, unit_b):
    a, _b = two_claims(granted_project, economist, unit_a, unit_b)  # due 2028-06-30
    pay(a, economist, 100_000)
    on_time = selectors.fund_claims(today=dt.date(2028, 6, 30)).totals
    late = selectors.fund_claims(today=dt.date(2028, 7, 1)).totals
    assert (on_time.overdue, on_time.overdue_count) == (0, 0)
    assert (late.overdue, late.overdue_count, late.paid) == (900_000, 2, 100_000)
    only_late = selectors.fund_claims(
        filters=selectors.ClaimFilter(overdue_only=True, unit=unit_b), today=dt.date(2028, 7, 1)
    )
    assert (only_late.totals.count, only_late.totals.outstanding) == (1, 400_000)


def test_the_rebuild_and_the_migration_restore_balances_out_of_step(
    granted_project, economist, coordinator, unit_a, unit_b
):
    a, b = two_claims(granted_project, economist, unit_a, unit_b)
    pay(a, economist, 100_000)
    ledger_entry_reverse(entry=b.ledger_entry, text="Fel enhet", acting_user=coordinator)
    Claim.objects.update(repaid_sum=7, written_off_sum=0, entry_reversed=False)
    assert {c.pk for c in claim_balance_problems()} == {a.pk, b.pk}
    assert claim_balances_rebuild() == 2
    assert (kept(a), kept(b)) == ((100_000, 0, False), (0, 0, True))
    assert claim_balance_problems() == [] and claim_balances_rebuild() == 0
    Claim.objects.update(repaid_sum=0, written_off_sum=5, entry_reversed=True)
    importlib.import_module("sifra.repayment.migrations.0003_claim_kept_balances").fill(apps, None)
    assert (kept(a), kept(b)) == ((100_000, 0, False), (0, 0, True))


def test_the_rebuild_and_the_migration_restore_the_payments_marks(
    granted_project, economist, coordinator, unit_a, unit_b
):
    a, _b = two_claims(granted_project, economist, unit_a, unit_b)
    first, second = pay(a, economist, 100_000), pay(a, economist, 1_000)
    ledger_entry_reverse(entry=first.ledger_entry, text="Felbokning", acting_user=coordinator)
    expected = {
        first.pk: (first.ledger_entry.date, True),
        second.pk: (second.ledger_entry.date, False),
    }

    def marks():
        return {p.pk: (p.date, p.entry_reversed) for p in ClaimPayment.objects.all()}

    assert marks() == expected and payment_problems() == []
    ClaimPayment.objects.update(date=dt.date(2020, 1, 1), entry_reversed=False)
    assert {p.pk for p in payment_problems()} == {first.pk, second.pk}
    assert claim_balances_rebuild() == 2  # the claims were right, the two payments not
    assert marks() == expected
    ClaimPayment.objects.update(date=None, entry_reversed=True)
    importlib.import_module("sifra.repayment.migrations.0004_payment_kept_day").fill(apps, None)
    assert marks() == expected


def test_the_rebuild_command_sets_what_was_out_of_step(granted_project, economist, unit_a, unit_b):
    import io

    from django.core.management import call_command

    a, _b = two_claims(granted_project, economist, unit_a, unit_b)
    pay(a, economist, 100_000)
    Claim.objects.filter(pk=a.pk).update(repaid_sum=0)
    out = io.StringIO()
    call_command("claims_rebuild_balances", stdout=out)
    assert (
        f"{granted_project.fund.name}: 1 claims and payments set from the ledger" in out.getvalue()
    )
    assert kept(a) == (100_000, 0, False)
