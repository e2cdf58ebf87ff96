from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from sifra.core.money import MoneyParseError, format_ore, kronor_to_ore, parse_kronor


@pytest.mark.parametrize(
    ("text", "ore"),
    [
        ("1 234 567", 123_456_700),
        ("1\u00a0234\u00a0567,50", 123_456_750),
        ("1234567.5", 123_456_750),
        ("99,05 kr", 9905),
        ("-500", -50_000),
        ("0,01", 1),
    ],
)
def test_parse_kronor_as_people_write_them(text, ore):
    assert parse_kronor(text) == ore


@pytest.mark.parametrize("text", ["abc", "1,2,3", "12.345", "", "1e400", "NaN"])
def test_parse_kronor_refuses_what_is_not_an_amount(text):
    with pytest.raises(MoneyParseError):
        parse_kronor(text)


def test_format_in_swedish_and_english():
    with translation.override("sv"):
        assert format_ore(123_456_789) == "1\u00a0234\u00a0568 kr"
        assert format_ore(123_456_789, decimals=True) == "1\u00a0234\u00a0567,89 kr"
        assert format_ore(-100) == "−1 kr"
    with translation.override("en"):
        assert format_ore(123_456_789) == "SEK 1,234,568"


@given(st.integers(min_value=-(10**14), max_value=10**14))
def test_formatting_and_parsing_round_trip_exactly(ore):
    with translation.override("sv"):
        text = format_ore(ore, decimals=True).replace("−", "-")
    assert parse_kronor(text) == ore


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False))
def test_kronor_to_ore_is_exact(kronor):
    assert Decimal(kronor_to_ore(kronor)) == kronor * 100
