"""Amounts in words: the confirmation before money is committed spells the amount out."""

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from sifra.core.words import LIMIT, amount_in_words, number_in_words_en, number_in_words_sv


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "noll"),
        (1, "ett"),
        (7, "sju"),
        (13, "tretton"),
        (18, "arton"),
        (20, "tjugo"),
        (21, "tjugoett"),
        (44, "fyrtiofyra"),
        (99, "nittionio"),
        (100, "etthundra"),
        (101, "etthundraett"),
        (250, "tvåhundrafemtio"),
        (1000, "ettusen"),
        (1001, "ettusenett"),
        (2500, "tvåtusenfemhundra"),
        (345_678, "trehundrafyrtiofemtusensexhundrasjuttioåtta"),
        (1_000_000, "en miljon"),
        (1_500_000, "en miljon femhundratusen"),
        (2_500_000, "två miljoner femhundratusen"),
        (65_000_000, "sextiofem miljoner"),
        (1_000_000_000, "en miljard"),
        (2_000_000_001, "två miljarder ett"),
        (3_000_004_000_000, "tre biljoner fyra miljoner"),
        (21_000, "tjugoettusen"),
        (
            LIMIT - 1,
            "nio biljoner niohundranittionio miljarder niohundranittionio miljoner "
            "niohundranittioniotusenniohundranittionio",
        ),
    ],
)
def test_swedish_numbers(number, words):
    assert number_in_words_sv(number) == words


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "zero"),
        (15, "fifteen"),
        (42, "forty-two"),
        (101, "one hundred one"),
        (2_500_000, "two million five hundred thousand"),
        (1_000_001, "one million one"),
        (12_000_300_000, "twelve billion three hundred thousand"),
    ],
)
def test_english_numbers(number, words):
    assert number_in_words_en(number) == words


@pytest.mark.parametrize("number", [-1, LIMIT])
def test_numbers_outside_the_ledgers_range_are_refused(number):
    with pytest.raises(ValueError):
        number_in_words_sv(number)
    with pytest.raises(ValueError):
        number_in_words_en(number)


def test_amounts_in_swedish():
    with translation.override("sv"):
        assert amount_in_words(250_000_000) == "två miljoner femhundratusen kronor"
        assert amount_in_words(100) == "en krona"
        assert amount_in_words(0) == "noll kronor"
        assert amount_in_words(150_050) == "ettusenfemhundra kronor och femtio öre"
        assert amount_in_words(-200) == "minus två kronor"


def test_amounts_in_english():
    with translation.override("en"):
        assert amount_in_words(250_000_000) == "two million five hundred thousand kronor"
        assert amount_in_words(100) == "one krona"
        assert amount_in_words(101) == "one krona and one öre"


@given(st.integers(min_value=0, max_value=LIMIT - 1))
def test_every_number_has_words_of_letters_and_single_spaces(number):
    """No digits, no doubled or trailing spaces, and no "ttt" (ett + tusen keeps two t)."""
    for words in (number_in_words_sv(number), number_in_words_en(number)):
        assert words and words == words.strip() and "  " not in words
        assert not any(c.isdigit() for c in words)
    assert "ttt" not in number_in_words_sv(number)


@given(st.integers(min_value=1, max_value=999_999))
def test_below_a_million_is_one_swedish_word(number):
    assert " " not in number_in_words_sv(number)
