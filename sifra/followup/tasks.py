"""Reminders of reports that are due soon or overdue.

Background work goes through Django's Tasks API (the django-tasks backport): when a schedule is
set, a reminder task is enqueued to run 14 days before each due date and the day after it, and
`sifra db_worker` runs them. `sifra send_reminders` does the same sweep from cron. Both are
idempotent: a due is reminded once before and once when overdue."""

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from sifra.accounts.models import Role, User
from sifra.audit.models import AuditEvent
from sifra.audit.services import audit_record
from sifra.followup.models import HANDED_IN, ReportDue
from sifra.followup.services import REMIND_DAYS_BEFORE
from sifra.notifications.services import notify


def _open_dues() -> "Iterable[ReportDue]":
    done = Q(report__status__in=HANDED_IN)
    return ReportDue.objects.select_related("project", "project__lead_unit").exclude(done)


def _recipients(due: ReportDue, *, overdue: bool) -> set[User]:
    people = set(
        User.objects.filter(role=Role.APPLICANT, is_active=True, units__in=due.project.units.all())
    )
    if overdue:
        people |= set(User.objects.filter(role=Role.COORDINATOR, is_active=True))
    return people


def _remind(due: ReportDue, *, overdue: bool) -> None:
    subject = (
        _("Overdue: the %(kind)s of %(code)s was due %(date)s")
        if overdue
        else _("Due %(date)s: the %(kind)s of %(code)s")
    )
    text = subject % {
        "kind": due.get_kind_display(),
        "code": due.project.code,
        "date": due.due_date.isoformat(),
    }
    for user in _recipients(due, overdue=overdue):
        notify(
            user=user,
            subject=text,
            body=due.project.title,
            url=f"/followup/projects/{due.project_id}/",
        )
    field = "reminded_overdue_at" if overdue else "reminded_before_at"
    ReportDue.objects.filter(pk=due.pk).update(**{field: timezone.now()})
    audit_record(
        acting_user=None,
        kind=AuditEvent.Kind.REPORT_REMINDED,
        subject=due,
        data={"overdue": overdue, "due": due.due_date.isoformat()},
    )


def send_reminders(today: dt.date | None = None) -> int:
    """Remind of every open due that is close or past; returns the number of reminders."""
    today = today or timezone.localdate()
    sent = 0
    for due in _open_dues():
        with transaction.atomic():
            if due.due_date < today and due.reminded_overdue_at is None:
                _remind(due, overdue=True)
                sent += 1
            elif (
                today >= due.due_date - dt.timedelta(days=REMIND_DAYS_BEFORE)
                and due.due_date >= today
                and due.reminded_before_at is None
            ):
                _remind(due, overdue=False)
                sent += 1
    return sent


@task()
def send_reminders_task() -> int:
    return send_reminders()


def _at_nine(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))


def schedule_reminders(dues: Iterable[ReportDue]) -> None:
    """Enqueue the reminder sweep for the day a reminder falls due and the day after each due.
    A backend that cannot defer (SIFRA_TASKS_BACKEND=immediate) runs the sweep once now instead
    (it is idempotent); later days are then left to `sifra send_reminders` from cron."""
    days = set()
    for due in dues:
        days.add(due.due_date - dt.timedelta(days=REMIND_DAYS_BEFORE))
        days.add(due.due_date + dt.timedelta(days=1))
    if not send_reminders_task.get_backend().supports_defer:
        if days:
            send_reminders_task.enqueue()
        return
    for day in sorted(days):
        send_reminders_task.using(run_after=_at_nine(day)).enqueue()
