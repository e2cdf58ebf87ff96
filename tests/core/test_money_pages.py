"""Exact money on the pages (issue 8, item 9): öre where there are öre, whole kronor otherwise."""

import datetime as dt

from django.test import Client

from sifra.funds.services import ledger_entry_post


def test_the_fund_page_shows_ore_only_where_there_are_ore(funded, coordinator):
    ledger_entry_post(
        fund=funded,
        kind="deposit",
        amount=150_000_050,
        text="Tillskott",
        date=dt.date(2026, 2, 1),
        acting_user=coordinator,
    )
    client = Client(headers={"accept-language": "sv"})
    client.force_login(coordinator)
    html = client.get(f"/funds/{funded.pk}/").content.decode().replace("\xa0", " ")
    assert 'data-balance="capital">11 500 000,50 kr<' in html  # was 11 500 001 kr
    assert ">1 500 000,50 kr<" in html and ">10 000 000 kr<" in html  # the ledger's rows
    assert "1 500 001" not in html and "10 000 000,00" not in html
