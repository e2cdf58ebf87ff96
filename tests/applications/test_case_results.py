"""The engine's results as the case page and the decision memo show them: payback as the last
crossing, the Monte Carlo's payback median and the NPV's percentiles (DOMAIN.md)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from sifra.applications.services import application_case_set, application_create


def flows_case(flows):
    """A case whose yearly net is exactly `flows` (a negative cost is a gain)."""
    return {
        "case": {"title": "F", "start_year": 2026, "horizon": len(flows), "discount_rate": 0.0},
        "actors": [{"id": "soc", "name": "Socialnämnden", "sector": "kommun"}],
        "costs": [{"name": "Insats", "actor": "soc", "amounts": [-f for f in flows]}],
    }


def client_for(user, language="en") -> Client:
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    return client


@pytest.fixture
def make_application(fund, unit_a, users):
    def make(case):
        applicant = users["applicant"]
        application = application_create(
            fund=fund, title="Tidigt stöd", lead_unit=unit_a, acting_user=applicant
        )
        application_case_set(application=application, case=case, acting_user=applicant)
        return application

    return make


def card(html: str, name: str) -> str:
    found = re.search(rf'data-result="{name}">([^<]*)<', html)
    assert found, f"no {name} on the page"
    return found.group(1)


def test_the_case_page_shows_the_last_crossing_after_an_empty_year_0(make_application, users):
    application = make_application(flows_case([0, -100_000, 60_000, 60_000]))
    page = client_for(users["applicant"]).get(reverse("applications:case", args=[application.pk]))
    assert card(page.content.decode(), "payback") == "3.7 years"


def test_a_dip_after_a_first_crossing_is_not_paid_back(make_application, users):
    application = make_application(flows_case([-100, 150, -200, 50]))
    client = client_for(users["applicant"])
    page = client.get(reverse("applications:case", args=[application.pk])).content.decode()
    assert card(page, "payback") == "not within the horizon"
    memo = client.get(reverse("applications:memo", args=[application.pk])).content.decode()
    assert card(memo, "payback") == "not within the horizon"


def test_the_memo_shows_the_last_crossing(make_application, users):
    application = make_application(flows_case([0, -100_000, 60_000, 60_000]))
    memo = client_for(users["applicant"], "sv").get(
        reverse("applications:memo", args=[application.pk])
    )
    assert card(memo.content.decode(), "payback") == "3,7"
