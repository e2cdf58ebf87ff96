from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import template
from django.utils.formats import number_format

from sifra.core.money import format_kronor_estimate, format_ore

register = template.Library()


@register.filter
def kr(ore: int | None) -> str:
    """Exact money in the active language's format: `{{ entry.amount|kr }}` gives
    '1 500 000,50 kr' where there are öre and '1 500 000 kr' where there are none."""
    return format_ore(ore)


@register.filter
def kr_ore(ore: int | None) -> str:
    """The same as `kr`: every amount is shown to the öre where it has öre."""
    return format_ore(ore)


@register.filter
def sek(value: float | None) -> str:
    """A calculated float amount from the engine (an estimate), in whole kronor."""
    return format_kronor_estimate(value)


@register.filter
def percent(value: float | None, decimals: int = 1) -> str:
    """0.035 → '3,5 %' (Swedish) or '3.5 %' (English)."""
    if value is None:
        return "–"
    return f"{number_format(value * 100, decimal_pos=decimals)} %"


@register.filter
def decimal(value: float | None, decimals: int = 2) -> str:
    """Rounded half up to `decimals` places: number_format alone cuts them (3.667 → "3,6")."""
    if value is None:
        return "–"
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return number_format(rounded, decimal_pos=decimals)


@register.simple_tag
def chart_locale_script() -> str:
    """The active language's chart locale as a JSON script for charts.js (one source with the
    PDFs' vl-convert)."""
    from django.utils.html import json_script

    from sifra.core.charts import chart_locale

    return json_script(chart_locale(), "chart-locale")


@register.filter
def thousands(value: int | None) -> str:
    """A count with the language's thousands separator: 5000 → "5 000" (Swedish)."""
    if value is None:
        return "–"
    return number_format(value, force_grouping=True)


@register.filter
def page_range(page: Any) -> Any:
    """The page numbers to link, with an ellipsis where pages are left out (GOV.UK's
    pagination: the first, the last, and the ones beside the current page)."""
    return page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
