"""The signed-in user's own notifications: the list, opening one, marking all read."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from sifra.notifications.models import Notification
from sifra.notifications.services import notification_mark_read

PER_PAGE = 50


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    notes = Notification.objects.filter(user=request.user).order_by("-created_at", "-id")
    page = Paginator(notes, PER_PAGE).get_page(request.GET.get("page"))
    has_unread = notes.filter(read_at__isnull=True).exists()
    return render(request, "notifications/list.html", {"page": page, "has_unread": has_unread})


@login_required
@require_GET
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark it read and follow its link. A GET, so that it is a plain link: it changes nothing
    but the reader's own list. Only local paths are followed, never another site."""
    note = get_object_or_404(Notification, pk=pk, user=request.user)
    notification_mark_read(user=request.user, ids=[note.pk])
    if is_local_path(note.url):
        return redirect(note.url)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_mark_all_read(request: HttpRequest) -> HttpResponse:
    notification_mark_read(user=request.user)
    return redirect("notifications:list")


def is_local_path(url: str) -> bool:
    """'/applications/3/' yes; '//evil.example', '/\\evil.example', 'https://…' no."""
    return url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=None)
