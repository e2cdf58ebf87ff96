"""The engine's document through the API: payback as the last crossing, and the Monte Carlo's
payback median and NPV percentiles (DOMAIN.md, "The investment calculation")."""

import json

import pytest
from django.test import Client

from sifra.applications.services import application_case_set, application_create


def as_user(user):
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def post_json(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def flows_case(flows):
    """A case whose yearly net is exactly `flows` (a negative cost is a gain)."""
    return {
        "case": {"title": "F", "start_year": 2026, "horizon": len(flows), "discount_rate": 0.0},
        "actors": [{"id": "soc", "name": "Socialnämnden", "sector": "kommun"}],
        "costs": [{"name": "Insats", "actor": "soc", "amounts": [-f for f in flows]}],
    }


EMPTY_YEAR_0 = flows_case([0, -100_000, 60_000, 60_000])
DIP = flows_case([-100, 150, -200, 50])


def test_calc_reports_the_last_crossing(users):
    economist = as_user(users["economist"])
    late = post_json(economist, "/api/calc", EMPTY_YEAR_0)
    assert late.status_code == 200, late.content
    assert late.json()["payback_years"] == pytest.approx(3 + 40_000 / 60_000)
    dip = post_json(economist, "/api/calc", DIP).json()
    assert dip["payback_years"] is None and dip["discounted_payback_years"] is None


def test_a_stored_case_is_served_with_the_last_crossing(fund, unit_a, users):
    applicant = users["applicant"]
    application = application_create(
        fund=fund, title="Sent stöd", lead_unit=unit_a, acting_user=applicant
    )
    application_case_set(application=application, case=EMPTY_YEAR_0, acting_user=applicant)
    served = as_user(applicant).get(f"/api/applications/{application.pk}/case").json()
    assert served["result"]["payback_years"] == pytest.approx(3 + 2 / 3)


def uniform_effect_case(cost):
    """10 participants, an effect uniform on [0, 1] worth 1 000 kr a year for five years,
    against `cost` in year 0: NPV = 5 000 × effect − cost, paid back where that is ≥ 0."""
    return {
        "case": {"title": "U", "start_year": 2026, "horizon": 5, "discount_rate": 0.0},
        "actors": [{"id": "soc", "name": "Socialnämnden", "sector": "kommun"}],
        "costs": [{"name": "Insats", "actor": "soc", "amounts": [cost]}],
        "participants": {"entering": [10]},
        "outcomes": [
            {
                "name": "Placering undviks",
                "effect": {"dist": "uniform", "low": 0, "high": 1},
                "duration": 5,
                "unit_costs": {"soc": 100},
            }
        ],
    }


def test_calc_has_no_payback_median_where_fewer_than_half_pay_back(users):
    economist = as_user(users["economist"])
    response = post_json(economist, "/api/calc?iterations=20000", uniform_effect_case(4_550))
    mc = response.json()["monte_carlo"]
    assert mc["payback_years"]["share_reached"] == pytest.approx(0.09, abs=0.01)
    assert mc["payback_years"]["p50"] is None  # not the median of the 9 % that pay back
    # the p-th percentile of the NPV is 5 000 × p − 4 550
    assert mc["npv"]["p10"] == pytest.approx(500 - 4_550, abs=60)
    assert mc["npv"]["p90"] == pytest.approx(4_500 - 4_550, abs=60)
    assert mc["npv"]["p5"] < mc["npv"]["p10"] < mc["npv"]["p50"] < mc["npv"]["p90"]


def test_a_stored_case_is_served_with_the_monte_carlo_percentiles(fund, unit_a, users):
    applicant = users["applicant"]
    application = application_create(
        fund=fund, title="Osäkert", lead_unit=unit_a, acting_user=applicant
    )
    application_case_set(
        application=application, case=uniform_effect_case(1_500), acting_user=applicant
    )
    mc = (
        as_user(applicant)
        .get(f"/api/applications/{application.pk}/case")
        .json()["result"]["monte_carlo"]
    )
    # 70 % pay back, at 1.5 / effect years: over all draws the median is 3 years
    assert mc["payback_years"]["p50"] == pytest.approx(3.0, abs=0.15)
    assert mc["npv"]["p10"] == pytest.approx(500 - 1_500, abs=100)
    assert mc["npv"]["p90"] == pytest.approx(4_500 - 1_500, abs=100)
