import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from sifra.accounts import permissions
from sifra.api.schemas import In, PageIn
from sifra.audit.models import AuditEvent
from sifra.audit.selectors import AuditFilter, audit_events
from sifra.core.http import require

router = Router(tags=["audit"])


class BoundedLimitOffset(LimitOffsetPagination):
    """Ninja's paging with the offset bounded to what a database can skip."""

    Input = PageIn


class AuditQuery(In):
    kind: str = Field("", max_length=40)
    actor: str = Field("", max_length=150)
    object_type: str = Field("", max_length=60)
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    text: str = Field("", max_length=300)


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
@paginate(BoundedLimitOffset)
def list_events(request: HttpRequest, filters: Query[AuditQuery]) -> Any:
    require(permissions.can_view_audit(request.user))
    return audit_events(filters=AuditFilter(**filters.dict()))
