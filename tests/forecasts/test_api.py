"""POST /api/funds/{id}/forecasts answers 202 with the run to poll; GET /api/forecasts/{id}
shows its progress and, once the worker has run it, the document."""

import json

import pytest
from django.test import Client

from sifra.audit.models import AuditEvent
from sifra.forecasts.models import ForecastRun
from sifra.forecasts.services import forecast_compute


def client_for(user) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def post(client, fund_id, body):
    return client.post(
        f"/api/funds/{fund_id}/forecasts", data=json.dumps(body), content_type="application/json"
    )


def test_a_forecast_is_202_then_polled_until_done(verified_half, users):
    economist = client_for(users["economist"])
    response = post(economist, verified_half.fund_id, {"years": 5, "iterations": 300, "seed": 4})
    assert response.status_code == 202
    run = response.json()
    assert run["status"] == "queued" and run["result"] is None
    assert run["seed"] == 4 and run["iterations"] == 300 and run["years"] == 5
    assert run["created_by"] == "ekonom"
    assert AuditEvent.objects.filter(kind="forecast.requested").count() == 1
    forecast_compute(run_id=run["id"])  # what the worker does
    polled = client_for(users["auditor"]).get(run["url"])
    assert polled.status_code == 200
    body = polled.json()
    assert body["status"] == "done" and body["progress"] == 100
    assert body["result"]["meta"]["seed"] == 4
    assert len(body["result"]["years"]) == 6


def test_progress_is_saved_while_the_worker_runs(verified_half, users, monkeypatch):
    seen = []
    response = post(client_for(users["coordinator"]), verified_half.fund_id, {"iterations": 100})
    run_id = response.json()["id"]

    from sifra.forecasts import services

    real_update = services._update

    def spy(run, **fields):
        real_update(run, **fields)
        if "progress" in fields:
            seen.append(ForecastRun.objects.get(pk=run.pk).progress)

    monkeypatch.setattr(services, "_update", spy)
    forecast_compute(run_id=run_id)
    assert seen and seen == sorted(seen) and seen[-1] == 100


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"years": 0}, "years"),
        ({"iterations": 10_000_000}, "iterations"),
        ({"iterations": 100_000, "years": 60}, "iterations"),
        ({"floor": "tio kronor"}, "floor"),
        ({"topup": "1", "tax_share": 2, "tax_revenue": "5"}, "topup"),
        ({"tax_share": 2}, "tax_revenue"),
        ({"growth": 2}, "tax_share"),
        ({"new_grants": "-5"}, "new_grants"),
    ],
)
def test_bad_input_is_400_naming_the_field(verified_half, users, body, field):
    response = post(client_for(users["economist"]), verified_half.fund_id, body)
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not ForecastRun.objects.exists()


@pytest.mark.parametrize("role", ["applicant", "council", "auditor"])
def test_only_those_who_run_the_fund_start_forecasts(verified_half, users, role):
    response = post(client_for(users[role]), verified_half.fund_id, {"iterations": 100})
    assert response.status_code == 403
    assert not ForecastRun.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"), [("applicant", 403), ("council", 403), ("auditor", 200)]
)
def test_reading_a_forecast(verified_half, users, role, status):
    run_id = post(
        client_for(users["economist"]), verified_half.fund_id, {"iterations": 100}
    ).json()["id"]
    assert client_for(users[role]).get(f"/api/forecasts/{run_id}").status_code == status


def test_an_unknown_fund_is_404(db, users):
    assert post(client_for(users["economist"]), 999, {}).status_code == 404


def test_a_fourth_waiting_forecast_is_429(verified_half, users):
    economist = client_for(users["economist"])
    for _ in range(3):
        assert post(economist, verified_half.fund_id, {"iterations": 100}).status_code == 202
    response = post(economist, verified_half.fund_id, {"iterations": 100})
    assert response.status_code == 429
    assert "3 forecasts waiting or running" in response.json()["errors"]["__all__"][0]
    schema = economist.get("/api/openapi.json").json()
    assert "429" in schema["paths"]["/api/funds/{fund_id}/forecasts"]["post"]["responses"]
