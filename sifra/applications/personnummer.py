"""Finding Swedish personal identity numbers (personnummer, samordningsnummer) in free text.

Applications describe groups, never individuals: a valid number anywhere in the text is refused.
A number is valid when its date part is a date (the day plus 60 for a coordination number) and
its last digit is the Luhn check digit of the other nine."""

import datetime as dt
import re

_CANDIDATE = re.compile(r"(?<![\d-])(\d{2})?(\d{2})(\d{2})(\d{2})[-+]?(\d{4})(?![\d-])")


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
