"""ReportDue.handed_in, the dues' kept mark: it follows the report through draft, submitted,
returned and approved; the open dues read by it are those whose report is not handed in; the
data migration sets it from the reports."""

import importlib

from django.apps import apps

from sifra.followup import selectors, services
from sifra.followup.models import HANDED_IN, ReportDue
from tests.followup.test_followup_services import _fill


def open_by_reports(project):
    """The open dues by their reports' statuses, not by the kept mark."""
    return sorted(d.pk for d in project.dues.exclude(report__status__in=HANDED_IN))


def test_the_mark_follows_the_report(dated_project, users, indicator, budget_line, coordinator):
    applicant = users["applicant"]
    services.schedule_set(project=dated_project, every_months=6, acting_user=coordinator)
    due = dated_project.dues.order_by("due_date").first()
    others = dated_project.dues.exclude(pk=due.pk).count()
    assert others >= 3

    def mark():
        due.refresh_from_db()
        assert sorted(d.pk for d in dated_project.dues.filter(handed_in=False)) == (
            open_by_reports(dated_project)
        )
        return due.handed_in

    report = services.report_create(project=dated_project, due=due, acting_user=applicant)
    assert mark() is False  # a draft is not handed in
    _fill(report, applicant, indicator, budget_line)
    report = services.report_submit(report=report, acting_user=applicant)
    assert mark() is True
    report = services.report_return(report=report, comment="Fel period.", acting_user=coordinator)
    assert mark() is False
    report = services.report_submit(report=report, acting_user=applicant)
    services.report_approve(report=report, acting_user=coordinator)
    assert mark() is True
    everyone = dated_project.__class__.objects.all()
    listed = selectors.dues_open(projects=everyone, within_days=10_000)
    assert due.pk not in {d.pk for d in listed} and len(listed) == others
    ReportDue.objects.update(handed_in=False)
    importlib.import_module("sifra.followup.migrations.0002_work_queue_indexes").fill(apps, None)
    assert mark() is True
    assert ReportDue.objects.filter(handed_in=True).count() == 1
