"""Reads of follow-up for work queues: reports waiting for someone, projects without a plan."""

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from sifra.followup.charts import SOON_DAYS
from sifra.followup.models import ProgressReport, ReportDue, ReportStatus
from sifra.projects.models import Project

RUNNING = (Project.Status.ACTIVE, Project.Status.REPORTING)


def _of(qs: QuerySet[Any], projects: QuerySet[Project], field: str = "project") -> QuerySet[Any]:
    """`qs` limited to `projects`. Staff see every project, an unfiltered queryset: then no
    limit at all, since a subquery of every project leads SQLite's planner to walk all projects
    instead of the few reports of the status asked for."""
    if not projects.query.has_filters():
        return qs
    return qs.filter(**{f"{field}__in": projects.values("pk")})


def reports_to_approve(*, projects: QuerySet[Project]) -> QuerySet[ProgressReport]:
    """Submitted reports of `projects`, the longest waiting first."""
    return (
        _of(ProgressReport.objects.filter(status=ReportStatus.SUBMITTED), projects)
        .select_related("project", "due")
        .order_by("submitted_at", "id")
    )


def reports_returned(*, projects: QuerySet[Project]) -> QuerySet[ProgressReport]:
    """Reports the coordinator sent back for revision."""
    return (
        _of(ProgressReport.objects.filter(status=ReportStatus.RETURNED), projects)
        .select_related("project", "due")
        .order_by("period_end", "id")
    )


def projects_without_schedule(*, projects: QuerySet[Project]) -> QuerySet[Project]:
    """Running projects that owe no report at all: nobody has set their reporting plan."""
    return (
        _of(Project.objects.filter(status__in=RUNNING, dues__isnull=True), projects, "pk")
        .select_related("fund", "lead_unit")
        .order_by("created_at", "id")
    )


def dues_open(
    *, projects: QuerySet[Project], today: dt.date | None = None, within_days: int = SOON_DAYS
) -> QuerySet[ReportDue]:
    """Reports not handed in that are overdue or due within `within_days`, the earliest first.
    A returned report counts as not handed in."""
    today = today or timezone.localdate()
    return (
        _of(
            ReportDue.objects.filter(due_date__lte=today + dt.timedelta(days=within_days)), projects
        )
        .filter(handed_in=False)
        .select_related("project", "report")
        .order_by("due_date", "id")
    )
