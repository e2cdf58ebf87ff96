"""Reads of follow-up for work queues: reports waiting for someone, projects without a plan."""

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from sifra.followup.charts import DONE, SOON_DAYS
from sifra.followup.models import ProgressReport, ReportDue, ReportStatus
from sifra.projects.models import Project

RUNNING = (Project.Status.ACTIVE, Project.Status.REPORTING)


def reports_to_approve(*, projects: QuerySet[Project]) -> QuerySet[ProgressReport]:
    """Submitted reports of `projects`, the longest waiting first."""
    return (
        ProgressReport.objects.filter(project__in=projects, status=ReportStatus.SUBMITTED)
        .select_related("project", "due")
        .order_by("submitted_at", "id")
    )


def reports_returned(*, projects: QuerySet[Project]) -> QuerySet[ProgressReport]:
    """Reports the coordinator sent back for revision."""
    return (
        ProgressReport.objects.filter(project__in=projects, status=ReportStatus.RETURNED)
        .select_related("project", "due")
        .order_by("period_end", "id")
    )


def projects_without_schedule(*, projects: QuerySet[Project]) -> QuerySet[Project]:
    """Running projects that owe no report at all: nobody has set their reporting plan."""
    return (
        Project.objects.filter(pk__in=projects.values("pk"), status__in=RUNNING, dues__isnull=True)
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
        ReportDue.objects.filter(
            project__in=projects, due_date__lte=today + dt.timedelta(days=within_days)
        )
        .exclude(report__status__in=DONE)
        .select_related("project", "report")
        .order_by("due_date", "id")
    )
