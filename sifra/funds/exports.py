"""The ledger as CSV and Excel. Swedish conventions: semicolon-separated CSV with a decimal comma
(what Excel expects in a Swedish locale) and a byte-order mark; Excel with a kronor format."""

import datetime as dt
import io
from collections.abc import Iterable

from django.utils.translation import gettext as _

from sifra.core.exports import csv_text, workbook
from sifra.core.money import ore_to_kronor
from sifra.funds.models import LedgerEntry


def _headers() -> list[str]:
    return [
        _("No."),
        _("Date"),
        _("Fiscal year"),
        _("Kind"),
        _("Amount (SEK)"),
        _("Project"),
        _("Text"),
        _("Decision reference"),
        _("Reverses no."),
        _("Posted by"),
        _("Posted at"),
    ]


def _row(e: LedgerEntry) -> list[object]:
    return [
        e.number,
        e.date,
        e.fiscal_year,
        e.get_kind_display(),
        ore_to_kronor(e.amount),
        e.project.code if e.project else "",
        e.text,
        e.decision_ref,
        e.reverses.number if e.reverses else "",
        e.posted_by.username,
        e.posted_at.replace(microsecond=0, tzinfo=None),
    ]


def ledger_csv(entries: Iterable[LedgerEntry]) -> str:
    return csv_text([_headers(), *(_csv_row(e) for e in entries)])


def _csv_row(e: LedgerEntry) -> list[object]:
    row = _row(e)
    row[4] = str(row[4]).replace(".", ",")
    return row


def ledger_xlsx(entries: Iterable[LedgerEntry], *, title: str) -> bytes:
    buffer = io.BytesIO()
    book = workbook(buffer)
    sheet = book.add_worksheet(_("Ledger")[:31])
    bold = book.add_format({"bold": True})
    money = book.add_format({"num_format": "# ##0.00"})
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    stamp = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    sheet.write(0, 0, title, bold)
    sheet.write_row(2, 0, _headers(), bold)
    row = 3
    for row, e in enumerate(entries, start=3):
        values = _row(e)
        sheet.write_row(row, 0, values)
        sheet.write_datetime(row, 1, _midnight(e.date), date)
        sheet.write_number(row, 4, float(values[4]), money)  # type: ignore[arg-type]
        sheet.write_datetime(row, 10, values[10], stamp)  # type: ignore[arg-type]
    sheet.autofilter(2, 0, max(row, 3), len(_headers()) - 1)
    sheet.freeze_panes(3, 0)
    sheet.set_column(0, 3, 12)
    sheet.set_column(4, 4, 16)
    sheet.set_column(5, 10, 20)
    book.close()
    return buffer.getvalue()


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time())
