"""Claims as CSV, with the ledger export's Swedish conventions: semicolons, a decimal comma and
a byte-order mark, so that Excel in a Swedish locale opens it as it is."""

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from sifra.core.exports import csv_text
from sifra.core.money import ore_to_kronor


def _money(ore: int) -> str:
    return str(ore_to_kronor(ore)).replace(".", ",")


def _headers() -> list[str]:
    return [
        _("Project"),
        _("Title"),
        _("Debtor"),
        _("Year"),
        _("Due date"),
        _("Amount (SEK)"),
        _("Paid (SEK)"),
        _("Written off (SEK)"),
        _("Outstanding (SEK)"),
        _("Overdue (SEK)"),
    ]


def claims_csv(rows: Iterable[Any]) -> str:
    """`rows`: claims annotated by selectors.claims_with_balances."""
    return csv_text([_headers(), *(_row(c) for c in rows)])


def _row(c: Any) -> list[object]:
    return [
        c.project.code,
        c.project.title,
        c.unit.name,
        c.year,
        c.due_date.isoformat(),
        *(_money(v) for v in (c.amount, c.paid, c.written_off, c.outstanding, c.overdue)),
    ]
