"""sifra.core.money.largest_remainder: the one rounding rule for every split (issue 8, found
defect 5)."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sifra.core.money import largest_remainder

weights = st.lists(
    st.one_of(st.integers(0, 10_000), st.decimals(0, 100, places=2)), min_size=1, max_size=8
).filter(lambda ws: any(w > 0 for w in ws))


@given(total=st.integers(0, 10**12), ws=weights)
def test_parts_sum_exactly_and_each_lies_within_one_of_its_share(total, ws):
    parts = largest_remainder(total, ws)
    assert sum(parts) == total and len(parts) == len(ws)
    whole = sum(Fraction(w) for w in ws)
    for part, w in zip(parts, ws, strict=True):
        exact = Fraction(w) / whole * total
        assert abs(part - exact) < 1 and part >= 0


@given(total=st.integers(0, 10**6), ws=weights)
def test_the_leftover_goes_to_the_largest_remainders(total, ws):
    parts = largest_remainder(total, ws)
    whole = sum(Fraction(w) for w in ws)
    exact = [Fraction(w) / whole * total for w in ws]
    up = [i for i, (p, q) in enumerate(zip(parts, exact, strict=True)) if p > q]
    down = [i for i, (p, q) in enumerate(zip(parts, exact, strict=True)) if p < q]
    rest = [q - int(q) for q in exact]
    # nobody rounded down has a larger remainder than anyone rounded up, nor an equal one earlier
    for i in up:
        for j in down:
            assert rest[j] < rest[i] or (rest[j] == rest[i] and j > i)


def test_ties_go_by_order():
    assert largest_remainder(1, [1, 1, 1]) == [1, 0, 0]
    assert largest_remainder(2, [1, 1, 1]) == [1, 1, 0]


def test_three_ore_on_thirds_gives_one_each():
    parts = [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]
    assert largest_remainder(3, parts) == [1, 1, 1]


@pytest.mark.parametrize(("total", "ws"), [(-1, [1]), (5, [0, 0]), (5, [2, -1]), (5, [])])
def test_nonsense_is_refused(total, ws):
    with pytest.raises(ValueError):
        largest_remainder(total, ws)
