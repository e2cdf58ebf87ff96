"""The open data under /api/ for anyone, without a token; publishing and withdrawing with one."""

import csv
import io
import json

import pytest
from django.test import Client

from sifra.accounts.services import api_token_create
from sifra.opendata.services import NOT_DECIDED, publication_withdraw
from tests.opendata.conftest import SUMMARY
from tests.opendata.test_threesixty_schema import errors


def bearer(user) -> Client:
    _token, key = api_token_create(user=user, name="skript", acting_user=user)
    return Client(headers={"authorization": f"Bearer {key}", "accept-language": "en"})


@pytest.fixture
def anonymous():
    return Client(headers={"accept-language": "en"})


def test_the_360giving_package_needs_no_token(anonymous, published):
    response = anonymous.get(f"/api/open-data/funds/{published.project.fund_id}/360giving")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    package = json.loads(response.content)
    assert errors(package) == []
    assert [g["description"] for g in package["grants"]] == [SUMMARY]


def test_the_csv_needs_no_token(anonymous, published):
    response = anonymous.get(
        f"/api/open-data/funds/{published.project.fund_id}/360giving?format=csv"
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    (row,) = csv.DictReader(io.StringIO(response.content.decode("utf-8")))
    assert row["Amount Awarded"] == "3000000" and row["Description"] == SUMMARY


def test_the_funds_and_projects_need_no_token(anonymous, published):
    fund = published.project.fund
    (listed,) = anonymous.get("/api/open-data/funds").json()
    assert listed["id"] == fund.pk and listed["organisation"] == "Testkommun"
    assert listed["json_url"] == f"/api/open-data/funds/{fund.pk}/360giving"
    (shown,) = anonymous.get("/api/open-data/projects").json()
    assert shown["title"] == "Tidigt stöd" and shown["summary"] == SUMMARY
    assert (shown["amount_awarded_ore"], shown["amount_awarded"]) == (300_000_000, "3000000.00")
    assert shown["committees"] == ["Socialnämnden"]
    assert shown["grant_id"] == f"360G-testkommun-{published.project.code}"


def test_withdrawn_and_unpublished_grants_are_not_served(anonymous, published, coordinator):
    fund_id = published.project.fund_id
    publication_withdraw(project=published.project, acting_user=coordinator)
    for url in (
        f"/api/open-data/funds/{fund_id}/360giving",
        f"/api/open-data/funds/{fund_id}/360giving?format=csv",
    ):
        response = anonymous.get(url)
        assert response.status_code == 404
        assert response.json() == {"errors": {"__all__": ["Nothing from this fund is published."]}}
    assert anonymous.get("/api/open-data/projects").json() == []
    assert anonymous.get("/api/open-data/funds").json() == []


def test_the_coordinator_publishes_and_withdraws_with_a_token(granted, coordinator):
    client = bearer(coordinator)
    url = f"/api/projects/{granted.pk}/publication"
    response = client.put(url, {"summary": SUMMARY}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["is_public"] is True
    assert response.json()["grant_id"] == f"360G-testkommun-{granted.code}"
    assert client.get(url).json()["summary"] == SUMMARY
    response = client.delete(url)
    assert response.status_code == 200 and response.json()["is_public"] is False
    assert Client().get("/api/open-data/projects").json() == []


def test_the_api_names_the_reason_a_grant_is_refused(project, coordinator):
    response = bearer(coordinator).put(
        f"/api/projects/{project.pk}/publication",
        {"summary": SUMMARY},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"errors": {"__all__": [str(NOT_DECIDED)]}}


def test_a_personal_number_is_refused_by_the_api(granted, coordinator):
    response = bearer(coordinator).put(
        f"/api/projects/{granted.pk}/publication",
        {"summary": "Pojken 811218-9876."},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "811218-9876" in response.json()["errors"]["summary"][0]


@pytest.mark.parametrize("role", ["applicant", "council", "decision_maker", "economist", "auditor"])
def test_others_may_not_publish_or_withdraw(granted, published, users, role):
    client = bearer(users[role])
    url = f"/api/projects/{granted.pk}/publication"
    assert client.put(url, {"summary": "x"}, content_type="application/json").status_code == 403
    assert client.delete(url).status_code == 403
    published.refresh_from_db()
    assert published.is_public and published.summary == SUMMARY


def test_without_a_token_nothing_can_be_published(granted):
    response = Client().put(
        f"/api/projects/{granted.pk}/publication", {"summary": "x"}, content_type="application/json"
    )
    assert response.status_code == 401
    assert not hasattr(type(granted).objects.get(pk=granted.pk), "publication")
