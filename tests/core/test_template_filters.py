"""The number filters round half up to the places shown, in the active language."""

import pytest
from django.utils import translation

from sifra.core.templatetags.sifra import decimal


@pytest.mark.parametrize(
    ("value", "places", "swedish", "english"),
    [
        (3.6667, 1, "3,7", "3.7"),  # number_format alone cut it to 3,6
        (1.25, 1, "1,3", "1.3"),  # half up, not to even
        (0.044, 2, "0,04", "0.04"),
        (-2.35, 1, "-2,4", "-2.4"),
        (12.0, 0, "12", "12"),
    ],
)
def test_decimal_rounds_half_up(value, places, swedish, english):
    with translation.override("sv"):
        assert decimal(value, places) == swedish
    with translation.override("en"):
        assert decimal(value, places) == english


def test_decimal_shows_a_dash_for_nothing():
    assert decimal(None) == "–"
