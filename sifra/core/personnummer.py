"""Finding Swedish personal identity numbers (personnummer, samordningsnummer) in free text.

Sifra describes groups, never individuals, and must hold no personal data about the people a
project serves: a valid number in any stored text is refused. A number is valid when its date
part is a date (the day plus 60 for a coordination number) and its last digit is the Luhn check
digit of the other nine. Written as people write them: 811218-9876, 19811218-9876,
198112189876, 811218+9876 (a centenarian), 811218 - 9876, 811218.9876, 811218 9876."""

import datetime as dt
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

PERSONAL_NUMBER = gettext_lazy(
    "Remove the personal identity number (%(number)s): Sifra must hold no personal data about "
    "the people a project serves."
)

_SPACE = r"[ \u00a0\u2009]{0,3}"
# Between the date and the last four: nothing, a space, or a hyphen, dash, plus or dot with
# spaces around it.
_SEPARATOR = rf"{_SPACE}[-+.\u2010-\u2015\u2212]?{_SPACE}"
_CANDIDATE = re.compile(
    rf"(?<![\d\-])(\d{{2}})?(\d{{2}})(\d{{2}})(\d{{2}}){_SEPARATOR}(\d{{4}})(?![\d\-+]|[.,]\d)"
)


def _luhn_ok(ten: str) -> bool:
    total = 0
    for i, ch in enumerate(ten[:9]):
        product = int(ch) * (2 if i % 2 == 0 else 1)
        total += product // 10 + product % 10
    return (10 - total % 10) % 10 == int(ten[9])


def _date_ok(century: str | None, yy: str, mm: str, dd: str) -> bool:
    day = int(dd) - 60 if int(dd) > 60 else int(dd)
    year = int(century + yy) if century else 2000 + int(yy)
    try:
        dt.date(year, int(mm), day)
    except ValueError:
        return False
    return century is None or century in ("18", "19", "20")


def find_personal_numbers(text: str) -> list[str]:
    """The valid personal identity numbers in `text`, as written."""
    found = []
    for match in _CANDIDATE.finditer(text or ""):
        century, yy, mm, dd, last4 = match.groups()
        if _date_ok(century, yy, mm, dd) and _luhn_ok(yy + mm + dd + last4):
            found.append(match.group(0))
    return found


def personal_number_errors(texts: dict[str, Any], message: Any = PERSONAL_NUMBER) -> dict[str, str]:
    """{field: message} for each text that holds a valid personal identity number."""
    errors = {}
    for field, value in texts.items():
        found = find_personal_numbers(value) if isinstance(value, str) else []
        if found:
            errors[field] = str(message) % {"number": found[0]}
    return errors


def refuse_personal_numbers(**texts: Any) -> None:
    """Raise a ValidationError naming each field whose text holds a personal identity number:
    for services that store text without a model's full_clean."""
    guard_personal_numbers(texts)


def validate_no_personal_number(value: Any) -> None:
    """A form or model field validator."""
    errors = personal_number_errors({"value": value})
    if errors:
        raise ValidationError(errors["value"], code="personal_number")


def guard_personal_numbers(texts: dict[str, Any], message: Any = PERSONAL_NUMBER) -> None:
    """As refuse_personal_numbers, for a dict of texts and with the caller's own message."""
    errors = personal_number_errors(texts, message)
    if errors:
        raise ValidationError(errors)
