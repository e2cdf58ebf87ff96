"""The Monte Carlo summary: the payback median over all iterations and the NPV's percentiles
(DOMAIN.md, "Uncertainty"), checked against what a uniform effect gives analytically."""

import math

import numpy as np
import pytest

from sifra.engine import calculate
from sifra.engine.montecarlo import payback_median

NAN = math.nan


def uniform_effect_case(cost: float) -> dict:
    """10 participants, an effect uniform on [0, 1] worth 100 kr a participant-year for five
    years, against `cost` in year 0, undiscounted: the net is 1 000 × effect a year, so the NPV
    is 5 000 × effect − cost and the payback cost / (1 000 × effect), where that is ≤ 5."""
    return {
        "case": {"title": "U", "start_year": 2026, "horizon": 5, "discount_rate": 0.0},
        "actors": [{"id": "soc", "name": "Soc", "sector": "kommun"}],
        "costs": [{"actor": "soc", "amounts": [cost]}],
        "participants": {"entering": [10]},
        "outcomes": [
            {
                "effect": {"dist": "uniform", "low": 0.0, "high": 1.0},
                "duration": 5,
                "unit_costs": {"soc": 100},
            }
        ],
    }


def test_the_payback_median_is_null_where_fewer_than_half_pay_back() -> None:
    # it pays back where 5 000 × effect ≥ 4 550: effect ≥ 0.91, in 9 % of the draws; the
    # median of those alone would be about 4.55 / 0.955 = 4.76 years
    payback = calculate(uniform_effect_case(4_550), iterations=20_000)["monte_carlo"]
    assert payback["payback_years"]["share_reached"] == pytest.approx(0.09, abs=0.01)
    assert payback["payback_years"]["p50"] is None


def test_the_payback_median_counts_the_iterations_that_never_pay_back() -> None:
    # effect ≥ 0.3 pays back (70 %), at 1.5 / effect years. Over all draws, half have paid
    # back by x where P(1.5 / effect ≤ x) = 1 − 1.5 / x = 0.5: x = 3 (the median of the 70 %
    # alone would be 1.5 / 0.65 = 2.3)
    mc = calculate(uniform_effect_case(1_500), iterations=20_000)["monte_carlo"]
    assert mc["payback_years"]["share_reached"] == pytest.approx(0.7, abs=0.01)
    assert mc["payback_years"]["p50"] == pytest.approx(3.0, abs=0.1)


@pytest.mark.parametrize(
    ("years", "median"),
    [
        ([3.0], 3.0),
        ([NAN], None),
        ([1.0, NAN], 1.0),  # exactly half: the lower middle value
        ([1.0, 2.0, NAN], 2.0),
        ([1.0, NAN, NAN], None),
        ([4.0, 1.0, 2.0, 3.0], 2.5),
        ([NAN, 1.0, NAN, 2.0, 3.0], 3.0),
        ([NAN, 1.0, NAN, 2.0, NAN], None),
    ],
)
def test_payback_median(years: list[float], median: float | None) -> None:
    assert payback_median(np.array(years)) == median


def test_the_npv_has_its_10th_and_90th_percentiles() -> None:
    # NPV = 5 000 × effect − 1 000 with the effect uniform on [0, 1]: its p-th percentile is
    # 5 000 × p − 1 000
    npv = calculate(uniform_effect_case(1_000), iterations=20_000)["monte_carlo"]["npv"]
    expected = {"p5": -750, "p10": -500, "p50": 1_500, "p90": 3_500, "p95": 3_750}
    assert list(npv) == ["mean", "sd", "p5", "p10", "p50", "p90", "p95"]
    for key, value in expected.items():
        assert npv[key] == pytest.approx(value, abs=60), key
