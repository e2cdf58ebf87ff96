"""The annual report as an Excel workbook: one sheet per section, money as numbers in kronor
with a number format (Excel and LibreOffice show it in the reader's locale: '1 234 567,00 kr'
in Swedish), dates as dates, text as text that never turns into a formula
(sifra.core.exports.workbook)."""

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import xlsxwriter
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from sifra.core.exports import workbook
from sifra.core.money import ore_to_kronor
from sifra.reports.data import AnnualReport

# Format codes are stored in the file in one notation and shown in the reader's locale: the
# comma groups thousands (a space in Swedish), the point is the decimal separator (a comma).
FORMATS = {
    "money": '#,##0.00 "kr"',
    "int": "0",
    "decimal": "#,##0.####",
    "percent": "0.0 %",
    "date": "yyyy-mm-dd",
}


@dataclass(frozen=True)
class Column:
    title: str
    kind: str = "text"  # text | money | int | decimal | percent | date
    width: int = 16


class Sheet:
    """One section as a table: a title, the column headings, the rows and a total row."""

    def __init__(self, book: xlsxwriter.Workbook, name: str, title: str, columns: list[Column]):
        self.book, self.columns = book, columns
        self.sheet = book.add_worksheet(name[:31])
        self.formats = {k: book.add_format({"num_format": f}) for k, f in FORMATS.items()}
        self.bold = {
            k: book.add_format({"num_format": f, "bold": True}) for k, f in FORMATS.items()
        }
        self.bold["text"] = book.add_format({"bold": True})
        self.sheet.write_string(0, 0, title, self.bold["text"])
        for i, column in enumerate(columns):
            self.sheet.write_string(2, i, column.title, self.bold["text"])
            self.sheet.set_column(i, i, column.width)
        self.sheet.freeze_panes(3, 0)
        self.row = 3

    def add(self, values: Sequence[Any], *, total: bool = False) -> None:
        for i, (column, value) in enumerate(zip(self.columns, values, strict=True)):
            fmt = (self.bold if total else self.formats).get(column.kind)
            self._write(i, column.kind, value, fmt)
        self.row += 1

    def _write(self, col: int, kind: str, value: Any, fmt: Any) -> None:
        if value is None or value == "":
            return
        if kind == "money":
            self.sheet.write_number(self.row, col, float(ore_to_kronor(value)), fmt)
        elif kind == "date":
            self.sheet.write_datetime(self.row, col, dt.datetime.combine(value, dt.time()), fmt)
        elif kind in ("int", "decimal", "percent"):
            self.sheet.write_number(self.row, col, float(value), fmt)
        else:
            self.sheet.write_string(self.row, col, str(value), fmt)

    def note(self, text: str) -> None:
        self.sheet.write_string(self.row + 1, 0, text)


def report_xlsx(report: AnnualReport) -> bytes:
    buffer = io.BytesIO()
    book = workbook(buffer)
    heading = _("%(fund)s: annual report %(year)s") % {
        "fund": report.fund_name,
        "year": report.year,
    }
    for write in SECTIONS:
        write(book, report, heading)
    book.close()
    return buffer.getvalue()


def _title(heading: str, section: str) -> str:
    return f"{heading} – {section}"


def _balances(book: Any, r: AnnualReport, heading: str) -> None:
    s = Sheet(
        book,
        _("Balances"),
        _title(heading, _("Opening and closing balances")),
        [
            Column(_("Balance"), width=24),
            Column(_("1 January"), "money", 20),
            Column(_("31 December"), "money", 20),
            Column(_("Change in the year"), "money", 20),
        ],
    )
    for label, key in _balance_keys():
        opening, closing = getattr(r.opening, key), getattr(r.closing, key)
        s.add([label, opening, closing, closing - opening])
    s.note(_source_text(r))


def _balance_keys() -> list[tuple[str, str]]:
    return [
        (_("Capital"), "capital"),
        (_("Committed"), "committed"),
        (_("Available"), "available"),
        (_("Claims"), "claims"),
    ]


def _source_text(r: AnnualReport) -> str:
    if r.closed:
        return _(
            "The fiscal year is closed (%(ref)s, %(date)s): the closing balances are its snapshot."
        ) % {"ref": r.closing_decision_ref, "date": r.closing_decided_on}
    return _("The fiscal year is open: the balances are the ledger's on %(date)s.") % {
        "date": r.as_of
    }


def _kinds(book: Any, r: AnnualReport, heading: str) -> None:
    s = Sheet(
        book,
        _("Movements by kind"),
        _title(heading, _("Movements by kind of entry")),
        [
            Column(_("Kind"), width=24),
            Column(_("Entries"), "int", 10),
            Column(_("Posted"), "money"),
            Column(_("Reversed amount"), "money"),
            Column(_("Net"), "money"),
            Column(_("Capital"), "money"),
            Column(_("Committed"), "money"),
            Column(_("Claims"), "money"),
        ],
    )
    for k in r.kinds:
        effects = [k.capital, k.committed, k.claims]
        s.add([capfirst(k.label), k.entries, k.posted, k.reversed, k.net, *effects])
    c = r.change
    s.add(
        [_("Change in the year"), None, None, None, None, c.capital, c.committed, c.claims],
        total=True,
    )


def _project_movements(book: Any, r: AnnualReport, heading: str) -> None:
    s = Sheet(
        book,
        _("Movements by project"),
        _title(heading, _("Movements by project")),
        [
            Column(_("Project"), width=14),
            Column(_("Title"), width=36),
            Column(_("Granted"), "money"),
            Column(_("Released"), "money"),
            Column(_("Disbursed"), "money"),
            Column(_("Claimed"), "money"),
            Column(_("Repaid"), "money"),
            Column(_("Written off"), "money"),
            Column(_("Committed at year end"), "money", 20),
            Column(_("Claims at year end"), "money", 20),
        ],
    )
    keys = (
        "committed",
        "released",
        "disbursed",
        "claimed",
        "repaid",
        "written_off",
        "committed_end",
        "claims_end",
    )
    for m in r.project_movements:
        s.add([m.code, m.title, *(getattr(m, k) for k in keys)])
    totals = [sum(getattr(m, k) for m in r.project_movements) for k in keys]
    s.add([_("Total"), "", *totals], total=True)


def _decisions(book: Any, r: AnnualReport, heading: str) -> None:
    s = Sheet(
        book,
        _("Decisions"),
        _title(heading, _("Decisions made in the year")),
        [
            Column(_("Decided on"), "date", 12),
            Column(_("Reference"), width=14),
            Column(_("Title"), width=36),
            Column(_("Applying unit"), width=24),
            Column(_("Decision"), width=12),
            Column(_("Requested"), "money"),
            Column(_("Granted"), "money"),
            Column(_("Minute reference"), width=20),
        ],
    )
    for d in r.decisions:
        row = [d.decided_on, d.reference, d.title, d.unit, capfirst(d.outcome_label), d.requested]
        s.add([*row, d.granted, d.minute_ref])
    t = r.decision_totals
    total_label = _("%(approved)s granted, %(rejected)s rejected") % {
        "approved": t.approved,
        "rejected": t.rejected,
    }
    s.add([None, _("Total"), total_label, "", "", None, t.granted, ""], total=True)


def _projects(book: Any, r: AnnualReport, heading: str) -> None:
    s = Sheet(
        book,
        _("Projects"),
        _title(heading, _("Projects and their state")),
        [
            Column(_("Project"), width=14),
            Column(_("Title"), width=36),
            Column(_("Lead unit"), width=24),
            Column(_("Start"), "date", 12),
            Column(_("End"), "date", 12),
            Column(_("Status today"), width=14),
            Column(_("After the project"), width=20),
            Column(_("Granted"), "money"),
            Column(_("Disbursed"), "money"),
            Column(_("Committed at year end"), "money", 20),
            Column(_("Repaid"), "money"),
            Column(_("Claims at year end"), "money", 20),
        ],
    )
    keys = ("granted", "disbursed", "committed_end", "repaid", "claims_end")
    for p in r.projects:
        status = capfirst(p.status_label)
        text = [p.code, p.title, p.unit, p.start_date, p.end_date, status, p.outcome_label]
        s.add([*text, *(getattr(p, k) for k in keys)])
    totals = [sum(getattr(p, k) for p in r.projects) for k in keys]
    s.add([_("Total"), "", "", None, None, "", "", *totals], total=True)


def _indicators(book: Any, r: AnnualReport, heading: str) -> None:
    s = Sheet(
        book,
        _("Indicators"),
        _title(heading, _("Indicators against target")),
        [
            Column(_("Project"), width=14),
            Column(_("Indicator"), width=40),
            Column(_("Unit of measurement"), width=14),
            Column(_("Baseline"), "decimal", 10),
            Column(_("Baseline year"), "int", 10),
            Column(_("Target"), "decimal", 10),
            Column(_("Actual"), "decimal", 10),
            Column(_("Period to"), "date", 12),
            Column(_("Of the way to the target"), "percent", 14),
        ],
    )
    for i in r.indicators:
        row = [i.project_code, i.name, i.unit, i.baseline, i.baseline_year, i.target]
        s.add([*row, i.actual, i.actual_period_end, i.progress])


def _savings(book: Any, r: AnnualReport, heading: str) -> None:
    s = Sheet(
        book,
        _("Savings"),
        _title(heading, _("Verified savings against the case's forecast")),
        [
            Column(_("Project"), width=14),
            Column(_("Title"), width=36),
            Column(_("Year"), "int", 8),
            Column(_("Verified saving"), "money"),
            Column(_("Forecast"), "money"),
            Column(_("Verified of forecast"), "percent", 14),
        ],
    )
    for v in r.savings:
        s.add([v.project_code, v.title, v.year, v.verified, v.forecast, v.realisation])
    t = r.saving_totals
    s.add([_("Total"), "", None, t.verified, t.forecast, t.realisation], total=True)


def _claims(book: Any, r: AnnualReport, heading: str) -> None:
    s = Sheet(
        book,
        _("Claims by unit"),
        _title(heading, _("Claims, repayments and write-offs by unit")),
        [
            Column(_("Debtor"), width=28),
            Column(_("Owed on 1 January"), "money", 18),
            Column(_("Claimed"), "money"),
            Column(_("Repaid"), "money"),
            Column(_("Written off"), "money"),
            Column(_("Owed on 31 December"), "money", 18),
            Column(_("Overdue"), "money"),
            Column(_("Overdue claims"), "int", 10),
        ],
    )
    for c in [*r.claims, r.claim_totals]:
        values = [c.outstanding_start, c.claimed, c.repaid, c.written_off, c.outstanding_end]
        s.add([c.unit, *values, c.overdue, c.overdue_claims], total=c is r.claim_totals)


def _evaluations(book: Any, r: AnnualReport, heading: str) -> None:
    s = Sheet(
        book,
        _("Evaluations"),
        _title(heading, _("Evaluations completed in the year")),
        [
            Column(_("Recorded on"), "date", 12),
            Column(_("Project"), width=14),
            Column(_("Title"), width=36),
            Column(_("Method"), width=24),
            Column(_("Estimated effect"), "decimal", 12),
            Column(_("95 % interval, low"), "decimal", 12),
            Column(_("95 % interval, high"), "decimal", 12),
            Column(_("Evaluator"), width=30),
            Column(_("Assessed by the council"), width=12),
        ],
    )
    for e in r.evaluations:
        row = [e.recorded_on, e.project_code, e.title, capfirst(e.method_label), e.effect]
        assessed = _("yes") if e.assessed else _("no")
        s.add([*row, e.ci_low, e.ci_high, e.evaluator, assessed])


SECTIONS = [
    _balances,
    _kinds,
    _project_movements,
    _decisions,
    _projects,
    _indicators,
    _savings,
    _claims,
    _evaluations,
]
