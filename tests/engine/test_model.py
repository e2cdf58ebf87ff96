"""The money flows of sifra.engine.model on small cases, every number worked out by hand: 10
participants entering in year 0 unless a test says otherwise, an outcome worth 0.5 × 100 kr a
participant-year."""

from typing import Any

import numpy as np
import pytest

from sifra.engine import calculate, load_case, model


def document(outcomes=(), costs=(), entering=(10,), horizon=5, **head: Any) -> dict:
    return {
        "case": {
            "title": "T",
            "start_year": 2026,
            "horizon": horizon,
            "discount_rate": 0.0,
            **head,
        },
        "actors": [
            {"id": "soc", "name": "Socialnämnden", "sector": "kommun"},
            {"id": "reg", "name": "Regionen", "sector": "region"},
        ],
        "costs": list(costs),
        "participants": {"entering": list(entering)},
        "outcomes": list(outcomes),
    }


def outcome(**fields: Any) -> dict[str, Any]:
    base = {"name": "O", "effect": 0.5, "duration": 1, "unit_costs": {"soc": 100}, **fields}
    return {k: v for k, v in base.items() if v is not None}


def test_an_outcome_beyond_the_horizon_does_not_drop_the_ones_after_it():
    late = outcome(name="Late", lag=5)  # starts in year 5 of a 5-year horizon: never
    soon = outcome(name="Soon", lag=1, duration=2)  # 10 × 0.5 × 100 in years 1 and 2
    result = calculate(document([late, soon]))
    assert [y["benefits"] for y in result["years"]] == [0, 500, 500, 0, 0]


def test_an_uncertain_cohort_whose_base_is_zero_counts_with_its_drawn_values():
    case = load_case(
        document(entering=[10, {"dist": "uniform", "low": 0, "high": 0}, 0]), signed_effects=False
    )
    drawn = case.entering[1].path
    values = {drawn: np.array([4.0, 6.0])}
    entering = model.cohorts(case, values)
    assert [e for e, _ in entering] == [0, 1]
    assert entering[0][1] == 10
    assert entering[1][1].tolist() == [4.0, 6.0]
    # without a draw, a cohort of 0 is left out
    assert [e for e, _ in model.cohorts(case, {})] == [0]


def test_flows_by_actor_and_for_the_whole_case():
    case = load_case(
        document(
            [
                outcome(
                    unit_costs={"soc": 100, "reg": 300},
                    effect=None,
                    baseline=0.5,
                    relative_effect=0.4,
                )
            ],
            costs=[
                {"actor": "soc", "amounts": [1000, 200]},
                {"actor": "reg", "amounts": [50]},
                {"actor": "reg", "per_participant": 7},
            ],
            entering=[10, 0, 5],
            horizon=3,
        )
    )
    # effect 0.5 × 0.4 = 0.2; the outcome lasts 1 year from the cohort's entry
    by_actor = model.benefit_flows(case, {}, rows=1, by_actor=True)[:, 0, :]
    assert by_actor.tolist() == [[200.0, 600.0], [0.0, 0.0], [100.0, 300.0]]
    whole = model.benefit_flows(case, {}, rows=1, by_actor=False)
    assert whole.shape == (3, 1, 1)  # years × rows × one column for the whole case
    assert whole[:, 0, 0].tolist() == [800.0, 0.0, 400.0]
    # soc: 1000, 200; reg: 50 + 7 × 10 in year 0, 7 × 5 in year 2
    assert model.cost_flows(case, {}, rows=2, by_actor=True).shape == (3, 2, 2)
    costs = model.cost_flows(case, {}, rows=1, by_actor=True)[:, 0, :]
    assert costs.tolist() == [[1000.0, 120.0], [200.0, 0.0], [0.0, 35.0]]
    assert model.cost_flows(case, {}, rows=2, by_actor=False).shape == (3, 2, 1)
    assert model.cost_flows(case, {}, rows=1, by_actor=False)[:, 0, 0].tolist() == [
        1120.0,
        200.0,
        35.0,
    ]


def test_adjustments_drop_off_and_once_outcomes():
    annual = outcome(deadweight=0.1, displacement=0.2, attribution=0.5, duration=3, drop_off=0.5)
    once = outcome(name="Once", kind="once", lag=1)
    case = load_case(document([annual, once], horizon=4))
    # kept share 0.9 × 0.8 × 0.5 = 0.36
    assert model.adjustment(case.outcomes[0], {}) == pytest.approx(0.36)
    assert model.effect(case.outcomes[0], {}) == 0.5
    assert model.effect_profile(case.outcomes[0], {}, 3)[:, 0].tolist() == [1.0, 0.5, 0.25]
    assert model.effect_profile(case.outcomes[1], {}, 1).tolist() == [[1.0]]
    flows = model.benefit_flows(case, {}, rows=1, by_actor=False)[:, 0, 0]
    # annual: 10 × 0.5 × 100 × 0.36 = 180, then 90, 45; once: 500 in year 1 only
    assert flows.tolist() == pytest.approx([180.0, 590.0, 45.0, 0.0])


def test_avoided_volume_cuts_each_cohort_at_the_horizon():
    case = load_case(document([outcome(duration=3, lag=1)], entering=[10, 0, 20], horizon=4))
    volume = model.avoided_volume(case.outcomes[0], model.cohorts(case, {}), {}, 4)
    # cohort 0 (10) in years 1 to 3; cohort 2 (20) from year 3, cut after one year
    assert volume[:, 0].tolist() == [0.0, 10.0, 10.0, 30.0]
    assert model.avoided_volume(case.outcomes[0], [], {}, 4) is None


def test_discount_factors_start_at_one_in_year_zero():
    case = load_case(document(discount_rate=0.25, horizon=3))
    assert model.discount_factors(case, {})[:, 0].tolist() == [1.0, 0.8, 0.64]
