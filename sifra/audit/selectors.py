"""Reads of the audit trail, for the auditor's page, its CSV export and the API."""

import datetime as dt
from dataclasses import dataclass

from django.apps import apps
from django.db.models import QuerySet
from django.utils.text import capfirst

from sifra.audit.models import AuditEvent


@dataclass(frozen=True)
class AuditFilter:
    kind: str = ""
    actor: str = ""
    object_type: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    text: str = ""


def audit_events(*, filters: AuditFilter | None = None) -> QuerySet[AuditEvent]:
    """Events newest first. Dates are days in the site's time zone; `actor` is a username
    (exact, any case); `text` is looked for in the object's name."""
    f = filters or AuditFilter()
    conditions = {
        "kind": f.kind or None,
        "actor__username__iexact": f.actor.strip() or None,
        "object_type": f.object_type or None,
        "created_at__date__gte": f.date_from,
        "created_at__date__lte": f.date_to,
        "object_repr__icontains": f.text.strip() or None,
    }
    return (
        AuditEvent.objects.select_related("actor")
        .filter(**{k: v for k, v in conditions.items() if v is not None})
        .order_by("-created_at", "-id")
    )


def audit_object_types() -> list[tuple[str, str]]:
    """The object types that occur in the trail, as (label, the model's readable name)."""
    labels = AuditEvent.objects.order_by().values_list("object_type", flat=True).distinct()
    return sorted(((label, _model_name(label)) for label in labels), key=lambda c: c[1])


def _model_name(label: str) -> str:
    try:
        return str(capfirst(apps.get_model(label)._meta.verbose_name))
    except (LookupError, ValueError):
        return label
