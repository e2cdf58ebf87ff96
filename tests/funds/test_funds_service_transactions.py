"""Each write of sifra.funds.services is its own durable transaction: called inside another
transaction it refuses to start (so a caller can never fold it into a larger one whose rollback
would undo an audited change after the fact), and on its own it does its work."""

import datetime as dt

import pytest
from django.db import transaction

from sifra.funds import services
from sifra.funds.models import Fund, LedgerEntry

MSEK = 100_000_000


def nested_is_refused(call):
    with transaction.atomic(), pytest.raises(RuntimeError, match="durable"):
        call()


def test_fund_create_is_durable(org, coordinator):
    def call():
        return services.fund_create(organisation=org, acting_user=coordinator, name="Fond B")

    nested_is_refused(call)
    assert not Fund.objects.filter(name="Fond B").exists()
    assert call().name == "Fond B"


def test_fund_update_is_durable(fund, coordinator):
    def call():
        return services.fund_update(fund=fund, acting_user=coordinator, name="Omdöpt")

    nested_is_refused(call)
    assert Fund.objects.get(pk=fund.pk).name == "Social investeringsfond"
    assert call().name == "Omdöpt"


def test_ledger_entry_post_is_durable(fund, coordinator):
    def call():
        return services.ledger_entry_post(
            fund=fund,
            kind="deposit",
            amount=5 * MSEK,
            text="Kapitaltillskott",
            date=dt.date(2026, 1, 15),
            acting_user=coordinator,
        )

    nested_is_refused(call)
    assert not LedgerEntry.objects.exists()
    assert call().number == 1


def test_ledger_entry_reverse_is_durable(funded, coordinator):
    deposit = LedgerEntry.objects.get(fund=funded)

    def call():
        return services.ledger_entry_reverse(
            entry=deposit, text="Felbokat", acting_user=coordinator, date=dt.date(2026, 1, 20)
        )

    nested_is_refused(call)
    assert LedgerEntry.objects.count() == 1
    assert call().reverses == deposit


def test_fiscal_year_close_is_durable(fund, coordinator):
    last_year = dt.date.today().year - 1
    services.fund_update(
        fund=fund, acting_user=coordinator, established_on=dt.date(last_year, 1, 1)
    )

    def call():
        return services.fiscal_year_close(
            fund=fund,
            year=last_year,
            decided_on=dt.date(last_year + 1, 1, 2),
            decision_ref="KF § 12",
            acting_user=coordinator,
        )

    nested_is_refused(call)
    assert call().year == last_year
