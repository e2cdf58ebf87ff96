"""Writes for follow-up: what a project reports against, the schedule, and the reports."""

import calendar
import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sifra.accounts import permissions
from sifra.audit.models import AuditEvent
from sifra.audit.services import audit_record
from sifra.core.money import largest_remainder
from sifra.core.personnummer import guard_personal_numbers
from sifra.followup.models import (
    HANDED_IN,
    CostActual,
    IndicatorValue,
    ProgressReport,
    ProjectBudgetLine,
    ProjectIndicator,
    ReportDue,
    ReportKind,
    ReportStatus,
)
from sifra.notifications.services import notify
from sifra.projects.models import Project

NOT_ALLOWED = gettext_lazy("You may not do this.")
WRONG_STATE = gettext_lazy("This cannot be done while the report is %(status)s.")
PERIOD_ORDER = gettext_lazy("The period must end after it starts.")
DATES_NEEDED = gettext_lazy("The project needs a start and an end date to schedule reports.")
EVERY_MONTHS = gettext_lazy("Reports are due every 1 to 24 months.")
UNKNOWN_INDICATOR = gettext_lazy("This indicator does not belong to the project.")
UNKNOWN_LINE = gettext_lazy("This budget line does not belong to the project.")
NEGATIVE_COST = gettext_lazy("A cost cannot be negative.")
COMMENT_REQUIRED = gettext_lazy("Write what should be revised.")
PERSONAL_NUMBER = gettext_lazy(
    "Remove the personal identity number (%(number)s): reports describe groups, never individuals."
)
MISSING_VALUES = gettext_lazy("Give the actual value of every indicator before submitting.")
UNKNOWN_DUE = gettext_lazy("This report due belongs to another project.")
DUE_TAKEN = gettext_lazy("A report has already been started for this due date.")
# Reminders go this many days before a report is due.
REMIND_DAYS_BEFORE = 14


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(NOT_ALLOWED)


# --- What a project reports against ------------------------------------------------------------


def granted_budget(requested: list[int], granted: int) -> list[int]:
    """The fund's part of each budget line as granted: where less was granted than asked, each
    line's request scaled down in proportion (largest remainder, to the öre), so that the
    lines sum to the granted amount; never more than was asked for a line."""
    asked = sum(requested)
    if granted >= asked or asked == 0:
        return list(requested)
    return largest_remainder(max(granted, 0), requested)


def followup_copy_from_application(
    *, project: Project, application: Any, granted: int | None = None
) -> None:
    """At approval: the application's indicators and budget become the project's, to report
    against; the fund's part of the budget is what was granted (`granted`, in öre), not what
    was asked. Called inside decision_record's transaction."""
    for i in application.indicators.all():
        ProjectIndicator.objects.create(
            project=project,
            name=i.name,
            unit=i.unit,
            baseline=i.baseline,
            baseline_year=i.baseline_year,
            target=i.target,
            method=i.method,
            frequency=i.frequency,
        )
    lines = list(application.budget_lines.all())
    asked = [b.requested for b in lines]
    from_fund = granted_budget(asked, sum(asked) if granted is None else granted)
    for b, amount in zip(lines, from_fund, strict=True):
        ProjectBudgetLine.objects.create(
            project=project,
            year=b.year,
            description=b.description,
            from_fund=amount,
            own_contribution=b.own_contribution,
        )


@transaction.atomic(durable=True)
def indicator_add(*, project: Project, acting_user: Any, **fields: Any) -> ProjectIndicator:
    """For a project registered without an application, or an indicator added later."""
    _require(permissions.can_manage_projects(acting_user))
    indicator = ProjectIndicator(project=project, **fields)
    indicator.full_clean()
    indicator.save()
    audit_record(
        acting_user=acting_user,
        kind=AuditEvent.Kind.PROJECT_UPDATED,
        subject=project,
        data={"indicator_added": indicator.name},
    )
    return indicator


@transaction.atomic(durable=True)
def budget_line_add(*, project: Project, acting_user: Any, **fields: Any) -> ProjectBudgetLine:
    _require(permissions.can_manage_projects(acting_user))
    line = ProjectBudgetLine(project=project, **fields)
    if line.from_fund < 0 or line.own_contribution < 0:
        raise ValidationError({"from_fund": str(NEGATIVE_COST)})
    line.full_clean()
    line.save()
    audit_record(
        acting_user=acting_user,
        kind=AuditEvent.Kind.PROJECT_UPDATED,
        subject=project,
        data={"budget_line_added": str(line), "from_fund_ore": line.from_fund},
    )
    return line


# --- The schedule ------------------------------------------------------------------------------


def _add_months(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def schedule_periods(
    start: dt.date, end: dt.date, every_months: int
) -> list[tuple[dt.date, dt.date]]:
    """Consecutive periods of `every_months` from start, the last one cut at end.

    Every boundary is counted from `start`, not from the previous boundary, so a month-end
    clamp (Jan 31 + 1 month = Feb 28) does not drift into every later period."""
    periods, k, begin = [], 1, start
    while begin <= end:
        stop = min(_add_months(start, k * every_months) - dt.timedelta(days=1), end)
        periods.append((begin, stop))
        begin, k = stop + dt.timedelta(days=1), k + 1
    return periods


@transaction.atomic(durable=True)
def schedule_set(
    *,
    project: Project,
    every_months: int,
    acting_user: Any,
    days_to_report: int = 30,
    final_days: int = 90,
) -> list[ReportDue]:
    """Progress reports every `every_months` over the project's period, each due
    `days_to_report` after its period ends, and a final report `final_days` after the end.
    Replaces the dues that have no report yet."""
    _require(permissions.can_manage_projects(acting_user))
    return _schedule(
        project=project,
        every_months=every_months,
        acting_user=acting_user,
        days_to_report=days_to_report,
        final_days=final_days,
    )


def schedule_propose(
    *, project: Project, every_months: int, days_to_report: int, final_days: int, acting_user: Any
) -> list[ReportDue]:
    """At approval, inside decision_record's transaction: the fund's reporting plan for the new
    project, so that the applicant knows at once what to report and when. Nothing is proposed
    for a project without both dates (the coordinator sets its plan when they are known)."""
    if not project.start_date or not project.end_date:
        return []
    return _schedule(
        project=project,
        every_months=every_months,
        acting_user=acting_user,
        days_to_report=days_to_report,
        final_days=final_days,
    )


def _schedule(
    *, project: Project, every_months: int, acting_user: Any, days_to_report: int, final_days: int
) -> list[ReportDue]:
    if not project.start_date or not project.end_date:
        raise ValidationError({"every_months": str(DATES_NEEDED)})
    if not 1 <= every_months <= 24:
        raise ValidationError({"every_months": str(EVERY_MONTHS)})
    project.dues.filter(report__isnull=True).delete()
    taken = set(project.dues.values_list("kind", "period_end"))
    dues = []
    for start, end in schedule_periods(project.start_date, project.end_date, every_months):
        if end < project.end_date and (ReportKind.PROGRESS, end) not in taken:
            dues.append(
                ReportDue(
                    project=project,
                    kind=ReportKind.PROGRESS,
                    period_start=start,
                    period_end=end,
                    due_date=end + dt.timedelta(days=days_to_report),
                )
            )
    if (ReportKind.FINAL, project.end_date) not in taken:
        dues.append(
            ReportDue(
                project=project,
                kind=ReportKind.FINAL,
                period_start=project.start_date,
                period_end=project.end_date,
                due_date=project.end_date + dt.timedelta(days=final_days),
            )
        )
    ReportDue.objects.bulk_create(dues)
    audit_record(
        acting_user=acting_user,
        kind=AuditEvent.Kind.PROJECT_UPDATED,
        subject=project,
        data={"schedule": [d.due_date.isoformat() for d in dues]},
    )
    from sifra.followup.tasks import schedule_reminders

    transaction.on_commit(lambda: schedule_reminders(dues))
    return dues


# --- Reports -------------------------------------------------------------------------------------


def _in_state(report: ProgressReport, *states: str) -> None:
    if report.status not in states:
        raise ValidationError(
            {"status": str(WRONG_STATE) % {"status": report.get_status_display()}}
        )


@transaction.atomic(durable=True)
def report_create(
    *,
    project: Project,
    acting_user: Any,
    due: ReportDue | None = None,
    kind: str = ReportKind.PROGRESS,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
) -> ProgressReport:
    _require(permissions.can_report(acting_user, project))
    if due is not None:
        due = ReportDue.objects.select_for_update().get(pk=due.pk)
        if due.project_id != project.pk:
            raise ValidationError({"due": str(UNKNOWN_DUE)})
        if ProgressReport.objects.filter(due=due).exists():
            raise ValidationError({"due": str(DUE_TAKEN)})
        kind, period_start, period_end = due.kind, due.period_start, due.period_end
    if not period_start or not period_end or period_end < period_start:
        raise ValidationError({"period_end": str(PERIOD_ORDER)})
    report = ProgressReport.objects.create(
        project=project,
        due=due,
        kind=kind,
        period_start=period_start,
        period_end=period_end,
        created_by=acting_user,
    )
    audit_record(
        acting_user=acting_user,
        kind=AuditEvent.Kind.REPORT_CHANGED,
        subject=report,
        data={"created": str(report)},
    )
    return report


@transaction.atomic(durable=True)
def report_update(
    *,
    report: ProgressReport,
    acting_user: Any,
    participants: int | None = None,
    narrative: str | None = None,
    values: dict[int, Decimal] | None = None,
    costs: dict[int, int] | None = None,
) -> ProgressReport:
    """Save a draft report. `values` maps indicator ids to actual values (exact decimals),
    `costs` budget line ids to actual costs in öre."""
    _require(permissions.can_report(acting_user, report.project))
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    _in_state(report, ReportStatus.DRAFT, ReportStatus.RETURNED)
    if narrative is not None:
        guard_personal_numbers({"narrative": narrative}, PERSONAL_NUMBER)
        report.narrative = narrative
    if participants is not None:
        report.participants = participants
    report.full_clean()
    report.save()
    _save_values(report, values or {})
    _save_costs(report, costs or {})
    audit_record(
        acting_user=acting_user,
        kind=AuditEvent.Kind.REPORT_CHANGED,
        subject=report,
        data={
            "participants": report.participants,
            "values": {str(k): str(v) for k, v in (values or {}).items()},
            "costs_ore": {str(k): v for k, v in (costs or {}).items()},
        },
    )
    return report


def _save_values(report: ProgressReport, values: dict[int, Decimal]) -> None:
    own = set(report.project.indicators.values_list("pk", flat=True))
    for indicator_id, value in values.items():
        if indicator_id not in own:
            raise ValidationError({f"values.{indicator_id}": str(UNKNOWN_INDICATOR)})
        try:  # the column's digits and decimals, before the database sees it
            IndicatorValue(value=value).clean_fields(exclude=["report", "indicator"])
        except ValidationError as exc:
            raise ValidationError({f"values.{indicator_id}": exc.messages}) from None
        IndicatorValue.objects.update_or_create(
            report=report, indicator_id=indicator_id, defaults={"value": value}
        )


def _save_costs(report: ProgressReport, costs: dict[int, int]) -> None:
    own = set(report.project.budget_lines.values_list("pk", flat=True))
    for line_id, amount in costs.items():
        if line_id not in own:
            raise ValidationError({f"costs.{line_id}": str(UNKNOWN_LINE)})
        if amount < 0:
            raise ValidationError({f"costs.{line_id}": str(NEGATIVE_COST)})
        CostActual.objects.update_or_create(
            report=report, budget_line_id=line_id, defaults={"amount": amount}
        )


def _move(report: ProgressReport, acting_user: Any, status: str, **extra: Any) -> ProgressReport:
    before = report.status
    report.status = status
    for name, value in extra.items():
        setattr(report, name, value)
    report.save()
    if report.due_id is not None:  # the due's kept mark (ReportDue.handed_in)
        ReportDue.objects.filter(pk=report.due_id).update(handed_in=status in HANDED_IN)
    audit_record(
        acting_user=acting_user,
        kind=AuditEvent.Kind.REPORT_CHANGED,
        subject=report,
        data={"status": [before, status], **{k: str(v) for k, v in extra.items()}},
    )
    return report


@transaction.atomic(durable=True)
def report_submit(*, report: ProgressReport, acting_user: Any) -> ProgressReport:
    _require(permissions.can_report(acting_user, report.project))
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    _in_state(report, ReportStatus.DRAFT, ReportStatus.RETURNED)
    given = set(report.values.values_list("indicator_id", flat=True))
    if set(report.project.indicators.values_list("pk", flat=True)) - given:
        raise ValidationError({"values": str(MISSING_VALUES)})
    report = _move(report, acting_user, ReportStatus.SUBMITTED, submitted_at=timezone.now())
    for user in permissions.users_with_role("coordinator"):
        notify(
            user=user,
            subject=_("Report from %(code)s to approve") % {"code": report.project.code},
            body=str(report),
            url=f"/followup/reports/{report.pk}/",
        )
    return report


@transaction.atomic(durable=True)
def report_return(*, report: ProgressReport, comment: str, acting_user: Any) -> ProgressReport:
    _require(permissions.can_approve_reports(acting_user))
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    _in_state(report, ReportStatus.SUBMITTED)
    if not comment.strip():
        raise ValidationError({"comment": str(COMMENT_REQUIRED)})
    guard_personal_numbers({"comment": comment}, PERSONAL_NUMBER)
    report = _move(report, acting_user, ReportStatus.RETURNED, comment=comment.strip())
    notify(
        user=report.created_by,
        subject=_("Report returned for revision"),
        body=comment,
        url=f"/followup/reports/{report.pk}/",
    )
    return report


@transaction.atomic(durable=True)
def report_approve(*, report: ProgressReport, acting_user: Any) -> ProgressReport:
    _require(permissions.can_approve_reports(acting_user))
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    _in_state(report, ReportStatus.SUBMITTED)
    report = _move(report, acting_user, ReportStatus.APPROVED, approved_at=timezone.now())
    notify(
        user=report.created_by,
        subject=_("Report approved"),
        body=str(report),
        url=f"/followup/reports/{report.pk}/",
    )
    return report
