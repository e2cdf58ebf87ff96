from django import template
from django.utils.formats import number_format

from sifra.core.money import format_ore

register = template.Library()


@register.filter
def kr(ore: int | None) -> str:
    """Whole kronor in the active language's format: `{{ entry.amount|kr }}`."""
    return format_ore(ore)


@register.filter
def kr_ore(ore: int | None) -> str:
    """Kronor and öre, for the ledger and exports that must add up to the öre."""
    return format_ore(ore, decimals=True)


@register.filter
def sek(value: float | None) -> str:
    """A float amount from the engine, rounded to whole kronor."""
    if value is None:
        return "–"
    return format_ore(round(value * 100))


@register.filter
def percent(value: float | None, decimals: int = 1) -> str:
    """0.035 → '3,5 %' (Swedish) or '3.5 %' (English)."""
    if value is None:
        return "–"
    return f"{number_format(value * 100, decimal_pos=decimals)} %"


@register.filter
def decimal(value: float | None, decimals: int = 2) -> str:
    if value is None:
        return "–"
    return number_format(value, decimal_pos=decimals)
