"""The API's authentication, its JSON errors and its exact money; who may do what is in
tests/test_permission_matrix.py."""

import json

import pytest
from django.test import Client

from sifra.accounts.models import ApiToken
from sifra.accounts.services import api_token_create
from sifra.funds.models import LedgerEntry

MSEK = 100_000_000


def bearer(key):
    return Client(headers={"authorization": f"Bearer {key}", "accept-language": "en"})


def post_json(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def token_key(coordinator):
    _token, key = api_token_create(user=coordinator, name="skript", acting_user=coordinator)
    return key


def test_a_bearer_token_authenticates_a_script_without_csrf(funded, token_key):
    client = bearer(token_key)
    client.handler.enforce_csrf_checks = True
    response = post_json(
        client,
        f"/api/funds/{funded.pk}/ledger",
        {"kind": "deposit", "amount": "2500000.50", "text": "Tillskott"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["amount_ore"] == 250_000_050
    assert ApiToken.objects.get().last_used_at is not None


def test_a_revoked_or_wrong_token_is_refused(funded, token_key, coordinator):
    assert bearer("sifra_wrong").get("/api/funds").status_code == 401
    token = ApiToken.objects.get()
    client = Client()
    client.force_login(coordinator)
    assert client.delete(f"/api/tokens/{token.pk}").status_code == 200
    assert bearer(token_key).get("/api/funds").status_code == 401


def test_a_session_write_without_csrf_token_is_refused(funded, coordinator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    response = post_json(
        client, f"/api/funds/{funded.pk}/ledger", {"kind": "deposit", "amount": 1, "text": "x"}
    )
    assert response.status_code == 403
    assert LedgerEntry.objects.filter(fund=funded).count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "deposit", "amount": "12.345", "text": "x"}, "amount"),
        ({"kind": "deposit", "amount": "abc", "text": "x"}, "amount"),
        ({"kind": "deposit", "amount": 0, "text": "x"}, "amount"),
        ({"kind": "gift", "amount": 1, "text": "x"}, "kind"),
        ({"kind": "deposit", "amount": 1}, "text"),
        ({"kind": "deposit", "amount": 1, "text": "x", "date": "2026-13-01"}, "date"),
        ({"kind": "commitment", "amount": 1, "text": "x"}, "project"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(funded, token_key, body, field):
    response = post_json(bearer(token_key), f"/api/funds/{funded.pk}/ledger", body)
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert LedgerEntry.objects.filter(fund=funded).count() == 1


def test_malformed_json_is_a_400(funded, token_key):
    response = bearer(token_key).post(
        f"/api/funds/{funded.pk}/ledger", data="{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert "errors" in response.json()


def test_a_commitment_beyond_available_is_a_400_with_the_reason(funded, project, token_key):
    body = {"kind": "commitment", "amount": "10000000.01", "text": "x", "project_id": project.pk}
    response = post_json(bearer(token_key), f"/api/funds/{funded.pk}/ledger", body)
    assert response.status_code == 400
    assert "available" in response.json()["errors"]["amount"][0]


def test_balances_and_ledger_round_trip_exact_amounts(funded, project, token_key):
    client = bearer(token_key)
    for amount in ("0.10", "0.20", "1234567.89"):
        post_json(
            client,
            f"/api/funds/{funded.pk}/ledger",
            {"kind": "deposit", "amount": amount, "text": "x"},
        )
    balances = client.get(f"/api/funds/{funded.pk}/balances").json()
    assert balances["capital_ore"] == 10 * MSEK + 10 + 20 + 123_456_789
    assert balances["capital"] == "11234568.19"
    ledger = client.get(f"/api/funds/{funded.pk}/ledger?kind=deposit").json()
    assert ledger["count"] == 4
    assert [e["amount"] for e in ledger["items"]] == ["10000000.00", "0.10", "0.20", "1234567.89"]


def test_reverse_through_the_api(funded, token_key):
    response = post_json(
        bearer(token_key), f"/api/funds/{funded.pk}/ledger/1/reverse", {"text": "Fel belopp"}
    )
    assert response.status_code == 201
    assert response.json()["reverses"] == 1
    again = post_json(
        bearer(token_key), f"/api/funds/{funded.pk}/ledger/1/reverse", {"text": "Igen"}
    )
    assert again.status_code == 400 and "entry" in again.json()["errors"]


def test_unknown_objects_are_json_404(token_key):
    response = bearer(token_key).get("/api/funds/999999")
    assert response.status_code == 404 and "errors" in response.json()


def test_calc_returns_the_engine_document_and_field_paths_on_error(token_key):
    case = {
        "case": {"title": "T", "start_year": 2026, "horizon": 2, "discount_rate": 0.0},
        "actors": [{"id": "soc", "name": "Socialnämnden", "sector": "kommun"}],
        "costs": [{"name": "c", "actor": "soc", "amounts": [1000]}],
        "participants": {"entering": [10]},
        "outcomes": [{"name": "o", "effect": 0.5, "duration": 2, "unit_costs": {"soc": 100}}],
    }
    ok = post_json(bearer(token_key), "/api/calc", case)
    assert ok.status_code == 200
    assert ok.json()["npv"] == pytest.approx(10 * 0.5 * 100 * 2 - 1000)
    case["outcomes"][0]["effect"] = 1.7
    case["outcomes"][0]["unit_costs"] = {"region": 5}
    bad = post_json(bearer(token_key), "/api/calc", case)
    assert bad.status_code == 400
    errors = bad.json()["errors"]
    assert "outcomes[0].effect" in errors and "outcomes[0].unit_costs.region" in errors


def test_openapi_schema_and_docs_are_served(client, coordinator):
    schema = client.get("/api/openapi.json").json()
    assert "/api/funds/{fund_id}/ledger" in schema["paths"]
    assert "/api/calc" in schema["paths"]
    client.force_login(coordinator)
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower()
