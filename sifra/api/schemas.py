import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from ninja import Field, Schema
from pydantic import field_validator
from pydantic_core import PydanticCustomError

from sifra.core.money import MoneyParseError, kronor_to_ore, ore_to_kronor
from sifra.core.text import LONG_TEXT, NUL_CHARACTER

__all__ = [
    "LONG_TEXT",
    "BalancesOut",
    "In",
    "Message",
    "kept",
    "kronor",
    "long_text",
    "refuse_nul",
    "to_ore",
]


def refuse_nul(value: str) -> str:
    """A text that PostgreSQL can store: no NUL character."""
    if "\x00" in value:
        raise PydanticCustomError("nul_character", str(NUL_CHARACTER))
    return value


class In(Schema):
    """The base of every request schema: no text holds a NUL character (PostgreSQL cannot
    store one). Every text field declares its max_length; a test holds every schema to it."""

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        return refuse_nul(value) if isinstance(value, str) else value


def kept(**constraints: Any) -> Any:
    """A PATCH field that may be left out (it keeps its value) but not sent as null: declare it
    with the non-optional type, e.g. `summary: str = kept(max_length=LONG_TEXT)`."""
    return Field(None, **constraints)


def long_text(default: Any = "") -> Any:
    """A narrative text field (a TextField in the model), at most LONG_TEXT characters."""
    return Field(default, max_length=LONG_TEXT)


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
