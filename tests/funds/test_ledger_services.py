import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import translation

from sifra.audit.models import AppendOnlyError, AuditEvent
from sifra.funds import services
from sifra.funds.models import LedgerEntry
from sifra.funds.selectors import fund_balances, project_balances

MSEK = 100_000_000
DAY = dt.date(2026, 3, 1)


def post(fund, user, kind, amount, project=None, date=DAY, text="Text"):
    return services.ledger_entry_post(
        fund=fund, kind=kind, amount=amount, text=text, date=date, project=project, acting_user=user
    )


def test_balances_follow_the_domain_rules(funded, project, coordinator, users):
    post(funded, coordinator, "commitment", 4 * MSEK, project)
    post(funded, coordinator, "disbursement", 1 * MSEK, project)
    post(funded, coordinator, "release", 1 * MSEK, project)
    post(funded, users["economist"], "claim", 500_000_00, project)
    post(funded, users["economist"], "repayment", 300_000_00, project)
    post(funded, users["economist"], "write_off", 100_000_00, project)
    b = fund_balances(fund=funded)
    # by hand, in kronor: capital 10 000 000 deposited + 300 000 repaid − 1 000 000 paid out;
    # committed 4 000 000 − 1 000 000 released − 1 000 000 paid out; claims 500 000 − 300 000
    # repaid − 100 000 written off
    assert (b.capital, b.committed, b.available, b.claims) == (
        930_000_000,
        200_000_000,
        730_000_000,
        10_000_000,
    )
    p = project_balances(project=project)
    assert (p.committed, p.claims) == (200_000_000, 10_000_000)


def test_commitment_beyond_available_is_refused(funded, project, coordinator):
    with pytest.raises(ValidationError) as exc, translation.override("sv"):
        post(funded, coordinator, "commitment", 10 * MSEK + 1, project)
    assert "amount" in exc.value.message_dict
    assert "10 000 000 kr" in exc.value.message_dict["amount"][0].replace("\xa0", " ")
    assert LedgerEntry.objects.filter(kind="commitment").count() == 0


def test_commitment_of_exactly_available_is_accepted(funded, project, coordinator):
    post(funded, coordinator, "commitment", 10 * MSEK, project)
    assert fund_balances(fund=funded).available == 0


def test_disbursement_beyond_outstanding_commitment_is_refused(funded, project, coordinator):
    post(funded, coordinator, "commitment", 2 * MSEK, project)
    post(funded, coordinator, "disbursement", 1 * MSEK, project)
    with pytest.raises(ValidationError) as exc:
        post(funded, coordinator, "disbursement", 1 * MSEK + 1, project)
    assert str(services.EXCEEDS_COMMITMENT).split("(")[0] in exc.value.message_dict["amount"][0]


def test_disbursement_checks_the_projects_commitment_not_the_funds(
    funded, project, other_project, coordinator
):
    post(funded, coordinator, "commitment", 2 * MSEK, other_project)
    with pytest.raises(ValidationError):
        post(funded, coordinator, "disbursement", 1, project)


def test_repayment_and_write_off_beyond_claims_are_refused(funded, project, users):
    economist = users["economist"]
    post(funded, users["coordinator"], "commitment", MSEK, project)
    post(funded, economist, "claim", 1000, project)
    post(funded, economist, "repayment", 600, project)
    for kind in ("repayment", "write_off"):
        with pytest.raises(ValidationError) as exc:
            post(funded, economist, kind, 401, project)
        assert "amount" in exc.value.message_dict
    post(funded, economist, "write_off", 400, project)
    assert project_balances(project=project).claims == 0


@pytest.mark.parametrize("amount", [0, -5])
def test_amount_of_zero_or_below_is_refused(funded, coordinator, amount):
    with pytest.raises(ValidationError) as exc:
        post(funded, coordinator, "deposit", amount)
    assert exc.value.message_dict["amount"] == [str(services.AMOUNT_NOT_POSITIVE)]


def test_project_kinds_need_a_project_and_deposits_refuse_one(funded, project, coordinator):
    with pytest.raises(ValidationError) as exc:
        post(funded, coordinator, "commitment", 100)
    assert exc.value.message_dict["project"] == [str(services.PROJECT_REQUIRED)]
    with pytest.raises(ValidationError) as exc:
        post(funded, coordinator, "deposit", 100, project)
    assert exc.value.message_dict["project"] == [str(services.PROJECT_NOT_ALLOWED)]


def test_future_date_and_empty_text_are_refused(funded, coordinator):
    with pytest.raises(ValidationError) as exc:
        post(funded, coordinator, "deposit", 100, date=dt.date.today() + dt.timedelta(days=2))
    assert "date" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        post(funded, coordinator, "deposit", 100, text="  ")
    assert "text" in exc.value.message_dict


def test_reversal_cancels_an_entry_and_points_at_it(funded, project, coordinator):
    commitment = post(funded, coordinator, "commitment", 3 * MSEK, project)
    reversal = services.ledger_entry_reverse(
        entry=commitment, text="Fel belopp", date=DAY, acting_user=coordinator
    )
    assert reversal.reverses == commitment
    assert reversal.kind == "reversal" and reversal.amount == commitment.amount
    assert fund_balances(fund=funded).available == 10 * MSEK
    assert LedgerEntry.objects.get(pk=commitment.pk).amount == 3 * MSEK  # the original stays


def test_reversal_of_a_reversal_and_double_reversal_are_refused(funded, coordinator):
    deposit = LedgerEntry.objects.get(fund=funded, kind="deposit")
    reversal = services.ledger_entry_reverse(entry=deposit, text="Fel", acting_user=coordinator)
    with pytest.raises(ValidationError) as exc:
        services.ledger_entry_reverse(entry=reversal, text="Igen", acting_user=coordinator)
    assert exc.value.message_dict["entry"] == [str(services.REVERSAL_OF_REVERSAL)]
    with pytest.raises(ValidationError) as exc:
        services.ledger_entry_reverse(entry=deposit, text="Igen", acting_user=coordinator)
    assert exc.value.message_dict["entry"] == [str(services.ALREADY_REVERSED)]


def test_reversal_that_would_make_available_negative_is_refused(funded, project, coordinator):
    post(funded, coordinator, "commitment", 6 * MSEK, project)
    deposit = LedgerEntry.objects.get(fund=funded, kind="deposit")
    with pytest.raises(ValidationError) as exc:
        services.ledger_entry_reverse(entry=deposit, text="Fel", acting_user=coordinator)
    today = dt.date.today().isoformat()
    message = str(services.REVERSAL_BREAKS_RULES) % {"date": today}
    assert exc.value.message_dict["amount"] == [message]


def test_only_the_right_roles_may_post(funded, project, users):
    for role in ("applicant", "council", "decision_maker", "auditor"):
        with pytest.raises(PermissionDenied):
            post(funded, users[role], "deposit", 100)
    with pytest.raises(PermissionDenied):
        post(funded, users["economist"], "deposit", 100)
    post(funded, users["coordinator"], "commitment", 100, project)
    post(funded, users["economist"], "claim", 100, project)


def test_every_posting_writes_an_audit_event(funded, project, coordinator):
    entry = post(funded, coordinator, "commitment", 1000, project)
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.LEDGER_POSTED, object_id=str(entry.pk))
    assert event.actor == coordinator
    assert event.data["amount_ore"] == 1000 and event.data["project"] == "P-1"
    services.ledger_entry_reverse(entry=entry, text="Fel", acting_user=coordinator)
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.LEDGER_REVERSED).count() == 1


def test_entries_are_numbered_in_sequence_with_fiscal_year(funded, project, coordinator):
    second = post(funded, coordinator, "deposit", 1000, date=dt.date(2025, 12, 31))
    assert second.number == 2 and second.fiscal_year == 2025


def test_entries_cannot_be_changed_or_deleted(funded):
    entry = LedgerEntry.objects.get(fund=funded)
    entry.text = "Ändrad"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=1)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE funds_ledgerentry SET amount = 1")
    assert LedgerEntry.objects.get(pk=entry.pk).amount == 10 * MSEK


def test_balances_at_a_past_date(funded, project, coordinator):
    post(funded, coordinator, "commitment", 1 * MSEK, project, date=dt.date(2026, 2, 1))
    assert fund_balances(fund=funded, at=dt.date(2026, 1, 14)).capital == 0
    assert fund_balances(fund=funded, at=dt.date(2026, 1, 31)).available == 10 * MSEK
    assert fund_balances(fund=funded, at=dt.date(2026, 2, 1)).available == 9 * MSEK


def test_fund_update_records_what_changed(fund, coordinator):
    services.fund_update(
        fund=fund, acting_user=coordinator, rules="Nya regler", annual_topup=5 * MSEK
    )
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.FUND_UPDATED)
    assert event.data == {"rules": ["", "Nya regler"], "annual_topup": [0, 5 * MSEK]}


def test_claims_of_a_project_with_an_agreement_go_through_the_repayment_page(
    funded, project, unit_a, users
):
    from decimal import Decimal

    from sifra.repayment.services import agreement_set

    post(funded, users["coordinator"], "commitment", MSEK, project)
    agreement_set(
        project=project,
        model="savings_share",
        share=Decimal(50),
        shares=[(unit_a, Decimal(100))],
        acting_user=users["economist"],
    )
    project.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        post(funded, users["economist"], "claim", 100, project)
    assert exc.value.message_dict["kind"] == [str(services.USE_REPAYMENT_PAGE)]


def test_a_project_of_another_fund_takes_no_entry_of_this_one(funded, project, org, coordinator):
    """P-1 belongs to the first fund: a commitment of it in a second fund is refused, and
    neither fund's ledger changes."""
    second = services.fund_create(organisation=org, acting_user=coordinator, name="Andra fonden")
    post(second, coordinator, "deposit", 5 * MSEK)
    with pytest.raises(ValidationError) as exc, translation.override("en"):
        post(second, coordinator, "commitment", 1 * MSEK, project)
    assert exc.value.message_dict == {"project": ["The project belongs to another fund."]}
    assert LedgerEntry.objects.filter(kind="commitment").count() == 0
    assert fund_balances(fund=second).available == 5 * MSEK
    assert project_balances(project=project).committed == 0
