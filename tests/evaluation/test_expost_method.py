"""The case after the fact done right: the evaluation's method decides which ex-ante adjustments
stay, a harmful or underpowered effect can be recorded and carried, the actual costs go to the
payer of each budget line, and the page says which participants it used. Expected figures are
computed by hand here, not with the code's formulas."""

import copy
import datetime as dt
import json
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from sifra.accounts.models import Partner
from sifra.applications.models import Application
from sifra.evaluation.expost import Actuals, Estimate, expost_calculate, expost_case
from sifra.evaluation.services import evaluation_record
from tests.factories import CASE

MSEK = 100_000_000
# Norrköping: 120 children, 450 000 kr a year per placement avoided, three years from year 0,
# 16.2 MSEK in year 0, at 3.5 %.
YEARS_FACTOR = 1 + 1 / 1.035 + 1 / 1.035**2


def norrkoping(deadweight=0.3, displacement=0.0, attribution=0.0):
    case = copy.deepcopy(CASE)
    case["outcomes"][0] |= {
        "deadweight": deadweight,
        "displacement": displacement,
        "attribution": attribution,
    }
    return case


def hand_npv(effect, kept=1.0, children=120, cost=16_200_000):
    return children * effect * kept * 450_000 * YEARS_FACTOR - cost


TRIAL = Estimate(outcome_index=0, effect=0.14, ci_low=0.04, ci_high=0.24, method="rct")


def test_a_trial_effect_is_not_reduced_by_the_ex_ante_deadweight_again():
    case, notes = expost_case(norrkoping(), actuals=Actuals(), estimates=[TRIAL])
    result = expost_calculate(case)
    assert hand_npv(0.14) == pytest.approx(5_721_000, abs=1_000)  # about +5.7 MSEK
    assert result["npv"] == pytest.approx(hand_npv(0.14))
    assert case["outcomes"][0]["deadweight"] == 0
    assert "deadweight (30.0 %)" in notes[-1] and "not applied again" in notes[-1]


def test_a_quasi_experiment_drops_deadweight_and_attribution_but_keeps_displacement():
    ex_ante = norrkoping(deadweight=0.3, displacement=0.1, attribution=0.2)
    quasi = Estimate(outcome_index=0, effect=0.14, ci_low=0.04, ci_high=0.24, method="quasi")
    case, notes = expost_case(ex_ante, actuals=Actuals(), estimates=[quasi])
    assert expost_calculate(case)["npv"] == pytest.approx(hand_npv(0.14, kept=0.9))
    assert "displacement (10.0 %) is kept" in notes[-1]


@pytest.mark.parametrize("method", ["before_after", "historical", "verification"])
def test_without_a_comparison_group_the_ex_ante_adjustments_stay(method):
    plain = Estimate(outcome_index=0, effect=0.14, ci_low=0.04, ci_high=0.24, method=method)
    case, notes = expost_case(norrkoping(), actuals=Actuals(), estimates=[plain])
    npv = expost_calculate(case)["npv"]
    assert npv == pytest.approx(hand_npv(0.14, kept=0.7))
    assert npv == pytest.approx(-855_000, abs=1_000)  # the −0.85 MSEK found
    assert "no comparison group" in notes[-1] and "are kept" in notes[-1]


def test_a_harmful_effect_makes_the_benefits_negative():
    harm = Estimate(outcome_index=0, effect=-0.05, ci_low=-0.15, ci_high=0.05, method="rct")
    case, _ = expost_case(norrkoping(), actuals=Actuals(), estimates=[harm])
    result = expost_calculate(case)
    assert result["pv_benefits"] == pytest.approx(120 * -0.05 * 450_000 * YEARS_FACTOR)
    assert result["npv"] == pytest.approx(hand_npv(-0.05))
    mc = result["monte_carlo"]
    # the effect is normal around −0.05 with sd 0.2 / 3.92 = 0.051: drawn and not clipped at 0,
    # its mean stays −0.05 (clipped at 0 it would be about +0.004, the mean NPV −15.5 MSEK)
    assert mc["npv"]["mean"] == pytest.approx(hand_npv(-0.05), rel=0.02)
    # the NPV is positive only where the effect is above 0.1035, three sd above its mean
    assert mc["p_npv_positive"] < 0.005


def test_an_underpowered_result_keeps_its_downside():
    # 0.02 [−0.10, 0.14]: sd 0.24 / 3.92 = 0.061, so 37 % of the draws lie below 0
    weak = Estimate(outcome_index=0, effect=0.02, ci_low=-0.10, ci_high=0.14, method="rct")
    case, _ = expost_case(norrkoping(), actuals=Actuals(), estimates=[weak])
    npv = expost_calculate(case)["monte_carlo"]["npv"]
    # the 10th percentile of the effect is 0.02 − 1.2816 × 0.061 = −0.058 (clipped at 0 it
    # would be 0, an NPV of −16.2 MSEK instead of about −25.3)
    effect_p10 = 0.02 - 1.2816 * 0.24 / 3.92
    assert npv["p10"] == pytest.approx(hand_npv(effect_p10), abs=1_500_000)
    assert npv["p10"] < -22_000_000
    assert npv["mean"] == pytest.approx(hand_npv(0.02), abs=500_000)


# --- Through the API and the page ----------------------------------------------------------------


def client_for(user, language="en"):
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    return client


@pytest.fixture
def norrkoping_project(case_project):
    """The Norrköping project, its case with a deadweight of 0.3."""
    Application.objects.filter(project=case_project).update(case=norrkoping())
    case_project.refresh_from_db()
    return case_project


def sek_on_page(page, name):
    text = re.search(rf'data-result="{name}">([^<]*)<', page).group(1)
    return int(re.sub(r"[^\d−-]", "", text).replace("−", "-"))


def test_a_trial_recorded_through_the_api_gives_the_expost_npv(norrkoping_project, users):
    client = client_for(users["economist"])
    recorded = client.post(
        f"/api/projects/{norrkoping_project.pk}/evaluations",
        data=json.dumps(
            {
                "method": "rct",
                "effect": "0.14",
                "ci_low": "0.04",
                "ci_high": "0.24",
                "evaluator": "FoU Östergötland",
            }
        ),
        content_type="application/json",
    )
    assert recorded.status_code == 201, recorded.content
    expost = client.get(f"/api/projects/{norrkoping_project.pk}/expost").json()
    assert expost["ex_post"]["npv"] == pytest.approx(hand_npv(0.14))
    assert any("not applied again" in n for n in expost["notes"])


def test_a_harmful_result_recorded_through_the_api(norrkoping_project, users):
    client = client_for(users["economist"])
    body = {"method": "rct", "effect": "-0.05", "ci_low": "-0.15", "ci_high": "0.05"}
    recorded = client.post(
        f"/api/projects/{norrkoping_project.pk}/evaluations",
        data=json.dumps(body | {"evaluator": "FoU"}),
        content_type="application/json",
    )
    assert recorded.status_code == 201, recorded.content
    assert Decimal(recorded.json()["ci_low"]) == Decimal("-0.15")
    expost = client.get(f"/api/projects/{norrkoping_project.pk}/expost").json()
    assert expost["ex_post"]["npv"] == pytest.approx(hand_npv(-0.05))


def test_the_page_records_a_trial_and_shows_the_expost_npv(norrkoping_project, users):
    client = client_for(users["economist"])
    url = reverse("evaluation:project", args=[norrkoping_project.pk])
    form = {
        "method": "rct",
        "outcome_index": "0",
        "effect": "0.14",
        "ci_low": "0.04",
        "ci_high": "0.24",
        "evaluator": "FoU Östergötland",
    }
    assert client.post(url, form).status_code == 302
    page = client.get(url).content.decode()
    assert sek_on_page(page, "npv-post") == pytest.approx(hand_npv(0.14), abs=1)
    assert "deadweight (30.0 %) and attribution (0.0 %) are not applied again" in page
    swedish = client_for(users["economist"], "sv").get(url).content.decode()
    assert "dödvikt (30,0 %)" in swedish.replace("\xa0", " ")


def test_the_page_takes_a_negative_interval(norrkoping_project, users):
    client = client_for(users["economist"], "sv")
    url = reverse("evaluation:project", args=[norrkoping_project.pk])
    form = {
        "method": "rct",
        "outcome_index": "0",
        "effect": "0,02",
        "ci_low": "-0,1",
        "ci_high": "0,14",
        "evaluator": "FoU Östergötland",
    }
    assert client.post(url, form).status_code == 302
    evaluation = norrkoping_project.evaluations.get()
    assert evaluation.ci_low == Decimal("-0.1")
    page = client.get(url).content.decode()
    assert sek_on_page(page, "npv-post") == pytest.approx(hand_npv(0.02), abs=1)


# --- Costs by payer, participants by report -----------------------------------------------------

TWO_ACTORS = {
    "case": {"title": "Tidigt stöd", "start_year": 2026, "horizon": 3, "discount_rate": 0.0},
    "actors": [
        {"id": "soc", "name": "Socialnämnden", "sector": "kommun"},
        {"id": "region", "name": "Region Östergötland", "sector": "region"},
    ],
    "costs": [{"name": "Stöd", "actor": "soc", "amounts": [4_000_000]}],
    "participants": {"entering": [100]},
    "outcomes": [
        {
            "name": "Placering undviks",
            "effect": 0.1,
            "duration": 3,
            "unit_costs": {"soc": 300_000, "region": 50_000},
        }
    ],
}


@pytest.fixture
def paid_project(funded, org, unit_a, unit_b, users):
    """An approved application with three 2026 budget lines: paid by Socialnämnden (an actor
    of the case by its name), by Region Östergötland (a partner, an actor too) and by Vård- och
    omsorgsnämnden (not an actor of the case)."""
    from sifra.applications import services as s

    region = Partner.objects.create(organisation=org, name="Region Östergötland", kind="region")
    applicant, coordinator = users["applicant"], users["coordinator"]
    a = s.application_create(
        fund=funded, title="Tidigt stöd", lead_unit=unit_a, acting_user=applicant
    )
    budget = [
        ("Familjebehandlare", {"payer_unit_id": unit_a.pk}, 3 * MSEK, MSEK),
        ("Skolsköterska", {"payer_partner_id": region.pk}, 0, MSEK // 2),
        ("Lokaler", {"payer_unit_id": unit_b.pk}, 0, MSEK // 5),
    ]
    a = s.application_update(
        application=a,
        acting_user=applicant,
        units=[unit_b],
        partners=[region],
        followup_plan="Kvartalsvis.",
        evaluation_plan="Randomiserad studie.",
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 12, 31),
        budget=[
            {"year": 2026, "description": d, **payer, "requested": r, "own_contribution": o}
            for d, payer, r, o in budget
        ],
    )
    s.application_case_set(application=a, case=TWO_ACTORS, acting_user=applicant)
    a = s.application_submit(application=a, acting_user=applicant)
    a = s.application_send_to_review(
        application=a, reviewers=[users["council"]], acting_user=coordinator
    )
    s.review_submit(
        application=a,
        acting_user=users["council"],
        evidence_strength=4,
        evaluation_quality=3,
        case_realism=4,
        recommendation="approve",
        comments="Bra.",
    )
    a = s.application_recommend(
        application=a, recommend=True, proposal="Bevilja.", acting_user=coordinator
    )
    s.decision_record(
        application=a,
        approve=True,
        amount=3 * MSEK,
        minute_ref="KSAU § 90/2026",
        decided_on=dt.date(2026, 1, 20),  # after the fund's deposit of 15 January
        acting_user=users["decision_maker"],
    )
    a.refresh_from_db()
    return a.project


def lines(project):
    return {line.description: line.pk for line in project.budget_lines.all()}


def test_each_cost_line_goes_to_the_payer_of_its_budget_line(paid_project, make_report, users):
    ids = lines(paid_project)
    make_report(
        paid_project,
        kind="final",
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 12, 31),
        participants=90,
        costs={
            ids["Familjebehandlare"]: 35 * MSEK // 10,
            ids["Skolsköterska"]: MSEK // 2,
            ids["Lokaler"]: MSEK // 4,
        },
    )
    client = client_for(users["economist"])
    expost = client.get(f"/api/projects/{paid_project.pk}/expost").json()
    by_actor = expost["ex_post"]["by_actor"]
    # no discounting and every cost in 2026: each payer's present value is what it paid
    assert by_actor["soc"]["pv_costs"] == 3_500_000
    assert by_actor["region"]["pv_costs"] == 500_000
    assert by_actor["vard-och-omsorgsnamnden"]["pv_costs"] == 250_000
    assert by_actor["vard-och-omsorgsnamnden"]["pv_benefits"] == 0
    page = client.get(reverse("evaluation:project", args=[paid_project.pk])).content.decode()
    assert "Vård- och omsorgsnämnden pays budget lines but is not an actor in the case" in page
    assert "each cost line charged to the payer of its budget line" in page


def test_progress_reports_give_new_entrants_and_the_final_report_the_total(
    paid_project, make_report, users
):
    ids = lines(paid_project)
    make_report(
        paid_project,
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 6, 30),
        participants=40,
        costs={ids["Familjebehandlare"]: MSEK},
    )
    make_report(paid_project, start=dt.date(2026, 7, 1), end=dt.date(2026, 12, 31), participants=35)
    client = client_for(users["economist"])
    url = reverse("evaluation:project", args=[paid_project.pk])
    page = client.get(url).content.decode()
    assert (
        "Participants entering 2026: 75, the new entrants the approved progress reports give"
        in page
    )
    expost = client.get(f"/api/projects/{paid_project.pk}/expost").json()
    # 75 children × 0.1 × 350 000 kr a year for three years, against 1 MSEK reported
    assert expost["ex_post"]["npv"] == pytest.approx(75 * 0.1 * 350_000 * 3 - 1_000_000)

    make_report(
        paid_project,
        kind="final",
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 12, 31),
        participants=70,  # the final count: five entrants were counted twice
        costs={ids["Familjebehandlare"]: 2 * MSEK},
    )
    page = client.get(url).content.decode()
    assert "Participants entering 2026: 70, the total the approved final report gives" in page
    expost = client.get(f"/api/projects/{paid_project.pk}/expost").json()
    assert expost["ex_post"]["npv"] == pytest.approx(70 * 0.1 * 350_000 * 3 - 2_000_000)


def test_the_page_shows_the_payback_median_before_and_after(norrkoping_project, users):
    # a harmful result: hardly any draw pays back after the fact
    evaluation_record(
        project=norrkoping_project,
        method="rct",
        effect=Decimal("-0.05"),
        ci_low=Decimal("-0.15"),
        ci_high=Decimal("0.05"),
        evaluator="FoU",
        acting_user=users["economist"],
    )
    url = reverse("evaluation:project", args=[norrkoping_project.pk])
    page = client_for(users["economist"], "sv").get(url).content.decode()
    before = re.search(r'data-result="payback-median-1">([^<]*)<', page).group(1)
    after = re.search(r'data-result="payback-median-2">([^<]*)<', page).group(1)
    # before: every draw the same, 16.2 MSEK against 120 × 0.14 × 450 000 a year: 2,1 years
    assert before == "2,1 år"
    assert after == "återbetalas inte inom horisonten i minst hälften av fallen"
