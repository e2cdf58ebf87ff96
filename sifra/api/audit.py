import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from sifra.accounts import permissions
from sifra.audit.models import AuditEvent
from sifra.core.http import require

router = Router(tags=["audit"])


class EventOut(Schema):
    id: int
    created_at: dt.datetime
    actor: str | None
    kind: str
    object_type: str
    object_id: str
    object_repr: str
    data: dict[str, Any]

    @staticmethod
    def resolve_actor(obj: AuditEvent) -> str | None:
        return obj.actor.username if obj.actor else None


@router.get("", response=list[EventOut], summary="The audit trail, newest first")
@paginate(LimitOffsetPagination)
def list_events(
    request: HttpRequest, kind: str = "", actor: str = "", object_type: str = "",
    date_from: dt.date | None = None, date_to: dt.date | None = None,
) -> Any:
    require(permissions.can_view_audit(request.user))
    qs = AuditEvent.objects.select_related("actor")
    conditions = {
        "kind": kind or None, "actor__username": actor or None, "object_type": object_type or None,
        "created_at__date__gte": date_from, "created_at__date__lte": date_to,
    }
    return qs.filter(**{k: v for k, v in conditions.items() if v is not None})
