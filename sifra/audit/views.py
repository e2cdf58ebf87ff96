"""The audit trail for auditors and coordinators: a filtered, paginated list and its CSV export.
Nothing here writes: audit events are only ever added by the services that change things."""

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from sifra.accounts import permissions
from sifra.audit.forms import AuditFilterForm
from sifra.audit.models import AuditEvent
from sifra.audit.selectors import audit_events
from sifra.core.exports import csv_text
from sifra.core.http import download_name, require

PAGE_SIZE = 100


def _value(value: Any) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(_value(v) for v in value) or "–"
    return str(value)


def event_details(event: AuditEvent) -> list[str]:
    """The event's data as lines people can read: `field: before → after` for a change (the
    `*.updated` kinds store [before, after] pairs), `field: value` otherwise."""
    pairs = event.kind.endswith(".updated")
    lines = []
    for key, value in (event.data or {}).items():
        if pairs and isinstance(value, list) and len(value) == 2:
            lines.append(f"{key}: {_value(value[0])} → {_value(value[1])}")
        else:
            lines.append(f"{key}: {_value(value)}")
    return lines


@login_required
@require_safe
def event_list(request: HttpRequest) -> HttpResponse:
    require(permissions.can_view_audit(request.user))
    form = AuditFilterForm(request.GET or None)
    page = Paginator(audit_events(filters=form.to_filter()), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/event_list.html",
        {
            "form": form,
            "page": page,
            "events": [(e, event_details(e)) for e in page.object_list],
            "query": query.urlencode(),
        },
    )


def events_csv(events: Iterable[AuditEvent]) -> str:
    """Semicolon-separated with a byte-order mark, as Excel in a Swedish locale expects."""
    header = [
        _("Time"),
        _("By"),
        _("Event"),
        _("Object type"),
        _("Object id"),
        _("Object"),
        _("Details"),
    ]
    return csv_text([header, *(_event_row(e) for e in events)])


def _event_row(e: AuditEvent) -> list[object]:
    return [
        timezone.localtime(e.created_at).strftime("%Y-%m-%d %H:%M:%S"),
        e.actor.username if e.actor else "",
        e.kind,
        e.object_type,
        e.object_id,
        e.object_repr,
        "; ".join(event_details(e)),
    ]


@login_required
@require_safe
def event_export(request: HttpRequest) -> HttpResponse:
    require(permissions.can_view_audit(request.user))
    events = audit_events(filters=AuditFilterForm(request.GET or None).to_filter())
    response = HttpResponse(events_csv(events.iterator()), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = (
        content_disposition_header(True, f"{download_name(_('audit-trail'), stamp)}.csv") or ""
    )
    return response
