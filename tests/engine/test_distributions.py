"""The distributions: base values, percentiles (for the tornado) and draws (for Monte Carlo)."""

import math

import numpy as np
import pytest

from sifra.engine.distributions import Distribution, percentile, sample

NORMAL = Distribution("normal", mean=10, sd=2)
LOGNORMAL = Distribution("lognormal", mean=100, sd=30)
UNIFORM = Distribution("uniform", low=2, high=6)
TRIANGULAR = Distribution("triangular", low=0, mode=1, high=4)
PERT = Distribution("pert", low=0, mode=1, high=4)
ALL = [NORMAL, LOGNORMAL, UNIFORM, TRIANGULAR, PERT]


def test_base_values() -> None:
    assert [d.centre for d in ALL] == [10, 100, 4, 1, 1]


def test_closed_form_percentiles() -> None:
    assert percentile(NORMAL, 0.9) == pytest.approx(10 + 2 * 1.2815515655446004)
    assert percentile(UNIFORM, 0.1) == pytest.approx(2.4)
    assert percentile(TRIANGULAR, 0.25) == pytest.approx(1.0)  # the mode splits it 1/4 : 3/4
    sigma2 = math.log(1 + 0.09)
    expected = math.exp(math.log(100) - sigma2 / 2 + math.sqrt(sigma2) * 1.2815515655446004)
    assert percentile(LOGNORMAL, 0.9) == pytest.approx(expected)


@pytest.mark.parametrize("dist", ALL, ids=lambda d: d.name)
def test_percentiles_match_the_draws(dist: Distribution) -> None:
    draws = sample(dist, np.random.default_rng(5), 400_000)
    for p in (0.1, 0.5, 0.9):
        assert np.quantile(draws, p) == pytest.approx(percentile(dist, p), rel=0.01)


def test_lognormal_has_the_mean_and_sd_of_the_value() -> None:
    draws = sample(LOGNORMAL, np.random.default_rng(1), 1_000_000)
    assert draws.mean() == pytest.approx(100, rel=0.005)
    assert draws.std() == pytest.approx(30, rel=0.01)


def test_pert_has_the_beta_pert_mean() -> None:
    draws = sample(PERT, np.random.default_rng(2), 1_000_000)
    assert draws.mean() == pytest.approx((0 + 4 * 1 + 4) / 6, rel=0.005)


@pytest.mark.parametrize(
    "dist",
    [
        Distribution("normal", mean=3, sd=0),
        Distribution("lognormal", mean=3, sd=0),
        Distribution("uniform", low=3, high=3),
        Distribution("triangular", low=3, mode=3, high=3),
        Distribution("pert", low=3, mode=3, high=3),
    ],
    ids=lambda d: d.name,
)
def test_zero_width_distributions_are_constant(dist: Distribution) -> None:
    assert dist.is_point
    assert np.all(sample(dist, np.random.default_rng(0), 10) == 3)
    assert percentile(dist, 0.1) == percentile(dist, 0.9) == 3
