import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from sifra.notifications.models import Notification

log = logging.getLogger(__name__)


def notify(*, user, subject: str, body: str = "", url: str = "") -> Notification:  # type: ignore[no-untyped-def]
    """A notification in the app, and the same by email once the transaction commits (a mail
    server that is down must not undo the decision that caused it)."""
    note = Notification.objects.create(user=user, subject=subject[:200], body=body, url=url)
    if user.email:
        transaction.on_commit(lambda: _mail(user.email, note))
    return note


def _mail(address: str, note: Notification) -> None:
    link = f"\n\n{settings.SITE_URL}{note.url}" if note.url else ""
    try:
        send_mail(f"Sifra: {note.subject}", f"{note.body}{link}", None, [address])
    except OSError:
        log.exception("could not send the notification email to %s", address)


def notification_mark_read(*, user, ids: list[int] | None = None) -> int:  # type: ignore[no-untyped-def]
    """Mark the user's notifications read (all, or those in `ids`); not audited: it changes
    nothing but the reader's own list."""
    from django.utils import timezone

    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())
