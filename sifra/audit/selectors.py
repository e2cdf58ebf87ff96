"""Reads of the audit trail, for the auditor's page, its CSV export and the API."""

import datetime as dt
from dataclasses import dataclass

from django.apps import apps
from django.db import connection
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
    return sorted(
        ((label, _model_name(label)) for label in _object_type_labels()), key=lambda c: c[1]
    )


def _object_type_labels() -> list[str]:
    """The distinct object types, one index seek each (a "loose index scan" over the index on
    object_type, in SQL that SQLite and PostgreSQL both run): SELECT DISTINCT would read every
    event of a trail that only grows, for the dozen types it holds."""
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    sql = f"""
        WITH RECURSIVE types(label) AS (
            SELECT MIN(object_type) FROM {table}
            UNION ALL
            SELECT (SELECT MIN(object_type) FROM {table} WHERE object_type > types.label)
            FROM types WHERE types.label IS NOT NULL
        )
        SELECT label FROM types WHERE label IS NOT NULL
    """
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [row[0] for row in cursor.fetchall()]


def _model_name(label: str) -> str:
    try:
        return str(capfirst(apps.get_model(label)._meta.verbose_name))
    except (LookupError, ValueError):
        return label
