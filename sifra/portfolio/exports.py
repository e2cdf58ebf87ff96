"""The portfolio as an Excel workbook (every filtered project, not only the page shown)."""

import io
from collections.abc import Iterable

from django.utils.translation import gettext as _

from sifra.core.exports import workbook
from sifra.core.money import ore_to_kronor
from sifra.portfolio.selectors import Row, Totals


def _headers() -> list[str]:
    return [
        _("Reference"),
        _("Title"),
        _("Status"),
        _("Lead unit"),
        _("Start"),
        _("Granted (SEK)"),
        _("Disbursed (SEK)"),
        _("NPV before (SEK)"),
        _("Chance that NPV > 0"),
        _("NPV after (SEK)"),
        _("Forecast savings, verified years (SEK)"),
        _("Verified savings (SEK)"),
        _("Realisation factor"),
        _("Claimed (SEK)"),
        _("Repaid (SEK)"),
        _("Outstanding claims (SEK)"),
    ]


def _kr(ore: int | None) -> float | None:
    return None if ore is None else float(ore_to_kronor(ore))


def _row(r: Row) -> list[object]:
    p = r.project
    return [
        p.code,
        p.title,
        p.get_status_display(),
        p.lead_unit.name,
        p.start_date.isoformat() if p.start_date else "",
        _kr(r.granted),
        _kr(r.disbursed),
        r.npv,
        r.p_npv_positive,
        r.expost_npv,
        _kr(r.forecast),
        _kr(r.verified),
        r.realisation,
        _kr(r.claimed),
        _kr(r.repaid),
        _kr(r.claims_outstanding),
    ]


MONEY_COLUMNS = (5, 6, 7, 9, 10, 11, 13, 14, 15)
SHARE_COLUMNS = (8, 12)


def portfolio_xlsx(rows: Iterable[Row], totals: Totals, *, title: str) -> bytes:
    buffer = io.BytesIO()
    book = workbook(buffer)
    sheet = book.add_worksheet(_("Portfolio")[:31])
    bold = book.add_format({"bold": True})
    money = book.add_format({"num_format": "# ##0"})
    share = book.add_format({"num_format": "0.0%"})
    sheet.write(0, 0, title, bold)
    sheet.write_row(2, 0, _headers(), bold)
    row = 3
    for row, r in enumerate(rows, start=3):
        for col, value in enumerate(_row(r)):
            if value is None:
                sheet.write_blank(row, col, None)
            elif col in MONEY_COLUMNS:
                sheet.write_number(row, col, float(value), money)  # type: ignore[arg-type]
            elif col in SHARE_COLUMNS:
                sheet.write_number(row, col, float(value), share)  # type: ignore[arg-type]
            else:
                sheet.write(row, col, value)
    total_row = row + 2
    sheet.write(total_row, 0, _("Total"), bold)
    for col, ore in ((5, totals.granted), (6, totals.disbursed), (11, totals.verified)):
        sheet.write_number(total_row, col, float(ore_to_kronor(ore)), money)
    for col, ore in ((13, totals.claimed), (14, totals.repaid), (15, totals.claims_outstanding)):
        sheet.write_number(total_row, col, float(ore_to_kronor(ore)), money)
    if totals.realisation is not None:
        sheet.write_number(total_row, 12, totals.realisation, share)
    sheet.autofilter(2, 0, max(row, 3), len(_headers()) - 1)
    sheet.freeze_panes(3, 2)
    sheet.set_column(0, 0, 14)
    sheet.set_column(1, 1, 36)
    sheet.set_column(2, 4, 16)
    sheet.set_column(5, 15, 16)
    book.close()
    return buffer.getvalue()
