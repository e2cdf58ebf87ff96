"""Money is held as whole öre (int) everywhere in the ledger; these helpers move between öre,
Decimal kronor and the Swedish way of writing amounts. Never a float."""

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

from django.utils.formats import number_format
from django.utils.translation import gettext as _

ORE_PER_KRONA = 100
MAX_ORE = 10**15  # 10 000 000 000 000 kr: far above any municipal fund, far below int64


class MoneyParseError(ValueError):
    pass


def ore_to_kronor(ore: int) -> Decimal:
    return (Decimal(ore) / ORE_PER_KRONA).quantize(Decimal("0.01"))


def kronor_to_ore(kronor: Decimal) -> int:
    """Exact conversion; more than two decimals is an error, not a rounding."""
    if not kronor.is_finite():
        raise MoneyParseError(_("Enter an amount in kronor, for example 1 250 000 or 99,50."))
    ore = kronor * ORE_PER_KRONA
    if ore != ore.to_integral_value():
        raise MoneyParseError(_("An amount can have at most two decimals (öre)."))
    value = int(ore)
    if abs(value) >= MAX_ORE:
        raise MoneyParseError(_("The amount is too large."))
    return value


def parse_kronor(text: str) -> int:
    """Parse '1 234 567,50', '1234567.50', '1 234 567 kr' or '-500' into öre."""
    cleaned = text.strip().lower().removesuffix("kr").removeprefix("sek").strip()
    for space in (" ", "\u00a0", "\u202f", "_"):
        cleaned = cleaned.replace(space, "")
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        return kronor_to_ore(Decimal(cleaned))
    except InvalidOperation as exc:
        raise MoneyParseError(
            _("Enter an amount in kronor, for example 1 250 000 or 99,50.")
        ) from exc


def format_ore(ore: int | None, *, decimals: bool = False) -> str:
    """'1 234 567 kr' in Swedish, 'SEK 1,234,567' in English: the active language decides."""
    if ore is None:
        return "–"
    kronor = ore_to_kronor(ore)
    if not decimals:
        kronor = kronor.quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    text = number_format(kronor, decimal_pos=2 if decimals else 0, force_grouping=True)
    text = text.replace("-", "−")
    return _("%(amount)s kr") % {"amount": text}


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
