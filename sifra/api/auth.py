from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy
from ninja.security import HttpBearer, SessionAuth

from sifra.accounts.models import ApiToken
from sifra.accounts.second_factor import needs_verification

TOKEN_NOT_ENOUGH = gettext_lazy(
    "An API token cannot do this: log in with your password (and second factor) instead."
)


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <key>` for scripts; the key is looked up by its digest."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = ApiToken.find_active(token)
        if found is None:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        request.api_token = found  # type: ignore[attr-defined]
        return found.user


def require_session(request: HttpRequest) -> None:
    """Refuse a request authenticated by a token: what a token could do with its own account
    (mint more tokens, change the password) would let a leaked token outlive its revocation."""
    if getattr(request, "api_token", None) is not None:
        raise PermissionDenied(TOKEN_NOT_ENOUGH)


class VerifiedSessionAuth(SessionAuth):
    """The browser session, once the second factor is verified where one is required."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is None or needs_verification(request.user):
            return None
        return user


# The bearer token is tried first: a script's POST carries no CSRF token, and session
# authentication would refuse it before the token were looked at.
API_AUTH = [TokenAuth(), VerifiedSessionAuth()]
