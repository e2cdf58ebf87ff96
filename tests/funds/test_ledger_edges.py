"""The ledger services at their edges: exact limits, the message each refusal gives (in
English, with the amount left), the checks on reversals, the funds' own audit rows."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation

from sifra.audit.models import AuditEvent
from sifra.funds import services
from sifra.funds.models import Fund, LedgerEntry
from sifra.funds.selectors import fund_balances, project_balances

MSEK = 100_000_000
FEB_1, MAR_1, MAR_2 = dt.date(2026, 2, 1), dt.date(2026, 3, 1), dt.date(2026, 3, 2)


def post(fund, user, kind, amount, project=None, date=MAR_1, text="Text"):
    return services.ledger_entry_post(
        fund=fund, kind=kind, amount=amount, text=text, date=date, project=project, acting_user=user
    )


def refusal(call, *args, **kwargs) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as exc, translation.override("en"):
        call(*args, **kwargs)
    return {k: [m.replace("\xa0", " ") for m in v] for k, v in exc.value.message_dict.items()}


def test_disbursing_exactly_the_outstanding_commitment_is_accepted(funded, project, coordinator):
    post(funded, coordinator, "commitment", 2 * MSEK, project, FEB_1)
    post(funded, coordinator, "disbursement", 1 * MSEK, project)
    post(funded, coordinator, "disbursement", 1 * MSEK, project)
    p = project_balances(project=project)
    assert (p.committed, p.capital) == (0, -200_000_000)


def test_a_repayment_beyond_the_claims_says_how_much_is_left(funded, project, users):
    economist = users["economist"]
    post(funded, users["coordinator"], "commitment", 1 * MSEK, project, FEB_1)
    post(funded, economist, "claim", 50_000_000, project)
    post(funded, economist, "repayment", 30_000_000, project)
    errors = refusal(post, funded, economist, "repayment", 20_000_001, project)
    assert errors == {
        "amount": ["The amount exceeds the project's outstanding claims (SEK 200,000)."]
    }
    errors = refusal(post, funded, economist, "write_off", 20_000_001, project)
    assert errors == {
        "amount": ["The amount exceeds the project's outstanding claims (SEK 200,000)."]
    }
    post(funded, economist, "write_off", 20_000_000, project)  # exactly what is left
    assert fund_balances(fund=funded).claims == 0


def test_a_back_dated_commitment_names_the_later_date_that_limits_it(
    funded, project, other_project, coordinator
):
    post(funded, coordinator, "commitment", 8 * MSEK, project, MAR_1)
    errors = refusal(post, funded, coordinator, "commitment", 5 * MSEK, other_project, FEB_1)
    assert errors == {
        "amount": [
            "The commitment exceeds the fund's available money (SEK 2,000,000). "
            "That is what is left on 2026-03-01, a later date with entries."
        ]
    }
    # at its own date the message gives no later date
    errors = refusal(post, funded, coordinator, "commitment", 2 * MSEK + 1, other_project, MAR_1)
    assert errors == {
        "amount": ["The commitment exceeds the fund's available money (SEK 2,000,000)."]
    }


def test_reversing_a_partly_paid_commitment_is_refused_by_the_projects_balance(
    funded, project, other_project, coordinator
):
    """P-1: 4 MSEK committed, 1 MSEK paid out. The fund's committed balance (4 + 1 − 1) would
    stay at 0 after the reversal; only the project's (3 − 4) goes below zero."""
    commitment = post(funded, coordinator, "commitment", 4 * MSEK, project, FEB_1)
    post(funded, coordinator, "commitment", 1 * MSEK, other_project, FEB_1)
    post(funded, coordinator, "disbursement", 1 * MSEK, project, MAR_1)
    errors = refusal(
        services.ledger_entry_reverse,
        entry=commitment,
        text="Fel belopp",
        date=MAR_2,
        acting_user=coordinator,
    )
    assert errors == {
        "amount": [
            "Reversing this entry would make the fund's balances negative on 2026-03-02; "
            "reverse the later entries that depend on it first."
        ]
    }
    assert LedgerEntry.objects.filter(kind="reversal").count() == 0


def test_a_reversal_needs_a_text_and_a_date_not_in_the_future(funded, coordinator):
    deposit = LedgerEntry.objects.get(fund=funded)
    errors = refusal(
        services.ledger_entry_reverse, entry=deposit, text="  ", acting_user=coordinator
    )
    assert errors == {"text": ["Write what the entry is for."]}
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    errors = refusal(
        services.ledger_entry_reverse,
        entry=deposit,
        text="Fel",
        date=tomorrow,
        acting_user=coordinator,
    )
    assert errors == {"date": ["The date cannot be in the future."]}
    # dated the same day as the entry it reverses: accepted
    reversal = services.ledger_entry_reverse(
        entry=deposit, text="Fel", date=deposit.date, acting_user=coordinator
    )
    assert (reversal.amount, reversal.d_capital, reversal.reverses) == (
        10 * MSEK,
        -10 * MSEK,
        deposit,
    )


def test_fund_create_writes_its_audit_row_with_the_funds_fields(org, coordinator):
    fund = services.fund_create(
        organisation=org, acting_user=coordinator, name="Ny fond", annual_topup=3 * MSEK
    )
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.FUND_CREATED)
    assert (event.object_id, event.actor) == (str(fund.pk), coordinator)
    assert event.data["name"] == "Ny fond"
    assert event.data["annual_topup"] == 3 * MSEK
    assert event.data["established_on"] is None


def test_fund_create_and_update_validate_the_fields_like_a_form(org, fund, coordinator):
    too_long = "x" * 201
    errors = refusal(services.fund_create, organisation=org, acting_user=coordinator, name=too_long)
    assert list(errors) == ["name"]
    errors = refusal(services.fund_update, fund=fund, acting_user=coordinator, name=too_long)
    assert list(errors) == ["name"]
    assert Fund.objects.get(pk=fund.pk).name == "Social investeringsfond"


def test_a_fund_update_that_changes_nothing_writes_no_audit_row(fund, coordinator):
    services.fund_update(fund=fund, acting_user=coordinator, name=fund.name)
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.FUND_UPDATED).exists()


def test_a_commitment_on_the_day_of_the_decision_is_accepted(funded, unit_a, users):
    from tests.factories import approved_case_project

    project = approved_case_project(funded, unit_a, users)  # decided 2026-01-20
    decided = dt.date(2026, 1, 20)
    entry = post(funded, users["coordinator"], "commitment", 100, project, decided)
    assert (entry.date, entry.amount) == (decided, 100)


def test_after_closing_a_year_its_last_day_is_counted_once(fund, project, coordinator):
    """10 MSEK deposited on 31 December: the closing keeps them, and the open year's rules
    start from the closing, not from the closing plus that day again."""
    last_year = timezone.localdate().year - 1
    post(fund, coordinator, "deposit", 10 * MSEK, None, dt.date(last_year, 12, 31))
    services.fiscal_year_close(
        fund=fund,
        year=last_year,
        decided_on=dt.date(last_year + 1, 1, 2),
        decision_ref="KF § 12",
        acting_user=coordinator,
    )
    day = dt.date(last_year + 1, 1, 5)
    errors = refusal(post, fund, coordinator, "commitment", 10 * MSEK + 1, project, day)
    assert errors == {
        "amount": ["The commitment exceeds the fund's available money (SEK 10,000,000)."]
    }
    post(fund, coordinator, "commitment", 10 * MSEK, project, day)
    assert fund_balances(fund=fund).available == 0


def test_a_ledger_broken_before_the_rules_takes_what_does_not_lower_the_broken_balance(
    funded, project, coordinator
):
    """A repayment recorded before the rules held left the claims at −1 000 kr. A deposit does
    not lower the claims (nor any balance), so that old break does not refuse it."""
    from sifra.funds.days import days_add

    old = LedgerEntry.objects.create(
        fund=funded,
        number=2,
        kind="repayment",
        amount=100_000,
        date=dt.date(2026, 1, 20),
        fiscal_year=2026,
        text="Från det gamla systemet",
        project=project,
        d_capital=100_000,
        d_committed=0,
        d_claims=-100_000,
        posted_by=coordinator,
    )
    days_add(entry=old)
    post(funded, coordinator, "deposit", 5 * MSEK, None, MAR_1)
    b = fund_balances(fund=funded)
    assert (b.capital, b.claims) == (1_500_100_000, -100_000)


def test_post_entry_refuses_an_unknown_kind_with_a_message(funded, project, coordinator):
    """post_entry is the posting without the role check (the role check refuses an unknown kind
    first): services that call it get a message, not a KeyError."""
    with transaction.atomic():
        errors = refusal(
            services.post_entry,
            fund=funded,
            kind="gift",
            amount=100,
            text="T",
            project=project,
            acting_user=coordinator,
        )
    assert errors == {"kind": ["Unknown kind of entry."]}


def test_a_fund_may_be_established_on_the_ledgers_first_day(fund, coordinator):
    first = dt.date(2000, 1, 1)
    services.fund_update(fund=fund, acting_user=coordinator, established_on=first)
    assert Fund.objects.get(pk=fund.pk).established_on == first
    errors = refusal(
        services.fund_update,
        fund=fund,
        acting_user=coordinator,
        established_on=dt.date(1999, 12, 31),
    )
    assert errors == {"established_on": ["The date of establishment cannot be before 2000-01-01."]}


def test_fund_create_refuses_a_blank_name_and_a_date_before_2000(org, coordinator):
    """A name of spaces passes the model's own check, so the service says it; a fund cannot be
    established before the ledger's earliest date, 1 January 2000, but on it."""
    errors = refusal(services.fund_create, organisation=org, acting_user=coordinator, name="   ")
    assert errors == {"name": ["The fund needs a name."]}
    errors = refusal(
        services.fund_create,
        organisation=org,
        acting_user=coordinator,
        name="Tidig fond",
        established_on=dt.date(1999, 12, 31),
    )
    assert errors == {"established_on": ["The date of establishment cannot be before 2000-01-01."]}
    assert not Fund.objects.filter(organisation=org).exists()
    fund = services.fund_create(
        organisation=org,
        acting_user=coordinator,
        name="Tidig fond",
        established_on=dt.date(2000, 1, 1),
    )
    assert fund.established_on == dt.date(2000, 1, 1)


def test_a_broken_balance_is_shown_as_nothing_left_not_as_a_debt(funded, project, coordinator):
    """The same old repayment leaves the claims at −1 000 kr. A new repayment would lower them
    further, so it is refused, and the message says nothing is left (SEK 0), not −1 000 kr nor
    any other negative amount."""
    from sifra.funds.days import days_add

    old = LedgerEntry.objects.create(
        fund=funded,
        number=2,
        kind="repayment",
        amount=100_000,
        date=dt.date(2026, 1, 20),
        fiscal_year=2026,
        text="Från det gamla systemet",
        project=project,
        d_capital=100_000,
        d_committed=0,
        d_claims=-100_000,
        posted_by=coordinator,
    )
    days_add(entry=old)
    post(funded, coordinator, "commitment", MSEK, project, FEB_1)
    errors = refusal(post, funded, coordinator, "repayment", 1, project, MAR_1)
    assert errors == {"amount": ["The amount exceeds the project's outstanding claims (SEK 0)."]}
    assert fund_balances(fund=funded).claims == -100_000


def test_a_reversal_that_breaks_two_balances_names_the_day_available_money_is_lowest(
    funded, project, coordinator
):
    """10 MSEK deposited on 15 January, 9 MSEK committed on 1 February and paid out on 1 March.
    Reversing the deposit on 20 January would leave the available money at −9 MSEK from
    1 February and the capital at −9 MSEK from 1 March: the message names the first balance
    the ledger checks, the available money, and its day, 1 February."""
    deposit = LedgerEntry.objects.get(fund=funded, kind="deposit")
    post(funded, coordinator, "commitment", 9 * MSEK, project, FEB_1)
    post(funded, coordinator, "disbursement", 9 * MSEK, project, MAR_1)
    errors = refusal(
        services.ledger_entry_reverse,
        entry=deposit,
        text="Fel belopp",
        acting_user=coordinator,
        date=dt.date(2026, 1, 20),
    )
    assert errors == {
        "amount": [
            "Reversing this entry would make the fund's balances negative on 2026-02-01; "
            "reverse the later entries that depend on it first."
        ]
    }
    assert not LedgerEntry.objects.filter(kind="reversal").exists()


def test_fund_update_refuses_a_blank_name(fund, coordinator):
    """A name of spaces passes the model's own check, so fund_update says it too, and the fund
    keeps its name."""
    errors = refusal(services.fund_update, fund=fund, acting_user=coordinator, name="   ")
    assert errors == {"name": ["The fund needs a name."]}
    assert Fund.objects.get(pk=fund.pk).name == "Social investeringsfond"
