"""The fund forecast model (DOMAIN.md, "The fund forecast"), on plain data: the numbers expected
here are worked out by hand in the comments."""

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sifra.engine import load_case
from sifra.engine.forecast import (
    ClaimIn,
    ForecastInput,
    History,
    Policy,
    PolicyError,
    ProjectIn,
    Realisation,
    SavingsShare,
    Start,
    forecast,
    scenario,
    simulate,
)

FAST = settings(max_examples=30, deadline=None)


def ore(kronor: float) -> int:
    """A document amount (kronor with öre) back to whole öre."""
    return round(kronor * 100)


def fixed_only() -> ForecastInput:
    return ForecastInput(
        base_year=2026,
        start=Start(capital_ore=10_000_000_37, committed_ore=3_000_000_00, claims_ore=1_000_000_05),
        projects=(
            # 3 000 000 kr left to pay, budget lines 2 : 1 over 2027 and 2028
            ProjectIn("A", outstanding_ore=3_000_000_00, disbursement_years=((2027, 2), (2028, 1))),
            ProjectIn("B", fixed=((2028, 500_000_11), (2029, 700_000_00))),
        ),
        claims=(ClaimIn(outstanding_ore=1_000_000_05, due_year=2027),),
        history=History(claims_paid_share=1.0),
        default_topup_ore=1_000_000_00,
    )


def test_fixed_schedules_only_one_iteration_is_the_plain_yearly_sum() -> None:
    # capital(y) = capital(y−1) + top-ups + repayments − disbursements, by hand, in öre:
    # 2027: 10 000 000,37 + 1 000 000 + 1 000 000,05 − 2 000 000 = 10 000 000,42
    # 2028: 10 000 000,42 + 1 000 000 + 500 000,11 − 1 000 000 = 10 500 000,53
    # 2029: 10 500 000,53 + 1 000 000 + 700 000 − 0 = 12 200 000,53
    # committed: 3 000 000 → 1 000 000 → 0 → 0; available = capital − committed
    doc = forecast(fixed_only(), Policy(years=3, iterations=1, new_grants_ore=0))
    years = doc["years"]
    assert [y["year"] for y in years] == [2026, 2027, 2028, 2029]
    capital = [ore(y["capital"]["p50"]) for y in years]
    assert capital == [10_000_000_37, 10_000_000_42, 10_500_000_53, 12_200_000_53]
    assert [ore(y["committed"]["p50"]) for y in years] == [3_000_000_00, 1_000_000_00, 0, 0]
    available = [ore(y["available"]["p50"]) for y in years]
    assert available == [7_000_000_37, 9_000_000_42, 10_500_000_53, 12_200_000_53]
    assert [ore(y["repayments"]["p50"]) for y in years] == [0, 1_000_000_05, 500_000_11, 700_000_00]
    assert [ore(y["disbursements"]["p50"]) for y in years] == [0, 2_000_000_00, 1_000_000_00, 0]
    assert [ore(y["topups"]) for y in years] == [0, 1_000_000_00, 1_000_000_00, 1_000_000_00]
    # one iteration, nothing uncertain: P10 = P50 = P90
    assert all(y["capital"]["p10"] == y["capital"]["p90"] for y in years)
    # without repayment: 10 000 000,37 + 1 000 000 − 2 000 000 = 9 000 000,37; then + 1 000 000
    # − 1 000 000 = 9 000 000,37; then + 1 000 000 = 10 000 000,37
    bare = [ore(y["capital"]["p50"]) for y in doc["without_repayment"]["years"]]
    assert bare == [10_000_000_37, 9_000_000_37, 9_000_000_37, 10_000_000_37]


def test_new_grants_are_committed_at_once_and_disbursed_like_the_past() -> None:
    # 1 000 000 kr a year, half disbursed the year granted and half the year after:
    # committed 2027: 3 000 000 + 1 000 000 − (2 000 000 + 500 000) = 1 500 000
    # committed 2028: 1 500 000 + 1 000 000 − (1 000 000 + 500 000 + 500 000) = 500 000
    data = fixed_only()
    data = ForecastInput(**{**vars(data), "history": History(disbursement_profile=(0.5, 0.5))})
    doc = forecast(data, Policy(years=2, iterations=1, new_grants_ore=1_000_000_00))
    committed = [ore(y["committed"]["p50"]) for y in doc["years"]]
    assert committed == [3_000_000_00, 1_500_000_00, 500_000_00]
    # capital 2027: 10 000 000,37 + 1 000 000 + 1 000 000,05 − 2 500 000 = 9 500 000,42
    assert ore(doc["years"][1]["capital"]["p50"]) == 9_500_000_42
    # available falls by the grant at once: 9 500 000,42 − 1 500 000 = 8 000 000,42
    assert ore(doc["years"][1]["available"]["p50"]) == 8_000_000_42


def test_year_zero_is_the_start_to_the_ore() -> None:
    doc = forecast(fixed_only(), Policy(years=2, iterations=50, seed=3))
    assert doc["start"] == {
        "year": 2026,
        "capital_ore": 10_000_000_37,
        "committed_ore": 3_000_000_00,
        "available_ore": 7_000_000_37,
        "claims_ore": 1_000_000_05,
    }
    zero = doc["years"][0]
    assert {ore(v) for v in zero["capital"].values()} == {10_000_000_37}
    assert {ore(v) for v in zero["available"].values()} == {7_000_000_37}


def test_open_claims_are_paid_at_the_historical_share_and_overdue_ones_in_year_one() -> None:
    data = ForecastInput(
        base_year=2026,
        start=Start(0, 0, 0),
        claims=(ClaimIn(400_000_00, 2019), ClaimIn(100_000_00, 2028)),
        history=History(claims_paid_share=0.75),
    )
    doc = forecast(data, Policy(years=3, iterations=1, new_grants_ore=0))
    # 400 000 overdue × 0,75 = 300 000 in 2027; 100 000 × 0,75 = 75 000 in 2028
    assert [ore(y["repayments"]["p50"]) for y in doc["years"]] == [0, 300_000_00, 75_000_00, 0]


def test_tax_share_top_ups_grow_by_the_rate() -> None:
    data = ForecastInput(base_year=2026, start=Start(0, 0, 0))
    policy = Policy(
        years=2, iterations=1, tax_share=0.02, tax_revenue_ore=1_000_000_000_00, growth=0.1
    )
    doc = forecast(data, policy)
    # 2 % of 1 000 000 000 kr = 20 000 000 kr, grown 10 % a year: 22 000 000, 24 200 000
    assert [ore(y["topups"]) for y in doc["years"]] == [0, 22_000_000_00, 24_200_000_00]
    assert doc["policy"]["topup"]["kind"] == "tax_share"


# --- Savings shares drawn from a case -------------------------------------------------------


def family_case(uncertain: bool = False) -> Any:
    effect: Any = {"dist": "pert", "low": 0.0, "mode": 0.1, "high": 0.3} if uncertain else 0.1
    return load_case(
        {
            "case": {"title": "F", "start_year": 2026, "horizon": 5, "discount_rate": 0.0},
            "actors": [
                {"id": "soc", "name": "Socialnämnden", "sector": "kommun"},
                {"id": "reg", "name": "Regionen", "sector": "region"},
            ],
            "participants": {"entering": [100]},
            "outcomes": [
                {
                    "name": "Placering undviks",
                    "effect": effect,
                    "duration": 5,
                    "unit_costs": {"soc": 10_000, "reg": 99_000},
                }
            ],
        }
    )


def savings_input(factor: float, room_ore: int = 10**12, uncertain: bool = False) -> ForecastInput:
    share = SavingsShare(
        share=0.5,
        room_ore=room_ore,
        case=family_case(uncertain),
        actors=("soc",),
        first_year=2026,
    )
    return ForecastInput(
        base_year=2026,
        start=Start(0, 0, 0),
        projects=(ProjectIn("S", savings=share),),
        realisation=Realisation(factor=factor),
    )


def repayments(doc: dict[str, Any]) -> list[int]:
    return [ore(y["repayments"]["p50"]) for y in doc["years"]]


def test_savings_share_repays_half_of_the_paying_units_savings_the_year_after() -> None:
    # soc saves 100 × 0,1 × 10 000 = 100 000 kr a year in 2026–2030 (the region's saving is not
    # the paying unit's); half of it is claimed and paid the year after: 50 000 in 2027–2031
    doc = forecast(savings_input(1.0), Policy(years=6, iterations=1, new_grants_ore=0))
    assert repayments(doc) == [0] + [50_000_00] * 5 + [0]


def test_a_realisation_factor_of_one_half_halves_the_savings_share_repayments() -> None:
    policy = Policy(years=6, iterations=200, seed=5, new_grants_ore=0)
    whole = forecast(savings_input(1.0, uncertain=True), policy)
    half = forecast(savings_input(0.5, uncertain=True), policy)
    for a, b in zip(whole["years"], half["years"], strict=True):
        for q in ("p10", "p50", "p90"):
            assert ore(b["repayments"][q]) == pytest.approx(ore(a["repayments"][q]) / 2, abs=1)
    # by hand without uncertainty: 25 000 kr a year instead of 50 000
    plain = forecast(savings_input(0.5), Policy(years=6, iterations=1, new_grants_ore=0))
    assert repayments(plain) == [0] + [25_000_00] * 5 + [0]


def test_the_cap_applies_after_the_realisation_factor() -> None:
    # room 120 000 kr: factor 1 pays 50 000, 50 000, 20 000; factor 0.5 pays 25 000 × 4, 20 000
    capped = Policy(years=6, iterations=1, new_grants_ore=0)
    assert repayments(forecast(savings_input(1.0, 120_000_00), capped)) == [
        0,
        50_000_00,
        50_000_00,
        20_000_00,
        0,
        0,
        0,
    ]
    assert repayments(forecast(savings_input(0.5, 120_000_00), capped)) == [
        0,
        25_000_00,
        25_000_00,
        25_000_00,
        25_000_00,
        20_000_00,
        0,
    ]


# --- Invariants, reproducibility, the sustainable pace ----------------------------------------


@st.composite
def inputs(draw: st.DrawFn) -> ForecastInput:
    amounts = st.integers(0, 50_000_000_00)
    years = st.integers(2020, 2045)
    projects = []
    for i in range(draw(st.integers(0, 4))):
        savings = None
        if draw(st.booleans()):
            savings = SavingsShare(
                share=draw(st.floats(0, 1)),
                room_ore=draw(amounts),
                case=family_case(uncertain=True),
                actors=("soc",),
                first_year=draw(years),
            )
        projects.append(
            ProjectIn(
                f"P{i}",
                outstanding_ore=draw(amounts),
                disbursement_years=tuple(draw(st.lists(st.tuples(years, st.integers(0, 9)))))[:4],
                fixed=tuple(draw(st.lists(st.tuples(years, amounts), max_size=3))),
                savings=savings,
            )
        )
    return ForecastInput(
        base_year=2026,
        start=Start(draw(amounts), draw(amounts), draw(amounts)),
        projects=tuple(projects),
        claims=tuple(
            ClaimIn(a, y) for a, y in draw(st.lists(st.tuples(amounts, years), max_size=3))
        ),
        history=History(
            recent_grants_ore=(draw(amounts),),
            disbursement_profile=(0.4, 0.6),
            repayment_profile=(0.0, 0.1, 0.3),
            repayment_spread=draw(st.floats(0, 2)),
            claims_paid_share=draw(st.floats(0, 1)),
        ),
        realisation=Realisation(draw(st.floats(0, 2)), draw(st.floats(0, 1))),
        default_topup_ore=draw(amounts),
    )


@FAST
@given(data=inputs(), grants=st.integers(0, 20_000_000_00), seed=st.integers(0, 2**32 - 1))
def test_switching_repayment_off_never_raises_capital(
    data: ForecastInput, grants: int, seed: int
) -> None:
    policy = Policy(years=12, iterations=64, seed=seed)
    paths = simulate(data, policy)
    with_repayment = scenario(data, paths, grants, repayment=True)
    without = scenario(data, paths, grants, repayment=False)
    assert np.all(without.capital <= with_repayment.capital)
    assert np.all(without.available <= with_repayment.available)
    doc = forecast(data, Policy(years=12, iterations=64, seed=seed, new_grants_ore=grants))
    for a, b in zip(doc["years"], doc["without_repayment"]["years"], strict=True):
        assert b["capital"]["p50"] <= a["capital"]["p50"]
        assert b["p_above_floor"] <= a["p_above_floor"]


def without_timing(doc: dict[str, Any]) -> dict[str, Any]:
    return {**doc, "meta": {k: v for k, v in doc["meta"].items() if k != "seconds"}}


def test_the_same_seed_gives_the_same_document() -> None:
    data = savings_input(0.8, uncertain=True)
    data = ForecastInput(**{**vars(data), "realisation": Realisation(0.8, 0.3)})
    policy = Policy(years=8, iterations=3_000, seed=42)
    first = forecast(data, policy)
    assert without_timing(first) == without_timing(forecast(data, policy))
    other = forecast(data, Policy(years=8, iterations=3_000, seed=43))
    assert without_timing(other) != without_timing(first)


def pace_input() -> ForecastInput:
    """A fund of 50 MSEK with a 2 MSEK top-up, whose new grants repay 60 % after two and three
    years with a wide spread, and a savings share drawn from an uncertain case."""
    data = savings_input(0.9, uncertain=True)
    return ForecastInput(
        **{
            **vars(data),
            "start": Start(50_000_000_00, 10_000_000_00, 0),
            "projects": (
                *data.projects,
                ProjectIn("A", 10_000_000_00, ((2027, 1), (2028, 1))),
            ),
            "history": History(
                disbursement_profile=(0.5, 0.5),
                repayment_profile=(0.0, 0.0, 0.3, 0.3),
                repayment_spread=0.8,
            ),
            "realisation": Realisation(0.9, 0.4),
            "default_topup_ore": 2_000_000_00,
        }
    )


def chance_all_years(data: ForecastInput, policy: Policy) -> float:
    return forecast(data, policy)["years"][-1]["p_above_floor"]


@pytest.mark.parametrize("floor", [0, 10_000_000_00])
def test_the_sustainable_pace_keeps_the_chance_and_ten_per_cent_more_does_not(floor: int) -> None:
    data = pace_input()
    policy = Policy(years=15, iterations=4_000, seed=7, floor_ore=floor)
    doc = forecast(data, policy)
    pace = doc["sustainable_pace"]["new_grants_per_year"]
    assert pace is not None and pace > 0
    assert doc["sustainable_pace"]["p_above_floor"] >= 0.9
    at_pace = Policy(**{**vars(policy), "new_grants_ore": ore(pace)})
    assert chance_all_years(data, at_pace) >= 0.9
    more = Policy(**{**vars(policy), "new_grants_ore": ore(pace * 1.1)})
    assert chance_all_years(data, more) < 0.9
    # a fund that has spread over its 15 years what it has, less the floor, can do no more:
    # 40 MSEK available + 15 × 2 MSEK top-ups − the floor, plus what it gets back
    assert pace < (40_000_000 + 30_000_000 - floor / 100) / 15 * 2.5


def test_no_pace_when_even_no_new_grants_miss_the_floor() -> None:
    data = ForecastInput(base_year=2026, start=Start(100_00, 0, 0))
    doc = forecast(data, Policy(years=3, iterations=10, floor_ore=1_000_00))
    assert doc["sustainable_pace"]["new_grants_per_year"] is None
    assert doc["years"][-1]["p_above_floor"] == 0.0


def test_first_year_more_likely_than_not_below_zero() -> None:
    # 1 000 000 kr available, 400 000 kr of new grants a year and nothing coming in: available
    # is 600 000, 200 000, −200 000 in 2027–2029
    data = ForecastInput(base_year=2026, start=Start(1_000_000_00, 0, 0))
    doc = forecast(data, Policy(years=4, iterations=1, new_grants_ore=400_000_00))
    assert [ore(y["available"]["p50"]) for y in doc["years"]] == [
        1_000_000_00,
        600_000_00,
        200_000_00,
        -200_000_00,
        -600_000_00,
    ]
    assert doc["first_year_likely_below_zero"] == 2029
    assert [y["p_above_floor"] for y in doc["years"]] == [1.0, 1.0, 1.0, 0.0, 0.0]


@pytest.mark.parametrize(
    ("changes", "option"),
    [
        ({"years": 0}, "years"),
        ({"iterations": 0}, "iterations"),
        ({"seed": -1}, "seed"),
        ({"topup_ore": 1, "tax_share": 0.02, "tax_revenue_ore": 1}, "topup"),
        ({"tax_share": 1.5, "tax_revenue_ore": 1}, "tax_share"),
        ({"tax_share": 0.02}, "tax_revenue"),
        ({"new_grants_ore": -1}, "new_grants"),
    ],
)
def test_a_bad_policy_names_its_option(changes: dict[str, Any], option: str) -> None:
    with pytest.raises(PolicyError) as caught:
        forecast(fixed_only(), Policy(**changes))
    assert caught.value.option == option


def test_a_run_too_large_for_memory_is_refused_naming_iterations() -> None:
    # 100 000 iterations × 101 years would be 10 100 000 cells per matrix, over the 5 000 000
    with pytest.raises(PolicyError) as caught:
        forecast(fixed_only(), Policy(years=100, iterations=100_000))
    assert caught.value.option == "iterations"
    assert "10 100 000" in caught.value.message
