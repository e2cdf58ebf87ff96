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
