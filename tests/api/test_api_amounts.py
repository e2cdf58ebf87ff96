"""Amounts in the API: parsed in a bounded format after the permission check, never a 500, and
documented in the OpenAPI schema (issue 9, item 1)."""

import json
import time

import pytest
from django.test import Client

from sifra.accounts.services import api_token_create
from sifra.core.money import AMOUNT_NOT_POSITIVE, AMOUNT_PATTERN, ENTER_AMOUNT, TOO_LARGE
from sifra.core.text import NOT_NULL
from sifra.funds.models import LedgerEntry

ABSURD = ("1E+999997", "1E+999999", "9" * 5000, "1" + "0" * 16, "-1E+999999", "Infinity")


def bearer(user, language="en"):
    _token, key = api_token_create(user=user, name="skript", acting_user=user)
    return Client(headers={"authorization": f"Bearer {key}", "accept-language": language})


def post_entry(client, fund, amount, kind="deposit"):
    body = json.dumps({"kind": kind, "amount": amount, "text": "x"})
    client.get(f"/api/funds/{fund.pk}")  # the first request loads what every request needs
    started = time.perf_counter()
    response = client.post(f"/api/funds/{fund.pk}/ledger", body, content_type="application/json")
    return response, time.perf_counter() - started


@pytest.mark.parametrize("amount", ABSURD)
def test_an_absurd_amount_from_the_auditor_is_refused_at_once(funded, users, amount):
    response, seconds = post_entry(bearer(users["auditor"]), funded, amount)
    assert response.status_code in (400, 403), response.content
    assert seconds < 1.0  # a generous bound; it took 28.8 s before
    assert LedgerEntry.objects.filter(fund=funded).count() == 1


def test_the_auditor_is_refused_before_the_amount_is_read(funded, users):
    response, _seconds = post_entry(bearer(users["auditor"]), funded, "1E+999997")
    assert response.status_code == 403


@pytest.mark.parametrize("amount", ABSURD)
def test_an_absurd_amount_from_the_coordinator_is_a_400_on_the_amount(funded, coordinator, amount):
    response, seconds = post_entry(bearer(coordinator), funded, amount)
    assert response.status_code == 400, response.content
    assert seconds < 1.0
    assert response.json()["errors"]["amount"][0] in (str(ENTER_AMOUNT), str(TOO_LARGE))


@pytest.mark.parametrize("amount", ["-5", "−5", -5, "0"])
def test_a_negative_or_zero_amount_must_be_greater_than_zero(funded, coordinator, amount):
    response, _seconds = post_entry(bearer(coordinator), funded, amount)
    assert response.status_code == 400
    assert response.json()["errors"]["amount"] == [str(AMOUNT_NOT_POSITIVE)]


@pytest.mark.parametrize(("amount", "ore"), [("1 234,50", 123_450), (1234, 123_400), ("0.5", 50)])
def test_amounts_as_people_and_scripts_write_them(funded, coordinator, amount, ore):
    response, _seconds = post_entry(bearer(coordinator), funded, amount)
    assert response.status_code == 201, response.content
    assert response.json()["amount_ore"] == ore


def test_the_schema_documents_the_amount_format(client):
    schema = client.get("/api/openapi.json").json()["components"]["schemas"]
    amount = schema["EntryIn"]["properties"]["amount"]
    assert amount["type"] == "string" and amount["pattern"] == AMOUNT_PATTERN
    assert amount["maxLength"] <= 40


@pytest.mark.parametrize("amount", [True, [], {"kronor": 5}, "x" * 41])
def test_an_amount_of_the_wrong_type_or_length_is_a_400_on_the_amount(funded, coordinator, amount):
    response, _seconds = post_entry(bearer(coordinator), funded, amount)
    assert response.status_code == 400
    assert response.json()["errors"]["amount"] == [str(ENTER_AMOUNT)]


def test_a_null_amount_is_a_400_on_the_amount(funded, coordinator):
    response, _seconds = post_entry(bearer(coordinator), funded, None)
    assert response.status_code == 400
    assert response.json()["errors"]["amount"] == [str(NOT_NULL)]


def test_what_the_schema_pattern_allows_the_parser_reads():
    """The documented pattern and the parser agree (examples drawn from the pattern)."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from sifra.core.money import MAX_ORE, MoneyParseError, parse_kronor

    @settings(max_examples=300)
    @given(st.from_regex(AMOUNT_PATTERN).filter(lambda t: len(t) <= 40))
    def check(text):
        try:
            assert abs(parse_kronor(text)) < MAX_ORE
        except MoneyParseError as exc:
            assert str(exc) == str(TOO_LARGE)

    check()


@pytest.fixture
def application(funded, unit_a, users):
    from sifra.applications.services import application_create

    return application_create(
        fund=funded, title="Tidigt stöd", lead_unit=unit_a, acting_user=users["applicant"]
    )


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("post", "/api/funds", {"name": "Ny", "annual_topup": "1E+999999"}),
        ("patch", "/api/funds/{fund}", {"target_capital": "1E+999999"}),
        ("put", "/api/funds/{fund}/rules", {"max_amount": "1E+999999"}),
        ("post", "/api/applications/{application}/decision", {"amount": "1E+999999"}),
        ("post", "/api/projects/{project}/budget-lines", {"from_fund": "1E+999999"}),
        ("put", "/api/projects/{project}/agreement", {"cap": "1E+999999"}),
        ("post", "/api/projects/{project}/savings", {"amount": "1E+999999"}),
    ],
)
def test_who_may_not_write_is_refused_before_the_amount_is_read(
    funded, project, application, users, method, url, body
):
    base = {
        "approve": True,
        "minute_ref": "§ 1",
        "decided_on": "2026-03-01",
        "year": 2026,
        "description": "x",
        "model": "savings_share",
        "unit_id": project.lead_unit_id,
        "evidence_kind": "report",
        "evidence": "x",
    }
    path = url.format(fund=funded.pk, project=project.pk, application=application.pk)
    client = bearer(users["auditor"])
    response = getattr(client, method)(path, json.dumps({**base, **body}), "application/json")
    assert response.status_code == 403, response.content
