"""The Monte Carlo's parts on cases worked out by hand: the bounds on draws, the NPV rows, the
summary of given iterations, the chunks and the tornado."""

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sifra.engine import calculate, load_case
from sifra.engine.case import Num
from sifra.engine.montecarlo import bounded, npv_rows, simulate, summary, tornado

NAN = math.nan
COST = "costs[0].amounts[0]"
EFFECT = "outcomes[0].effect"


def case(cost: Any = 200, effect: Any = 0.5, horizon: int = 1, rate: float = 0.0) -> Any:
    """10 participants in year 0, an outcome worth 100 kr a participant-year for `horizon`
    years: the benefit is 1 000 × effect a year, against `cost` in year 0."""
    return load_case(
        {
            "case": {"title": "M", "start_year": 2026, "horizon": horizon, "discount_rate": rate},
            "actors": [{"id": "soc", "name": "Soc", "sector": "kommun"}],
            "costs": [{"actor": "soc", "amounts": [cost]}],
            "participants": {"entering": [10]},
            "outcomes": [{"effect": effect, "duration": horizon, "unit_costs": {"soc": 100}}],
        }
    )


@pytest.mark.parametrize(
    ("bound", "given", "expected"),
    [
        ("share", [-0.5, 0.0, 0.3, 1.0, 1.5], [0.0, 0.0, 0.3, 1.0, 1.0]),
        ("signed_share", [-1.5, -0.3, 0.0, 0.7, 1.2], [-1.0, -0.3, 0.0, 0.7, 1.0]),
        ("count", [-2.0, 0.0, 0.5, 3.0], [0.0, 0.0, 0.5, 3.0]),
        ("rate", [-2.0, -0.99, -0.5, 0.1], [-0.99, -0.99, -0.5, 0.1]),
        ("free", [-5.0, 0.0, 5.0], [-5.0, 0.0, 5.0]),
    ],
)
def test_bounded(bound: Any, given: list[float], expected: list[float]) -> None:
    values = np.array(given)
    assert bounded(values, Num("x", 0.0, bound)).tolist() == expected


def test_npv_rows_discount_and_divide_row_by_row() -> None:
    # two years at 25 %: benefits 500 + 500 / 1.25 = 900; the costs in year 0 are not discounted
    two_years = case(horizon=2, rate=0.25)
    npv, bcr, years = npv_rows(two_years, {COST: np.array([0.0, 750.0, 1_200.0])}, 3)
    assert npv.tolist() == pytest.approx([900.0, 150.0, -300.0])
    # no costs: no ratio
    assert math.isnan(bcr[0])
    assert bcr[1:].tolist() == pytest.approx([1.2, 0.75])
    # undiscounted: 0 (nothing to pay back), 1 + 250 / 500 = 1.5, never (−1 200 + 1 000 < 0)
    assert years[0] == 0
    assert years[1] == pytest.approx(1.5)
    assert math.isnan(years[2])


def test_summary_of_given_iterations() -> None:
    npv = np.arange(-10.0, 91.0)  # −10 … 90: 101 values, 90 of them positive
    bcr = np.array([NAN, 1.0, 2.0, np.inf, 3.0, 4.0, 5.0])
    years = np.array([1.0, 2.0, NAN, NAN])
    result = summary(7, 3, npv, bcr, years)
    assert result["iterations"] == 7 and result["seed"] == 3
    assert result["p_npv_positive"] == pytest.approx(90 / 101)
    # the percentiles of evenly spaced values fall on values: the p-th is −10 + p
    assert result["npv"] == pytest.approx(
        {
            "mean": 40.0,
            "sd": math.sqrt((101**2 - 1) / 12),
            "p5": -5.0,
            "p10": 0.0,
            "p50": 40.0,
            "p90": 80.0,
            "p95": 85.0,
        }
    )
    # only the finite ratios: 1 … 5, the p-th percentile 1 + 4p
    assert result["bcr"] == pytest.approx({"mean": 3.0, "p5": 1.2, "p50": 3.0, "p95": 4.8})
    assert result["payback_years"] == {"p50": 2.0, "share_reached": 0.5}


def test_zero_is_not_a_positive_npv() -> None:
    result = summary(3, 0, np.array([0.0, 0.0, 1.0]), np.array([1.0]), np.array([1.0]))
    assert result["p_npv_positive"] == pytest.approx(1 / 3)


def test_a_summary_without_any_finite_ratio_has_none() -> None:
    result = summary(2, 0, np.array([1.0, 2.0]), np.array([NAN, np.inf]), np.array([NAN, NAN]))
    assert result["bcr"] == {"mean": None, "p5": None, "p50": None, "p95": None}
    assert result["payback_years"] == {"p50": None, "share_reached": 0.0}


def test_a_certain_case_repeats_its_base_case_in_every_iteration() -> None:
    # NPV 1 000 × 0.5 − 200 = 300, ratio 2.5, paid back in year 0
    result = simulate(case(), 5, 0)
    assert result["p_npv_positive"] == 1.0
    assert result["npv"] == {
        "mean": 300.0,
        "sd": 0.0,
        **dict.fromkeys(["p5", "p10", "p50", "p90", "p95"], 300.0),
    }
    assert result["bcr"] == {"mean": 2.5, "p5": 2.5, "p50": 2.5, "p95": 2.5}
    assert result["payback_years"] == {"p50": 0.0, "share_reached": 1.0}


def test_the_draws_are_bounded_before_they_are_used() -> None:
    # an effect drawn on [−1, 1] is a share: clipped at 0, half of the draws give the NPV −200
    wide = case(effect={"dist": "uniform", "low": -1.0, "high": 1.0})
    result = simulate(wide, 2_000, 1)
    assert result["npv"]["p10"] == -200.0
    assert result["npv"]["p50"] == pytest.approx(-200.0, abs=30)
    assert result["p_npv_positive"] == pytest.approx(0.4, abs=0.03)  # effect > 0.2


def test_progress_is_reported_after_each_chunk() -> None:
    uncertain = case(cost={"dist": "uniform", "low": 100, "high": 300})
    calls: list[int] = []
    simulate(uncertain, 20, 1, chunk=7, done=calls.append)
    assert calls == [7, 14, 20]
    calls.clear()
    simulate(uncertain, 20_001, 1, done=calls.append)  # chunks of 20 000 by default
    assert calls == [20_000, 20_001]


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 40), st.integers(1, 45), st.integers(0, 2**32))
def test_chunks_do_not_change_the_draws_of_a_single_input(
    iterations: int, chunk: int, seed: int
) -> None:
    # one uncertain input is one stream of draws, however it is cut: every chunk size gives
    # the same iterations, and so the same summary
    uncertain = case(cost={"dist": "uniform", "low": 100, "high": 300})
    whole = simulate(uncertain, iterations, seed, chunk=iterations)
    assert simulate(uncertain, iterations, seed, chunk=chunk) == whole


def test_the_default_run_is_ten_thousand_iterations() -> None:
    uncertain = case(cost={"dist": "uniform", "low": 100, "high": 300})
    assert calculate(uncertain)["monte_carlo"]["iterations"] == 10_000


def test_the_tornado_takes_the_10th_and_90th_percentiles_widest_first() -> None:
    # NPV = 1 000 × effect − cost; base: effect 0.5, cost 200. The effect at 0.1 and 0.9 gives
    # −100 and 700 (swing 800); the cost at 120 and 280 gives 380 and 220 (swing 160). The
    # cost comes first in the document, the effect first in the tornado.
    both = case(
        cost={"dist": "uniform", "low": 100, "high": 300},
        effect={"dist": "uniform", "low": 0.0, "high": 1.0},
    )
    bars = tornado(both)
    assert [b["parameter"] for b in bars] == [EFFECT, COST]
    assert [b["low"] for b in bars] == pytest.approx([-100.0, 380.0])
    assert [b["high"] for b in bars] == pytest.approx([700.0, 220.0])


def test_the_tornado_bounds_a_percentile_outside_a_share() -> None:
    # effect uniform on [−0.5, 1.5]: its 10th and 90th percentiles −0.3 and 1.3 are clipped to
    # 0 and 1, NPV −200 and 800
    wide = case(effect={"dist": "uniform", "low": -0.5, "high": 1.5})
    assert tornado(wide) == [{"parameter": EFFECT, "low": -200.0, "high": 800.0}]


def test_a_case_without_uncertainty_has_no_tornado_bars() -> None:
    assert tornado(case()) == []


def test_the_tornado_orders_by_the_swing_of_a_skewed_input() -> None:
    # a cost triangular on [100, 400] with its mode (the base) at 100: its p-th percentile is
    # 400 − 300 √(1 − p), 115.39 and 305.13, NPV 500 − cost = 384.61 and 194.87 (swing 189.74,
    # though both bars lie on one side of the base). The effect uniform on [0.4, 0.6] at 0.42
    # and 0.58, NPV 1 000 × effect − 100 = 320 and 480 (swing 160): the cost comes first.
    both = case(
        cost={"dist": "triangular", "low": 100, "mode": 100, "high": 400},
        effect={"dist": "uniform", "low": 0.4, "high": 0.6},
    )
    bars = tornado(both)
    assert [b["parameter"] for b in bars] == [COST, EFFECT]
    assert bars[0]["low"] == pytest.approx(100 + 300 * math.sqrt(0.9))
    assert bars[0]["high"] == pytest.approx(100 + 300 * math.sqrt(0.1))
    assert [bars[1]["low"], bars[1]["high"]] == pytest.approx([320.0, 480.0])
