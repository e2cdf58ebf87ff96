from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from sifra.accounts.models import ApiToken


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <key>` for scripts; the key is looked up by its digest."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = ApiToken.find_active(token)
        if found is None:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


# The bearer token is tried first: a script's POST carries no CSRF token, and session
# authentication would refuse it before the token were looked at.
API_AUTH = [TokenAuth(), SessionAuth()]
