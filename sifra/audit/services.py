from typing import Any

from django.db import models

from sifra.audit.models import AuditEvent


def audit_record(
    *, acting_user: Any, kind: str, subject: models.Model, data: dict[str, Any] | None = None
) -> AuditEvent:
    """Called by every service that changes something, inside its transaction."""
    return AuditEvent.objects.create(
        actor=acting_user if getattr(acting_user, "pk", None) else None,
        kind=kind,
        object_type=subject._meta.label_lower,
        object_id=str(subject.pk),
        object_repr=str(subject)[:300],
        data=data or {},
    )


def changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """The fields that changed, as {field: [before, after]}, for an audit row."""
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
