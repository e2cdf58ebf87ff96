"""The application journey through the REST API, as a script would drive it."""

import json
import tomllib
from pathlib import Path

import pytest
from django.test import Client

from sifra.applications.models import Application, Status
from sifra.funds.models import LedgerEntry

CASE = tomllib.loads((Path(__file__).parents[2] / "examples" / "norrkoping-barn.toml").read_text())


def as_user(user):
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def call(client, method, url, body=None):
    kwargs = {} if body is None else {"data": json.dumps(body), "content_type": "application/json"}
    return getattr(client, method)(url, **kwargs)


def test_the_journey_through_the_api(funded, unit_a, unit_b, users):
    applicant = as_user(users["applicant"])
    created = call(
        applicant,
        "post",
        "/api/applications",
        {"fund_id": funded.pk, "title": "Tidigt stöd", "lead_unit_id": unit_a.pk},
    )
    assert created.status_code == 201
    a = created.json()["id"]
    patched = call(
        applicant,
        "patch",
        f"/api/applications/{a}",
        {
            "summary": "Stöd.",
            "followup_plan": "Plan.",
            "evaluation_plan": "Plan.",
            "unit_ids": [unit_b.pk],
            "budget": [
                {
                    "year": 2027,
                    "description": "Behandlare",
                    "payer_unit_id": unit_a.pk,
                    "requested": "3000000.00",
                    "own_contribution": "250000",
                }
            ],
            "indicators": [
                {
                    "name": "Placeringar",
                    "unit": "antal",
                    "baseline": "24",
                    "baseline_year": 2025,
                    "target": "19.5",
                    "method": "System",
                    "frequency": "Kvartal",
                }
            ],
        },
    )
    assert patched.status_code == 200, patched.content
    assert patched.json()["requested_ore"] == 300_000_000
    case = call(applicant, "put", f"/api/applications/{a}/case", CASE)
    assert case.status_code == 200 and case.json()["payback_years"] == pytest.approx(1.5)
    assert call(applicant, "post", f"/api/applications/{a}/submit").json()["status"] == "submitted"

    coordinator = as_user(users["coordinator"])
    sent = call(
        coordinator,
        "post",
        f"/api/applications/{a}/send-to-review",
        {"reviewer_ids": [users["council"].pk]},
    )
    assert sent.json()["status"] == "in_review"
    review = call(
        as_user(users["council"]),
        "post",
        f"/api/applications/{a}/review",
        {
            "evidence_strength": 4,
            "evaluation_quality": 3,
            "case_realism": 5,
            "recommendation": "conditions",
            "conditions": "Extern utvärderare.",
        },
    )
    assert review.status_code == 200
    assert call(coordinator, "get", f"/api/applications/{a}/reviews").json()[0]["case_realism"] == 5
    call(
        coordinator,
        "post",
        f"/api/applications/{a}/recommend",
        {"recommend": True, "proposal": "Bevilja med villkor."},
    )
    decided = call(
        as_user(users["decision_maker"]),
        "post",
        f"/api/applications/{a}/decision",
        {
            "approve": True,
            "amount": "2500000",
            "minute_ref": "KSAU § 88/2026",
            "decided_on": "2026-03-01",
            "conditions": "Extern utvärderare.",
        },
    )
    assert decided.status_code == 200, decided.content
    assert decided.json()["status"] == "approved" and decided.json()["project_id"]
    entry = LedgerEntry.objects.get(kind="commitment")
    assert entry.amount == 250_000_000 and entry.project_id == decided.json()["project_id"]


def test_api_errors_name_the_field(funded, unit_a, users):
    applicant = as_user(users["applicant"])
    a = call(
        applicant,
        "post",
        "/api/applications",
        {"fund_id": funded.pk, "title": "T", "lead_unit_id": unit_a.pk},
    ).json()["id"]
    bad = call(applicant, "patch", f"/api/applications/{a}", {"risks": "Barnet 811218-9876"})
    assert bad.status_code == 400 and "811218-9876" in bad.json()["errors"]["risks"][0]
    bad = call(
        applicant,
        "patch",
        f"/api/applications/{a}",
        {"budget": [{"year": 2027, "description": "x", "requested": "1.234"}]},
    )
    assert bad.status_code == 400 and "budget[0].requested" in bad.json()["errors"]
    bad_case = dict(CASE, outcomes=[{**CASE["outcomes"][0], "effect": 1.7}])
    bad = call(applicant, "put", f"/api/applications/{a}/case", bad_case)
    assert bad.status_code == 400 and "outcomes[0].effect" in bad.json()["errors"]
    blocked = call(applicant, "post", f"/api/applications/{a}/submit")
    assert blocked.status_code == 400 and "__all__" in blocked.json()["errors"]
    assert Application.objects.get(pk=a).status == Status.DRAFT
