"""The demo's last closed year: its annual report (page, PDF, workbook) matches the year's
closing snapshot to the öre, and the snapshot matches the ledger."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from sifra.accounts.models import User
from sifra.core.money import format_ore
from sifra.funds.models import FiscalYearClosing, Fund
from sifra.funds.selectors import fund_balances
from tests.reports.helpers import Workbook, pdf_pages_ink, pdf_text


@pytest.mark.django_db
def test_the_demo_s_closed_year_matches_its_snapshot():
    call_command("demo_data")
    fund = Fund.objects.get()
    year = dt.date.today().year - 1  # the demo closes every year up to the last
    snapshot = FiscalYearClosing.objects.get(fund=fund, year=year)
    ledger = fund_balances(fund=fund, at=dt.date(year, 12, 31))
    assert (snapshot.capital, snapshot.committed, snapshot.claims) == (
        ledger.capital,
        ledger.committed,
        ledger.claims,
    )
    with translation.override("sv"):
        expected = {
            k: format_ore(getattr(snapshot, k), decimals=True).replace("\u00a0", " ")
            for k in ("capital", "committed", "available", "claims")
        }
    client = Client(headers={"accept-language": "sv"})
    client.force_login(User.objects.get(username="revisor"))
    base = f"/reports/funds/{fund.pk}/annual/{year}"

    page = client.get(f"{base}/").content.decode().replace("\u00a0", " ")
    for key, text in expected.items():
        assert f'data-closing="{key}">{text}<' in page
    assert snapshot.decision_ref in page

    pdf = client.get(f"{base}.pdf").content
    assert all(ink > 500 for ink in pdf_pages_ink(pdf))
    assert f"Utgående kapital den 31 december: {expected['capital']}" in pdf_text(pdf)

    book = Workbook(client.get(f"{base}.xlsx").content)
    balances = book.rows("Saldon")
    assert [row[2] for row in balances[:4]] == [
        snapshot.capital / 100,
        snapshot.committed / 100,
        snapshot.available / 100,
        snapshot.claims / 100,
    ]
    claims = book.rows("Fordringar per enhet")
    assert claims[-1][0] == "Totalt" and claims[-1][5] == snapshot.claims / 100
