"""payback and irr on small flows whose answers are worked out by hand in each comment."""

import math

import numpy as np
import pytest

from sifra.engine.finance import irr, payback


def flows(*columns: list[float]) -> np.ndarray:
    """Years × rows, one row per list."""
    return np.array(columns, dtype=np.float64).T


def test_payback_of_each_shape_of_flow_at_once():
    result = payback(
        flows(
            [-1, 1, 0, 0],  # N = −1, 0: last negative year 0, 1 + 1/1 = 2
            [-2, 1, 1, 0],  # N = −2, −1, 0: last negative year 1, 2 + 1/1 = 3
            [-3, 2, 2, 0],  # N = −3, −1, 1: 2 + 1/2 = 2.5
            [0, 1, 0, 0],  # never negative: 0
            [-1, 0.5, 0, 0],  # still −0.5 at the end: never paid back
            [-1, 2, -3, 3],  # N = −1, 1, −2, 1: the last crossing, 3 + 2/3
            [0, 0, 0, 0],  # nothing at all: undefined
        )
    )
    assert result[:4].tolist() == [2.0, 3.0, 2.5, 0.0]
    assert math.isnan(result[4])
    assert result[5] == pytest.approx(3 + 2 / 3)
    assert math.isnan(result[6])


def test_payback_when_the_last_negative_year_is_followed_by_a_year_of_exactly_one():
    # N = −0.5, 0.5: 1 + 0.5 / 1
    assert payback(flows([-0.5, 1.0])).tolist() == [1.5]


def test_irr_of_one_outlay_and_one_return():
    # −100 + 110 / (1 + r) = 0 ⇔ r = 10 %
    assert irr(np.array([-100.0, 110.0])) == pytest.approx(0.10, abs=1e-12)
    # −1 + 1 / (1 + r) = 0 ⇔ r = 0: x = 1 is a point of the search grid, a root found exactly
    assert irr(np.array([-1.0, 1.0])) == 0.0
    # doubling in a year
    assert irr(np.array([-1.0, 2.0])) == pytest.approx(1.0, abs=1e-12)


def test_irr_with_two_sign_changes_is_the_rate_closest_to_zero():
    # −100 + 230x − 132x² = 0 for x = 1/(1 + r): x = (230 ± 10) / 264, r = 10 % or 20 %
    assert irr(np.array([-100.0, 230.0, -132.0])) == pytest.approx(0.10, abs=1e-12)
    # the same flows reversed in sign have the same roots
    assert irr(np.array([100.0, -230.0, 132.0])) == pytest.approx(0.10, abs=1e-12)


def test_irr_near_minus_99_percent_is_found_and_below_it_is_not_searched():
    # −99.8 + x = 0: x = 99.8, inside the grid's last step (99.54 to 100), r = 1/99.8 − 1
    assert irr(np.array([-99.8, 1.0])) == pytest.approx(1 / 99.8 - 1, abs=1e-12)
    # x = 100.5 is beyond 100 (r below −99 %): no rate
    assert irr(np.array([-100.5, 1.0])) is None


def test_no_irr_without_a_sign_change_or_without_flows():
    assert irr(np.array([0.0, 0.0, 0.0])) is None
    assert irr(np.array([1.0, 1.0])) is None
    assert irr(np.array([-1.0, -1.0])) is None
