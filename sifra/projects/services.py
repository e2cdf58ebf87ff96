from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext, gettext_lazy

from sifra.accounts import permissions
from sifra.accounts.models import Partner, Unit
from sifra.audit.models import AuditEvent
from sifra.audit.services import audit_record, changes
from sifra.core.personnummer import refuse_personal_numbers
from sifra.projects.models import Project

NOT_ALLOWED = gettext_lazy("You may not do this.")
CODE_TAKEN = gettext_lazy("The fund already has a project with this reference.")


PROJECT_FIELDS = (
    "code",
    "title",
    "description",
    "lead_unit",
    "status",
    "decision_ref",
    "start_date",
    "end_date",
)


def _snapshot(project: Project) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for f in PROJECT_FIELDS:
        value = getattr(project, f)
        data[f] = str(value) if hasattr(value, "pk") or hasattr(value, "isoformat") else value
    if project.pk:
        data["units"] = sorted(u.name for u in project.units.all())
        data["partners"] = sorted(p.name for p in project.partners.all())
    return data


def _save(project: Project, units: list[Unit], partners: list[Partner]) -> None:
    if Project.objects.filter(fund=project.fund, code=project.code).exclude(pk=project.pk).exists():
        raise ValidationError({"code": str(CODE_TAKEN)})
    if project.lead_unit_id not in {u.pk for u in units}:
        units = [project.lead_unit, *units]
    project.full_clean()
    project.save()
    project.units.set(units)
    project.partners.set(partners)


@transaction.atomic(durable=True)
def project_create(
    *,
    fund: Any,
    acting_user: Any,
    units: list[Unit] | None = None,
    partners: list[Partner] | None = None,
    **fields: Any,
) -> Project:
    if not permissions.can_manage_projects(acting_user):
        raise PermissionDenied(NOT_ALLOWED)
    project = Project(fund=fund, **fields)
    _save(project, list(units or []), list(partners or []))
    audit_record(
        acting_user=acting_user,
        kind=AuditEvent.Kind.PROJECT_CREATED,
        subject=project,
        data=_snapshot(project),
    )
    return project


@transaction.atomic(durable=True)
def project_update(
    *,
    project: Project,
    acting_user: Any,
    units: list[Unit] | None = None,
    partners: list[Partner] | None = None,
    **fields: Any,
) -> Project:
    if not permissions.can_manage_projects(acting_user):
        raise PermissionDenied(NOT_ALLOWED)
    project = Project.objects.select_for_update().get(pk=project.pk)
    before = _snapshot(project)
    for name, value in fields.items():
        if name not in PROJECT_FIELDS:
            raise TypeError(f"unknown project field: {name}")
        setattr(project, name, value)
    _save(
        project,
        list(units) if units is not None else list(project.units.all()),
        list(partners) if partners is not None else list(project.partners.all()),
    )
    diff = changes(before, _snapshot(project))
    if diff:
        audit_record(
            acting_user=acting_user,
            kind=AuditEvent.Kind.PROJECT_UPDATED,
            subject=project,
            data=diff,
        )
    return project


NO_FINAL_REPORT = gettext_lazy("Close the project once its final report is approved.")
OUTCOME_REQUIRED = gettext_lazy(
    "Say whether the work is brought into ordinary operations or stopped."
)
ALREADY_CLOSED = gettext_lazy("The project is already closed.")


@transaction.atomic(durable=True)
def project_close(*, project: Project, outcome: str, note: str, acting_user: Any) -> Project:
    """The end of a project: its final report approved, the decision to bring the work into
    ordinary operations or to stop it, and any unused commitment released back to the fund."""
    from django.utils import timezone

    from sifra.followup.models import ReportKind, ReportStatus
    from sifra.funds.models import EntryKind
    from sifra.funds.selectors import project_balances
    from sifra.funds.services import _locked_fund, post_entry

    if not permissions.can_manage_projects(acting_user):
        raise PermissionDenied(NOT_ALLOWED)
    _locked_fund(project.fund)
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.closed_at is not None:
        raise ValidationError({"__all__": str(ALREADY_CLOSED)})
    if outcome not in ("implement", "stop"):
        raise ValidationError({"outcome": str(OUTCOME_REQUIRED)})
    refuse_personal_numbers(note=note)
    if not project.reports.filter(kind=ReportKind.FINAL, status=ReportStatus.APPROVED).exists():
        raise ValidationError({"__all__": str(NO_FINAL_REPORT)})
    unused = project_balances(project=project).committed
    if unused > 0:
        post_entry(
            fund=project.fund,
            kind=EntryKind.RELEASE,
            amount=unused,
            project=project,
            text=gettext("Unused commitment released at closing"),
            acting_user=acting_user,
            decision_ref=project.decision_ref,
        )
    before = project.status
    project.status, project.outcome = Project.Status.CLOSED, outcome
    project.closing_note, project.closed_at = note.strip(), timezone.now()
    project.save()
    audit_record(
        acting_user=acting_user,
        kind=AuditEvent.Kind.PROJECT_CLOSED,
        subject=project,
        data={
            "status": [before, project.status],
            "outcome": outcome,
            "released_ore": unused,
            "note": project.closing_note,
        },
    )
    return project
