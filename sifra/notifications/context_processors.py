from typing import Any

from django.http import HttpRequest

from sifra.notifications.models import Notification


def unread(request: HttpRequest) -> dict[str, Any]:
    """`unread_notifications`: the count behind the badge in the header (one query a page)."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {"unread_notifications": 0}
    count = Notification.objects.filter(user=user, read_at__isnull=True).count()
    return {"unread_notifications": count}
