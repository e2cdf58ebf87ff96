"""The annual fund report (årsrapport för den sociala investeringsfonden) for a fiscal year: one
function, `annual_report`, builds the plain structure of sifra.reports.data that every output
reads.

A closed year's balances are its closing snapshot (FiscalYearClosing), kept as they were at
the annual accounts; an open year's are the ledger's at 31 December (or today, while the year
runs). The ledger's own sum is computed beside the snapshot, so that a report that does not
agree with its ledger shows it."""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import BigIntegerField, Count, Min, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy

from sifra.accounts import permissions
from sifra.funds.models import EntryKind, FiscalYearClosing, Fund, LedgerEntry
from sifra.funds.selectors import fund_balance_series, fund_balances
from sifra.reports import sections
from sifra.reports.data import AnnualReport, Figures, KindRow, ProjectMovement

NO_SUCH_YEAR = gettext_lazy(
    "The fund has no fiscal year %(year)s: choose a year from %(first)s to %(last)s."
)
NOT_ALLOWED = gettext_lazy("You may not read the annual report.")

# The kinds in the order of DOMAIN.md's table; a reversal is counted with the kind it reverses.
KINDS = [
    EntryKind.DEPOSIT,
    EntryKind.COMMITMENT,
    EntryKind.RELEASE,
    EntryKind.DISBURSEMENT,
    EntryKind.CLAIM,
    EntryKind.REPAYMENT,
    EntryKind.WRITE_OFF,
]
MONEY: BigIntegerField = BigIntegerField()


def report_years(*, fund: Fund) -> list[int]:
    """The fiscal years a report can be made for: from the fund's first (its establishment or
    its first entry) to the current one."""
    today = timezone.localdate()
    first = LedgerEntry.objects.filter(fund=fund).aggregate(first=Min("date"))["first"]
    dates = [d for d in (fund.established_on, first) if d is not None]
    start = min(dates).year if dates else today.year
    return list(range(min(start, today.year), today.year + 1))


def check_year(*, fund: Fund, year: int) -> None:
    years = report_years(fund=fund)
    if year not in years:
        message = NO_SUCH_YEAR % {"year": year, "first": years[0], "last": years[-1]}
        raise ValidationError({"year": str(message)})


def annual_report(*, fund: Fund, year: int, user: Any) -> AnnualReport:
    """The report of `fund` for the fiscal `year`, for `user`; PermissionDenied for a user who
    may not read it, ValidationError naming `year` for a year the fund does not have."""
    if not permissions.can_view_annual_report(user):
        raise PermissionDenied(NOT_ALLOWED)
    return build_annual_report(fund=fund, year=year)


def build_annual_report(*, fund: Fund, year: int) -> AnnualReport:
    """The report without a reader: for the command line, run by whoever runs the server."""
    check_year(fund=fund, year=year)
    today = timezone.localdate()
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    closing = FiscalYearClosing.objects.filter(fund=fund, year=year).first()
    opening = _balances_at(fund, year - 1)
    closing_figures = _figures(closing) if closing else _ledger_at(fund, end)
    # overdue on 31 December: due by then and not paid; while the year runs, as of today
    overdue_from = end + dt.timedelta(days=1) if end < today else today
    entries = LedgerEntry.objects.filter(fund=fund)
    movements = _movements(entries.filter(date__range=(start, end)))
    claims, claim_totals = sections.claims_by_unit(fund, start, end, overdue_from)
    decisions, decision_totals = sections.decisions(fund, start, end)
    savings, saving_totals = sections.savings(fund, year)
    return AnnualReport(
        fund_id=fund.pk,
        fund_name=fund.name,
        organisation=fund.organisation.name,
        year=year,
        start=start,
        end=end,
        as_of=min(end, today),
        ended=end < today,
        closed=closing is not None,
        closing_decision_ref=closing.decision_ref if closing else "",
        closing_decided_on=closing.decided_on if closing else None,
        source="snapshot" if closing else "ledger",
        opening=opening,
        closing=closing_figures,
        ledger_closing=_ledger_at(fund, end),
        kinds=_kind_rows(movements),
        project_movements=_project_movements(fund, movements, end),
        decisions=decisions,
        decision_totals=decision_totals,
        projects=sections.projects(fund, start, end),
        indicators=sections.indicators(fund, start, end),
        savings=savings,
        saving_totals=saving_totals,
        claims=claims,
        claim_totals=claim_totals,
        evaluations=sections.evaluations(fund, start, end),
        series=_series(fund, start, end, opening, closing_figures, min(end, today)),
    )


def _figures(closing: FiscalYearClosing) -> Figures:
    return Figures(capital=closing.capital, committed=closing.committed, claims=closing.claims)


def _ledger_at(fund: Fund, day: dt.date) -> Figures:
    b = fund_balances(fund=fund, at=day)
    return Figures(capital=b.capital, committed=b.committed, claims=b.claims)


def _balances_at(fund: Fund, year: int) -> Figures:
    """The balances at 31 December of `year`: its snapshot where it is closed."""
    closing = FiscalYearClosing.objects.filter(fund=fund, year=year).first()
    return _figures(closing) if closing else _ledger_at(fund, dt.date(year, 12, 31))


# --- Movements ----------------------------------------------------------------------------------


def _movements(entries: QuerySet[LedgerEntry]) -> list[dict[str, Any]]:
    """The entries summed per project and per kind, a reversal under the kind it reverses."""
    is_reversal = Q(kind=EntryKind.REVERSAL)
    return list(
        entries.annotate(of_kind=Coalesce("reverses__kind", "kind"))
        .values("project_id", "of_kind")
        .annotate(
            entries=Count("pk", filter=~is_reversal),
            posted=Coalesce(Sum("amount", filter=~is_reversal), 0, output_field=MONEY),
            reversed=Coalesce(Sum("amount", filter=is_reversal), 0, output_field=MONEY),
            capital=Sum("d_capital"),
            committed=Sum("d_committed"),
            claims=Sum("d_claims"),
        )
        .order_by()
    )


def _kind_rows(movements: list[dict[str, Any]]) -> list[KindRow]:
    labels = dict(EntryKind.choices)
    rows = []
    for kind in KINDS:
        mine = [m for m in movements if m["of_kind"] == kind]
        rows.append(
            KindRow(
                kind=str(kind),
                label=str(labels[kind]),
                **{
                    key: sum(int(m[key]) for m in mine)
                    for key in ("entries", "posted", "reversed", "capital", "committed", "claims")
                },
            )
        )
    return rows


def _net(movements: list[dict[str, Any]], project_id: int, kind: str) -> int:
    return sum(
        int(m["posted"]) - int(m["reversed"])
        for m in movements
        if m["project_id"] == project_id and m["of_kind"] == kind
    )


def _project_movements(
    fund: Fund, movements: list[dict[str, Any]], end: dt.date
) -> list[ProjectMovement]:
    ids = {m["project_id"] for m in movements if m["project_id"] is not None}
    ends = sections.project_balances(fund, end)
    rows = []
    for project in fund.projects.filter(pk__in=ids).order_by("code"):
        balance = ends.get(project.pk, {})
        rows.append(
            ProjectMovement(
                project_id=project.pk,
                code=project.code,
                title=project.title,
                committed=_net(movements, project.pk, EntryKind.COMMITMENT),
                released=_net(movements, project.pk, EntryKind.RELEASE),
                disbursed=_net(movements, project.pk, EntryKind.DISBURSEMENT),
                claimed=_net(movements, project.pk, EntryKind.CLAIM),
                repaid=_net(movements, project.pk, EntryKind.REPAYMENT),
                written_off=_net(movements, project.pk, EntryKind.WRITE_OFF),
                committed_end=balance.get("committed", 0),
                claims_end=balance.get("claims", 0),
            )
        )
    return rows


def _series(
    fund: Fund, start: dt.date, end: dt.date, opening: Figures, closing: Figures, as_of: dt.date
) -> list[dict[str, Any]]:
    """Capital and available at the start of the year, at the end of each day with entries, and
    at its end: the steps the chart draws."""
    days = [p for p in fund_balance_series(fund=fund) if start <= p["date"] <= end]
    first = {"date": start, "capital": opening.capital, "available": opening.available}
    last = {"date": as_of, "capital": closing.capital, "available": closing.available}
    points = [first, *({k: p[k] for k in ("date", "capital", "available")} for p in days)]
    if points[-1]["date"] < as_of:
        points.append(last)
    return points
