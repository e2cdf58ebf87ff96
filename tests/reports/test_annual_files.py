"""The PDF (every page rendered by poppler has ink; the closing capital in its text is the
ledger's at 31 December to the öre) and the Excel workbook (one sheet per section, money as
numbers in kronor with a number format, the sums right), read back independently."""

import datetime as dt

import pytest
from django.utils import translation

from sifra.core.money import format_ore
from sifra.funds.selectors import fund_balances
from sifra.reports import outputs
from sifra.reports.excel import report_xlsx
from sifra.reports.selectors import annual_report
from tests.reports.helpers import Workbook, pdf_pages_ink, pdf_text


@pytest.fixture
def report(small_fund, users):
    with translation.override("sv"):
        yield annual_report(fund=small_fund, year=2024, user=users["auditor"])


def test_every_pdf_page_has_content_and_the_closing_capital_is_the_ledger_s(report, small_fund):
    with translation.override("sv"):
        pdf = outputs.report_pdf(report)
        ledger = fund_balances(fund=small_fund, at=dt.date(2024, 12, 31)).capital
        expected = format_ore(ledger, decimals=True).replace("\u00a0", " ")
    assert pdf.startswith(b"%PDF")
    ink = pdf_pages_ink(pdf)
    assert len(ink) >= 2
    assert all(pixels > 500 for pixels in ink), ink
    text = pdf_text(pdf)
    assert expected == "9 600 000,50 kr"  # worked out by hand in conftest.py
    assert f"Utgående kapital den 31 december: {expected}" in text
    assert "Årsrapport 2024" in text and "KF § 41/2025" in text
    assert "Krav, återbetalningar och avskrivningar per enhet" in text


def test_the_pdf_in_english(report):
    with translation.override("en"):
        text = pdf_text(outputs.report_pdf(report))
    assert "Closing capital on 31 December: SEK 9,600,000.50" in text
    assert "Annual report 2024" in text


def test_workbook_has_a_sheet_per_section_with_numbers(report):
    with translation.override("sv"):
        book = Workbook(report_xlsx(report))
    assert list(book.sheets) == [
        "Saldon",
        "Rörelser per slag",
        "Rörelser per projekt",
        "Beslut",
        "Projekt",
        "Indikatorer",
        "Besparingar",
        "Fordringar per enhet",
        "Utvärderingar",
    ]
    balances = book.cells("Saldon")
    assert balances["A4"][0] == "Kapital"
    value, is_number, fmt = balances["C4"]
    assert is_number and value == 9_600_000.50 and fmt == '#,##0.00 "kr"'
    assert balances["B4"][0] == 9_000_000.0 and balances["D4"][0] == 600_000.50
    assert book.rows("Saldon")[2][:3] == ["Tillgängligt", 9_000_000 - 3_000_000, 7_350_000.50]


def test_workbook_sums(report):
    with translation.override("sv"):
        book = Workbook(report_xlsx(report))
    kinds = book.rows("Rörelser per slag")
    assert kinds[0] == ["Kapitaltillskott", 2, 2_000_100.50, 100, 2_000_000.50, 2_000_000.50, 0, 0]
    total = kinds[-1]
    assert total[0] == "Förändring under året"
    # the total row is a number, equal to the sum of the rows above (capital, committed, claims)
    for col in (5, 6, 7):
        assert total[col] == pytest.approx(sum(r[col] for r in kinds[:-1]), abs=0.001)
    assert total[5:] == [600_000.50, -750_000, 150_000]
    claims = book.rows("Fordringar per enhet")
    assert claims[0][0] == "Socialnämnden" and claims[-1][0] == "Totalt"
    assert claims[-1][1:7] == [0, 300_000, 100_000, 50_000, 150_000, 150_000]
    decisions = book.rows("Beslut")
    assert decisions[-1][6] == 1_000_000  # granted in all
    assert [r[4] for r in decisions[:-1]] == ["Beviljad", "Avslagen"]
    date_cell = book.cells("Beslut")["A4"]
    assert date_cell[1] and date_cell[2] == "yyyy-mm-dd"  # a date, not text


def test_text_that_looks_like_a_formula_stays_text(small_fund, users, coordinator):
    from sifra.projects.services import project_update

    project = small_fund.projects.get(code="P-1")
    project_update(project=project, acting_user=coordinator, title='=HYPERLINK("x")')
    report = annual_report(fund=small_fund, year=2024, user=users["auditor"])
    content = report_xlsx(report)
    assert b"<f>" not in content  # no formula anywhere
    book = Workbook(content)
    titles = [r[1] for r in book.rows("Projekt")]
    assert '=HYPERLINK("x")' in titles


def test_file_names_are_swedish(report):
    assert outputs.filename(report, "pdf") == "arsrapport-social-investeringsfond-2024.pdf"
    with translation.override("en"):
        assert outputs.filename(report, "xlsx") == "arsrapport-social-investeringsfond-2024.xlsx"
