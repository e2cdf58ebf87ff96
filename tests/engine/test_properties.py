"""Properties the results must have whatever the case (hypothesis)."""

import copy
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sifra.engine import calculate

FAST = settings(max_examples=25, deadline=None)

money = st.floats(min_value=0, max_value=5e6, allow_nan=False)
share = st.floats(min_value=0, max_value=0.5)


@st.composite
def cases(draw: st.DrawFn) -> dict[str, Any]:
    """A random valid case with fixed numbers: 1–3 actors, costs, cohorts and outcomes."""
    horizon = draw(st.integers(1, 15))
    actors = [f"a{i}" for i in range(draw(st.integers(1, 3)))]
    return {
        "case": {
            "title": "P",
            "start_year": 2026,
            "horizon": horizon,
            "discount_rate": draw(st.floats(min_value=0, max_value=0.2)),
        },
        "actors": [{"id": a, "name": a, "sector": "kommun"} for a in actors],
        "costs": draw(st.lists(_cost(actors), min_size=1, max_size=3)),
        "participants": {"entering": draw(st.lists(money.map(lambda x: x / 1e3), max_size=5))},
        "outcomes": draw(st.lists(_outcome(actors), max_size=3)),
    }


@st.composite
def _cost(draw: st.DrawFn, actors: list[str]) -> dict[str, Any]:
    actor = draw(st.sampled_from(actors))
    if draw(st.booleans()):
        return {"actor": actor, "per_participant": draw(money)}
    return {"actor": actor, "amounts": draw(st.lists(money, min_size=1, max_size=4))}


@st.composite
def _outcome(draw: st.DrawFn, actors: list[str]) -> dict[str, Any]:
    return {
        "effect": draw(share),
        "kind": draw(st.sampled_from(["annual", "once"])),
        "lag": draw(st.integers(0, 3)),
        "duration": draw(st.integers(1, 6)),
        "drop_off": draw(share),
        "deadweight": draw(share),
        "displacement": draw(share),
        "attribution": draw(share),
        "unit_costs": {a: draw(money) for a in draw(st.sets(st.sampled_from(actors), min_size=1))},
    }


def scaled(case: dict[str, Any], factor: float) -> dict[str, Any]:
    scaled = copy.deepcopy(case)
    for outcome in scaled["outcomes"]:
        outcome["effect"] *= factor
    return scaled


@FAST
@given(cases(), st.floats(min_value=0, max_value=2))
def test_npv_is_linear_in_a_common_scale_of_the_effects(case: dict, factor: float) -> None:
    base = calculate(case)
    result = calculate(scaled(case, factor))
    expected = factor * base["pv_benefits"] - base["pv_costs"]
    assert result["npv"] == pytest.approx(expected, rel=1e-9, abs=1e-3)


@FAST
@given(cases())
def test_the_break_even_scale_makes_the_npv_zero(case: dict) -> None:
    base = calculate(case)
    scale = base["break_even_effect_scale"]
    if scale is None or scale > 2:  # effects must stay shares
        return
    result = calculate(scaled(case, scale))
    assert result["npv"] == pytest.approx(0, abs=1e-6 * max(1.0, base["pv_costs"]))


@FAST
@given(cases())
def test_without_discounting_the_npv_is_the_sum_of_the_yearly_nets(case: dict) -> None:
    case["case"]["discount_rate"] = 0.0
    result = calculate(case)
    total = sum(year["net"] for year in result["years"])
    assert result["npv"] == pytest.approx(total, rel=1e-9, abs=1e-3)
    assert result["years"][-1]["cumulative_net"] == pytest.approx(total, rel=1e-9, abs=1e-3)


def zero_width(number: float, kind: str) -> dict[str, Any]:
    return {
        "normal": {"dist": "normal", "mean": number, "sd": 0},
        "uniform": {"dist": "uniform", "low": number, "high": number},
        "triangular": {"dist": "triangular", "low": number, "mode": number, "high": number},
        "pert": {"dist": "pert", "low": number, "mode": number, "high": number},
    }[kind]


@FAST
@given(cases(), st.sampled_from(["normal", "uniform", "triangular", "pert"]))
def test_zero_width_distributions_reproduce_the_deterministic_result(case: dict, kind: str) -> None:
    certain = calculate(case)
    uncertain = copy.deepcopy(case)
    for outcome in uncertain["outcomes"]:
        outcome["effect"] = zero_width(outcome["effect"], kind)
        outcome["unit_costs"] = {a: zero_width(v, kind) for a, v in outcome["unit_costs"].items()}
    result = calculate(uncertain, iterations=50)
    assert result["npv"] == certain["npv"]
    mc = result["monte_carlo"]
    assert mc["npv"]["p5"] == pytest.approx(certain["npv"], rel=1e-9, abs=1e-6)
    assert mc["npv"]["p95"] == pytest.approx(certain["npv"], rel=1e-9, abs=1e-6)


UNCERTAIN = {
    "case": {"title": "U", "start_year": 2026, "horizon": 6, "discount_rate": 0.03},
    "actors": [{"id": "soc", "name": "Soc", "sector": "kommun"}],
    "costs": [{"actor": "soc", "amounts": [{"dist": "lognormal", "mean": 1e6, "sd": 2e5}]}],
    "participants": {"entering": [{"dist": "pert", "low": 80, "mode": 100, "high": 110}]},
    "outcomes": [
        {
            "effect": {"dist": "triangular", "low": 0.05, "mode": 0.1, "high": 0.2},
            "duration": 4,
            "drop_off": {"dist": "uniform", "low": 0, "high": 0.3},
            "unit_costs": {"soc": {"dist": "normal", "mean": 40_000, "sd": 10_000}},
        }
    ],
}


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 2**32), st.integers(1, 3000))
def test_the_same_seed_reproduces_the_monte_carlo_exactly(seed: int, iterations: int) -> None:
    first = calculate(UNCERTAIN, iterations=iterations, seed=seed)
    again = calculate(UNCERTAIN, iterations=iterations, seed=seed)
    assert first == again


def test_another_seed_gives_another_sample() -> None:
    one = calculate(UNCERTAIN, iterations=1000, seed=1)["monte_carlo"]
    two = calculate(UNCERTAIN, iterations=1000, seed=2)["monte_carlo"]
    assert one["npv"]["mean"] != two["npv"]["mean"]


def normal_effect_case(mean: float, sd: float, cost: float) -> dict[str, Any]:
    return {
        "case": {"title": "N", "start_year": 2026, "horizon": 4, "discount_rate": 0.035},
        "actors": [{"id": "soc", "name": "Soc", "sector": "kommun"}],
        "costs": [{"actor": "soc", "amounts": [cost]}],
        "participants": {"entering": [100]},
        "outcomes": [
            {
                "effect": {"dist": "normal", "mean": mean, "sd": sd},
                "duration": 3,
                "unit_costs": {"soc": 50_000},
            }
        ],
    }


@settings(max_examples=8, deadline=None)
@given(
    st.floats(min_value=0.3, max_value=0.6),
    st.floats(min_value=0.01, max_value=0.05),
    st.floats(min_value=-3, max_value=3),
)
def test_p_npv_positive_matches_the_analytic_probability(mean: float, sd: float, z: float) -> None:
    # NPV = effect × K − cost, with K the PV of the benefits per unit of effect, so
    # P(NPV > 0) = P(effect > cost / K) = 1 − Φ((cost / K − mean) / sd).
    k = 100 * 50_000 * sum(1.035**-t for t in range(3))
    cost = (mean + z * sd) * k
    iterations = 20_000
    result = calculate(normal_effect_case(mean, sd, cost), iterations=iterations, seed=11)
    analytic = 1 - 0.5 * (1 + math.erf((cost / k - mean) / sd / math.sqrt(2)))
    error = math.sqrt(max(analytic * (1 - analytic), 1e-4) / iterations)
    assert result["monte_carlo"]["p_npv_positive"] == pytest.approx(analytic, abs=5 * error)


def cumulative_at(flows: list[float], time: float) -> float:
    """The cumulative net at a moment, with each year's flow spread evenly over the year."""
    year = min(int(time), len(flows) - 1)
    return sum(flows[:year]) + (time - year) * flows[year]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(-1000, 1000).map(float), min_size=1, max_size=12))
def test_payback_is_when_the_case_has_paid_back_for_good(flows: list[float]) -> None:
    amounts = [-f for f in flows]
    case = {
        "case": {"title": "F", "start_year": 2026, "horizon": len(flows), "discount_rate": 0},
        "actors": [{"id": "soc", "name": "Soc", "sector": "kommun"}],
        "costs": [{"actor": "soc", "amounts": amounts}],
    }
    payback = calculate(case)["payback_years"]
    ends = [cumulative_at(flows, t + 1) for t in range(len(flows))]
    if payback is None:
        # never paid back for good: negative at the end, or nothing at all happens
        assert ends[-1] < 0 or not any(flows)
        return
    tolerance = 1e-9 * max(1.0, *map(abs, flows))
    # from the payback on, the interpolated cumulative net is never negative again
    assert cumulative_at(flows, payback) >= -tolerance
    assert all(n >= 0 for t, n in enumerate(ends) if t + 1 > payback)
    if payback > 0:
        # just before it, the cumulative net is negative
        assert cumulative_at(flows, payback - 1e-6) < 0
    else:
        assert all(n >= 0 for n in ends)
