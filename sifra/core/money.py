"""Money is held as whole öre (int) everywhere in the ledger; these helpers move between öre,
Decimal kronor and the Swedish way of writing amounts. Never a float.

Every amount typed by a person or sent by a script goes through `parse_kronor`: a bounded text
format is checked by a regular expression before any number is built, so that no input can make
the conversion slow (int() of a huge Decimal is quadratic) or overflow."""

import functools
import re
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from django.utils.formats import get_format, number_format
from django.utils.translation import get_language, gettext_lazy, override
from django.utils.translation import gettext as _

ORE_PER_KRONA = 100
MAX_ORE = 10**15  # 10 000 000 000 000 kr: far above any municipal fund, far below int64
MAX_INTEGER_DIGITS = 15
MAX_DECIMALS = 2
MAX_AMOUNT_LENGTH = 40  # "SEK −999 999 999 999 999,99 kr" is 30 characters

ENTER_AMOUNT = gettext_lazy("Enter an amount in kronor, for example 1 250 000 or 99,50.")
TOO_MANY_DECIMALS = gettext_lazy("An amount can have at most two decimals (öre).")
TOO_LARGE = gettext_lazy("The amount is too large.")
AMOUNT_NOT_POSITIVE = gettext_lazy("The amount must be greater than zero.")
AMOUNT_NEGATIVE = gettext_lazy("The amount cannot be negative.")

_MINUS = "-\u2212"  # hyphen-minus and the minus sign pages show (issue 10)
_SIGN = "[-+\u2212]"  # the hyphen-minus first: elsewhere in a class it would make a range
_GROUP = "[ \u00a0\u202f]"  # a space, a no-break space or a narrow no-break space
# Kronor before the decimal separator: up to 15 digits, plain, grouped by threes with spaces
# (Swedish), or with commas (English) where a comma cannot be the decimal comma.
_SWEDISH = "(?:[0-9]{1,15}|[0-9]{1,3}(?:" + _GROUP + "[0-9]{3}){1,4})(?:[.,][0-9]{1,2})?"
_ENGLISH = "[0-9]{1,3}(?:,[0-9]{3}){2,4}(?:[.][0-9]{1,2})?|[0-9]{1,3},[0-9]{3}[.][0-9]{1,2}"
# No named groups or flags: the same text is the `pattern` in the OpenAPI schema.
AMOUNT_PATTERN = (
    "^ *(?:[Ss][Ee][Kk] ?)?" + _SIGN + "? ?"
    "(?:" + _SWEDISH + "|" + _ENGLISH + ")"
    " ?(?:[Kk][Rr]|[Ss][Ee][Kk])? *$"
)
_AMOUNT = re.compile(AMOUNT_PATTERN)
_FRACTION = re.compile(r"[.,]([0-9]{1,2})$")
_TOO_MANY_DECIMALS = re.compile(r"[0-9][.,][0-9]{3,}(?: ?(?:kr|sek))? *$", re.IGNORECASE)
_TOO_MANY_DIGITS = re.compile(f"[0-9]{{{MAX_INTEGER_DIGITS + 1},}}")


class MoneyParseError(ValueError):
    pass


def ore_to_kronor(ore: int) -> Decimal:
    return (Decimal(ore) / ORE_PER_KRONA).quantize(Decimal("0.01"))


def kronor_to_ore(kronor: Decimal) -> int:
    """Exact conversion; more than two decimals is an error, not a rounding."""
    if not kronor.is_finite() or kronor.adjusted() >= MAX_INTEGER_DIGITS:
        # Checked before multiplying: 1E+999999 × 100 overflows and int() of 1E+999997 is slow.
        raise MoneyParseError(str(TOO_LARGE) if kronor.is_finite() else str(ENTER_AMOUNT))
    ore = kronor * ORE_PER_KRONA
    if ore != ore.to_integral_value():
        raise MoneyParseError(str(TOO_MANY_DECIMALS))
    return _within_bounds(int(ore))


def parse_kronor(text: str) -> int:
    """'1 234 567,50', '1234567.50', '1,234,567.50', '1 234 567 kr', '-500' or '−500' in öre.

    The one parser for amounts from forms, the API and the command line."""
    # match, not fullmatch: '$' then also takes a final newline, as the schema's pattern does
    # in Python (schemathesis draws examples from it).
    if len(text) > MAX_AMOUNT_LENGTH or not _AMOUNT.match(text):
        raise MoneyParseError(str(_why_not_an_amount(text[: MAX_AMOUNT_LENGTH * 2])))
    number = re.sub("[^0-9.,]", "", text)
    negative = any(sign in text for sign in _MINUS)
    fraction = _FRACTION.search(number)
    whole = number[: fraction.start()] if fraction else number
    ore = int(whole.replace(",", "")) * ORE_PER_KRONA
    if fraction:
        ore += int(fraction.group(1).ljust(MAX_DECIMALS, "0"))
    return _within_bounds(-ore if negative else ore)


def _why_not_an_amount(text: str) -> str:
    if _TOO_MANY_DIGITS.search(re.sub(_GROUP + "|,", "", text)):
        return str(TOO_LARGE)
    if _TOO_MANY_DECIMALS.search(text):
        return str(TOO_MANY_DECIMALS)
    return str(ENTER_AMOUNT)


def _within_bounds(ore: int) -> int:
    if abs(ore) >= MAX_ORE:
        raise MoneyParseError(str(TOO_LARGE))
    return ore


def format_ore(ore: int | None, *, decimals: bool = False) -> str:
    """'1 234 567 kr' in Swedish, 'SEK 1,234,567' in English: the active language decides.

    Exact: öre are shown when there are öre ('1 500 000,50 kr'), never rounded away.
    `decimals=True` always shows two decimals, for columns that line up. The same text as
    number_format(…, force_grouping=True) gives, computed with integers and the language's
    separators looked up once: a page of a 2 000-project fund shows a thousand amounts."""
    if ore is None:
        return "–"
    language = get_language()
    if language is None:  # translations off (a command): the settings' formats
        places = 2 if decimals or ore % ORE_PER_KRONA else 0
        text = number_format(ore_to_kronor(ore), decimal_pos=places, force_grouping=True)
        return _("%(amount)s kr") % {"amount": text.replace("-", "\u2212")}
    decimal_separator, thousands, pattern = _style(language)
    kronor, rest = divmod(abs(ore), ORE_PER_KRONA)
    text = f"{kronor:,}".replace(",", thousands)
    if decimals or rest:
        text += f"{decimal_separator}{rest:02d}"
    return pattern % {"amount": ("\u2212" if ore < 0 else "") + text}


@functools.lru_cache(maxsize=32)
def _style(language: str) -> tuple[str, str, str]:
    """The decimal and thousands separators and the "… kr" pattern of a language."""
    with override(language):
        return (
            get_format("DECIMAL_SEPARATOR"),
            get_format("THOUSAND_SEPARATOR"),
            _("%(amount)s kr"),
        )


def format_kronor_estimate(kronor: float | None) -> str:
    """A calculated amount in kronor (a present value, a float from the engine): an estimate,
    so shown in whole kronor."""
    if kronor is None:
        return "–"
    return format_ore(round(kronor) * ORE_PER_KRONA)


def format_amount_input(ore: int) -> str:
    """An amount as it is written back into a form field: what `parse_kronor` reads back to the
    same öre ('-1 500 000,50' in Swedish, '-1 500 000.50' in English), hyphen-minus, no 'kr'."""
    kronor, rest = divmod(abs(ore), ORE_PER_KRONA)
    text = f"{kronor:,}".replace(",", " ")
    if rest:
        text += f"{get_format('DECIMAL_SEPARATOR')}{rest:02d}"
    return f"-{text}" if ore < 0 else text


def largest_remainder(total: int, weights: Sequence[int | Decimal]) -> list[int]:
    """`total` whole units split in proportion to `weights` by the largest remainder: each part
    is its exact share rounded down, and the units left over go one each to the largest
    remainders, the earlier weight first on a tie. The parts sum to exactly `total`, and each is
    less than one unit from its exact share. Exact arithmetic (fractions), never floats."""
    if total < 0 or any(w < 0 for w in weights) or not any(w > 0 for w in weights):
        raise ValueError("a non-negative total and non-negative weights, not all zero")
    whole = sum(map(Fraction, weights))
    exact = [Fraction(w) / whole * total for w in weights]
    parts = [q.numerator // q.denominator for q in exact]
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts
