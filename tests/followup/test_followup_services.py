"""Services of follow-up: the schedule, the report's lifecycle and what counts."""

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given
from hypothesis import strategies as st

from sifra.audit.models import AuditEvent
from sifra.followup import charts, services
from sifra.followup.models import ReportDue, ReportKind, ReportStatus
from sifra.notifications.models import Notification
from sifra.projects.services import project_update

D = dt.date


# --- The schedule ------------------------------------------------------------------------------


def test_periods_tile_the_project_and_the_last_is_cut_at_the_end():
    periods = services.schedule_periods(D(2026, 1, 1), D(2027, 3, 31), 6)
    assert periods == [
        (D(2026, 1, 1), D(2026, 6, 30)),
        (D(2026, 7, 1), D(2026, 12, 31)),
        (D(2027, 1, 1), D(2027, 3, 31)),
    ]


def test_a_month_end_start_does_not_drift():
    """Jan 31 + 1 month is Feb 28; the later boundaries still follow the 31st, not the 28th."""
    periods = services.schedule_periods(D(2026, 1, 31), D(2026, 5, 31), 1)
    assert periods == [
        (D(2026, 1, 31), D(2026, 2, 27)),
        (D(2026, 2, 28), D(2026, 3, 30)),
        (D(2026, 3, 31), D(2026, 4, 29)),
        (D(2026, 4, 30), D(2026, 5, 30)),
        (D(2026, 5, 31), D(2026, 5, 31)),
    ]


def test_leap_year_february():
    assert services.schedule_periods(D(2028, 1, 31), D(2028, 3, 31), 1)[0] == (
        D(2028, 1, 31),
        D(2028, 2, 28),
    )


@given(
    start=st.dates(D(2000, 1, 1), D(2090, 12, 31)),
    days=st.integers(0, 3000),
    every=st.integers(1, 24),
)
def test_periods_are_contiguous_and_anchored_on_the_start(start, days, every):
    end = start + dt.timedelta(days=days)
    periods = services.schedule_periods(start, end, every)
    assert periods[0][0] == start and periods[-1][1] == end
    for (_, stop), (begin, _) in itertools.pairwise(periods):
        assert begin == stop + dt.timedelta(days=1)
    for k, (begin, stop) in enumerate(periods[:-1], start=1):
        assert begin <= stop
        assert stop + dt.timedelta(days=1) == services._add_months(start, k * every)


def test_schedule_has_progress_dues_and_a_final_report(dated_project, coordinator):
    dues = services.schedule_set(project=dated_project, every_months=6, acting_user=coordinator)
    progress = [d for d in dues if d.kind == ReportKind.PROGRESS]
    assert [d.period_end for d in progress] == [D(2026, 6, 30), D(2026, 12, 31), D(2027, 6, 30)]
    assert [d.due_date for d in progress] == [D(2026, 7, 30), D(2027, 1, 30), D(2027, 7, 30)]
    (final,) = [d for d in dues if d.kind == ReportKind.FINAL]
    assert (final.period_start, final.period_end) == (D(2026, 1, 1), D(2027, 12, 31))
    assert final.due_date == D(2027, 12, 31) + dt.timedelta(days=90)
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.PROJECT_UPDATED).exists()


def test_schedule_replaces_the_dues_without_a_report(dated_project, coordinator, users):
    services.schedule_set(project=dated_project, every_months=6, acting_user=coordinator)
    first = ReportDue.objects.get(kind=ReportKind.PROGRESS, period_end=D(2026, 6, 30))
    report = services.report_create(
        project=dated_project, due=first, acting_user=users["applicant"]
    )
    services.schedule_set(project=dated_project, every_months=12, acting_user=coordinator)
    ends = list(dated_project.dues.values_list("kind", "period_end"))
    assert ends == [
        (ReportKind.PROGRESS, D(2026, 6, 30)),  # kept: it has a report
        (ReportKind.PROGRESS, D(2026, 12, 31)),
        (ReportKind.FINAL, D(2027, 12, 31)),
    ]
    assert ReportDue.objects.get(pk=first.pk).report == report


def test_schedule_needs_dates_and_a_sensible_interval(project, dated_project, coordinator):
    project_update(project=project, acting_user=coordinator, start_date=None, end_date=None)
    with pytest.raises(ValidationError) as exc:
        services.schedule_set(project=project, every_months=6, acting_user=coordinator)
    assert exc.value.message_dict == {"every_months": [str(services.DATES_NEEDED)]}
    for months in (0, 25):
        with pytest.raises(ValidationError) as exc:
            services.schedule_set(
                project=dated_project, every_months=months, acting_user=coordinator
            )
        assert exc.value.message_dict == {"every_months": [str(services.EVERY_MONTHS)]}


def test_only_the_coordinator_sets_the_schedule(dated_project, users):
    with pytest.raises(PermissionDenied):
        services.schedule_set(project=dated_project, every_months=6, acting_user=users["applicant"])


# --- The report's lifecycle --------------------------------------------------------------------


@pytest.fixture
def due(dated_project, coordinator):
    services.schedule_set(project=dated_project, every_months=6, acting_user=coordinator)
    return dated_project.dues.first()


@pytest.fixture
def report(due, users):
    return services.report_create(project=due.project, due=due, acting_user=users["applicant"])


def _fill(report, user, indicator, budget_line, value="17.25", cost=12_000_000):
    return services.report_update(
        report=report,
        acting_user=user,
        participants=40,
        narrative="Fyrtio familjer fick stöd.",
        values={indicator.pk: Decimal(value)},
        costs={budget_line.pk: cost},
    )


def test_the_report_takes_the_due_s_period(report, due):
    assert (report.kind, report.period_start, report.period_end) == (
        due.kind,
        due.period_start,
        due.period_end,
    )
    assert report.status == ReportStatus.DRAFT


def test_a_due_gets_one_report(report, due, users):
    with pytest.raises(ValidationError) as exc:
        services.report_create(project=due.project, due=due, acting_user=users["applicant"])
    assert exc.value.message_dict == {"due": [str(services.DUE_TAKEN)]}


def test_a_due_of_another_project_is_refused(due, other_project, coordinator):
    with pytest.raises(ValidationError) as exc:
        services.report_create(project=other_project, due=due, acting_user=coordinator)
    assert exc.value.message_dict == {"due": [str(services.UNKNOWN_DUE)]}


def test_an_outsider_cannot_report(due, users):
    with pytest.raises(PermissionDenied):
        services.report_create(project=due.project, due=due, acting_user=users["outsider"])


def test_draft_submit_return_submit_approve(report, users, indicator, budget_line, coordinator):
    applicant = users["applicant"]
    _fill(report, applicant, indicator, budget_line)
    report = services.report_submit(report=report, acting_user=applicant)
    assert report.status == ReportStatus.SUBMITTED and report.submitted_at
    assert Notification.objects.filter(user=coordinator, url=f"/followup/reports/{report.pk}/")

    report = services.report_return(report=report, comment=" Fel period. ", acting_user=coordinator)
    assert (report.status, report.comment) == (ReportStatus.RETURNED, "Fel period.")
    assert Notification.objects.filter(user=applicant, subject="Report returned for revision")

    _fill(report, applicant, indicator, budget_line, value="18")
    report = services.report_submit(report=report, acting_user=applicant)
    report = services.report_approve(report=report, acting_user=coordinator)
    assert report.status == ReportStatus.APPROVED and report.approved_at
    statuses = [
        e.data["status"]
        for e in AuditEvent.objects.filter(kind=AuditEvent.Kind.REPORT_CHANGED).order_by("id")
        if "status" in e.data
    ]
    assert statuses == [
        ["draft", "submitted"],
        ["submitted", "returned"],
        ["returned", "submitted"],
        ["submitted", "approved"],
    ]


@pytest.mark.parametrize("status", ["draft", "returned", "approved"])
def test_only_a_submitted_report_is_approved_or_returned(report, coordinator, status):
    type(report).objects.filter(pk=report.pk).update(status=status)
    with pytest.raises(ValidationError) as exc:
        services.report_approve(report=report, acting_user=coordinator)
    assert list(exc.value.message_dict) == ["status"]
    with pytest.raises(ValidationError):
        services.report_return(report=report, comment="x", acting_user=coordinator)


@pytest.mark.parametrize("status", ["submitted", "approved"])
def test_a_handed_in_report_cannot_change(report, users, indicator, budget_line, status):
    type(report).objects.filter(pk=report.pk).update(status=status)
    with pytest.raises(ValidationError) as exc:
        _fill(report, users["applicant"], indicator, budget_line)
    assert list(exc.value.message_dict) == ["status"]
    with pytest.raises(ValidationError):
        services.report_submit(report=report, acting_user=users["applicant"])


def test_the_applicant_cannot_approve_its_own_report(report, users, indicator, budget_line):
    _fill(report, users["applicant"], indicator, budget_line)
    services.report_submit(report=report, acting_user=users["applicant"])
    for name in ("applicant", "economist", "auditor"):
        with pytest.raises(PermissionDenied):
            services.report_approve(report=report, acting_user=users[name])


def test_returning_needs_a_comment(report, users, indicator, budget_line, coordinator):
    _fill(report, users["applicant"], indicator, budget_line)
    services.report_submit(report=report, acting_user=users["applicant"])
    with pytest.raises(ValidationError) as exc:
        services.report_return(report=report, comment="  ", acting_user=coordinator)
    assert exc.value.message_dict == {"comment": [str(services.COMMENT_REQUIRED)]}


# --- Values and costs --------------------------------------------------------------------------


def test_values_and_costs_are_saved_exactly(report, users, indicator, budget_line):
    _fill(report, users["applicant"], indicator, budget_line, value="17.2501", cost=99_950)
    assert report.values.get().value == Decimal("17.2501")
    assert report.costs.get().amount == 99_950
    _fill(report, users["applicant"], indicator, budget_line, value="3", cost=0)
    assert [v.value for v in report.values.all()] == [Decimal("3")]


def test_an_indicator_of_another_project_is_refused(report, users, other_project, coordinator):
    foreign = services.indicator_add(
        project=other_project,
        acting_user=coordinator,
        name="Fall",
        unit="antal",
        baseline=Decimal(10),
        baseline_year=2025,
        target=Decimal(5),
    )
    with pytest.raises(ValidationError) as exc:
        services.report_update(
            report=report, acting_user=users["applicant"], values={foreign.pk: Decimal(1)}
        )
    assert exc.value.message_dict == {f"values.{foreign.pk}": [str(services.UNKNOWN_INDICATOR)]}
    assert not report.values.exists()


def test_a_negative_cost_is_refused(report, users, budget_line):
    with pytest.raises(ValidationError) as exc:
        services.report_update(
            report=report, acting_user=users["applicant"], costs={budget_line.pk: -1}
        )
    assert exc.value.message_dict == {f"costs.{budget_line.pk}": [str(services.NEGATIVE_COST)]}


def test_an_unknown_budget_line_is_refused(report, users):
    with pytest.raises(ValidationError) as exc:
        services.report_update(report=report, acting_user=users["applicant"], costs={999: 1})
    assert exc.value.message_dict == {"costs.999": [str(services.UNKNOWN_LINE)]}


def test_missing_values_block_submitting(report, users, indicator, budget_line):
    with pytest.raises(ValidationError) as exc:
        services.report_submit(report=report, acting_user=users["applicant"])
    assert exc.value.message_dict == {"values": [str(services.MISSING_VALUES)]}
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_a_personal_identity_number_is_refused(report, users):
    with pytest.raises(ValidationError) as exc:
        services.report_update(
            report=report,
            acting_user=users["applicant"],
            narrative="Barnet 19121212-1212 fick stöd.",
        )
    assert exc.value.message_dict == {
        "narrative": [str(services.PERSONAL_NUMBER) % {"number": "19121212-1212"}]
    }
    report.refresh_from_db()
    assert report.narrative == ""


def test_negative_participants_are_refused(report, users):
    with pytest.raises(ValidationError) as exc:
        services.report_update(report=report, acting_user=users["applicant"], participants=-1)
    assert list(exc.value.message_dict) == ["participants"]


# --- Only approved reports count ---------------------------------------------------------------


def test_only_approved_values_and_costs_count(
    dated_project, coordinator, users, indicator, budget_line
):
    services.schedule_set(project=dated_project, every_months=6, acting_user=coordinator)
    first, second, third = dated_project.dues.order_by("due_date")[:3]
    applicant = users["applicant"]
    figures = ((first, "20", 1_000_00), (second, "18.5", 2_000_00), (third, "1", 4_000_00))
    reports = []
    for due, value, cost in figures:
        r = services.report_create(project=dated_project, due=due, acting_user=applicant)
        _fill(r, applicant, indicator, budget_line, value=value, cost=cost)
        reports.append(r)
    for r in reports[:2]:
        services.report_submit(report=r, acting_user=applicant)
        services.report_approve(report=r, acting_user=coordinator)
    services.report_submit(report=reports[2], acting_user=applicant)  # submitted, not approved

    (row,) = charts.indicator_rows(project=dated_project)
    assert row.points == [(D(2026, 6, 30), Decimal("20")), (D(2026, 12, 31), Decimal("18.5"))]
    assert row.latest == Decimal("18.5")
    (costs,) = charts.cost_rows(project=dated_project)
    assert (costs.budget, costs.actual, costs.remaining) == (
        350_000_000,
        3_000_00,
        350_000_000 - 3_000_00,
    )
    spec = charts.indicator_chart(row)
    actuals = [
        v for layer in spec["layer"] for v in _values(spec, layer) if v["series"] == "Actual"
    ]
    assert [(v["date"], v["value"]) for v in actuals] == [
        ("2026-06-30", 20.0),
        ("2026-12-31", 18.5),
    ]
    bars = {v["series"]: v["kronor"] for v in _values(charts.cost_chart([costs]), None)}
    assert bars == {"Budget": 3_500_000.0, "Actual costs": 3_000.0}


def _values(spec, layer):
    """The inline rows of a chart (or of one layer of it)."""
    data = (layer or spec)["data"]
    if "values" in data:
        return data["values"]
    return spec["datasets"][data["name"]]


def test_due_states(report, due, dated_project, users, indicator, budget_line):
    assert charts.due_state(due, today=due.due_date) == "draft"
    assert charts.due_state(due, today=due.due_date + dt.timedelta(days=1)) == "overdue"
    _fill(report, users["applicant"], indicator, budget_line)
    services.report_submit(report=report, acting_user=users["applicant"])
    due.refresh_from_db()
    assert charts.due_state(due, today=due.due_date + dt.timedelta(days=1)) == "submitted"
    later = dated_project.dues.order_by("due_date")[1]
    assert charts.due_state(later, today=later.due_date) == "not_started"
