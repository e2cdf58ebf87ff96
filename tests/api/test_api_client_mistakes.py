"""Ordinary client mistakes answer 400 (or 404, 413) with JSON naming the problem, never a 500,
and in production (DEBUG=False) too."""

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from sifra.api.errors import NOT_FOUND, SERVER_ERROR, TOO_LARGE
from sifra.applications.models import BudgetLine
from sifra.applications.services import application_create
from sifra.core.text import LONG_TEXT, NOT_NULL, NUL_CHARACTER
from sifra.documents.models import Document
from sifra.followup.models import ReportDue
from sifra.projects.services import project_update


def as_user(user, **kwargs):
    client = Client(headers={"accept-language": "en"}, **kwargs)
    client.force_login(user)
    return client


def patch(client, url, body):
    return client.patch(url, json.dumps(body), content_type="application/json")


@pytest.fixture
def draft(funded, unit_a, users):
    return application_create(
        fund=funded, title="Tidigt stöd", lead_unit=unit_a, acting_user=users["applicant"]
    )


def test_a_budget_row_without_own_contribution_counts_it_as_zero(draft, unit_a, users):
    row = {"year": 2027, "description": "Behandlare", "requested": "1000"}
    response = patch(
        as_user(users["applicant"]), f"/api/applications/{draft.pk}", {"budget": [row]}
    )
    assert response.status_code == 200, response.content
    line = BudgetLine.objects.get(application=draft)
    assert (line.requested, line.own_contribution) == (100_000, 0)


@pytest.mark.parametrize("field", ["budget", "indicators", "unit_ids", "evidence_level"])
def test_null_for_a_list_or_choice_is_a_400(draft, users, field):
    response = patch(as_user(users["applicant"]), f"/api/applications/{draft.pk}", {field: None})
    assert response.status_code == 400
    assert response.json()["errors"][field] == [str(NOT_NULL)]


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/units/{unit}", "is_active"),
        ("/api/units/{unit}", "kind"),
        ("/api/users/{user}", "role"),
        ("/api/users/{user}", "is_active"),
        ("/api/funds/{fund}", "is_active"),
        ("/api/projects/{project}", "status"),
    ],
)
def test_null_for_a_required_value_is_a_400(funded, project, unit_a, users, url, field):
    url = url.format(unit=unit_a.pk, user=users["applicant"].pk, fund=funded.pk, project=project.pk)
    response = patch(as_user(users["coordinator"]), url, {field: None})
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_an_application_can_clear_its_evidence_level(draft, users):
    client = as_user(users["applicant"])
    patch(client, f"/api/applications/{draft.pk}", {"evidence_level": "rct"})
    response = patch(client, f"/api/applications/{draft.pk}", {"evidence_level": ""})
    assert response.status_code == 200 and response.json()["content"]["evidence_level"] == ""


def test_a_case_holding_a_nul_character_is_a_400_naming_its_place(draft, users):
    case = {"name": "Fall", "actors": ["kommun\x00"]}
    response = as_user(users["applicant"]).put(
        f"/api/applications/{draft.pk}/case", json.dumps(case), content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"case.actors[0]": [str(NUL_CHARACTER)]}


def test_a_one_megabyte_summary_is_refused_naming_the_field(draft, users):
    response = patch(
        as_user(users["applicant"]), f"/api/applications/{draft.pk}", {"summary": "x" * 1_000_000}
    )
    assert response.status_code == 400
    assert f"{LONG_TEXT}" in response.json()["errors"]["summary"][0]


def test_setting_a_schedule_works_with_the_immediate_task_backend(
    project, users, settings, django_capture_on_commit_callbacks
):
    """SIFRA_TASKS_BACKEND=immediate cannot defer a task; the schedule used to fail with
    "Backend does not support run_after"."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    project_update(
        project=project,
        acting_user=users["coordinator"],
        start_date=dt.date(2025, 1, 1),
        end_date=dt.date(2025, 12, 31),
    )
    client = as_user(users["coordinator"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/api/projects/{project.pk}/schedule",
            json.dumps({"every_months": 6}),
            content_type="application/json",
        )
    assert response.status_code == 200, response.content
    assert ReportDue.objects.filter(project=project).count() == 2


def test_a_document_whose_file_is_missing_is_a_404(project, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = as_user(users["coordinator"])
    pdf = SimpleUploadedFile("rapport.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    doc = client.post(f"/api/projects/{project.pk}/documents", {"title": "Rapport", "file": pdf})
    Document.objects.get(pk=doc.json()["id"]).file.delete(save=False)
    response = client.get(f"/api/documents/{doc.json()['id']}")
    assert response.status_code == 404
    assert "missing" in response.json()["errors"]["__all__"][0]


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["testserver"]


def test_an_unexpected_failure_answers_json_in_production(production, users, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("sifra.api.funds.selectors.funds_visible", broken)
    response = as_user(users["coordinator"], raise_request_exception=False).get("/api/funds")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"errors": {"__all__": [str(SERVER_ERROR)]}}


def test_a_too_large_body_answers_413_json_in_production(production, draft, users, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = patch(
        as_user(users["applicant"]), f"/api/applications/{draft.pk}", {"summary": "x" * 2000}
    )
    assert response.status_code == 413
    assert response.json() == {"errors": {"__all__": [str(TOO_LARGE)]}}


def test_an_unknown_api_path_answers_404_json_in_production(production, users):
    for url in ("/api/no-such-thing", "/api/applications/1/nothing/here"):
        response = as_user(users["coordinator"]).get(url)
        assert response.status_code == 404
        assert response.json() == {"errors": {"__all__": [str(NOT_FOUND)]}}


HUGE = 2**73  # beyond the databases' 64-bit integers


@pytest.mark.parametrize(
    ("url", "field"),
    [
        (f"/api/audit?offset={HUGE}", "offset"),
        (f"/api/projects?fund_id={HUGE}", "fund_id"),
        (f"/api/claims?project_id={HUGE}", "project_id"),
        (f"/api/claims?unit_id=-{HUGE}", "unit_id"),
    ],
)
def test_a_number_beyond_64_bits_in_a_query_is_a_400(users, url, field):
    """The fuzzer found these as 500s (SQLite: int too large; PostgreSQL: bigint out of
    range)."""
    response = as_user(users["auditor"]).get(url)
    assert response.status_code == 400, response.content
    assert field in json.dumps(response.json())


def test_a_number_beyond_64_bits_in_a_body_is_a_400_naming_the_field(draft, users):
    row = {"year": 2027, "description": "Behandlare", "requested": "1000", "payer_unit_id": HUGE}
    response = patch(
        as_user(users["applicant"]), f"/api/applications/{draft.pk}", {"budget": [row]}
    )
    assert response.status_code == 400, response.content
    assert "payer_unit_id" in json.dumps(response.json())
    assert "The number is too large." in json.dumps(response.json())
