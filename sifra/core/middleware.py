"""Permissions-Policy: Django has no setting for it and django-csp covers only CSP."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

HEADER = "Permissions-Policy"


def permissions_policy(policy: dict[str, list[str]]) -> str:
    """`{"camera": [], "fullscreen": ["self"]}` → `camera=(), fullscreen=(self)`."""
    return ", ".join(f"{feature}=({' '.join(allow)})" for feature, allow in policy.items())


class PermissionsPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.header = permissions_policy(getattr(settings, "PERMISSIONS_POLICY", {}))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault(HEADER, self.header)
        return response
