"""The result document: how `calculate` is called and refuses a bad run, the years' columns on
a discounted case worked out by hand, the meta block and the plain JSON types."""

import math
from typing import Any

import numpy as np
import pytest

from sifra.engine import calculate, load_case
from sifra.engine.results import _check_run, clean


def case(cost: Any = 1_000, effect: Any = 0.5, horizon: int = 3, rate: float = 0.25) -> dict:
    """10 participants in year 0 and an outcome worth 100 kr a participant-year for `horizon`
    years: benefits 1 000 × effect a year, against `cost` in year 0."""
    return {
        "case": {
            "title": "R",
            "start_year": 2030,
            "horizon": horizon,
            "discount_rate": rate,
            "price_year": 2029,
        },
        "actors": [{"id": "soc", "name": "Soc", "sector": "kommun"}],
        "costs": [{"actor": "soc", "amounts": [cost]}],
        "participants": {"entering": [10]},
        "outcomes": [{"effect": effect, "duration": horizon, "unit_costs": {"soc": 100}}],
    }


UNCERTAIN = case(cost={"dist": "uniform", "low": 900, "high": 1_100})


def test_the_years_columns_on_a_discounted_case() -> None:
    # net −500, 500, 500; discount factors 1, 0.8, 0.64 at 25 %
    years = calculate(case())["years"]
    expected = [
        {
            "t": 0,
            "year": 2030,
            "costs": 1_000.0,
            "benefits": 500.0,
            "net": -500.0,
            "cumulative_net": -500.0,
            "discounted_net": -500.0,
            "cumulative_discounted_net": -500.0,
        },
        {
            "t": 1,
            "year": 2031,
            "costs": 0.0,
            "benefits": 500.0,
            "net": 500.0,
            "cumulative_net": 0.0,
            "discounted_net": 400.0,
            "cumulative_discounted_net": -100.0,
        },
        {
            "t": 2,
            "year": 2032,
            "costs": 0.0,
            "benefits": 500.0,
            "net": 500.0,
            "cumulative_net": 500.0,
            "discounted_net": 320.0,
            "cumulative_discounted_net": 220.0,
        },
    ]
    assert years == [pytest.approx(row) for row in expected]


def test_the_headline_results_of_the_discounted_case() -> None:
    # pv_benefits 500 + 400 + 320 = 1 220 against pv_costs 1 000. The cumulative net is −500,
    # 0, 500: the last year below 0 is year 0, so payback = 1 + 500 / 500 = 2 (the end of year
    # 1). Discounted: −500, −100, 220, so 2 + 100 / 320 = 2.3125.
    result = calculate(case())
    assert result["pv_benefits"] == pytest.approx(1_220.0)
    assert result["pv_costs"] == pytest.approx(1_000.0)
    assert result["npv"] == pytest.approx(220.0)
    assert result["bcr"] == pytest.approx(1.22)
    assert result["roi"] == pytest.approx(0.22)
    assert result["break_even_effect_scale"] == pytest.approx(1_000 / 1_220)
    assert result["payback_years"] == pytest.approx(2.0)
    assert result["discounted_payback_years"] == pytest.approx(2.3125)
    assert result["by_actor"] == {
        "soc": pytest.approx({"pv_costs": 1_000.0, "pv_benefits": 1_220.0, "npv": 220.0})
    }
    assert result["monte_carlo"] is None and result["tornado"] is None
    assert result["meta"] == {
        "engine_version": "1.0.0",
        "currency": "SEK",
        "price_year": 2029,
        "discount_rate": 0.25,
        "horizon": 3,
    }


def test_calculate_takes_the_case_by_position_or_keyword_and_the_rest_by_keyword() -> None:
    assert calculate(case=case())["npv"] == pytest.approx(220.0)
    with pytest.raises(TypeError):
        calculate(UNCERTAIN, 5)  # type: ignore[misc]


def test_calculate_takes_a_parsed_case() -> None:
    assert calculate(load_case(case()))["npv"] == pytest.approx(220.0)


def test_the_default_seed_is_zero() -> None:
    default = calculate(UNCERTAIN, iterations=50)
    assert default["monte_carlo"]["seed"] == 0
    assert default == calculate(UNCERTAIN, iterations=50, seed=0)
    assert default != calculate(UNCERTAIN, iterations=50, seed=1)


@pytest.mark.parametrize(
    ("iterations", "seed", "message"),
    [
        (0, 0, "iterations must be between 1 and 10000000, got 0"),
        (-3, 0, "iterations must be between 1 and 10000000, got -3"),
        (10_000_001, 0, "iterations must be between 1 and 10000000, got 10000001"),
        (None, -1, "seed must be at least 0, got -1"),
        (5, -2, "seed must be at least 0, got -2"),
    ],
)
def test_a_bad_run_is_refused(iterations: int | None, seed: int, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        calculate(UNCERTAIN, iterations=iterations, seed=seed)
    assert str(caught.value) == message


def test_the_run_limits_are_inclusive() -> None:
    one = calculate(UNCERTAIN, iterations=1, seed=0)
    assert one["monte_carlo"]["iterations"] == 1
    # ten million iterations would take seconds and 240 MB: the check alone
    assert _check_run(10_000_000, 0) is None  # refused, it would raise
    assert _check_run(None, 0) is None


def test_clean_gives_plain_json_types() -> None:
    raw = {
        "a": [1, True, False, "x", None, np.float64(2.5), np.int64(3)],
        "b": {"nan": np.nan, "inf": math.inf, "minus_inf": np.float64(-np.inf), "f": 0.5},
    }
    cleaned = clean(raw)
    assert cleaned == {
        "a": [1, True, False, "x", None, 2.5, 3.0],
        "b": {"nan": None, "inf": None, "minus_inf": None, "f": 0.5},
    }
    a = cleaned["a"]
    assert [type(v) for v in a] == [int, bool, bool, str, type(None), float, float]
