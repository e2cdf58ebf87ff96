import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Any

from annotated_types import MaxLen
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import BeforeValidator, WithJsonSchema, create_model, field_validator
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
from sifra.core.text import LONG_TEXT, NUL_CHARACTER, NUMBER_TOO_LARGE

__all__ = [
    "LONG_TEXT",
    "Amount",
    "BalancesOut",
    "DbId",
    "In",
    "Message",
    "PageIn",
    "kept",
    "kronor",
    "long_text",
    "page_of",
    "paged",
    "refuse_nul",
    "to_ore",
]


def refuse_nul(value: str) -> str:
    """A text that PostgreSQL can store: no NUL character."""
    if "\x00" in value:
        raise PydanticCustomError("nul_character", str(NUL_CHARACTER))
    return value


# The databases' integers are 64-bit: a larger number cannot name a row or be stored.
DB_INT_MAX = 2**63 - 1
DbId = Annotated[int, Field(ge=1, le=DB_INT_MAX)]


def refuse_huge(value: int) -> int:
    if not -DB_INT_MAX <= value <= DB_INT_MAX:
        raise PydanticCustomError("int_range", str(NUMBER_TOO_LARGE))
    return value


class In(Schema):
    """The base of every request schema: no text holds a NUL character (PostgreSQL cannot
    store one) and no integer is beyond the databases' 64 bits. Every text field declares its
    max_length; a test holds every schema to it."""

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        if isinstance(value, str):
            return refuse_nul(value)
        if isinstance(value, int) and not isinstance(value, bool):
            return refuse_huge(value)
        return value


class PageIn(LimitOffsetPagination.Input):
    """Which part of a long list: `limit` items from `offset` on (ninja's paging, which the
    audit trail uses, with the bounds a database can answer)."""

    limit: int = Field(100, ge=1, le=1000)
    offset: int = Field(0, ge=0, le=DB_INT_MAX)


def paged(item: type[Schema]) -> type[Schema]:
    """The response schema of a page of `item`s: `count` (of the whole filtered list) and
    `items`, the shape django-ninja's own paging gives the audit trail."""
    items: Any = list[item]  # type: ignore[valid-type]  # a type made at run time
    return create_model(
        f"Paged{item.__name__}", __base__=Schema, count=(int, ...), items=(items, ...)
    )


def page_of(qs: QuerySet[Any], page: PageIn, out: Callable[[Any], Any]) -> dict[str, Any]:
    """One page of `qs` as `paged` describes it, each row turned into its schema's data by
    `out`. The rows are ordered by the list's own order and then by id, so that no row is
    skipped or repeated from one page to the next."""
    order = list(qs.query.order_by) or list(qs.model._meta.ordering or [])
    ordered = qs.order_by(*order, "pk")
    rows = ordered[page.offset : page.offset + page.limit]
    return {"count": qs.count(), "items": [out(row) for row in rows]}


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
