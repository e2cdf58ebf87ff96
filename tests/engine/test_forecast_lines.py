"""The fund forecast line by line (DOMAIN.md, "The fund forecast"): the policy's limits, the
spreading of disbursements, the savings shares, the new grants, the chance above the floor and
the bisection of the sustainable pace, each on a case small enough to work out by hand. The
expected numbers are in the comments; amounts are öre unless a name says kronor."""

import dataclasses
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sifra.engine import forecast as fc
from sifra.engine import load_case
from sifra.engine.forecast import (
    ClaimIn,
    ForecastInput,
    History,
    Paths,
    Policy,
    PolicyError,
    ProjectIn,
    Realisation,
    SavingsShare,
    Scenario,
    Start,
    check_policy,
    default_new_grants,
    first_year_below_zero,
    forecast,
    p_above_floor,
    scenario,
    simulate,
    sustainable_pace,
    topups,
    with_policy,
)
from sifra.engine.results import ENGINE_VERSION

FAST = settings(max_examples=25, deadline=None)
MSEK = 1_000_000_00  # one million kronor in öre


def ore(kronor: float) -> int:
    return round(kronor * 100)


def msek(millions: float) -> int:
    return round(millions * MSEK)


def one(**changes: Any) -> Policy:
    """One iteration, no new grants: the plain yearly sums."""
    return Policy(**{"iterations": 1, "new_grants_ore": 0, **changes})


def fund(**changes: Any) -> ForecastInput:
    return ForecastInput(**{"base_year": 2026, "start": Start(0, 0, 0), **changes})


# --- The policy ---------------------------------------------------------------------------------


def test_the_defaults_are_fifteen_years_of_ten_thousand_iterations() -> None:
    policy = Policy()
    assert (policy.years, policy.iterations, policy.seed) == (15, 10_000, 0)
    assert policy.topup_ore is None and policy.tax_share is None and policy.new_grants_ore is None
    assert (policy.floor_ore, policy.repayment, policy.growth) == (0, True, 0.0)
    assert policy.tax_revenue_ore == 0


@pytest.mark.parametrize(
    "value",
    [
        SavingsShare(0.5, 1, None, (), 2026),
        ProjectIn("A"),
        ClaimIn(1, 2026),
        History(),
        Realisation(),
        Start(0, 0, 0),
        ForecastInput(2026, Start(0, 0, 0)),
        Policy(),
    ],
    ids=lambda v: type(v).__name__,
)
def test_the_inputs_are_frozen(value: Any) -> None:
    # a forecast cannot change what it was given, and equal inputs hash alike
    name = dataclasses.fields(value)[0].name
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(value, name, getattr(value, name))
    assert hash(value) == hash(dataclasses.replace(value))


def test_the_inputs_default_to_nothing_outstanding_and_no_history() -> None:
    assert ProjectIn("A") == ProjectIn("A", 0, (), (), None)
    assert History() == History((), (1.0,), (), 0.0, 1.0)
    assert Realisation() == Realisation(1.0, 0.0)
    assert SavingsShare(0.5, 1, None, (), 2026).due_lag == 1
    data = ForecastInput(2026, Start(0, 0, 0))
    assert (data.projects, data.claims, data.default_topup_ore) == ((), (), 0)
    assert (data.history, data.realisation) == (History(), Realisation())


@pytest.mark.parametrize(
    "changes",
    [
        {"years": 1},
        {"years": 100, "iterations": 1},
        {"years": 1, "iterations": 1_000_000},
        # 1 000 000 × 5 = 5 000 000 cells: exactly the most allowed
        {"years": 4, "iterations": 1_000_000},
        {"years": 49, "iterations": 100_000},
        {"seed": 0},
        {"topup_ore": 0},
        {"topup_ore": 5},
        {"tax_share": 0.0, "tax_revenue_ore": 1},
        {"tax_share": 1.0, "tax_revenue_ore": 1, "growth": 1.0},
        {"tax_share": 0.5, "tax_revenue_ore": 1, "growth": -0.99},
        {"new_grants_ore": 0},
    ],
)
def test_a_policy_at_its_limits_is_accepted(changes: dict[str, Any]) -> None:
    assert check_policy(Policy(**changes)) is None  # raises PolicyError when refused


@pytest.mark.parametrize(
    ("changes", "option", "message"),
    [
        ({"years": 101, "iterations": 1}, "years", "must be between 1 and 100, got 101"),
        (
            {"years": 1, "iterations": 1_000_001},
            "iterations",
            "must be between 1 and 1000000, got 1000001",
        ),
        # 106 383 × 47 = 5 000 001 cells: one too many
        (
            {"years": 46, "iterations": 106_383},
            "iterations",
            "iterations × (years + 1) must be at most 5 000 000, got 5 000 001",
        ),
        (
            {"years": 50, "iterations": 100_000},
            "iterations",
            "iterations × (years + 1) must be at most 5 000 000, got 5 100 000",
        ),
        ({"seed": -1}, "seed", "must be 0 or more, got -1"),
        ({"topup_ore": -1}, "topup", "must be 0 or more"),
        ({"tax_share": -0.01, "tax_revenue_ore": 1}, "tax_share", "must be between 0 and 100 %"),
        ({"tax_share": 1.01, "tax_revenue_ore": 1}, "tax_share", "must be between 0 and 100 %"),
        (
            {"tax_share": 0.5, "tax_revenue_ore": 0},
            "tax_revenue",
            "must be above 0 with a tax share",
        ),
        (
            {"tax_share": 0.5, "tax_revenue_ore": 1, "growth": -1.0},
            "growth",
            "must be above −100 % and at most 100 %",
        ),
        (
            {"tax_share": 0.5, "tax_revenue_ore": 1, "growth": 1.01},
            "growth",
            "must be above −100 % and at most 100 %",
        ),
        ({"new_grants_ore": -1}, "new_grants", "must be 0 or more"),
    ],
)
def test_a_policy_beyond_its_limits_is_refused(
    changes: dict[str, Any], option: str, message: str
) -> None:
    with pytest.raises(PolicyError) as caught:
        check_policy(Policy(**changes))
    assert (caught.value.option, caught.value.message) == (option, message)
    assert str(caught.value) == f"{option}: {message}"


def test_with_policy_changes_only_the_fields_named() -> None:
    policy = Policy(years=7, seed=3)
    changed = with_policy(policy, seed=4, floor_ore=100)
    assert changed == Policy(years=7, seed=4, floor_ore=100)
    assert policy.seed == 3


def test_the_default_new_grants_are_the_average_of_the_recent_years_in_whole_ore() -> None:
    # (10 000 + 20 000 + 40 000) ÷ 3 = 23 333,3 öre → 23 333
    assert default_new_grants(History(recent_grants_ore=(10_000, 20_000, 40_000))) == 23_333
    # 1,5 öre rounds to the even 2
    assert default_new_grants(History(recent_grants_ore=(1, 2))) == 2
    assert default_new_grants(History()) == 0


def test_the_document_names_the_default_new_grants_and_a_fixed_top_up() -> None:
    data = fund(history=History(recent_grants_ore=(10_000, 20_000, 40_000)), default_topup_ore=7)
    doc = forecast(data, Policy(years=1, iterations=1))
    assert doc["policy"] == {
        "years": 1,
        "iterations": 1,
        "seed": 0,
        "topup": {"kind": "fixed", "per_year": 0.07},
        "new_grants_per_year": 233.33,
        "new_grants_default": True,
        "floor": 0.0,
        "repayment": True,
    }
    # no history: no new grants
    bare = Policy(years=1, iterations=1, seed=9, floor_ore=12_345, repayment=False)
    empty = forecast(fund(), bare)
    assert empty["policy"] == {
        "years": 1,
        "iterations": 1,
        "seed": 9,
        "topup": {"kind": "fixed", "per_year": 0.0},
        "new_grants_per_year": 0.0,
        "new_grants_default": True,
        "floor": 123.45,
        "repayment": False,
    }


def test_a_policy_top_up_replaces_the_funds_and_tax_shares_show_six_decimals() -> None:
    data = fund(default_topup_ore=1_000_00)
    doc = forecast(data, one(years=2, topup_ore=300_00))
    assert [ore(y["topups"]) for y in doc["years"]] == [0, 300_00, 300_00]
    assert doc["policy"]["topup"] == {"kind": "fixed", "per_year": 300.0}
    assert doc["policy"]["new_grants_default"] is False
    # a tax share of 1,23456789 % of 1 000 000 kr, growing by 1,23456789 % a year
    policy = one(years=1, tax_share=0.0123456789, tax_revenue_ore=MSEK, growth=0.0123456789)
    assert forecast(data, policy)["policy"]["topup"] == {
        "kind": "tax_share",
        "tax_share_pct": 1.234568,
        "tax_revenue": 1_000_000.0,
        "growth_pct": 1.234568,
    }


def test_top_ups_by_year_index() -> None:
    assert topups(Policy(years=2), 500).tolist() == [0.0, 500.0, 500.0]
    assert topups(Policy(years=2, topup_ore=0), 500).tolist() == [0.0, 0.0, 0.0]
    # 50 % of 1 000 öre, shrinking by half a year: 250, 125
    shrinking = Policy(years=2, tax_share=0.5, tax_revenue_ore=1_000, growth=-0.5)
    assert topups(shrinking, 500).tolist() == [0.0, 250.0, 125.0]


# --- Disbursements, schedules and claims --------------------------------------------------------


def disbursed(projects: tuple[ProjectIn, ...], years: int) -> list[float]:
    return simulate(fund(projects=projects), one(years=years)).disbursed_existing.tolist()


def test_disbursements_follow_the_positive_weights_and_fall_in_year_one_without_any() -> None:
    # 900 öre over 2028 : 2030 as 1 : 2, a zero and a negative weight ignored
    weighted = ProjectIn("A", 900, ((2027, 0), (2028, 1), (2029, -4), (2030, 2)))
    assert disbursed((weighted,), 4) == [0.0, 0.0, 300.0, 0.0, 600.0]
    # no weights, or only zero ones: all of it in year 1
    assert disbursed((ProjectIn("B", 900),), 2) == [0.0, 900.0, 0.0]
    assert disbursed((ProjectIn("C", 900, ((2028, 0),)),), 2) == [0.0, 900.0, 0.0]
    # a single budget year takes all of it
    assert disbursed((ProjectIn("G", 900, ((2028, 1),)),), 2) == [0.0, 0.0, 900.0]
    # a one-year forecast still pays it in year 1
    assert disbursed((ProjectIn("D", 900),), 1) == [0.0, 900.0]
    # a budget year already past is paid in year 1; one beyond the forecast falls outside it
    late = ProjectIn("E", 900, ((2025, 1), (2028, 1), (2029, 1)))
    assert disbursed((late,), 2) == [0.0, 300.0, 300.0]
    # nothing outstanding: nothing paid, whatever the weights
    assert disbursed((ProjectIn("F", 0, ((2027, 1),)),), 1) == [0.0, 0.0]


def test_a_forecast_of_today_only_has_no_year_to_disburse_in() -> None:
    # simulate itself takes a zero-year policy (check_policy refuses it): year 0 only
    paths = simulate(fund(projects=(ProjectIn("A", 900),)), one(years=0))
    assert paths.disbursed_existing.tolist() == [0.0]
    assert paths.repaid_existing.shape == (1, 1)
    assert sustainable_pace(fund(), paths, one(years=0)) is None


def test_schedules_and_claims_inside_the_forecast_are_repaid_and_later_ones_are_not() -> None:
    data = fund(
        projects=(ProjectIn("A", fixed=((2020, 1), (2027, 10), (2029, 100), (2030, 1000))),),
        claims=(ClaimIn(2_000, 2019), ClaimIn(20_000, 2029), ClaimIn(200_000, 2030)),
        history=History(claims_paid_share=0.5),
    )
    repaid = simulate(data, one(years=3)).repaid_existing[:, 0].tolist()
    # year 1: 1 + 10 + 2 000 × 0,5; year 3: 100 + 20 000 × 0,5; 2030 is beyond year 3
    assert repaid == [0.0, 1_011.0, 0.0, 10_100.0]


def test_a_fund_without_history_pays_claims_in_full_and_disburses_new_grants_at_once() -> None:
    # no history: claims are paid in full, a new grant is all disbursed the year it is granted
    # and repays nothing; no verified savings: the realisation factor is 1 without spread
    data = fund(start=Start(MSEK, 0, 0), claims=(ClaimIn(300_000_00, 2027),))
    doc = forecast(data, Policy(years=2, iterations=3, new_grants_ore=100_000_00))
    years = doc["years"]
    assert [ore(y["disbursements"]["p50"]) for y in years] == [0, msek(0.1), msek(0.1)]
    assert [ore(y["repayments"]["p90"]) for y in years] == [0, msek(0.3), 0]
    # capital: 1 + 0,3 − 0,1 = 1,2; 1,2 − 0,1 = 1,1 MSEK
    assert [ore(y["capital"]["p10"]) for y in years] == [msek(1), msek(1.2), msek(1.1)]
    assert doc["realisation"] == {"factor": 1.0, "spread": 0.0}
    assert savings_paid(1, saver()) == [0, K50]


# --- Savings shares -----------------------------------------------------------------------------


def case(effect: Any = 0.1, duration: int = 5, horizon: int = 5, signed: bool = False) -> Any:
    """100 participants in 2026; each year of the effect saves soc 100 × effect × 10 000 kr
    (100 000 kr at 0,1) and reg 100 × effect × 99 000 kr (990 000 kr)."""
    return load_case(
        {
            "case": {"title": "F", "start_year": 2026, "horizon": horizon, "discount_rate": 0.0},
            "actors": [
                {"id": "soc", "name": "Socialnämnden", "sector": "kommun"},
                {"id": "reg", "name": "Regionen", "sector": "region"},
            ],
            "participants": {"entering": [100]},
            "outcomes": [
                {
                    "name": "Placering undviks",
                    "effect": effect,
                    "duration": duration,
                    "unit_costs": {"soc": 10_000, "reg": 99_000},
                }
            ],
        },
        signed_effects=signed,
    )


# an uncertain number whose every draw is 0,1: the Monte Carlo path with numbers by hand
POINT = {"dist": "uniform", "low": 0.1, "high": 0.1}


def saver(**changes: Any) -> ProjectIn:
    share = {
        "share": 0.5,
        "room_ore": 10**12,
        "case": case(),
        "actors": ("soc",),
        "first_year": 2026,
        **changes,
    }
    return ProjectIn("S", savings=SavingsShare(**share))


def savings_paid(years: int, *projects: ProjectIn) -> list[int]:
    data = fund(projects=projects)
    doc = forecast(data, one(years=years))
    return [ore(y["repayments"]["p50"]) for y in doc["years"]]


K50 = 50_000_00  # half of soc's 100 000 kr a year


def test_savings_are_paid_after_the_due_lag_from_the_first_year_still_to_verify() -> None:
    # the savings of 2028–2030 (the case ends with 2030), paid two years on: 2030–2032
    late = saver(first_year=2028, due_lag=2)
    assert savings_paid(7, late) == [0, 0, 0, 0, K50, K50, K50, 0]
    # a first year before the case's start counts from its start: 2026–2030, paid 2027–2031
    assert savings_paid(6, saver(first_year=2020)) == [0, K50, K50, K50, K50, K50, 0]
    # nothing is left to verify once the case has ended
    assert savings_paid(6, saver(first_year=2031)) == [0] * 7


def test_savings_whose_claim_falls_due_after_the_forecast_are_left_out() -> None:
    # a three-year forecast: the savings of 2026–2028 paid in 2027–2029
    assert savings_paid(3, saver()) == [0, K50, K50, K50]
    assert savings_paid(1, saver()) == [0, K50]
    # due two years on: the savings of 2026 paid in 2028, of 2027 in 2029
    assert savings_paid(3, saver(due_lag=2)) == [0, 0, K50, K50]


def test_the_last_ore_under_the_cap_is_still_repaid() -> None:
    # 1 öre of room: 1 öre repaid in 2027, nothing after; 1 öre outstanding is disbursed
    assert savings_paid(2, saver(room_ore=1)) == [0, 1, 0]
    assert disbursed((ProjectIn("A", 1),), 1) == [0.0, 1.0]


def test_a_savings_share_of_several_paying_units_adds_their_savings() -> None:
    # (100 000 + 990 000) × 0,5 = 545 000 kr a year
    both = saver(actors=("soc", "reg"))
    assert savings_paid(2, both) == [0, 545_000_00, 545_000_00]
    # a unit the case does not know pays nothing, the others still do
    assert savings_paid(2, saver(actors=("nobody", "soc"))) == [0, K50, K50]
    assert savings_paid(2, saver(actors=("reg",))) == [0, 495_000_00, 495_000_00]


@pytest.mark.parametrize(
    "changes",
    [
        {"actors": ("nobody",)},
        {"actors": ()},
        {"case": None},
        {"room_ore": 0},
        {"room_ore": -1},
        {"share": 0.0},
        {"share": -0.5},
    ],
)
def test_a_savings_share_with_nothing_to_draw_or_no_room_repays_nothing(
    changes: dict[str, Any],
) -> None:
    assert savings_paid(3, saver(**changes)) == [0, 0, 0, 0]


def test_years_without_savings_and_years_of_losses_repay_nothing() -> None:
    # an effect of three years: savings in 2026–2028 only, exactly none afterwards
    short = saver(case=case(duration=3))
    assert savings_paid(6, short) == [0, K50, K50, K50, 0, 0, 0]
    # a harmful effect costs the paying unit money: nothing is repaid, and nothing taken back
    harmful = saver(case=case(effect=-0.1, signed=True))
    assert savings_paid(3, harmful) == [0, 0, 0, 0]


def test_the_case_is_drawn_in_chunks_with_each_iterations_own_factor_and_cap(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # five iterations in chunks of two, with realisation factors chosen by hand
    factors = np.array([1.0, 0.5, 2.0, 0.0, 1.5])
    monkeypatch.setattr(fc, "CHUNK", 2)
    monkeypatch.setattr(fc, "_realisation_draws", lambda realisation, rng, n: factors)
    capped = saver(case=case(effect=POINT), room_ore=120_000_00)
    paths = simulate(fund(projects=(capped,)), Policy(years=6, iterations=5))
    got = (paths.repaid_existing / 100).T.tolist()  # kronor, iteration by iteration
    # 50 000 kr × the factor a year, up to the 120 000 kr left under the cap
    assert got == [
        [0, 50_000, 50_000, 20_000, 0, 0, 0],
        [0, 25_000, 25_000, 25_000, 25_000, 20_000, 0],
        [0, 100_000, 20_000, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0],
        [0, 75_000, 45_000, 0, 0, 0, 0],
    ]


def test_progress_is_reported_per_savings_share_then_at_the_pace_and_the_end() -> None:
    data = fund(projects=(saver(), ProjectIn("plain", 100), saver(first_year=2027)))
    seen: list[float] = []
    forecast(data, one(years=2), report=seen.append)
    assert seen == [0.45, 0.9, 0.97, 1.0]
    seen.clear()
    forecast(fund(projects=(saver(),)), one(years=2), report=seen.append)
    assert seen == [0.9, 0.97, 1.0]


def spread_data(projects: tuple[ProjectIn, ...], spread: float) -> ForecastInput:
    return fund(
        projects=projects,
        history=History(repayment_profile=(0.0, 0.5), repayment_spread=0.7),
        realisation=Realisation(1.0, spread),
    )


def test_every_draw_comes_from_a_stream_of_its_own() -> None:
    uncertain = saver(case=case(effect={"dist": "pert", "low": 0.0, "mode": 0.1, "high": 0.3}))
    policy = Policy(years=6, iterations=50, seed=11)
    alone = simulate(spread_data((), 0.4), policy)
    crowded = simulate(spread_data((uncertain, ProjectIn("plain", 100)), 0.4), policy)
    # the new grants' draws do not depend on the projects or the realisation factor
    assert np.array_equal(alone.repaid_per_krona, crowded.repaid_per_krona)
    single = simulate(spread_data((uncertain,), 0.0), policy)
    assert np.array_equal(alone.repaid_per_krona, single.repaid_per_krona)
    certain = simulate(spread_data((), 0.0), policy)
    assert np.array_equal(alone.repaid_per_krona, certain.repaid_per_krona)
    assert alone.repaid_per_krona.std() > 0
    # the realisation factor scales each iteration's savings without moving the case's draws:
    # an uncertain case's repayments with a spread are those without it times the factor, and
    # that factor is the one a certain case (50 000 kr a year) shows
    fixed = simulate(spread_data((saver(),), 0.4), policy).repaid_existing
    factor = fixed[1] / K50
    assert np.allclose(fixed[1:6], K50 * factor[None, :])
    assert factor.std() > 0
    plain = simulate(spread_data((uncertain,), 0.0), policy).repaid_existing
    spread = simulate(spread_data((uncertain,), 0.4), policy).repaid_existing
    assert plain[1].std() > 0
    assert np.allclose(spread, plain * factor[None, :])


# --- New grants ---------------------------------------------------------------------------------


def test_new_grants_are_disbursed_and_repaid_by_the_funds_past_profiles() -> None:
    # 1 MSEK a year, disbursed half the year granted and half the year after, repaying 0,2 the
    # year after the grant and 0,3 the year after that:
    # disbursed 0,5 / 1 / 1 MSEK; repaid 0 / 0,2 (the 2027 grant) / 0,3 + 0,2 MSEK
    data = fund(
        start=Start(10 * MSEK, 0, 0),
        history=History(disbursement_profile=(0.5, 0.5), repayment_profile=(0.0, 0.2, 0.3)),
    )
    doc = forecast(data, Policy(years=3, iterations=1, new_grants_ore=MSEK))
    years = doc["years"]
    assert [ore(y["disbursements"]["p50"]) for y in years] == [0, msek(0.5), msek(1), msek(1)]
    assert [ore(y["repayments"]["p50"]) for y in years] == [0, 0, msek(0.2), msek(0.5)]
    # capital: 10 − 0,5 = 9,5; 9,5 − 1 + 0,2 = 8,7; 8,7 − 1 + 0,5 = 8,2 MSEK
    assert [ore(y["capital"]["p50"]) for y in years] == [msek(10), msek(9.5), msek(8.7), msek(8.2)]
    # committed: granted 1, less the disbursed: 0,5 each year; available falls by the grant
    assert [ore(y["committed"]["p50"]) for y in years] == [0, msek(0.5), msek(0.5), msek(0.5)]
    assert [ore(y["available"]["p50"]) for y in years] == [msek(10), msek(9), msek(8.2), msek(7.7)]
    # the grant pot: nothing comes back, 10 − 0,5 − 1 − 1
    bare = doc["without_repayment"]["years"]
    assert [ore(y["capital"]["p50"]) for y in bare] == [msek(10), msek(9.5), msek(8.5), msek(7.5)]
    assert [ore(y["repayments"]["p50"]) for y in bare] == [0, 0, 0, 0]


def test_each_years_new_grants_repay_by_a_ratio_drawn_around_the_past_one() -> None:
    history = History(repayment_profile=(0.0, 1.0), repayment_spread=0.5)
    paths = simulate(fund(history=history), Policy(years=3, iterations=4_000, seed=2))
    repaid = paths.repaid_per_krona
    assert repaid[:2].tolist() == [[0.0] * 4_000, [0.0] * 4_000]
    # the draws differ across iterations and years, with the past ratio as their mean
    assert repaid[2].std() > 0.4
    assert not np.array_equal(repaid[2], repaid[3])
    assert repaid[2:].mean() == pytest.approx(1.0, abs=0.03)
    assert (repaid >= 0).all()


# --- Draws of a factor that cannot be negative --------------------------------------------------


def draws(mean: float, sd: float, size: int | tuple[int, ...] = 2_000) -> np.ndarray:
    return fc._positive_draws(mean, sd, np.random.default_rng(1), size)


def test_positive_draws_have_the_mean_and_the_relative_spread() -> None:
    d = draws(2.0, 1.0, 20_000)
    assert d.mean() == pytest.approx(2.0, rel=0.02)
    assert d.std() == pytest.approx(1.0, rel=0.05)
    assert (d > 0).all()
    assert draws(1.0, 0.5, (3, 4)).shape == (3, 4)


@pytest.mark.parametrize(
    ("mean", "sd", "value"),
    [
        (2.0, 0.0, 2.0),  # no spread: the mean itself
        (2.0, -0.5, 2.0),  # a negative spread is none
        (1e-9, 1.0, 1e-9),  # a mean of (nearly) nothing is not drawn
        (-3.0, 1.0, 0.0),  # nor a negative one, which counts as nothing
        (float("nan"), 1.0, 0.0),
        (float("inf"), 0.0, 0.0),
    ],
)
def test_positive_draws_without_spread_or_mean_are_one_number(
    mean: float, sd: float, value: float
) -> None:
    assert draws(mean, sd, 3).tolist() == [value] * 3


def test_a_relative_spread_beyond_a_hundred_is_a_hundred() -> None:
    assert np.array_equal(draws(1.0, 1_000.0), draws(1.0, 100.0))
    assert np.array_equal(draws(2.0, 1_000.0), draws(2.0, 200.0))
    assert not np.array_equal(draws(1.0, 100.0), draws(1.0, 99.0))


# --- The chance above the floor and the first year below zero ----------------------------------


def test_available_money_at_the_floor_counts_as_above_it() -> None:
    data = fund(start=Start(3 * MSEK, MSEK, 0))
    at = forecast(data, one(years=2, floor_ore=2 * MSEK))
    assert [y["p_above_floor"] for y in at["years"]] == [1.0, 1.0, 1.0]
    above = forecast(data, one(years=2, floor_ore=2 * MSEK + 1))
    assert [y["p_above_floor"] for y in above["years"]] == [0.0, 0.0, 0.0]
    # exactly 0 available is not below 0
    zero = forecast(fund(start=Start(MSEK, MSEK, 0)), one(years=2))
    assert zero["first_year_likely_below_zero"] is None


def test_a_dip_below_the_floor_counts_even_when_the_fund_recovers() -> None:
    # 1 MSEK, 600 000 kr of new grants a year, 1 MSEK repaid in 2029:
    # available 1 000 000, 400 000, −200 000, 200 000
    data = fund(start=Start(MSEK, 0, 0), claims=(ClaimIn(MSEK, 2029),))
    doc = forecast(data, Policy(years=3, iterations=1, new_grants_ore=600_000_00))
    years = doc["years"]
    available = [ore(y["available"]["p50"]) for y in years]
    assert available == [msek(1), msek(0.4), msek(-0.2), msek(0.2)]
    assert [y["p_above_floor"] for y in years] == [1.0, 1.0, 0.0, 0.0]
    assert doc["first_year_likely_below_zero"] == 2028
    # without the repayment it stays below from 2028
    assert doc["without_repayment"]["first_year_likely_below_zero"] == 2028


def scene(available: list[list[float]]) -> Scenario:
    """A scenario with these available amounts (years × iterations) and capital 10 times them."""
    a = np.array(available, dtype=np.float64)
    width = a.shape[0]
    return Scenario(
        capital=10 * a,
        committed=np.zeros(width),
        available=a,
        disbursements=np.zeros(width),
        repayments=np.zeros_like(a),
    )


def test_the_chance_counts_the_iterations_above_the_floor_in_every_year_so_far() -> None:
    s = scene([[5, 5, 5, 5], [5, 1, 9, 0], [5, 9, 0, 9], [9, 9, 9, 9]])
    # year 1: 3 of 4 at or above 1; year 2: iteration 2 drops out; year 3 stays at 2 of 4
    assert p_above_floor(s, 1.0).tolist() == [1.0, 0.75, 0.5, 0.5]
    # year 0 is today's alone
    assert p_above_floor(scene([[0, 9], [9, 9]]), 1.0).tolist() == [0.0, 1.0]
    assert p_above_floor(scene([[9, 9]]), 1.0).tolist() == [1.0]


def test_the_first_year_below_zero_needs_more_than_half_of_the_iterations() -> None:
    # year 1: half below, not more than half; year 2: all; year 3: none; year 4: all
    s = scene([[1, 1], [-1, 1], [-1, -1], [1, 1], [-1, -1]])
    assert first_year_below_zero(s) == 2
    assert first_year_below_zero(scene([[1, 1, 1], [-1, -1, 0]])) == 1
    assert first_year_below_zero(scene([[1, 1, 1], [-1, 0, 0]])) is None


# --- Percentiles in the document ---------------------------------------------------------------


def test_the_yearly_figures_are_the_10th_50th_and_90th_percentiles_in_kronor() -> None:
    # 11 iterations of 0 … 10 × 1 234,6 öre: the percentiles fall on iterations 1, 5 and 9,
    # 1 234,6, 6 173 and 11 111,4 öre, shown in kronor to the öre
    values = np.arange(11, dtype=np.float64) * 1_234.6
    s = Scenario(
        capital=np.vstack([values, 2 * values]),
        committed=np.array([100.0, 12_345.6]),
        available=np.vstack([values - 100.0, 2 * values - 12_345.6]),
        disbursements=np.array([0.0, 333.333]),
        repayments=np.vstack([values * 0, values / 4]),
    )
    paths = Paths(
        topups=np.array([0.0, 55.555]),
        disbursed_existing=np.zeros(2),
        disbursed_per_krona=np.zeros(2),
        repaid_existing=np.zeros((2, 11)),
        repaid_per_krona=np.zeros((2, 11)),
    )
    rows = fc._years(s, fund(), paths, 0.0)
    assert rows[0] == {
        "year": 2026,
        "capital": {"p10": 12.35, "p50": 61.73, "p90": 111.11},
        # less 100 öre committed
        "available": {"p10": 11.35, "p50": 60.73, "p90": 110.11},
        "committed": {"p50": 1.0},
        "topups": 0.0,
        "disbursements": {"p50": 0.0},
        "repayments": {"p10": 0.0, "p50": 0.0, "p90": 0.0},
        # year 0: the first iteration's −100 öre is below the floor of 0
        "p_above_floor": 0.0,
    }
    assert rows[1] == {
        "year": 2027,
        # 2 469,2, 12 346 and 22 222,8 öre
        "capital": {"p10": 24.69, "p50": 123.46, "p90": 222.23},
        # less 12 345,6 öre committed: −9 876,4, 0,4 and 9 877,2 öre
        "available": {"p10": -98.76, "p50": 0.0, "p90": 98.77},
        "committed": {"p50": 123.46},
        "topups": 0.56,
        "disbursements": {"p50": 3.33},
        # a quarter of the capital's values: 308,65, 1 543,25 and 2 777,85 öre
        "repayments": {"p10": 3.09, "p50": 15.43, "p90": 27.78},
        # iterations 5 … 10 (2 × 6 173 − 12 345,6 = 0,4 öre and up) stay at or above 0
        "p_above_floor": 6 / 11,
    }


# --- The sustainable pace -----------------------------------------------------------------------


def pace_kronor(data: ForecastInput, **changes: Any) -> float | None:
    doc = forecast(data, Policy(**{"iterations": 1, **changes}))
    found = doc["sustainable_pace"]
    assert found["target"] == 0.9
    if found["new_grants_per_year"] is None:
        assert found["p_above_floor"] is None
    else:
        assert found["p_above_floor"] >= 0.9
    return found["new_grants_per_year"]


def test_the_pace_spreads_what_is_available_over_the_years() -> None:
    # 10 MSEK available, nothing coming in, four years: 2,5 MSEK a year keeps available at
    # 7,5 / 5 / 2,5 / 0 MSEK, never below 0; a krona more ends below
    data = fund(start=Start(12 * MSEK, 2 * MSEK, 0))
    assert pace_kronor(data, years=4) == 2_500_000.0
    # one year: all of it
    assert pace_kronor(data, years=1) == 10_000_000.0
    # a small fund (under 1 MSEK, where the search starts at 1 MSEK): 500 000 kr over 2 years
    assert pace_kronor(fund(start=Start(500_000_00, 0, 0)), years=2) == 250_000.0


def test_the_pace_keeps_the_floor_and_counts_top_ups_and_repayments() -> None:
    data = fund(start=Start(10 * MSEK, 0, 0))
    # above a floor of 5 MSEK: 5 MSEK over four years
    assert pace_kronor(data, years=4, floor_ore=5 * MSEK) == 1_250_000.0
    # with 1,25 MSEK of top-ups a year: 2,5 + 1,25
    topped = fund(start=Start(10 * MSEK, 0, 0), default_topup_ore=125 * MSEK // 100)
    assert pace_kronor(topped, years=4) == 3_750_000.0
    # 5 MSEK repaid in 2029: 15 MSEK over four years (and 15 over three, 10 over two)
    repaid = fund(start=Start(10 * MSEK, 0, 0), claims=(ClaimIn(5 * MSEK, 2029),))
    assert pace_kronor(repaid, years=4) == 3_750_000.0
    assert pace_kronor(repaid, years=4, repayment=False) == 2_500_000.0


def test_the_pace_counts_what_the_new_grants_themselves_repay() -> None:
    # each krona granted repays itself two years later: in four years the grants of 2027 and
    # 2028 are back, so available falls by g, 2g, 2g, 2g: 10 MSEK ÷ 2 = 5 MSEK a year
    data = fund(
        start=Start(10 * MSEK, 0, 0),
        history=History(disbursement_profile=(1.0,), repayment_profile=(0.0, 0.0, 1.0)),
    )
    assert pace_kronor(data, years=4) == 5_000_000.0
    assert pace_kronor(data, years=4, repayment=False) == 2_500_000.0


def test_no_pace_when_even_no_new_grants_keep_the_floor() -> None:
    data = fund(start=Start(MSEK, 0, 0))
    assert pace_kronor(data, years=2, floor_ore=MSEK + 1) is None
    assert pace_kronor(data, years=2, floor_ore=MSEK) == 0.0


def test_the_search_narrows_to_less_than_a_krona() -> None:
    # 150,50 kr above the floor for one year: 150 kr. The search halves from the 16 861 102,08 kr
    # available (100,5 öre × 2^24), so one halving leaves a bracket of 100,5 öre, which is not
    # yet narrow enough (its lower end is 149,745 kr); the next one, of 50,25 öre, finds 150,2475
    available = 1_686_110_208
    data = fund(start=Start(available, 0, 0))
    assert pace_kronor(data, years=1, floor_ore=available - 150_50) == 150.0


def test_the_chance_at_the_pace_is_that_of_all_years(monkeypatch: pytest.MonkeyPatch) -> None:
    # ten iterations; nine get 50 000 kr of savings repaid in 2027 and 2028, the first none.
    # 10 MSEK available over two years: the nine keep 0 up to 5,05 MSEK a year, the first up
    # to 5 MSEK, so at the pace the first is below 0 in 2028 only: a chance of 0,9 in all
    # years, though every iteration is above 0 in 2027
    factors = np.array([0.0] + [1.0] * 9)
    monkeypatch.setattr(fc, "_realisation_draws", lambda realisation, rng, n: factors)
    data = fund(start=Start(10 * MSEK, 0, 0), projects=(saver(),))
    doc = forecast(data, Policy(years=2, iterations=10))
    found = doc["sustainable_pace"]
    assert 5_049_999 <= found["new_grants_per_year"] <= 5_050_000
    assert found["p_above_floor"] == 0.9
    at_pace = forecast(data, Policy(years=2, iterations=10, new_grants_ore=ore(5_049_999)))
    assert [y["p_above_floor"] for y in at_pace["years"]] == [1.0, 1.0, 0.9]


def test_no_pace_for_a_fund_one_ore_short_of_the_floor() -> None:
    assert pace_kronor(fund(start=Start(0, 1, 0)), years=1) is None
    assert pace_kronor(fund(start=Start(1, 1, 0)), years=1) == 0.0


def test_the_pace_keeps_the_documents_own_arithmetic_at_the_floor() -> None:
    # 10 MSEK available beside 10^17 kr outstanding, paid 1 : 2 in 2027 and 2028: at that size
    # a double counts in steps of 2 048 öre, and the document's available money (capital less
    # commitments, each near 10^19 öre) ends 2028 at −2 048 öre with 5 MSEK a year, which
    # the search finds by its own arithmetic; one krona less, the document keeps 0 as well
    huge = 10**19
    data = fund(
        start=Start(huge + 10 * MSEK, huge, 0),
        projects=(ProjectIn("A", huge, ((2027, 1), (2028, 2))),),
    )
    assert pace_kronor(data, years=2) == 4_999_999.0
    assert forecast(data, one(years=2, new_grants_ore=5 * MSEK))["years"][2]["p_above_floor"] == 0
    kept = forecast(data, one(years=2, new_grants_ore=4_999_999_00))
    assert [y["p_above_floor"] for y in kept["years"]] == [1.0, 1.0, 1.0]


def test_grants_that_repay_more_than_they_cost_have_no_limit_but_the_search_stops() -> None:
    # each krona repays two the year it is granted: any amount keeps the floor; the search
    # doubles from 10 MSEK sixty times and keeps the last amount that held: 10 MSEK × 2^59
    data = fund(
        start=Start(10 * MSEK, 0, 0),
        history=History(disbursement_profile=(1.0,), repayment_profile=(2.0,)),
    )
    doc = forecast(data, Policy(years=2, iterations=1))
    assert ore(doc["sustainable_pace"]["new_grants_per_year"]) == 10 * MSEK * 2**59


def exactly_nine_in_ten(unlimited: bool) -> tuple[ForecastInput, Paths]:
    """Ten iterations of a fund with 10 MSEK available over four years: the first iteration
    loses 20 MSEK in year 1 and is below 0 whatever the new grants; in the nine others each
    krona granted costs a krona a year, or, `unlimited`, repays two."""
    data = fund(start=Start(10 * MSEK, 0, 0))
    paths = simulate(data, Policy(years=4, iterations=10))
    paths.repaid_existing[1, 0] = -20 * MSEK
    if unlimited:
        paths.repaid_per_krona[1:, 1:] = 2.0
    return data, paths


def test_a_chance_of_exactly_nine_in_ten_is_enough() -> None:
    data, paths = exactly_nine_in_ten(unlimited=False)
    policy = Policy(years=4, iterations=10)
    assert p_above_floor(scenario(data, paths, 0, True), 0)[-1] == 0.9
    assert sustainable_pace(data, paths, policy) == 2_500_000_00
    assert sustainable_pace(data, paths, policy, probability=0.91) is None
    data, paths = exactly_nine_in_ten(unlimited=True)
    assert sustainable_pace(data, paths, policy) == 10 * MSEK * 2**59


# --- The document -------------------------------------------------------------------------------


def test_the_document_reports_the_start_realisation_and_meta(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock: Iterator[float] = iter([100.0, 101.2345678])
    monkeypatch.setattr(fc.time, "perf_counter", lambda: next(clock))
    data = fund(start=Start(5_00, 2_00, 1_00), realisation=Realisation(0.8, 0.25))
    doc = forecast(data, Policy(years=1, iterations=3, seed=5))
    assert doc["start"] == {
        "year": 2026,
        "capital_ore": 5_00,
        "committed_ore": 2_00,
        "available_ore": 3_00,
        "claims_ore": 1_00,
    }
    assert doc["realisation"] == {"factor": 0.8, "spread": 0.25}
    assert doc["meta"] == {
        "iterations": 3,
        "seed": 5,
        "engine_version": ENGINE_VERSION,
        "seconds": 1.235,
    }
    assert doc["first_year_likely_below_zero"] is None
    assert doc["without_repayment"]["first_year_likely_below_zero"] is None
    assert doc["sustainable_pace"]["p_above_floor"] == 1.0
    assert doc["sustainable_pace"]["target"] == 0.9


@FAST
@given(
    start=st.integers(0, 100 * MSEK),
    topup=st.integers(0, 10 * MSEK),
    years=st.integers(1, 6),
    floor=st.integers(0, 20 * MSEK),
)
def test_the_pace_is_the_largest_whole_krona(
    start: int, topup: int, years: int, floor: int
) -> None:
    # nothing uncertain: available after y years of g is start + y × (top-up − g), at or above
    # the floor while g ≤ top-up + (start − floor) ÷ y: the largest whole krona keeping it in
    # every year is the least of these, rounded down to the krona (in whole öre, exactly), and
    # there is no pace when even g = 0 misses
    data = fund(start=Start(start, 0, 0), default_topup_ore=topup)
    paths = simulate(data, Policy(years=years, iterations=1))
    pace = sustainable_pace(data, paths, Policy(years=years, iterations=1, floor_ore=floor))
    room = [y * topup + start - floor for y in range(1, years + 1)]  # y × the largest g, in öre
    if min(room) < 0:
        assert pace is None
        return
    assert pace == min(r // (100 * y) * 100 for y, r in enumerate(room, start=1))
