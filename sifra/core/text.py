"""Limits on the text people write, shared by forms, API schemas and services.

Short fields are model CharFields and carry their own max_length; long narrative fields are
TextFields, unlimited in the database, so forms and the API hold them to LONG_TEXT characters
(about eight pages: a memo or an export stays fast, and a 1 MB summary is refused)."""

from typing import Any

from django.utils.translation import gettext_lazy as _

LONG_TEXT = 20_000

NUL_CHARACTER = _("Remove the NUL character (\\0): text cannot hold it.")
TOO_LONG = _("Write at most %(max)s characters (this is %(length)s).")
NOT_NULL = _("Leave the field out or give it a value; null is not allowed here.")


def find_nul(value: Any, path: str = "") -> str | None:
    """The path of the first string (key or value) holding a NUL character in a JSON
    document, or None: PostgreSQL refuses NUL in text and in jsonb."""
    if isinstance(value, str):
        return path if "\x00" in value else None
    items: list[tuple[str, Any]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if "\x00" in str(key):
                return path or "__all__"
            items.append((f"{path}.{key}" if path else str(key), item))
    elif isinstance(value, list):
        items = [(f"{path}[{i}]", item) for i, item in enumerate(value)]
    for item_path, item in items:
        found = find_nul(item, item_path)
        if found is not None:
            return found
    return None
