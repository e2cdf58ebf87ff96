"""Reminders before and after a due date, with a controlled clock: from the sweep, the cron
command, and the tasks a schedule enqueues for the database worker."""

import datetime as dt
import signal
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from sifra.audit.models import AuditEvent
from sifra.followup import services
from sifra.followup.models import ReportDue, ReportKind
from sifra.followup.tasks import send_reminders
from sifra.notifications.models import Notification

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def _due(project, due_date):
    return ReportDue.objects.create(
        project=project,
        kind=ReportKind.PROGRESS,
        period_start=due_date - dt.timedelta(days=210),
        period_end=due_date - dt.timedelta(days=30),
        due_date=due_date,
    )


def _reminders(user=None):
    notes = Notification.objects.filter(subject__contains="P-1")
    return notes.filter(user=user) if user else notes


def test_a_due_ten_days_ahead_gets_one_reminder_before(project, users):
    due = _due(project, dt.date(2026, 9, 10))
    assert send_reminders(today=dt.date(2026, 8, 31)) == 1
    assert send_reminders(today=dt.date(2026, 9, 1)) == 0
    (note,) = _reminders()
    assert note.user == users["applicant"]
    assert note.subject == "Due 2026-09-10: the progress report of P-1"
    assert note.url == f"/followup/projects/{project.pk}/"
    due.refresh_from_db()
    assert due.reminded_before_at and due.reminded_overdue_at is None
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.REPORT_REMINDED).count() == 1


def test_a_due_further_ahead_gets_none_yet(project):
    _due(project, dt.date(2026, 9, 30))
    assert send_reminders(today=dt.date(2026, 9, 1)) == 0


def test_an_overdue_due_gets_one_overdue_reminder_also_to_coordinators(project, users):
    _due(project, dt.date(2026, 9, 10))
    assert send_reminders(today=dt.date(2026, 8, 31)) == 1
    assert send_reminders(today=dt.date(2026, 9, 11)) == 1
    assert send_reminders(today=dt.date(2026, 9, 20)) == 0
    overdue = _reminders().filter(subject__startswith="Overdue")
    assert {n.user for n in overdue} == {users["applicant"], users["coordinator"]}
    assert not _reminders(users["outsider"]).exists()


def test_a_submitted_report_gets_no_reminder(project, users, coordinator):
    due = _due(project, dt.date(2026, 9, 10))
    report = services.report_create(project=project, due=due, acting_user=users["applicant"])
    services.report_submit(report=report, acting_user=users["applicant"])  # no indicators
    assert send_reminders(today=dt.date(2026, 9, 5)) == 0
    assert send_reminders(today=dt.date(2026, 9, 20)) == 0


def test_a_draft_still_gets_reminded(project, users):
    due = _due(project, dt.date(2026, 9, 10))
    services.report_create(project=project, due=due, acting_user=users["applicant"])
    assert send_reminders(today=dt.date(2026, 9, 20)) == 1


def test_the_command_uses_today_and_prints_the_count(project, users):
    _due(project, dt.date(2026, 9, 10))
    _due(project, dt.date(2026, 9, 12))
    out = StringIO()
    with time_machine.travel(dt.datetime(2026, 9, 1, 7, 0, tzinfo=STOCKHOLM), tick=False):
        call_command("send_reminders", stdout=out)
        assert out.getvalue().strip() == "2 reminder(s) sent."
        out = StringIO()
        call_command("send_reminders", stdout=out)
    assert out.getvalue().strip() == "0 reminder(s) sent."


def test_setting_the_schedule_enqueues_the_reminder_tasks(
    dated_project, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dues = services.schedule_set(project=dated_project, every_months=6, acting_user=coordinator)
    expected = sorted(
        {d.due_date - dt.timedelta(days=14) for d in dues}
        | {d.due_date + dt.timedelta(days=1) for d in dues}
    )
    tasks = DBTaskResult.objects.order_by("run_after")
    assert [t.run_after.astimezone(STOCKHOLM).date() for t in tasks] == expected
    assert {t.run_after.astimezone(STOCKHOLM).time() for t in tasks} == {dt.time(9, 0)}
    assert {t.task_path for t in tasks} == {"sifra.followup.tasks.send_reminders_task"}
    assert dt.date(2026, 7, 16) in expected  # 14 days before the first due, 2026-07-30


@pytest.fixture
def restore_signals():
    """The worker installs its own SIGINT/SIGTERM handlers and leaves them."""
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    yield
    for s, handler in saved.items():
        signal.signal(s, handler)


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_a_due_task_and_reminds(dated_project, coordinator, users, restore_signals):
    services.schedule_set(project=dated_project, every_months=6, acting_user=coordinator)
    assert DBTaskResult.objects.exists()  # enqueued on commit
    with time_machine.travel(dt.datetime(2026, 7, 10, 9, 0, tzinfo=STOCKHOLM), tick=False):
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert not _reminders().exists()
    assert not DBTaskResult.objects.filter(status="SUCCESSFUL").exists()

    with time_machine.travel(dt.datetime(2026, 7, 16, 9, 1, tzinfo=STOCKHOLM), tick=False):
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    (done,) = DBTaskResult.objects.filter(status="SUCCESSFUL")
    assert done.run_after.astimezone(STOCKHOLM) == dt.datetime(2026, 7, 16, 9, 0, tzinfo=STOCKHOLM)
    assert done.return_value == 1
    (note,) = _reminders()
    assert note.user == users["applicant"]
    assert note.subject == "Due 2026-07-30: the progress report of P-1"
    assert DBTaskResult.objects.filter(status="READY").count() == DBTaskResult.objects.count() - 1


def test_reminders_of_a_fully_reported_due_stop(dated_project, coordinator, users, indicator):
    services.schedule_set(project=dated_project, every_months=6, acting_user=coordinator)
    due = dated_project.dues.order_by("due_date").first()
    report = services.report_create(project=dated_project, due=due, acting_user=users["applicant"])
    services.report_update(
        report=report, acting_user=users["applicant"], values={indicator.pk: Decimal(20)}
    )
    assert send_reminders(today=dt.date(2026, 7, 20)) == 1  # a draft is not handed in
    services.report_submit(report=report, acting_user=users["applicant"])
    assert send_reminders(today=dt.date(2026, 8, 5)) == 0
