"""Follow-up, repayment, evaluation and closing through the REST API."""

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from sifra.funds.selectors import fund_balances, project_balances
from sifra.funds.services import ledger_entry_post
from sifra.projects.services import project_update

MSEK = 100_000_000


def as_user(user):
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def call(client, method, url, body=None):
    kwargs = {} if body is None else {"data": json.dumps(body), "content_type": "application/json"}
    return getattr(client, method)(url, **kwargs)


@pytest.fixture
def running(funded, project, users):
    coordinator = users["coordinator"]
    project = project_update(
        project=project,
        acting_user=coordinator,
        start_date=dt.date(2025, 1, 1),
        end_date=dt.date(2025, 12, 31),
    )
    ledger_entry_post(
        fund=funded,
        kind="commitment",
        amount=3 * MSEK,
        text="Beviljat",
        project=project,
        acting_user=coordinator,
    )
    ledger_entry_post(
        fund=funded,
        kind="disbursement",
        amount=2 * MSEK,
        text="Utbetalt",
        project=project,
        acting_user=coordinator,
    )
    return project


def test_report_repay_close_through_the_api(running, funded, unit_a, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    p = running.pk
    coordinator, applicant, economist = (
        as_user(users[r]) for r in ("coordinator", "applicant", "economist")
    )
    ind = call(
        coordinator,
        "post",
        f"/api/projects/{p}/indicators",
        {
            "name": "Placeringar",
            "unit": "antal",
            "baseline": "24",
            "baseline_year": 2024,
            "target": "19",
        },
    ).json()["id"]
    line = call(
        coordinator,
        "post",
        f"/api/projects/{p}/budget-lines",
        {"year": 2025, "description": "Personal", "from_fund": "2000000"},
    ).json()["id"]
    dues = call(coordinator, "post", f"/api/projects/{p}/schedule", {"every_months": 12}).json()
    assert [d["kind"] for d in dues] == ["final"]
    due_id = call(applicant, "get", f"/api/projects/{p}/followup").json()["dues"][0]["id"]
    report = call(applicant, "post", f"/api/projects/{p}/reports", {"due_id": due_id}).json()
    saved = call(
        applicant,
        "patch",
        f"/api/reports/{report['id']}",
        {
            "participants": 118,
            "narrative": "Klart.",
            "values": {str(ind): "19.5"},
            "costs": {str(line): "1750000.50"},
        },
    )
    assert saved.json()["values"] == {str(ind): "19.5000"}
    assert saved.json()["costs_ore"] == {str(line): 175_000_050}
    call(applicant, "post", f"/api/reports/{report['id']}/submit")
    returned = call(coordinator, "post", f"/api/reports/{report['id']}/return", {"comment": "?"})
    assert returned.json()["status"] == "returned"
    call(applicant, "post", f"/api/reports/{report['id']}/submit")
    assert call(coordinator, "post", f"/api/reports/{report['id']}/approve").json()["status"] == (
        "approved"
    )

    agreement = call(
        economist,
        "put",
        f"/api/projects/{p}/agreement",
        {
            "model": "savings_share",
            "share": "50",
            "shares": [{"unit_id": unit_a.pk, "percent": "100"}],
        },
    )
    assert agreement.json()["agreement"]["cap_ore"] == 3 * MSEK  # the granted amount
    saving = call(
        economist,
        "post",
        f"/api/projects/{p}/savings",
        {
            "year": 2025,
            "unit_id": unit_a.pk,
            "amount": "1000000",
            "evidence_kind": "report",
            "evidence": "Slutrapporten",
        },
    ).json()
    claim = saving["claims"][0]
    assert claim["amount_ore"] == 50 * 1_000_000 and claim["due_date"] == "2026-06-30"
    before = fund_balances(fund=funded).capital
    paid = call(
        economist,
        "post",
        f"/api/claims/{claim['id']}/payments",
        {"kind": "repayment", "amount": "200000"},
    )
    assert paid.status_code == 201 and paid.json()["outstanding_ore"] == 30_000_000
    assert fund_balances(fund=funded).capital == before + 20_000_000
    too_much = call(
        economist,
        "post",
        f"/api/claims/{claim['id']}/payments",
        {"kind": "write_off", "amount": "300000.01", "reason": "x"},
    )
    assert too_much.status_code == 400 and "amount" in too_much.json()["errors"]

    pdf = SimpleUploadedFile("utvardering.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    uploaded = coordinator.post(
        f"/api/projects/{p}/documents", {"title": "Utvärdering", "file": pdf}
    )
    assert uploaded.status_code == 201
    doc = uploaded.json()["id"]
    evaluation = call(
        coordinator,
        "post",
        f"/api/projects/{p}/evaluations",
        {
            "method": "quasi",
            "effect": "0.18",
            "ci_low": "0.1",
            "ci_high": "0.25",
            "evaluator": "FoU",
            "report_document_id": doc,
        },
    )
    assert evaluation.status_code == 201
    download = applicant.get(f"/api/documents/{doc}")
    assert download.status_code == 200 and download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content).startswith(b"%PDF")

    closed = call(
        coordinator,
        "post",
        f"/api/projects/{p}/close",
        {"outcome": "implement", "note": "Införs i ordinarie budget."},
    )
    assert closed.json()["status"] == "closed"
    assert project_balances(project=running).committed == 0  # 1 MSEK released


def test_bad_follow_up_input_is_a_400(running, users):
    coordinator = as_user(users["coordinator"])
    bad = call(coordinator, "post", f"/api/projects/{running.pk}/schedule", {"every_months": 0})
    assert bad.status_code == 400 and "every_months" in bad.json()["errors"]
    bad = call(coordinator, "post", f"/api/projects/{running.pk}/close", {"outcome": "implement"})
    assert bad.status_code == 400  # no approved final report
    bad = call(
        coordinator,
        "put",
        f"/api/projects/{running.pk}/agreement",
        {"model": "savings_share", "share": "50", "shares": []},
    )
    assert bad.status_code == 400 and "shares" in bad.json()["errors"]
