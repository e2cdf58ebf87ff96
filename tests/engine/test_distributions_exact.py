"""The distributions' closed forms, on cases small enough to compute by hand, and with a lower
bound away from 0 (where `low + x` and `low − x`, or `high − low` and `high + low`, would agree).
"""

import dataclasses
import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sifra.engine.distributions import Distribution, percentile, sample

# Beta-PERT with mode = low: α = 1, β = 1 + 4 = 5, so F(x) = 1 − (1 − x)⁵ on [0, 1]
PERT_LEFT = Distribution("pert", low=10, mode=10, high=20)
# mode = high: α = 5, β = 1, so F(x) = x⁵
PERT_RIGHT = Distribution("pert", low=10, mode=20, high=20)
# symmetric: α = β = 1 + 4 × 2 / 4 = 3, F(x) = 10x³ − 15x⁴ + 6x⁵
PERT_SYMMETRIC = Distribution("pert", low=-1, mode=1, high=3)
# width 8, the mode splits it 2 : 6 (a quarter below the mode)
TRIANGULAR = Distribution("triangular", low=2, mode=4, high=10)


def test_unused_parameters_stay_zero() -> None:
    d = Distribution("normal", mean=5, sd=1)
    assert (d.low, d.mode, d.high) == (0, 0, 0)
    u = Distribution("uniform", low=1, high=3)
    assert (u.mean, u.sd, u.mode) == (0, 0, 0)


def test_a_distribution_is_an_immutable_value() -> None:
    d = Distribution("uniform", low=1, high=3)
    with pytest.raises(dataclasses.FrozenInstanceError):
        d.low = 2  # type: ignore[misc]
    assert {d, Distribution("uniform", low=1, high=3)} == {d}


def test_the_centre_of_each_kind() -> None:
    assert Distribution("normal", mean=-3, sd=1).centre == -3
    assert Distribution("lognormal", mean=7, sd=1).centre == 7
    assert Distribution("uniform", low=3, high=9).centre == 6
    assert Distribution("uniform", low=-8, high=2).centre == -3
    assert TRIANGULAR.centre == 4
    assert PERT_RIGHT.centre == 20


@pytest.mark.parametrize(
    ("dist", "point"),
    [
        (Distribution("normal", mean=3, sd=1), False),
        (Distribution("normal", mean=3, sd=0.5), False),
        (Distribution("lognormal", mean=3, sd=1), False),
        (Distribution("normal", mean=3, sd=0), True),
        (Distribution("lognormal", mean=3, sd=0, low=1, high=2), True),
        # a normal's low and high are unused: equal or not, only the sd counts
        (Distribution("normal", mean=3, sd=1, low=2, high=2), False),
        (Distribution("uniform", low=1, high=2), False),
        (Distribution("uniform", low=2, high=2, sd=1), True),
        (Distribution("triangular", low=2, mode=2, high=2), True),
        (Distribution("pert", low=0, mode=0, high=1), False),
    ],
)
def test_is_point(dist: Distribution, point: bool) -> None:
    assert dist.is_point is point


def test_a_point_distribution_draws_and_percentiles_are_its_centre() -> None:
    d = Distribution("uniform", low=2.5, high=2.5)
    draws = sample(d, np.random.default_rng(0), 4)
    assert draws.dtype == np.float64
    assert draws.tolist() == [2.5, 2.5, 2.5, 2.5]
    assert percentile(d, 0.3) == 2.5
    assert percentile(Distribution("normal", mean=-4, sd=0), 0.9) == -4


def test_the_uniform_percentile() -> None:
    d = Distribution("uniform", low=-2, high=6)
    assert percentile(d, 0.0) == -2
    assert percentile(d, 0.25) == 0
    assert percentile(d, 1.0) == 6


def test_the_normal_percentile() -> None:
    d = Distribution("normal", mean=-5, sd=3)
    assert percentile(d, 0.5) == -5
    # Φ⁻¹(0.1) = −1.2815515655446004
    assert percentile(d, 0.1) == pytest.approx(-5 - 3 * 1.2815515655446004, abs=1e-12)


def test_the_lognormal_percentile() -> None:
    # σ² = ln(1 + 0.3²) = ln 1.09; the median is e^μ = mean / √(1 + cv²) = 100 / √1.09
    d = Distribution("lognormal", mean=100, sd=30)
    assert percentile(d, 0.5) == pytest.approx(100 / math.sqrt(1.09), rel=1e-12)
    # with sd = mean: σ² = ln 2, e^μ = mean / √2, and the 10th percentile e^(μ − 1.28155 σ)
    d = Distribution("lognormal", mean=8, sd=8)
    sigma = math.sqrt(math.log(2))
    expected = 8 / math.sqrt(2) * math.exp(-1.2815515655446004 * sigma)
    assert percentile(d, 0.1) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    ("p", "expected"),
    [
        (0.0, 2.0),
        (0.125, 2 + math.sqrt(2)),  # low + √(p × width × (mode − low)) = 2 + √(0.125 × 8 × 2)
        (0.25, 4.0),  # the mode
        (0.5, 10 - math.sqrt(24)),  # high − √((1 − p) × width × (high − mode)) = 10 − √(0.5 × 48)
        (0.75, 10 - math.sqrt(12)),
        (1.0, 10.0),
    ],
)
def test_the_triangular_percentile(p: float, expected: float) -> None:
    assert percentile(TRIANGULAR, p) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize(
    ("dist", "p", "expected"),
    [
        (PERT_LEFT, 0.5, 10 + 10 * (1 - 0.5**0.2)),  # F(x) = 1 − (1 − x)⁵ = 0.5
        (PERT_LEFT, 0.9, 10 + 10 * (1 - 0.1**0.2)),
        # inside the grid's first step: the distribution function starts at 0
        (PERT_LEFT, 1e-5, 10 + 10 * (1 - (1 - 1e-5) ** 0.2)),
        (PERT_RIGHT, 0.5, 10 + 10 * 0.5**0.2),  # F(x) = x⁵ = 0.5
        (PERT_RIGHT, 0.1, 10 + 10 * 0.1**0.2),
        (PERT_SYMMETRIC, 0.5, 1.0),
        # F(1/4) = 10/64 − 15/256 + 6/1024 = 0.103515625, and −1 + 4 × 1/4 = 0
        (PERT_SYMMETRIC, 0.103515625, 0.0),
        (PERT_SYMMETRIC, 0.0, -1.0),
        (PERT_SYMMETRIC, 1.0, 3.0),
    ],
)
def test_the_pert_percentile(dist: Distribution, p: float, expected: float) -> None:
    # the trapezoid grid gives the distribution function to about 1e-9
    assert percentile(dist, p) == pytest.approx(expected, abs=1e-7)


def test_pert_draws_stay_inside_and_have_the_beta_pert_mean() -> None:
    # mean = (low + 4 × mode + high) / 6 = (10 + 40 + 20) / 6 = 11.67; the sd of the draws is
    # 10 × √(αβ / ((α + β)²(α + β + 1))) = 10 × √(5 / 252) = 1.41, so 100 000 draws give the
    # mean to about 0.0045
    draws = sample(PERT_LEFT, np.random.default_rng(3), 100_000)
    assert draws.min() >= 10 and draws.max() <= 20
    assert draws.mean() == pytest.approx(70 / 6, abs=0.03)
    assert draws.std() == pytest.approx(10 * math.sqrt(5 / 252), abs=0.03)


@pytest.mark.parametrize(
    ("dist", "mean", "sd"),
    [
        (Distribution("normal", mean=-5, sd=3), -5, 3),
        (Distribution("lognormal", mean=50, sd=10), 50, 10),
        (Distribution("uniform", low=4, high=10), 7, 6 / math.sqrt(12)),
        # mean (2 + 4 + 10) / 3; variance (a² + b² + c² − ab − ac − bc) / 18 = 52 / 18
        (TRIANGULAR, 16 / 3, math.sqrt(52 / 18)),
    ],
    ids=lambda x: getattr(x, "name", ""),
)
def test_the_draws_have_the_distributions_mean_and_sd(
    dist: Distribution, mean: float, sd: float
) -> None:
    draws = sample(dist, np.random.default_rng(4), 100_000)
    assert draws.shape == (100_000,)
    assert draws.mean() == pytest.approx(mean, abs=0.02 * sd + 1e-9)
    assert draws.std() == pytest.approx(sd, rel=0.02)


def test_bounded_draws_stay_inside_their_bounds() -> None:
    rng = np.random.default_rng(6)
    for d in (Distribution("uniform", low=4, high=10), TRIANGULAR, PERT_SYMMETRIC):
        draws = sample(d, rng, 10_000)
        assert draws.min() >= d.low and draws.max() <= d.high


@settings(max_examples=40, deadline=None)
@given(
    st.floats(min_value=-1e3, max_value=1e3),
    st.floats(min_value=0.01, max_value=1e3),
    st.floats(min_value=0, max_value=1),
    st.sampled_from(["uniform", "triangular", "pert"]),
)
def test_bounded_percentiles_rise_from_low_to_high(
    low: float, width: float, at: float, name: str
) -> None:
    high = low + width
    mode = low + at * width
    d = Distribution(name, low=low, mode=mode, high=high)
    values = [percentile(d, p) for p in (0.0, 0.1, 0.5, 0.9, 1.0)]
    tolerance = 1e-6 * (abs(low) + width)
    assert values[0] == pytest.approx(low, abs=tolerance)
    assert values[-1] == pytest.approx(high, abs=tolerance)
    assert all(a <= b + tolerance for a, b in itertools.pairwise(values))
    assert low - tolerance <= values[2] <= high + tolerance
