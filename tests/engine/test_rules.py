"""Hand-computed cases, one rule of DOMAIN.md's investment calculation at a time."""

import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from sifra.engine import calculate

SHARED = Path(__file__).resolve().parent / "data"  # copied from ../shared/cases
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def case(outcomes: Sequence[dict] = (), costs: Sequence[dict] = (), **head: Any) -> dict:
    """A one-actor case: horizon 5, no discounting, 10 participants entering in year 0."""
    entering = head.pop("entering", [10])
    return {
        "case": {"title": "T", "start_year": 2026, "horizon": 5, "discount_rate": 0.0, **head},
        "actors": [
            {"id": "soc", "name": "Socialnämnden", "sector": "kommun"},
            {"id": "reg", "name": "Regionen", "sector": "region"},
        ],
        "costs": list(costs),
        "participants": {"entering": entering},
        "outcomes": list(outcomes),
    }


def outcome(**fields: Any) -> dict[str, Any]:
    """An annual outcome worth 0.5 × 100 kr per participant for one year; None drops a field."""
    base = {"name": "O", "effect": 0.5, "duration": 1, "unit_costs": {"soc": 100}, **fields}
    return {k: v for k, v in base.items() if v is not None}


def benefits(result: dict) -> list[float]:
    return [y["benefits"] for y in result["years"]]


def costs(result: dict) -> list[float]:
    return [y["costs"] for y in result["years"]]


def test_discounting_starts_at_year_zero() -> None:
    r = calculate(case(costs=[{"actor": "soc", "amounts": [100, 100, 100]}], discount_rate=0.1))
    assert r["pv_costs"] == pytest.approx(100 + 100 / 1.1 + 100 / 1.21)
    assert r["years"][0]["discounted_net"] == -100
    assert r["years"][2]["discounted_net"] == pytest.approx(-100 / 1.21)


def test_missing_years_are_zero_and_years_beyond_the_horizon_are_ignored() -> None:
    r = calculate(case(costs=[{"actor": "soc", "amounts": [1, 2, 3, 4, 5, 6, 7]}], horizon=3))
    assert costs(r) == [1, 2, 3]
    r = calculate(case(costs=[{"actor": "soc", "amounts": [7]}]))
    assert costs(r) == [7, 0, 0, 0, 0]


def test_lag_delays_the_effect() -> None:
    r = calculate(case([outcome(lag=2, duration=2)]))
    assert benefits(r) == [0, 0, 500, 500, 0]


def test_duration_is_cut_by_the_horizon() -> None:
    r = calculate(case([outcome(lag=3, duration=10)]))
    assert benefits(r) == [0, 0, 0, 500, 500]


def test_drop_off_shrinks_the_effect_after_its_first_year() -> None:
    r = calculate(case([outcome(duration=3, drop_off=0.2, lag=1)]))
    assert benefits(r) == pytest.approx([0, 500, 400, 320, 0])


def test_the_three_adjustments_multiply() -> None:
    adjusted = outcome(deadweight=0.1, displacement=0.2, attribution=0.5)
    r = calculate(case([adjusted]))
    assert benefits(r)[0] == pytest.approx(500 * 0.9 * 0.8 * 0.5)


def test_once_counts_the_effect_in_one_year_only() -> None:
    r = calculate(case([outcome(kind="once", lag=1)]))
    assert benefits(r) == [0, 500, 0, 0, 0]
    annual = calculate(case([outcome(kind="annual", lag=1, duration=3)]))
    assert benefits(annual) == [0, 500, 500, 500, 0]


def test_baseline_times_relative_effect_is_the_effect() -> None:
    r = calculate(case([outcome(effect=None, baseline=0.5, relative_effect=0.4)]))
    assert benefits(r)[0] == pytest.approx(10 * 0.2 * 100)


def test_per_participant_costs_are_charged_when_participants_enter() -> None:
    pp = {"actor": "soc", "per_participant": 5}
    r = calculate(case(costs=[pp], entering=[10, 0, 20, 0, 0, 99], horizon=5))
    assert costs(r) == [50, 0, 100, 0, 0]


def test_cohorts_entering_later_add_up_and_after_the_horizon_are_ignored() -> None:
    r = calculate(
        case(
            [outcome(effect=0.1, duration=2, unit_costs={"soc": 1000})],
            entering=[10, 20, 0, 0, 0, 30],
        )
    )
    assert benefits(r) == pytest.approx([1000, 3000, 2000, 0, 0])


def test_per_actor_split() -> None:
    split = outcome(duration=5, unit_costs={"soc": 100, "reg": 300})
    r = calculate(case([split], costs=[{"actor": "soc", "amounts": [1000]}], discount_rate=0.05))
    # 1 + 1/1.05 + 1/1.05² + 1/1.05³ + 1/1.05⁴ = 4.5459505 (by hand); soc gets 500 a year,
    # reg 1 500, and soc paid 1 000 in year 0
    assert r["by_actor"]["soc"]["pv_costs"] == 1000
    assert r["by_actor"]["soc"]["pv_benefits"] == pytest.approx(2272.97525, abs=1e-4)
    assert r["by_actor"]["reg"] == pytest.approx(
        {"pv_costs": 0, "pv_benefits": 6818.92576, "npv": 6818.92576}, abs=1e-4
    )
    assert r["npv"] == pytest.approx(8091.90101, abs=1e-4)


def test_payback_inside_a_year() -> None:
    # a cost of 1.5 × S in year 0 and a saving of S a year from year 0: 1.5 years
    saving = outcome(effect=1.0, duration=5, unit_costs={"soc": 10})
    r = calculate(case([saving], costs=[{"actor": "soc", "amounts": [150]}], discount_rate=0.1))
    assert r["payback_years"] == pytest.approx(1.5)
    # discounted: −50 after year 0, then 100 / 1.1 in year 1
    assert r["discounted_payback_years"] == pytest.approx(1 + 50 / (100 / 1.1))


def test_payback_at_the_end_of_a_year_and_at_once() -> None:
    saving = outcome(effect=1.0, duration=5, unit_costs={"soc": 5})
    r = calculate(case([saving], costs=[{"actor": "soc", "amounts": [100]}]))
    assert r["payback_years"] == 2.0  # N(0) = −50, N(1) = 0
    free = calculate(case([saving]))
    assert free["payback_years"] == 0.0  # N(−1) = 0 already


def flows_case(flows: Sequence[float], rate: float = 0.0) -> dict:
    """A case whose yearly net is exactly `flows`: one cost row of their negatives (a negative
    cost is a gain), over as many years."""
    amounts = [-f for f in flows]
    return case(
        costs=[{"actor": "soc", "amounts": amounts}], horizon=len(flows), discount_rate=rate
    )


@pytest.mark.parametrize(
    ("flows", "expected"),
    [
        # DOMAIN.md's test vectors
        ([-50, 100, 100, 100], 1.5),
        ([-100, 150, -200, 50], None),
        ([0, -100, 60, 60], 3 + 40 / 60),
        # an empty year 0 before the costs must not read as paid back at once
        ([0, -100, 30, 30], None),
        # a dip below 0 after a first crossing: the last crossing counts
        ([-100, 150, -100, 100], 3 + 50 / 100),
        # gains first, and never below 0: paid back from the start
        ([10, -5, 0, 0], 0.0),
        ([0, 0, 0, 0], None),
        # reaching exactly 0 at the end of a year after being negative
        ([-100, 100, 0, 0], 2.0),
    ],
)
def test_payback_is_the_last_crossing(flows: list[float], expected: float | None) -> None:
    r = calculate(flows_case(flows))
    assert [y["net"] for y in r["years"]] == flows
    if expected is None:
        assert r["payback_years"] is None
    else:
        assert r["payback_years"] == pytest.approx(expected, abs=1e-12)
    # without discounting the discounted payback is the same
    assert r["discounted_payback_years"] == r["payback_years"]


def test_discounted_payback_is_the_last_crossing_of_the_discounted_flows() -> None:
    # at 10 %: −100, +121 / 1.1 = +110, −121 / 1.21 = −100, +266.2 / 1.331 = +200
    r = calculate(flows_case([-100, 121, -121, 266.2], rate=0.1))
    # discounted cumulative: −100, +10, −90, +110: the last negative is year 2
    assert r["discounted_payback_years"] == pytest.approx(3 + 90 / 200)
    # undiscounted cumulative: −100, 21, −100, 166.2
    assert r["payback_years"] == pytest.approx(3 + 100 / 266.2)


def test_payback_never_reached_and_irr_absent() -> None:
    r = calculate(case([outcome()], costs=[{"actor": "soc", "amounts": [10_000]}]))
    assert r["payback_years"] is None
    assert r["discounted_payback_years"] is None
    assert r["irr"] is None  # every yearly net is negative: no rate makes the NPV zero


def test_irr_of_a_simple_flow() -> None:
    r = calculate(case([outcome(lag=1)], costs=[{"actor": "soc", "amounts": [400]}]))
    assert r["irr"] == pytest.approx(0.25)  # −400 now, +500 in a year


def test_irr_absent_without_costs() -> None:
    assert calculate(case([outcome()]))["irr"] is None


def test_ratios_are_null_without_costs_or_benefits() -> None:
    r = calculate(case([outcome()]))
    assert r["bcr"] is None and r["roi"] is None
    r = calculate(case(costs=[{"actor": "soc", "amounts": [1]}]))
    assert r["break_even_effect_scale"] is None
    assert r["bcr"] == 0 and r["roi"] == -1


def test_years_are_numbered_from_the_start_year_and_cumulated() -> None:
    r = calculate(case([outcome(duration=5)], costs=[{"actor": "soc", "amounts": [800]}]))
    assert [y["year"] for y in r["years"]] == [2026, 2027, 2028, 2029, 2030]
    assert [y["cumulative_net"] for y in r["years"]] == [-300, 200, 700, 1200, 1700]


def test_no_risk_sections_without_uncertainty() -> None:
    r = calculate(case([outcome()]))
    assert r["monte_carlo"] is None and r["tornado"] is None
    assert r["meta"] == {
        "engine_version": r["meta"]["engine_version"],
        "currency": "SEK",
        "price_year": 2026,
        "discount_rate": 0.0,
        "horizon": 5,
    }


def test_iterations_on_a_certain_case_give_a_degenerate_run() -> None:
    r = calculate(case([outcome()]), iterations=100, seed=3)
    assert r["tornado"] == []
    mc = r["monte_carlo"]
    assert (mc["iterations"], mc["seed"], mc["p_npv_positive"]) == (100, 3, 1.0)
    assert mc["npv"]["sd"] == 0 and mc["npv"]["p5"] == mc["npv"]["p95"] == r["npv"]


def test_uncertain_case_runs_ten_thousand_iterations_by_default() -> None:
    uncertain = outcome(effect={"dist": "uniform", "low": 0.1, "high": 0.3})
    r = calculate(case([uncertain]))
    assert r["monte_carlo"]["iterations"] == 10_000
    assert r["npv"] == pytest.approx(10 * 0.2 * 100)  # the midpoint is the base


def test_tornado_varies_one_input_between_its_10th_and_90th_percentile() -> None:
    effect = {"dist": "uniform", "low": 0.1, "high": 0.3}
    unit = {"dist": "uniform", "low": 90, "high": 110}
    r = calculate(case([outcome(effect=effect, unit_costs={"soc": unit})]))
    # NPV = 10 × effect × unit cost; the effect's swing is the wider
    assert r["tornado"] == [
        {"parameter": "outcomes[0].effect", "low": pytest.approx(120), "high": pytest.approx(280)},
        {
            "parameter": "outcomes[0].unit_costs.soc",
            "low": pytest.approx(184),
            "high": pytest.approx(216),
        },
    ]


def test_uncertain_amounts_are_named_by_index() -> None:
    amount = {"dist": "normal", "mean": 100, "sd": 10}
    r = calculate(case(costs=[{"actor": "soc", "amounts": [5, amount]}]))
    assert [bar["parameter"] for bar in r["tornado"]] == ["costs[0].amounts[1]"]


def test_drawn_shares_are_clipped() -> None:
    wide = outcome(effect={"dist": "normal", "mean": 0.5, "sd": 5})
    mc = calculate(case([wide]), iterations=2000)["monte_carlo"]
    assert mc["npv"]["p5"] == 0 and mc["npv"]["p95"] == 1000  # effect clipped to [0, 1]


def test_the_contract_example_matches_its_expected_results() -> None:
    expected = json.loads((SHARED / "contract-example.expected.json").read_text())
    result = calculate(SHARED / "contract-example.toml")
    assert_close(result, expected)


def assert_close(actual: Any, expected: Any, path: str = "") -> None:
    if isinstance(expected, dict):
        for key in expected:
            assert_close(actual[key], expected[key], f"{path}.{key}")
    elif isinstance(expected, list):
        assert len(actual) == len(expected), path
        for i, (a, e) in enumerate(zip(actual, expected, strict=True)):
            assert_close(a, e, f"{path}[{i}]")
    elif expected is None or isinstance(expected, str):
        assert actual == expected, path
    else:
        assert actual == pytest.approx(expected, rel=1e-6, abs=1e-6), path


def test_norrkoping_example_pays_back_in_one_and_a_half_years() -> None:
    r = calculate(EXAMPLES / "norrkoping-barn.toml")
    assert r["payback_years"] == pytest.approx(1.5, abs=1e-12)
    assert r["monte_carlo"] is None


def test_fall_prevention_example_splits_gains_and_has_risk() -> None:
    r = calculate(EXAMPLES / "fallprevention.toml", iterations=2000)
    assert r["by_actor"]["region"]["pv_costs"] == 0
    assert r["by_actor"]["region"]["pv_benefits"] > 0
    assert 0 < r["monte_carlo"]["p_npv_positive"] <= 1
    assert len(r["tornado"]) > 5


def test_results_are_plain_json() -> None:
    r = calculate(EXAMPLES / "fallprevention.toml", iterations=500)
    json.dumps(r, allow_nan=False)
    assert not any(isinstance(v, float) and not math.isfinite(v) for v in r.values())


@pytest.mark.parametrize(
    "name", ["norrkoping-barn.toml", "fallprevention.toml", "vag-till-arbete.json"]
)
def test_every_example_computes(name: str) -> None:
    r = calculate(EXAMPLES / name, iterations=200)
    assert r["meta"]["currency"] == "SEK" and len(r["years"]) == r["meta"]["horizon"]


def test_a_signed_effect_is_only_for_a_case_after_the_fact() -> None:
    from sifra.engine import CaseError, load_case

    harmful = case([outcome(effect=-0.2)])
    with pytest.raises(CaseError, match=r"outcomes\[0\]\.effect: must be between 0 and 1"):
        load_case(harmful)
    r = calculate(load_case(harmful, signed_effects=True))
    assert benefits(r)[0] == pytest.approx(10 * -0.2 * 100)
    with pytest.raises(CaseError, match=r"must be between -1 and 1, got -1.5"):
        load_case(case([outcome(effect=-1.5)]), signed_effects=True)


def test_signed_effect_draws_are_clipped_to_minus_one_and_one() -> None:
    from sifra.engine import load_case

    wide = case([outcome(effect={"dist": "normal", "mean": 0.0, "sd": 5})])
    mc = calculate(load_case(wide, signed_effects=True), iterations=2000)["monte_carlo"]
    assert mc["npv"]["p5"] == -1000 and mc["npv"]["p95"] == 1000  # 10 × ±1 × 100
