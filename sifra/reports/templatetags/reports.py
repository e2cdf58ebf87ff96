from django import template

from sifra.core.money import format_ore

register = template.Library()


@register.filter
def kr2(ore: int | None) -> str:
    """Money with its öre always shown ('1 234 567,00 kr'): the report's balances are read
    and checked to the öre."""
    return format_ore(ore, decimals=True)
