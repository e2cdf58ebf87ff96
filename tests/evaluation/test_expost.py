"""The case after the fact: the pure replacement, checked by hand, and the selector that reads
approved reports and evaluations."""

import datetime as dt
from decimal import Decimal

import pytest

from sifra.engine import calculate, load_case
from sifra.evaluation.charts import expost_chart
from sifra.evaluation.expost import (
    ITERATIONS,
    ActualCost,
    Actuals,
    Estimate,
    Payer,
    expost_case,
    project_actuals,
    project_comparison,
)
from sifra.evaluation.services import evaluation_record

MSEK = 100_000_000

# Three years at 10 %: a once outcome, so each year's benefit is that year's cohort times the
# effect times the unit cost, and the sums are easy to do by hand.
SMALL = {
    "case": {"title": "Litet fall", "start_year": 2026, "horizon": 3, "discount_rate": 0.1},
    "actors": [
        {"id": "reg", "name": "Regionen", "sector": "region"},
        {"id": "soc", "name": "Socialnämnden", "sector": "kommun"},
    ],
    "costs": [{"name": "Stöd", "actor": "reg", "amounts": [100_000, 100_000, 100_000]}],
    "participants": {"entering": [10, 10, 10]},
    "outcomes": [
        {
            "name": "Placering undviks",
            "effect": 0.2,
            "kind": "once",
            "unit_costs": {"soc": 100_000},
        }
    ],
}


def costs(by_year, payer=None):
    return [ActualCost(year=y, amount=a, payer=payer) for y, a in by_year.items()]


SOC = Payer(name="Socialnämnden")
ACTUALS = Actuals(
    participants={2026: 8, 2027: 14}, costs=costs({2026: 90_000, 2027: 130_000}), last_year=2027
)
EVALUATED = Estimate(outcome_index=0, effect=0.3, ci_low=0.2, ci_high=0.4, source="RCT, FoU")


def npv(flows, rate=0.1):
    return sum(x / (1 + rate) ** t for t, x in enumerate(flows))


def test_actuals_and_the_evaluated_effect_replace_the_estimates():
    case, notes = expost_case(SMALL, actuals=ACTUALS, estimates=[EVALUATED])

    assert case["participants"]["entering"] == [8, 14, 10]  # 2028 not reported: estimate
    actual_row, rest = case["costs"][0], case["costs"][1:]
    assert actual_row["actor"] == "soc"  # a line without a payer: the first municipal actor
    assert actual_row["amounts"] == [90_000, 130_000]
    assert rest == [{"name": "Stöd", "actor": "reg", "amounts": [0, 0, 100_000]}]
    assert case["outcomes"][0]["effect"] == {"dist": "normal", "mean": 0.3, "sd": 0.2 / 3.92}
    assert len(notes) == 5
    assert notes[0] == (
        "Participants entering 2026–2027: 22, the new entrants the approved progress reports "
        "give (estimated 20)."
    )
    assert "charged to Socialnämnden" in notes[2]
    assert "Placering undviks" in notes[3] and "RCT, FoU" in notes[3]
    assert "no comparison group" in notes[4]  # the estimate names no method
    assert SMALL["participants"]["entering"] == [10, 10, 10]  # the ex-ante case is untouched


def test_the_ex_post_npv_is_the_hand_calculation_at_the_interval_mean():
    case, _ = expost_case(SMALL, actuals=ACTUALS, estimates=[EVALUATED])
    result = calculate(case, iterations=ITERATIONS, seed=0)

    benefits = [8 * 0.3 * 100_000, 14 * 0.3 * 100_000, 10 * 0.3 * 100_000]
    costs = [90_000, 130_000, 100_000]
    expected = npv([b - c for b, c in zip(benefits, costs, strict=True)])
    assert result["npv"] == pytest.approx(expected)
    assert result["pv_costs"] == pytest.approx(npv(costs))
    # The effect is linear in the NPV and its interval is far from the clips at 0 and 1.
    assert result["monte_carlo"]["npv"]["mean"] == pytest.approx(expected, rel=0.02)
    assert result["monte_carlo"]["npv"]["sd"] > 0


def test_years_after_the_last_report_keep_the_estimated_costs():
    only_2026 = Actuals(participants={2026: 9}, costs=costs({2026: 80_000}), last_year=2026)
    case, _ = expost_case(SMALL, actuals=only_2026)

    assert case["participants"]["entering"] == [9, 10, 10]
    assert case["costs"][0]["amounts"] == [80_000]
    assert case["costs"][1]["amounts"] == [0, 100_000, 100_000]
    assert case["outcomes"] == SMALL["outcomes"]  # no evaluation: the estimate stands
    result = calculate(case)
    assert result["years"][0]["costs"] == 80_000
    assert result["years"][1]["costs"] == result["years"][2]["costs"] == 100_000


def test_without_reports_or_evaluations_the_case_is_unchanged():
    case, notes = expost_case(SMALL, actuals=Actuals())
    assert case == SMALL
    assert notes == ["No approved report yet: participants and costs are the estimates."]


def test_a_per_participant_cost_is_charged_only_for_the_unreported_years():
    per_head = {
        **SMALL,
        "costs": [
            {
                "name": "Per barn",
                "actor": "reg",
                "per_participant": {"dist": "uniform", "low": 8_000, "high": 12_000},
            }
        ],
    }
    case, _ = expost_case(per_head, actuals=ACTUALS)
    # 2026–2027 are in the actual costs; 2028 is 10 estimated participants × 10 000 (the base).
    assert case["costs"][1] == {"name": "Per barn", "actor": "reg", "amounts": [0, 0, 100_000.0]}
    load_case(case)


def test_baseline_and_relative_effect_give_way_and_the_newest_estimate_counts():
    split = {**SMALL, "outcomes": [{**SMALL["outcomes"][0]}]}
    del split["outcomes"][0]["effect"]
    split["outcomes"][0] |= {"baseline": 0.5, "relative_effect": 0.4}
    older = Estimate(outcome_index=0, effect=0.1, ci_low=0.1, ci_high=0.1)
    case, notes = expost_case(split, actuals=Actuals(), estimates=[EVALUATED, older])

    outcome = case["outcomes"][0]
    assert "baseline" not in outcome and "relative_effect" not in outcome
    assert outcome["effect"]["mean"] == 0.3
    assert len(notes) == 3


def test_an_estimate_for_an_outcome_the_case_lacks_is_noted_not_applied():
    stray = Estimate(outcome_index=3, effect=0.1, ci_low=0.0, ci_high=0.2)
    case, notes = expost_case(SMALL, actuals=Actuals(), estimates=[stray])
    assert case["outcomes"] == SMALL["outcomes"]
    assert "outcome 4" in notes[-1]


def test_reported_figures_outside_the_case_years_are_left_out():
    early = Actuals(
        participants={2025: 5, 2026: 7}, costs=costs({2025: 1_000, 2026: 2_000}), last_year=2026
    )
    case, notes = expost_case(SMALL, actuals=early)
    assert case["participants"]["entering"][0] == 7
    assert case["costs"][0]["amounts"] == [2_000]
    assert any("5 participants" in n for n in notes)


# --- From the database -------------------------------------------------------------------------


@pytest.fixture
def reported(case_project, make_report, users):
    """2026 reported and approved: 100 children, 15 MSEK spent; a 2027 report still waiting."""
    line = case_project.budget_lines.get()
    make_report(
        case_project,
        kind="final",
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 12, 31),
        participants=100,
        costs={line.pk: 15 * MSEK},
    )
    make_report(
        case_project,
        start=dt.date(2027, 1, 1),
        end=dt.date(2027, 6, 30),
        participants=500,
        costs={line.pk: 99 * MSEK},
        approve=False,
    )
    return case_project


def test_only_approved_reports_count(reported):
    actuals = project_actuals(project=reported)
    paid_by = Payer(name="Socialnämnden", ids=("socialnamnden",))
    assert actuals == Actuals(
        participants={2026: 100},
        costs=[ActualCost(year=2026, amount=15_000_000, payer=paid_by)],
        last_year=2026,
        participants_from="final",
    )


def test_the_project_comparison_uses_reports_and_the_evaluation(reported, users):
    evaluation_record(
        project=reported,
        method="quasi",
        effect=Decimal("0.15"),
        ci_low=Decimal("0.10"),
        ci_high=Decimal("0.20"),
        evaluator="FoU Östergötland",
        acting_user=users["economist"],
    )
    comparison = project_comparison(project=reported)

    assert comparison is not None
    assert comparison.ex_ante["npv"] == pytest.approx(
        npv([-16_200_000 + 10_800_000, 10_800_000, 10_800_000], 0.035)
    )
    # 100 children × 0,15 × 450 000 kr a year for three years, against 15 MSEK in year 0.
    saving = 100 * 0.15 * 450_000
    assert comparison.ex_post["npv"] == pytest.approx(
        npv([saving - 15_000_000, saving, saving], 0.035)
    )
    assert comparison.ex_post["monte_carlo"]["iterations"] == ITERATIONS
    assert comparison.ex_ante["monte_carlo"]["p_npv_positive"] == 1.0
    assert 0 < comparison.ex_post["monte_carlo"]["p_npv_positive"] < 1
    assert [y["year"] for y in comparison.years] == [2026, 2027, 2028, 2029, 2030]
    assert len(comparison.notes) == 4

    spec = expost_chart(comparison.ex_ante, comparison.ex_post)
    series = {row["series"] for row in spec["layer"][0]["data"]["values"]}
    assert series == {"Before (ex ante)", "After the fact (ex post)"}


def test_a_project_without_a_case_has_no_comparison(project):
    assert project_comparison(project=project) is None
