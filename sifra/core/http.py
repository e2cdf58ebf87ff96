"""Small helpers for thin views."""

from typing import Any

from django.core.exceptions import PermissionDenied


def require(allowed: bool) -> None:
    """Refuse with 403 unless `allowed`; views call it with a function from permissions."""
    if not allowed:
        raise PermissionDenied


def first_error(exc: Any) -> str:
    return "; ".join(exc.messages)


def download_name(*parts: object) -> str:
    """A download's file name in the page's language, without extension: translated words,
    names and references joined by "-" ("huvudbok-Sociala-investeringsfonden", "beslutsunderlag-
    SIF-2026-003"); letters keep their case and Swedish letters stay (the header carries them as
    RFC 6266 filename*); anything else that is not a letter or digit becomes one "-"."""
    import re

    slugs = (re.sub(r"[\W_]+", "-", str(p)).strip("-") for p in parts)
    return "-".join(s for s in slugs if s)
