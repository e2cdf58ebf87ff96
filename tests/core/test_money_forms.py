"""Amounts typed into the pages: the bounded parser behind every money field (issue 9, item 1)."""

import time

import pytest
from django.test import Client

from sifra.core.money import AMOUNT_NOT_POSITIVE, ENTER_AMOUNT, TOO_LARGE
from sifra.funds.models import LedgerEntry


@pytest.fixture
def as_coordinator(coordinator):
    client = Client(headers={"accept-language": "sv"})
    client.force_login(coordinator)
    return client


def post_deposit(client, fund, amount):
    data = {"kind": "deposit", "amount": amount, "date": "2026-02-01", "text": "x"}
    client.get(f"/funds/{fund.pk}/ledger/new/")  # templates and catalogues load before timing
    started = time.perf_counter()
    response = client.post(f"/funds/{fund.pk}/ledger/new/", data)
    return response, time.perf_counter() - started


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("1E+999999", ENTER_AMOUNT),
        ("1E+999997", ENTER_AMOUNT),
        ("9" * 100_000, TOO_LARGE),
        ("-5", AMOUNT_NOT_POSITIVE),
        ("\u22125", AMOUNT_NOT_POSITIVE),
        ("0", AMOUNT_NOT_POSITIVE),
    ],
)
def test_the_ledger_form_refuses_an_amount_on_its_field_at_once(
    as_coordinator, funded, amount, message
):
    response, seconds = post_deposit(as_coordinator, funded, amount)
    assert response.status_code == 200
    assert response.context["form"].errors["amount"] == [str(message)]
    assert seconds < 1.0  # a generous bound: 1E+999999 was a 500 and 1E+999997 took ~30 s
    assert LedgerEntry.objects.filter(fund=funded).count() == 1


def test_the_amount_field_tells_the_browser_its_length(as_coordinator, funded):
    page = as_coordinator.get(f"/funds/{funded.pk}/ledger/new/").content.decode()
    assert 'maxlength="40"' in page and 'inputmode="decimal"' in page
