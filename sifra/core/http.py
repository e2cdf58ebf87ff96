"""Small helpers for thin views."""

from typing import Any

from django.core.exceptions import PermissionDenied


def require(allowed: bool) -> None:
    """Refuse with 403 unless `allowed`; views call it with a function from permissions."""
    if not allowed:
        raise PermissionDenied


def first_error(exc: Any) -> str:
    return "; ".join(exc.messages)
