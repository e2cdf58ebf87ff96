import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from annotated_types import MaxLen
from django.core.exceptions import ValidationError
from ninja import Field, Schema
from pydantic import BeforeValidator, WithJsonSchema, field_validator
from pydantic_core import PydanticCustomError

from sifra.core.money import (
    AMOUNT_PATTERN,
    ENTER_AMOUNT,
    MAX_AMOUNT_LENGTH,
    MoneyParseError,
    kronor_to_ore,
    ore_to_kronor,
    parse_kronor,
)
from sifra.core.text import LONG_TEXT, NUL_CHARACTER

__all__ = [
    "LONG_TEXT",
    "Amount",
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


def _amount_text(value: Any) -> str:
    """Only the type and length are checked while the body is read: the format is checked by
    `to_ore`, in the handler, after the permission check. A JSON number is read as its text."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or len(value) > MAX_AMOUNT_LENGTH:
        raise PydanticCustomError("amount_format", str(ENTER_AMOUNT))
    return value


# An amount in kronor as the API takes it: the schema documents the one format `parse_kronor`
# reads (the pages' format), so that clients can check it before sending.
Amount = Annotated[
    str,
    BeforeValidator(_amount_text),
    MaxLen(MAX_AMOUNT_LENGTH),  # checked first by _amount_text, with the amount's own message
    WithJsonSchema(
        {
            "type": "string",
            "pattern": AMOUNT_PATTERN,
            "maxLength": MAX_AMOUNT_LENGTH,
            "description": (
                "Kronor: at most 15 digits before the decimal separator (a comma or a point; "
                "digits may be grouped by threes with spaces) and at most two after it (öre); "
                "an optional sign, no exponent. A JSON number is read as its text."
            ),
            "examples": ["1250000", "1 250 000,50", "99.50"],
        }
    ),
]


def to_ore(field: str, kronor: str | Decimal | None) -> int | None:
    """An API amount in kronor as exact öre; a 400 naming `field` when it is not one."""
    if kronor is None:
        return None
    try:
        if isinstance(kronor, Decimal):
            return kronor_to_ore(kronor)
        return parse_kronor(kronor)
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
