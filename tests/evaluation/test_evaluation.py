"""Recording an evaluation and the council's assessment: the services, then the page."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sifra.audit.models import AuditEvent
from sifra.documents.models import Document
from sifra.documents.services import WRONG_TYPE
from sifra.evaluation import services as s
from sifra.evaluation.models import Evaluation
from sifra.projects.models import Project
from sifra.projects.services import project_close
from tests.evaluation.conftest import sv

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
GOOD = {
    "method": "quasi",
    "effect": Decimal("0.15"),
    "ci_low": Decimal("0.10"),
    "ci_high": Decimal("0.20"),
    "evaluator": "FoU Östergötland",
}


def record(project, user, **changes):
    return s.evaluation_record(project=project, acting_user=user, **(GOOD | changes))


@pytest.mark.parametrize("role", ["coordinator", "economist"])
def test_the_coordinator_and_the_economist_record(project, users, role):
    evaluation = record(project, users[role], summary=" Matchad kontrollgrupp. ")
    assert evaluation.effect == Decimal("0.15") and evaluation.created_by == users[role]
    assert evaluation.summary == "Matchad kontrollgrupp."
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.EVALUATION_CHANGED)
    assert event.actor == users[role] and event.data["interval"] == ["0.10", "0.20"]


@pytest.mark.parametrize("role", ["applicant", "outsider", "council", "decision_maker", "auditor"])
def test_others_may_not_record(project, users, role):
    with pytest.raises(PermissionDenied):
        record(project, users[role])
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ci_low": Decimal("-1.01")}, "ci_low", s.NOT_AN_EFFECT),
        ({"ci_high": Decimal("1.2")}, "ci_high", s.NOT_AN_EFFECT),
        ({"effect": Decimal("-1.5"), "ci_low": Decimal("-2")}, "ci_low", s.NOT_AN_EFFECT),
        ({"effect": Decimal("0.25")}, "effect", s.INTERVAL_ORDER),
        ({"effect": Decimal("0.05")}, "effect", s.INTERVAL_ORDER),
        ({"ci_low": Decimal("0.3"), "ci_high": Decimal("0.1")}, "effect", s.INTERVAL_ORDER),
        ({"effect": "many"}, "effect", s.NOT_A_NUMBER),
        ({"method": "guess"}, "method", s.UNKNOWN_METHOD),
        ({"evaluator": "  "}, "evaluator", s.EVALUATOR_REQUIRED),
    ],
)
def test_values_are_checked(project, users, changes, field, message):
    with pytest.raises(ValidationError) as exc:
        record(project, users["economist"], **changes)
    assert exc.value.message_dict == {field: [str(message)]}


def test_an_interval_of_one_point_and_the_bounds_are_allowed(project, users):
    e = record(project, users["economist"], effect=0, ci_low=0, ci_high=0)
    assert e.effect == 0
    assert record(project, users["economist"], effect=1, ci_low=1, ci_high=1).ci_high == 1


def test_an_underpowered_or_harmful_result_can_be_recorded(project, users):
    # an interval reaching below 0 (underpowered), and a harmful effect, down to −1
    e = record(project, users["economist"], effect="0.05", ci_low="-0.04", ci_high="0.14")
    assert (e.effect, e.ci_low, e.ci_high) == (Decimal("0.05"), Decimal("-0.04"), Decimal("0.14"))
    harm = record(project, users["economist"], effect="-0.1", ci_low="-1", ci_high="-0.02")
    assert harm.effect == Decimal("-0.1") and harm.ci_low == -1


def test_the_outcome_must_exist_in_the_case(case_project, users):
    assert record(case_project, users["economist"], outcome_index=0).outcome_index == 0
    with pytest.raises(ValidationError) as exc:
        record(case_project, users["economist"], outcome_index=1)
    assert exc.value.message_dict == {
        "outcome_index": ["The project's case has no outcome number 1."]
    }


def test_without_a_case_any_outcome_index_is_taken(project, users):
    assert record(project, users["economist"], outcome_index=2).outcome_index == 2


def test_the_report_must_belong_to_the_project(project, other_project, users):
    from sifra.documents.services import document_upload

    foreign = document_upload(
        project=other_project,
        title="Annan rapport",
        upload=SimpleUploadedFile("r.pdf", PDF),
        acting_user=users["coordinator"],
    )
    with pytest.raises(ValidationError) as exc:
        record(project, users["economist"], report=foreign)
    assert "report" in exc.value.message_dict


def test_the_council_assesses(project, users):
    e = record(project, users["economist"])
    e = s.evaluation_assess(
        evaluation=e, assessment=" Trovärdig design. ", acting_user=users["council"]
    )
    assert e.council_assessment == "Trovärdig design." and e.assessed_by == users["council"]
    assert e.assessed_at is not None
    project.refresh_from_db()
    assert project.status == Project.Status.ACTIVE  # an open project is not yet evaluated


@pytest.mark.parametrize("role", ["coordinator", "economist", "applicant", "auditor"])
def test_only_the_council_assesses(project, users, role):
    e = record(project, users["economist"])
    with pytest.raises(PermissionDenied):
        s.evaluation_assess(evaluation=e, assessment="Bra.", acting_user=users[role])


def test_an_assessment_needs_words(project, users):
    e = record(project, users["economist"])
    with pytest.raises(ValidationError) as exc:
        s.evaluation_assess(evaluation=e, assessment=" ", acting_user=users["council"])
    assert exc.value.message_dict == {"assessment": [str(s.ASSESSMENT_REQUIRED)]}


def test_the_assessment_makes_a_closed_project_evaluated(dated_project, users, make_report):
    make_report(dated_project, kind="final", start=dt.date(2026, 1, 1), end=dt.date(2027, 12, 31))
    project_close(
        project=dated_project, outcome="implement", note="", acting_user=users["coordinator"]
    )
    e = record(dated_project, users["economist"])  # evaluations arrive after closing
    s.evaluation_assess(evaluation=e, assessment="Trovärdig.", acting_user=users["council"])
    dated_project.refresh_from_db()
    assert dated_project.status == Project.Status.EVALUATED
    project_event = AuditEvent.objects.get(
        object_type="projects.project", kind=AuditEvent.Kind.PROJECT_UPDATED, data__evaluation=e.pk
    )
    assert project_event.data["status"] == ["closed", "evaluated"]


# --- The page ----------------------------------------------------------------------------------


def url(project):
    return reverse("evaluation:project", args=[project.pk])


def form_data(**changes):
    return {
        "method": "quasi",
        "outcome_index": "0",
        "effect": "0,15",
        "ci_low": "0,10",
        "ci_high": "0,20",
        "evaluator": "FoU Östergötland",
        "summary": "",
        "report_title": "",
    } | changes


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("coordinator", 200),
        ("economist", 200),
        ("council", 200),
        ("auditor", 200),
        ("decision_maker", 200),
        ("applicant", 200),
        ("outsider", 403),
    ],
)
def test_who_sees_the_evaluation_page(client, case_project, users, role, status):
    client.force_login(users[role])
    assert client.get(url(case_project)).status_code == status


def test_the_page_shows_both_cases_side_by_side(client, case_project, users):
    record(case_project, users["economist"])
    client.force_login(users["applicant"])
    page = client.get(url(case_project), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Before (ex ante)" in page and "After the fact (ex post)" in page
    assert 'id="expost-chart-spec"' in page
    assert "No approved report yet" in page
    assert "Record an evaluation" not in page  # the applicant may not record


def test_recording_with_a_report_through_the_page(client, case_project, users):
    client.force_login(users["economist"])
    upload = SimpleUploadedFile("utvärdering.pdf", PDF, content_type="application/pdf")
    response = client.post(url(case_project), form_data(report_file=upload))
    assert response.status_code == 302
    evaluation = Evaluation.objects.get()
    assert evaluation.effect == Decimal("0.15")
    assert evaluation.report.title == "utvärdering.pdf"
    assert evaluation.report.project == case_project


def test_a_refused_evaluation_stores_no_file(client, case_project, users):
    client.force_login(users["economist"])
    upload = SimpleUploadedFile("utvärdering.pdf", PDF, content_type="application/pdf")
    response = client.post(url(case_project), form_data(effect="0,5", report_file=upload))
    assert response.status_code == 200
    assert str(s.INTERVAL_ORDER) in response.content.decode()
    assert not Evaluation.objects.exists() and not Document.objects.exists()


def test_a_refused_file_records_nothing(client, case_project, users):
    client.force_login(users["economist"])
    fake = SimpleUploadedFile(
        "utvärdering.pdf", b"\x89PNG\r\n\x1a\n....", content_type="application/pdf"
    )
    response = client.post(url(case_project), form_data(report_file=fake))
    assert response.status_code == 200
    assert sv(WRONG_TYPE) in response.content.decode()
    assert not Evaluation.objects.exists() and not Document.objects.exists()


@pytest.mark.parametrize("role", ["applicant", "council", "auditor"])
def test_others_cannot_record_through_the_page(client, case_project, users, role):
    client.force_login(users[role])
    assert client.post(url(case_project), form_data()).status_code == 403
    assert not Evaluation.objects.exists()


def test_the_council_assesses_through_the_page(client, case_project, users):
    e = record(case_project, users["economist"])
    assess = reverse("evaluation:assess", args=[e.pk])
    client.force_login(users["economist"])
    assert client.post(assess, {"assessment": "Bra."}).status_code == 403
    client.force_login(users["council"])
    assert sv("Save the assessment") in client.get(url(case_project)).content.decode()
    assert client.post(assess, {"assessment": "Trovärdig design."}).status_code == 302
    e.refresh_from_db()
    assert e.council_assessment == "Trovärdig design."
