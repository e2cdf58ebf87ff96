from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy

from sifra.accounts import permissions
from sifra.accounts.models import Partner, Unit
from sifra.audit.models import AuditEvent
from sifra.audit.services import audit_record, changes
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
