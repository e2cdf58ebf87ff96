"""What a project's follow-up shows: the reads behind its tables (only approved reports count)
and their charts as Vega-Lite via Altair."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import altair as alt
from django.db.models import QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from sifra.core.charts import money_axis, spec_of
from sifra.core.money import ore_to_kronor
from sifra.followup.models import (
    HANDED_IN,
    CostActual,
    IndicatorValue,
    ProgressReport,
    ProjectBudgetLine,
    ProjectIndicator,
    ReportDue,
    ReportStatus,
)
from sifra.projects.models import Project

# How soon a due counts as "due soon" on the overview.
SOON_DAYS = 30
# A report's states, in the context of a report ("approved" is not the application's "granted").
DUE_STATES = {
    "not_started": pgettext_lazy("report", "not started"),
    "draft": pgettext_lazy("report", "draft"),
    "submitted": pgettext_lazy("report", "submitted"),
    "returned": pgettext_lazy("report", "returned for revision"),
    "approved": pgettext_lazy("report", "approved"),
    "overdue": pgettext_lazy("report", "overdue"),
}
ACTUAL_COLOUR, BASELINE_COLOUR, TARGET_COLOUR = "#0b4f8a", "#4a4a4a", "#8a5300"


# --- Reads -------------------------------------------------------------------------------------


def exact(value: Decimal) -> Decimal:
    """The value without the model's trailing zeros (19.5000 → 19.5), never in exponent form,
    so that pages show what was typed."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


@dataclass
class IndicatorRow:
    indicator: ProjectIndicator
    points: list[tuple[dt.date, Decimal]] = field(default_factory=list)

    @property
    def baseline(self) -> Decimal:
        return exact(self.indicator.baseline)

    @property
    def target(self) -> Decimal:
        return exact(self.indicator.target)

    @property
    def latest(self) -> Decimal | None:
        return self.points[-1][1] if self.points else None

    @property
    def latest_period_end(self) -> dt.date | None:
        return self.points[-1][0] if self.points else None


@dataclass
class CostRow:
    line: ProjectBudgetLine
    actual: int

    @property
    def budget(self) -> int:
        return self.line.total

    @property
    def remaining(self) -> int:
        return self.budget - self.actual


def indicator_rows(*, project: Project) -> list[IndicatorRow]:
    """Each indicator with its approved actuals in period order; the last is the latest."""
    rows = {i.pk: IndicatorRow(i) for i in project.indicators.all()}
    values = (
        IndicatorValue.objects.filter(report__project=project, report__status=ReportStatus.APPROVED)
        .select_related("report")
        .order_by("report__period_end", "report__id")
    )
    for v in values:
        if v.indicator_id in rows:
            rows[v.indicator_id].points.append((v.report.period_end, exact(v.value)))
    return list(rows.values())


def cost_rows(*, project: Project) -> list[CostRow]:
    """Each budget line with the actual costs of the approved reports summed (öre)."""
    actual = dict(
        CostActual.objects.filter(report__project=project, report__status=ReportStatus.APPROVED)
        .values("budget_line")
        .annotate(total=Sum("amount"))
        .values_list("budget_line", "total")
    )
    return [CostRow(line, int(actual.get(line.pk) or 0)) for line in project.budget_lines.all()]


def cost_totals(rows: list[CostRow]) -> dict[str, int]:
    budget, actual = sum(r.budget for r in rows), sum(r.actual for r in rows)
    return {"budget": budget, "actual": actual, "remaining": budget - actual}


def due_state(due: ReportDue, today: dt.date | None = None) -> str:
    """A key of DUE_STATES: the report's status, or overdue while it is late and not handed in."""
    report = getattr(due, "report", None)
    if report is not None and report.status in HANDED_IN:
        return str(report.status)
    if due.due_date < (today or timezone.localdate()):
        return "overdue"
    return str(report.status) if report is not None else "not_started"


def dues_with_state(dues: Any, today: dt.date | None = None) -> list[dict[str, Any]]:
    today = today or timezone.localdate()
    rows = []
    for due in dues:
        state = due_state(due, today)
        report = getattr(due, "report", None)
        rows.append({"due": due, "state": state, "label": DUE_STATES[state], "report": report})
    return rows


def project_dues(*, project: Project) -> QuerySet[ReportDue]:
    return project.dues.select_related("report").order_by("due_date", "id")


LATER_SHOWN = 25  # the later dues listed on the overview; the rest are counted


def dues_overview(
    *, projects: QuerySet[Project], today: dt.date | None = None, later: bool = True
) -> dict[str, Any]:
    """The open dues of `projects`: overdue, due within SOON_DAYS, and (unless `later` is
    false) the first LATER_SHOWN of the later ones with the count of them all, since a unit
    with many projects owes hundreds of reports over the years to come."""
    today = today or timezone.localdate()
    soon = today + dt.timedelta(days=SOON_DAYS)
    dues = (
        ReportDue.objects.filter(project__in=projects, handed_in=False)
        .select_related("project", "report")
        .order_by("due_date", "id")
    )
    rows = dues_with_state(dues.filter(due_date__lte=soon), today)
    far = dues.filter(due_date__gt=soon)
    return {
        "overdue": [r for r in rows if r["state"] == "overdue"],
        "soon": [r for r in rows if r["state"] != "overdue"],
        "later": dues_with_state(far[:LATER_SHOWN], today) if later else [],
        "later_count": far.count() if later else 0,
    }


def reports_awaiting_approval(*, projects: QuerySet[Project]) -> QuerySet[ProgressReport]:
    return (
        ProgressReport.objects.filter(project__in=projects, status=ReportStatus.SUBMITTED)
        .select_related("project")
        .order_by("submitted_at", "id")
    )


# --- Charts ------------------------------------------------------------------------------------


def indicator_chart(row: IndicatorRow) -> dict[str, Any]:
    """The approved actuals over time (x = the end of each report's period) against the
    baseline and the target as horizontal lines."""
    i = row.indicator
    actual, baseline, target = _("Actual"), _("Baseline"), _("Target")
    colour = alt.Color(
        "series:N",
        title=None,
        legend=alt.Legend(orient="top"),
        scale=alt.Scale(
            domain=[actual, baseline, target],
            range=[ACTUAL_COLOUR, BASELINE_COLOUR, TARGET_COLOUR],
        ),
    )
    value_title = f"{i.name} ({i.unit})"
    points = [
        {"date": day.isoformat(), "series": actual, "value": float(value)}
        for day, value in row.points
    ]
    levels = [
        {"series": baseline, "value": float(i.baseline)},
        {"series": target, "value": float(i.target)},
    ]
    line = (
        alt.Chart(alt.Data(values=points))
        .mark_line(point=True, strokeWidth=2)
        .encode(
            x=alt.X(
                "date:T",
                title=_("Period end"),
                axis=alt.Axis(format="%Y-%m-%d", labelAngle=0, tickCount=len(points)),
            ),
            y=alt.Y("value:Q", title=value_title),
            color=colour,
            tooltip=[
                alt.Tooltip("date:T", title=_("Period end"), format="%Y-%m-%d"),
                alt.Tooltip("value:Q", title=_("Actual")),
            ],
        )
    )
    rules = (
        alt.Chart(alt.Data(values=levels))
        .mark_rule(strokeDash=[6, 4], strokeWidth=2)
        .encode(
            y=alt.Y("value:Q", title=value_title),
            color=colour,
            tooltip=[alt.Tooltip("series:N", title=""), alt.Tooltip("value:Q", title="")],
        )
    )
    return spec_of((line + rules).properties(width="container", height=240, title=i.name))


def cost_chart(rows: list[CostRow]) -> dict[str, Any]:
    """Budget against approved actual costs, one pair of bars per budget line."""
    budget, actual = _("Budget"), _("Actual costs")
    data = [
        {"line": f"{r.line.year} {r.line.description}", "series": name, "kronor": float(kronor)}
        for r in rows
        for name, kronor in ((budget, ore_to_kronor(r.budget)), (actual, ore_to_kronor(r.actual)))
    ]
    chart = (
        alt.Chart(alt.Data(values=data))
        .mark_bar()
        .encode(
            y=alt.Y("line:N", title=None, sort=None),
            yOffset=alt.YOffset("series:N", sort=[budget, actual]),
            x=alt.X("kronor:Q", title=_("Kronor"), axis=money_axis()),
            color=alt.Color(
                "series:N",
                title=None,
                legend=alt.Legend(orient="top"),
                scale=alt.Scale(domain=[budget, actual], range=[TARGET_COLOUR, ACTUAL_COLOUR]),
            ),
            tooltip=[
                alt.Tooltip("line:N", title=_("Budget line")),
                alt.Tooltip("series:N", title=""),
                alt.Tooltip("kronor:Q", title=_("Kronor"), format=",.0f"),
            ],
        )
        .properties(width="container", title=_("Costs against budget"))
    )
    return spec_of(chart)
