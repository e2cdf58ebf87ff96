"""The journey through the pages, with Django's test client."""

import datetime as dt

import pytest
from django.test import Client

from sifra.applications.models import Application, Status
from sifra.funds.selectors import fund_balances

MSEK = 100_000_000


def client_for(user, language="sv"):
    """Swedish by default, as the users type: decimal commas, "3 000 000"."""
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    return client


@pytest.fixture
def applicant(users):
    return client_for(users["applicant"])


def _edit_data(unit_b, **extra):
    data = {
        "title": "Tidigt stöd",
        "units": [unit_b.pk],
        "start_date": "2027-01-01",
        "end_date": "2028-12-31",
        "summary": "Stöd till familjer.",
        "followup_plan": "Kvartalsvis uppföljning.",
        "evaluation_plan": "Kontrollgrupp.",
        "budget-TOTAL_FORMS": "1",
        "budget-INITIAL_FORMS": "0",
        "budget-0-year": "2027",
        "budget-0-description": "Familjebehandlare",
        "budget-0-requested": "3 000 000",
        "budget-0-own_contribution": "500 000",
        "ind-TOTAL_FORMS": "1",
        "ind-INITIAL_FORMS": "0",
        "ind-0-name": "Placeringar",
        "ind-0-unit": "antal",
        "ind-0-baseline": "24",
        "ind-0-baseline_year": "2025",
        "ind-0-target": "19,5",
        "ind-0-method": "Verksamhetssystem",
        "ind-0-frequency": "Kvartal",
    }
    return {**data, **extra}


def test_the_journey_through_the_pages(
    funded, unit_a, unit_b, users, mailoutbox, django_capture_on_commit_callbacks
):
    applicant = client_for(users["applicant"])
    response = applicant.post(
        "/applications/new/", {"fund": funded.pk, "title": "Tidigt stöd", "lead_unit": unit_a.pk}
    )
    a = Application.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/applications/{a.pk}/edit/"
    response = applicant.post(f"/applications/{a.pk}/edit/", _edit_data(unit_b, submit="1"))
    # Saved, then the answers to check before submitting; submitted from there.
    assert response.status_code == 302 and response["Location"] == f"/applications/{a.pk}/check/"
    assert applicant.get(f"/applications/{a.pk}/check/").status_code == 200
    response = applicant.post(f"/applications/{a.pk}/submit/")
    assert response["Location"] == f"/applications/{a.pk}/submitted/"
    a.refresh_from_db()
    assert a.status == Status.SUBMITTED, response.content[:500]
    assert a.budget_lines.get().requested == 3 * MSEK
    assert str(a.indicators.get().target) == "19.5000"

    coordinator = client_for(users["coordinator"])
    coordinator.post(f"/applications/{a.pk}/send-to-review/", {"reviewers": [users["council"].pk]})
    council = client_for(users["council"])
    assert council.get(f"/applications/{a.pk}/").status_code == 200
    council.post(
        f"/applications/{a.pk}/review/",
        {
            "evidence_strength": "4",
            "evaluation_quality": "3",
            "case_realism": "4",
            "recommendation": "approve",
            "comments": "Bra.",
        },
    )
    coordinator.post(
        f"/applications/{a.pk}/recommend/", {"recommend": "yes", "proposal": "Bevilja."}
    )
    page = coordinator.get(f"/applications/{a.pk}/").content.decode()
    assert "Bra." in page  # the reviews side by side
    users["applicant"].email = "sokande@example.org"
    users["applicant"].save(update_fields=["email"])
    decider = client_for(users["decision_maker"])
    decision = {
        "outcome": "approve",
        "amount": "2 500 000",
        "minute_ref": "KSAU § 88/2026",
        "decided_on": dt.date.today().isoformat(),
    }
    # First the confirmation, with the amount in words; nothing is committed yet.
    response = decider.post(f"/applications/{a.pk}/decide/", decision)
    assert response.status_code == 200
    assert "två miljoner femhundratusen kronor" in response.content.decode()
    assert fund_balances(fund=funded).committed == 0
    # the email leaves once the decision's transaction commits
    with django_capture_on_commit_callbacks(execute=True):
        response = decider.post(f"/applications/{a.pk}/decide/", {**decision, "confirmed": "yes"})
    a.refresh_from_db()
    assert response.status_code == 302 and a.status == Status.APPROVED
    assert fund_balances(fund=funded).committed == 25 * MSEK // 10
    approved = [(m.to, m.subject) for m in mailoutbox if "beviljats" in m.subject]
    assert approved == [(["sokande@example.org"], f"Sifra: Ansökan {a.reference} har beviljats")]


def test_autosave_answers_htmx_with_a_status_and_keeps_the_draft(funded, unit_a, unit_b, applicant):
    applicant.post("/applications/new/", {"fund": funded.pk, "title": "T", "lead_unit": unit_a.pk})
    a = Application.objects.get()
    response = applicant.post(
        f"/applications/{a.pk}/edit/",
        _edit_data(unit_b, summary="Utkast"),
        headers={"HX-Request": "true"},
    )
    assert b'data-autosave="saved"' in response.content
    a.refresh_from_db()
    assert a.summary == "Utkast" and a.status == Status.DRAFT


def test_bad_input_on_the_edit_page_is_shown_not_a_500(funded, unit_a, unit_b, applicant):
    applicant.post("/applications/new/", {"fund": funded.pk, "title": "T", "lead_unit": unit_a.pk})
    a = Application.objects.get()
    response = applicant.post(
        f"/applications/{a.pk}/edit/",
        _edit_data(unit_b, **{"budget-0-requested": "tre miljoner", "risks": "Pojken 811218-9876"}),
    )
    assert response.status_code == 200
    assert response.context["budget"].forms[0].errors["requested"]
    response = applicant.post(
        f"/applications/{a.pk}/edit/", _edit_data(unit_b, risks="Pojken 811218-9876")
    )
    assert "811218-9876" in str(response.context["form"].errors["risks"])
    a.refresh_from_db()
    assert a.risks == "" and not a.budget_lines.exists()


def test_submission_blocked_by_a_rule_says_why(funded, unit_a, unit_b, users):
    applicant = client_for(users["applicant"], "en")
    applicant.post("/applications/new/", {"fund": funded.pk, "title": "T", "lead_unit": unit_a.pk})
    a = Application.objects.get()
    response = applicant.post(f"/applications/{a.pk}/submit/")
    # The check page again, each blocking rule in the error summary, linked to its section.
    assert response.status_code == 200
    assert f'href="/applications/{a.pk}/edit/budget/#id_budget-0-requested"' in (
        response.content.decode()
    )
    assert 'role="alert"' in response.content.decode()
    a.refresh_from_db()
    assert a.status == Status.DRAFT


def test_version_comparison_shows_what_changed(funded, unit_a, unit_b, users, applicant):
    applicant.post("/applications/new/", {"fund": funded.pk, "title": "T", "lead_unit": unit_a.pk})
    a = Application.objects.get()
    applicant.post(f"/applications/{a.pk}/edit/", _edit_data(unit_b, submit="1"))
    applicant.post(f"/applications/{a.pk}/submit/")
    client_for(users["coordinator"]).post(f"/applications/{a.pk}/return/", {"comment": "Mer."})
    # As the browser sends it: the saved rows come back as the formsets' initial forms.
    applicant.post(
        f"/applications/{a.pk}/edit/",
        _edit_data(
            unit_b,
            summary="Ändrad.",
            submit="1",
            **{"budget-INITIAL_FORMS": "1", "ind-INITIAL_FORMS": "1"},
        ),
    )
    applicant.post(f"/applications/{a.pk}/submit/")
    page = client_for(users["council"])
    diff = client_for(users["coordinator"]).get(f"/applications/{a.pk}/versions/?a=1&b=2")
    assert diff.status_code == 200
    text = diff.content.decode()
    assert "Ändrad." in text and "Stöd till familjer." in text
    assert page.get(f"/applications/{a.pk}/").status_code == 403  # not assigned to review
