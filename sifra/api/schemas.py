import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from ninja import Schema

from sifra.core.money import MoneyParseError, kronor_to_ore, ore_to_kronor


def to_ore(field: str, kronor: Decimal | None) -> int | None:
    """An API amount in kronor (a JSON number or a decimal string) as exact öre."""
    if kronor is None:
        return None
    try:
        return kronor_to_ore(kronor)
    except MoneyParseError as exc:
        raise ValidationError({field: str(exc)}) from None


def kronor(ore: int) -> str:
    return str(ore_to_kronor(ore))


class BalancesOut(Schema):
    date: dt.date | None
    capital_ore: int
    committed_ore: int
    available_ore: int
    claims_ore: int
    capital: str
    committed: str
    available: str
    claims: str


class Message(Schema):
    detail: str
