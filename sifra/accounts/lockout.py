"""Login protection on top of django-axes.

Axes counts failures per (username, client address), so an attacker elsewhere cannot lock a user
out. This handler adds a second count per address across all usernames, against password
spraying, and makes a lockout look like any failed login.
"""

from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sifra.accounts.forms import LOGIN_FAILED, LoginForm


def address_failures(request: HttpRequest) -> int:
    """Failed logins from the request's address, for any username, within the cool-off time."""
    attempts = AccessAttempt.objects.filter(
        ip_address=request.axes_ip_address,  # type: ignore[attr-defined]
        attempt_time__gte=get_cool_off_threshold(request),
    )
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


def _address_locked(request: HttpRequest) -> bool:
    return address_failures(request) >= settings.SIFRA_ADDRESS_FAILURE_LIMIT


class LockoutHandler(AxesDatabaseHandler):
    def is_locked(self, request: Any, credentials: dict[str, Any] | None = None) -> bool:
        return super().is_locked(request, credentials) or _address_locked(request)

    def user_login_failed(
        self, sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
    ) -> None:
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None and _address_locked(request):
            request.axes_locked_out = True
            request.axes_credentials = credentials


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The login page with the same message as a wrong password, so a lock tells an attacker
    nothing about the username; the status is 429 for proxies and monitoring."""
    if original_response is not None and original_response.status_code == 200:
        original_response.status_code = 429
        return original_response
    context = {"form": LoginForm(request), "login_error": LOGIN_FAILED}
    return render(request, "accounts/login.html", context, status=429)
