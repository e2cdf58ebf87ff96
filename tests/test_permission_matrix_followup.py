"""The permission matrix for follow-up, evaluation, documents, closing and repayment: every
page and endpoint, every role, own and other units, anonymous."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sifra.documents.services import document_upload
from sifra.followup import services as f
from sifra.funds.services import ledger_entry_post
from sifra.projects.services import project_update
from sifra.repayment import services as r
from tests.test_permission_matrix import (
    OWN_UNIT,
    ROLES,
    SIGNED_IN,
    STAFF,
    _fill,
    _request,
    check_api,
    check_page,
)

MSEK = 100_000_000
COORD = {"coordinator"}
MONEY = {"coordinator", "economist"}
REPORTERS = {"coordinator", "applicant"}
UNIT_DEBT = STAFF | {"applicant"}

PAGES = [
    ("get", "/followup/", SIGNED_IN, None),
    ("get", "/followup/projects/{project}/", OWN_UNIT, None),
    ("get", "/followup/reports/{report}/", OWN_UNIT, None),
    ("get", "/repayment/projects/{project}/", OWN_UNIT, None),
    ("get", "/repayment/units/{unit}/", UNIT_DEBT, None),
    ("get", "/repayment/", STAFF, None),
    ("get", "/repayment/claims.csv", STAFF, None),
    ("get", "/evaluation/projects/{project}/", OWN_UNIT, None),
    ("get", "/evaluation/projects/{project}/documents/", OWN_UNIT, None),
    ("get", "/evaluation/documents/{document}/", OWN_UNIT, None),
    ("get", "/evaluation/projects/{project}/close/", OWN_UNIT, None),
]
API = [
    ("get", "/api/projects/{project}/followup", OWN_UNIT, None),
    ("post", "/api/projects/{project}/schedule", COORD, {"every_months": 3}),
    ("get", "/api/reports/{report}", OWN_UNIT, None),
    ("patch", "/api/reports/{report}", REPORTERS, {"participants": 12}),
    ("get", "/api/projects/{project}/repayment", OWN_UNIT, None),
    (
        "post",
        "/api/projects/{project}/savings",
        MONEY,
        {
            "year": 2026,
            "unit_id": "{unit}",
            "amount": "100000",
            "evidence_kind": "finance",
            "evidence": "Ekonomisystemet",
        },
    ),
    ("get", "/api/claims", STAFF, None),
    ("post", "/api/claims/{claim}/payments", MONEY, {"kind": "repayment", "amount": "1000"}),
    ("get", "/api/projects/{project}/evaluations", OWN_UNIT, None),
    (
        "post",
        "/api/projects/{project}/evaluations",
        MONEY,
        {
            "method": "before_after",
            "effect": "0.1",
            "ci_low": "0.05",
            "ci_high": "0.2",
            "evaluator": "FoU",
        },
    ),
    ("get", "/api/projects/{project}/expost", OWN_UNIT, None),
    ("get", "/api/projects/{project}/documents", OWN_UNIT, None),
    ("get", "/api/documents/{document}", OWN_UNIT, None),
]


@pytest.fixture
def world(funded, project, unit_a, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    coordinator, economist = users["coordinator"], users["economist"]
    project = project_update(
        project=project,
        acting_user=coordinator,
        start_date=dt.date(2025, 1, 1),
        end_date=dt.date(2025, 12, 31),
    )
    ledger_entry_post(
        fund=funded,
        kind="commitment",
        amount=2 * MSEK,
        text="Beviljat",
        project=project,
        acting_user=coordinator,
    )
    f.indicator_add(
        project=project,
        acting_user=coordinator,
        name="Placeringar",
        unit="antal",
        baseline=Decimal(10),
        baseline_year=2024,
        target=Decimal(8),
    )
    f.schedule_set(project=project, every_months=6, acting_user=coordinator)
    report = f.report_create(
        project=project, due=project.dues.first(), acting_user=users["applicant"]
    )
    r.agreement_set(
        project=project,
        model="savings_share",
        share=Decimal(50),
        shares=[(unit_a, Decimal(100))],
        acting_user=economist,
    )
    saving = r.saving_verify(
        project=project,
        year=2025,
        unit=unit_a,
        amount=MSEK,
        evidence_kind="finance",
        evidence="Ekonomisystemet",
        acting_user=economist,
    )
    pdf = SimpleUploadedFile("rapport.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    document = document_upload(
        project=project, title="Rapport", upload=pdf, acting_user=coordinator
    )
    return {
        "project": project.pk,
        "report": report.pk,
        "unit": unit_a.pk,
        "claim": saving.claims.get().pk,
        "document": document.pk,
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "url", "allowed", "body"), PAGES, ids=[f"{m} {u}" for m, u, _a, _b in PAGES]
)
def test_followup_page_permissions(client, users, world, role, method, url, allowed, body):
    response = _request(client, users, role, method, _fill(url, world), body)
    check_page(response, role, allowed)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "url", "allowed", "body"), API, ids=[f"{m} {u}" for m, u, _a, _b in API]
)
def test_followup_api_permissions(client, users, world, role, method, url, allowed, body):
    response = _request(client, users, role, method, _fill(url, world), _fill(body, world))
    check_api(response, role, allowed)
