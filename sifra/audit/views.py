"""The audit trail for auditors and coordinators: a filtered, paginated list and its CSV export.
Nothing here writes: audit events are only ever added by the services that change things."""

from collections.abc import Iterable

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from sifra.accounts import permissions
from sifra.audit.forms import AuditFilterForm
from sifra.audit.models import AuditEvent
from sifra.audit.presentation import (
    event_details,
    event_object_label,
    event_object_name,
    kind_name,
    local_time,
    object_links,
    object_type_name,
)
from sifra.audit.selectors import audit_events
from sifra.core.exports import csv_text
from sifra.core.http import download_name, require
from sifra.core.pagination import KeyedPaginator

PAGE_SIZE = 100


@login_required
@require_safe
def event_list(request: HttpRequest) -> HttpResponse:
    require(permissions.can_view_audit(request.user))
    form = AuditFilterForm(request.GET or None)
    page = KeyedPaginator(audit_events(filters=form.to_filter()), PAGE_SIZE).get_page(
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
            "events": _rows(page.object_list),
            "time_zone": timezone.get_current_timezone_name(),
            "query": query.urlencode(),
        },
    )


def _rows(events: Iterable[AuditEvent]) -> list[dict[str, object]]:
    events = list(events)
    links = object_links(events)
    return [
        {
            "event": e,
            "time": local_time(e.created_at),
            "kind": kind_name(e),
            "object": event_object_label(e),
            "url": links.get(e.pk),
            "details": details,
            "has_changes": any(d.is_change for d in details),
        }
        for e, details in ((e, event_details(e)) for e in events)
    ]


def events_csv(events: Iterable[AuditEvent]) -> str:
    """Semicolon-separated with a byte-order mark, as Excel in a Swedish locale expects."""
    header = [
        _("Time (%(zone)s)") % {"zone": timezone.get_current_timezone_name()},
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
        local_time(e.created_at),
        e.actor.username if e.actor else "",
        str(e.get_kind_display()).capitalize(),
        object_type_name(e.object_type),
        e.object_id,
        event_object_name(e),
        "; ".join(str(d) for d in event_details(e)),
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
