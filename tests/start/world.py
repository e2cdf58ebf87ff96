"""A world that grows: `grow(n)` adds n of every kind of work to every role's queue, so the
start page can be measured with 3 and with 30 of each. Rows are made with the ORM (the services
are tested elsewhere); what matters here is what the selectors read."""

import datetime as dt
import itertools

from django.utils import timezone

from sifra.applications.models import Application, Review, Status
from sifra.audit.models import AuditEvent
from sifra.followup.models import HANDED_IN, ProgressReport, ReportDue, ReportKind, ReportStatus
from sifra.funds.models import LedgerEntry
from sifra.projects.models import Project
from sifra.repayment.models import Agreement, Claim

_serial = itertools.count(1)


def _application(fund, unit, user, status, **extra):
    n = next(_serial)
    return Application.objects.create(
        fund=fund,
        reference=f"ANS-T-{n:04d}",
        title=f"Ansökan {n}",
        status=status,
        lead_unit=unit,
        created_by=user,
        submitted_at=timezone.now() if status != Status.DRAFT else None,
        **extra,
    )


def _project(fund, unit, user, **extra):
    n = next(_serial)
    today = timezone.localdate()
    project = Project.objects.create(
        fund=fund,
        code=f"P-T-{n:04d}",
        title=f"Projekt {n}",
        lead_unit=unit,
        start_date=dt.date(today.year - 1, 1, 1),
        **extra,
    )
    project.units.add(unit)
    return project


def _due(project, days, kind=ReportKind.PROGRESS):
    day = timezone.localdate() + dt.timedelta(days=days)
    return ReportDue.objects.create(
        project=project,
        kind=kind,
        period_start=day - dt.timedelta(days=180),
        period_end=day - dt.timedelta(days=30),
        due_date=day,
    )


def _report(project, due, status, user):
    # written directly, as the demo's builders do: the due's kept mark set as the services do
    ReportDue.objects.filter(pk=due.pk).update(handed_in=status in HANDED_IN)
    return ProgressReport.objects.create(
        project=project,
        due=due,
        kind=due.kind,
        period_start=due.period_start,
        period_end=due.period_end,
        status=status,
        created_by=user,
        submitted_at=timezone.now(),
    )


def grow(n, *, fund, unit, users):
    """Add n of each: submitted, fully reviewed, awaiting review, proposed, draft and returned
    applications; running projects with a report due soon, one submitted and one returned;
    projects without a reporting plan; savings agreements without last year's saving; overdue
    claims; and two audit events per project (the project and its ledger entry)."""
    coordinator, applicant, council = users["coordinator"], users["applicant"], users["council"]
    year = timezone.localdate().year
    for _ in range(n):
        _application(fund, unit, applicant, Status.SUBMITTED)
        reviewed = _application(fund, unit, applicant, Status.IN_REVIEW)
        Review.objects.create(application=reviewed, reviewer=council, submitted_at=timezone.now())
        waiting = _application(fund, unit, applicant, Status.IN_REVIEW)
        Review.objects.create(application=waiting, reviewer=council)
        _application(fund, unit, applicant, Status.RECOMMENDED)
        _application(fund, unit, applicant, Status.DRAFT)
        _application(fund, unit, applicant, Status.RETURNED)

        project = _project(fund, unit, coordinator)
        _due(project, 10)  # due soon, nothing written
        _report(project, _due(project, -20), ReportStatus.SUBMITTED, applicant)
        _report(project, _due(project, 200), ReportStatus.RETURNED, applicant)
        _project(fund, unit, coordinator)  # no reporting plan

        Agreement.objects.create(
            project=project, model="savings_share", cap=1, created_by=coordinator
        )
        number = LedgerEntry.objects.filter(fund=fund).count() + 1
        entry = LedgerEntry.objects.create(
            fund=fund,
            number=number,
            kind="claim",
            amount=100_000,
            date=dt.date(year - 1, 1, 31),
            fiscal_year=year - 1,
            text="Krav",
            project=project,
            d_claims=100_000,
            posted_by=coordinator,
        )
        Claim.objects.create(
            project=project,
            unit=unit,
            year=year - 2,
            amount=100_000,
            due_date=dt.date(year - 1, 6, 30),
            ledger_entry=entry,
        )
        for subject, label in ((project, "projects.project"), (entry, "funds.ledgerentry")):
            AuditEvent.objects.create(
                actor=coordinator,
                kind=AuditEvent.Kind.PROJECT_CREATED,
                object_type=label,
                object_id=str(subject.pk),
                object_repr=str(subject),
                data={"amount_ore": 100_000},
            )
