"""Issue 10, forms that guide: the application in sections with a task list, validation that
names the field (pages, autosave, service and API alike) and never loses what was typed, check
your answers, the submission's confirmation, and the decision confirmed with the amount in words
before any money is committed."""

import datetime as dt
import json
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from sifra.applications import services as s
from sifra.applications.models import END_BEFORE_START, SHARE_OUT_OF_RANGE, Application, Status
from sifra.applications.sections import BY_KEY, State, section_state, task_list
from sifra.core.money import AMOUNT_NEGATIVE
from sifra.funds.models import LedgerEntry
from sifra.funds.selectors import fund_balances

MSEK = 100_000_000


def client_for(user, language="sv"):
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    return client


def text(response):
    return response.content.decode().replace("\xa0", " ").replace("\u202f", " ")


@pytest.fixture
def draft(funded, unit_a, users):
    return s.application_create(
        fund=funded, title="Tidigt stöd", lead_unit=unit_a, acting_user=users["applicant"]
    )


@pytest.fixture
def applicant(users):
    return client_for(users["applicant"])


def about(**extra):
    return {
        "title": "Tidigt stöd",
        "start_date": "2027-01-01",
        "end_date": "2028-12-31",
        "summary": "Stöd till familjer.",
        **extra,
    }


# --- Validation that names the field and keeps what was typed -------------------------------


def test_an_end_date_before_the_start_date_is_refused_beside_the_field_and_in_the_summary(
    draft, applicant
):
    url = f"/applications/{draft.pk}/edit/about/"
    response = applicant.post(url, about(end_date="2026-06-30", summary="Nytt utkast."))
    assert response.status_code == 200
    assert response.context["form"].errors["end_date"] == [str(END_BEFORE_START)]
    page = text(response)
    start = page.index('class="error-summary"')
    summary = page[start : page.index("</div>", start)]
    assert 'role="alert"' in summary
    assert '<a href="#id_end_date">Slutdatum: Slutdatum måste vara efter startdatum.</a>' in summary
    assert 'id="id_end_date_error"' in page and 'aria-describedby="id_end_date_error"' in page
    # What was typed is shown again, and nothing of it was saved.
    assert 'value="2026-06-30"' in page and "Nytt utkast." in page
    draft.refresh_from_db()
    assert (draft.end_date, draft.summary) == (None, "")


def test_the_same_day_for_start_and_end_is_refused_and_a_day_later_is_taken(draft, applicant):
    url = f"/applications/{draft.pk}/edit/about/"
    same = applicant.post(url, about(start_date="2027-01-01", end_date="2027-01-01"))
    assert same.context["form"].errors["end_date"] == [str(END_BEFORE_START)]
    later = applicant.post(url, about(start_date="2027-01-01", end_date="2027-01-02"))
    assert later.status_code == 302
    draft.refresh_from_db()
    assert draft.end_date == dt.date(2027, 1, 2)


@pytest.mark.parametrize("share", ["150", "-5", "100.01"])
def test_a_repayment_share_outside_0_to_100_is_refused(draft, applicant, share):
    url = f"/applications/{draft.pk}/edit/repayment/"
    data = {"repayment_model": "savings_share", "repayment_share": share, "repayment_notes": "X"}
    response = applicant.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["repayment_share"] == [str(SHARE_OUT_OF_RANGE)]
    assert f'value="{share}"' in text(response) and "X</textarea>" in text(response)
    draft.refresh_from_db()
    assert (draft.repayment_model, draft.repayment_share) == ("", None)


@pytest.mark.parametrize("share", ["0", "100", "37.5"])
def test_a_repayment_share_from_0_to_100_is_taken(draft, applicant, share):
    url = f"/applications/{draft.pk}/edit/repayment/"
    response = applicant.post(url, {"repayment_model": "savings_share", "repayment_share": share})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.repayment_share == Decimal(share)


def test_a_negative_budget_line_is_named_in_the_summary_and_kept_on_the_page(draft, applicant):
    url = f"/applications/{draft.pk}/edit/budget/"
    data = {
        "budget-TOTAL_FORMS": "1",
        "budget-INITIAL_FORMS": "0",
        "budget-0-year": "2027",
        "budget-0-description": "Familjebehandlare",
        "budget-0-requested": "−3 000 000",
        "budget-0-own_contribution": "0",
    }
    response = applicant.post(url, data)
    assert response.status_code == 200
    assert response.context["budget"].forms[0].errors["requested"] == [str(AMOUNT_NEGATIVE)]
    page = text(response)
    assert (
        '<a href="#id_budget-0-requested">Från fonden, rad 1: Beloppet kan inte vara negativt.</a>'
        in page
    )
    assert 'value="−3 000 000"' in page
    assert not draft.budget_lines.exists()


def test_the_autosave_names_the_field_it_could_not_save(draft, applicant):
    response = applicant.post(
        f"/applications/{draft.pk}/edit/about/",
        about(end_date="2026-01-01"),
        headers={"HX-Request": "true"},
    )
    page = text(response)
    assert 'data-autosave="invalid"' in page
    assert '<a href="#id_end_date">Slutdatum: Slutdatum måste vara efter startdatum.</a>' in page


def test_the_service_refuses_the_dates_and_the_share_by_field(draft, users):
    with pytest.raises(ValidationError) as exc:
        s.application_update(
            application=draft,
            acting_user=users["applicant"],
            start_date=dt.date(2027, 6, 1),
            end_date=dt.date(2027, 5, 31),
            repayment_share=Decimal("150"),
        )
    assert exc.value.message_dict == {
        "end_date": [str(END_BEFORE_START)],
        "repayment_share": [str(SHARE_OUT_OF_RANGE)],
    }


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"start_date": "2027-06-01", "end_date": "2027-01-01"}, "end_date", END_BEFORE_START),
        ({"repayment_share": "150"}, "repayment_share", SHARE_OUT_OF_RANGE),
        ({"repayment_share": "-1"}, "repayment_share", SHARE_OUT_OF_RANGE),
    ],
)
def test_the_api_refuses_them_with_a_400_naming_the_field(draft, users, body, field, message):
    client = client_for(users["applicant"], "en")
    response = client.patch(
        f"/api/applications/{draft.pk}", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 400
    assert str(message) in json.dumps(response.json(), ensure_ascii=False)
    assert field in json.dumps(response.json())
    draft.refresh_from_db()
    assert (draft.end_date, draft.repayment_share) == (None, None)


# --- Sections, task list, check your answers, confirmation ----------------------------------


def test_the_task_list_shows_each_sections_state(draft, users, applicant):
    states = {t["section"].key: t["state"] for t in task_list(draft)}
    # The title is given when the application is started: "about" is begun, the rest is not.
    assert states["about"] == State.IN_PROGRESS
    assert {k for k, v in states.items() if v == State.NOT_STARTED} == {
        "need",
        "intervention",
        "evidence",
        "budget",
        "indicators",
        "plans",
        "repayment",
        "case",
    }
    applicant.post(f"/applications/{draft.pk}/edit/about/", about())
    applicant.post(f"/applications/{draft.pk}/edit/need/", {"problem": "Många placeringar."})
    draft.refresh_from_db()
    assert section_state(draft, BY_KEY["about"]) == State.DONE
    assert section_state(draft, BY_KEY["need"]) == State.IN_PROGRESS
    page = text(applicant.get(f"/applications/{draft.pk}/edit/"))
    assert re.search(r'data-section="about" data-state="done">.*?>Klar</strong>', page, re.S)
    assert re.search(
        r'data-section="need" data-state="in-progress">.*?>Påbörjad</strong>', page, re.S
    )
    assert re.search(
        r'data-section="budget" data-state="not-started">.*?>Ej påbörjad</strong>', page, re.S
    )


def test_a_share_of_savings_is_done_only_with_its_share(draft, applicant):
    url = f"/applications/{draft.pk}/edit/repayment/"
    applicant.post(url, {"repayment_model": "savings_share"})
    draft.refresh_from_db()
    assert section_state(draft, BY_KEY["repayment"]) == State.IN_PROGRESS
    applicant.post(url, {"repayment_model": "savings_share", "repayment_share": "40"})
    draft.refresh_from_db()
    assert section_state(draft, BY_KEY["repayment"]) == State.DONE


def test_save_and_continue_goes_to_the_next_section(draft, applicant):
    response = applicant.post(f"/applications/{draft.pk}/edit/about/", about(**{"continue": "1"}))
    assert response["Location"] == f"/applications/{draft.pk}/edit/need/"
    response = applicant.post(f"/applications/{draft.pk}/edit/repayment/", {"continue": "1"})
    assert response["Location"] == f"/applications/{draft.pk}/case/"  # the case is the last part
    response = applicant.post(f"/applications/{draft.pk}/edit/need/", {"save": "1"})
    assert response["Location"] == f"/applications/{draft.pk}/edit/"


def test_the_units_are_checkboxes_not_a_multiple_select(draft, applicant, unit_b):
    page = text(applicant.get(f"/applications/{draft.pk}/edit/about/"))
    assert f'type="checkbox" name="units" value="{unit_b.pk}"' in page
    assert '<select name="units"' not in page and "multiple" not in page


def test_add_a_row_without_javascript_saves_and_comes_back_with_one_more_empty_row(
    draft, applicant
):
    url = f"/applications/{draft.pk}/edit/budget/"
    page = applicant.get(url)
    assert len(page.context["budget"].forms) == 1  # no rows yet: one empty row
    data = {
        "budget-TOTAL_FORMS": "1",
        "budget-INITIAL_FORMS": "0",
        "budget-0-year": "2027",
        "budget-0-description": "Familjebehandlare",
        "budget-0-requested": "1 000 000",
        "budget_blank": "1",
        "add_row": "budget",
    }
    response = applicant.post(url, data)
    assert response["Location"] == f"{url}?budget_rows=2#budget-table"
    assert draft.budget_lines.get().requested == 1 * MSEK
    again = applicant.get(f"{url}?budget_rows=2")
    forms = again.context["budget"].forms
    assert len(forms) == 3  # the saved row and two empty ones
    assert "Spara för att få fler tomma rader" not in text(again)
    assert 'data-add-row="budget"' in text(again) and "Lägg till rad" in text(again)


def _complete(draft, users):
    return s.application_update(
        application=draft,
        acting_user=users["applicant"],
        summary="Stöd till familjer.",
        start_date=dt.date(2027, 1, 1),
        end_date=dt.date(2027, 12, 31),
        followup_plan="Kvartalsvis.",
        evaluation_plan="Kontrollgrupp.",
        repayment_model="savings_share",
        repayment_share=Decimal("40"),
        budget=[{"year": 2027, "description": "Familjebehandlare", "requested": 3 * MSEK}],
    )


def test_check_your_answers_then_submit_then_the_confirmation(draft, users, applicant):
    _complete(draft, users)
    page = text(applicant.get(f"/applications/{draft.pk}/check/"))
    assert "Kontrollera dina svar innan du skickar ansökan" in page
    assert "Stöd till familjer." in page and "3 000 000 kr" in page and "40 %" in page
    assert f'href="/applications/{draft.pk}/edit/about/#id_summary">Ändra' in page
    assert f'href="/applications/{draft.pk}/edit/budget/">Ändra' in page
    assert draft.versions.count() == 0  # looking at the answers submits nothing
    response = applicant.post(f"/applications/{draft.pk}/submit/")
    assert response["Location"] == f"/applications/{draft.pk}/submitted/"
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED and draft.versions.count() == 1
    confirmation = text(applicant.get(response["Location"]))
    assert "Ansökan är skickad" in confirmation and draft.reference in confirmation
    assert "Vad händer nu" in confirmation


def test_a_submission_a_rule_blocks_stays_on_the_check_page_with_links_to_the_fix(
    draft, users, applicant
):
    s.application_update(application=draft, acting_user=users["applicant"], summary="Kort.")
    response = applicant.post(f"/applications/{draft.pk}/submit/")
    assert response.status_code == 200
    page = text(response)
    assert 'class="error-summary" role="alert"' in page
    assert f'href="/applications/{draft.pk}/edit/plans/#id_followup_plan"' in page
    assert f'href="/applications/{draft.pk}/edit/budget/#id_budget-0-requested"' in page
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and draft.summary == "Kort."


def test_the_confirmation_of_a_draft_is_the_application(draft, applicant):
    response = applicant.get(f"/applications/{draft.pk}/submitted/")
    assert response["Location"] == f"/applications/{draft.pk}/"


def test_an_unknown_section_is_a_404(draft, applicant):
    assert applicant.get(f"/applications/{draft.pk}/edit/nothing/").status_code == 404


# --- The decision: what it rests on, and the confirmation with the amount in words -----------


@pytest.fixture
def recommended(draft, users):
    a = _complete(draft, users)
    a = s.application_submit(application=a, acting_user=users["applicant"])
    a = s.application_send_to_review(
        application=a, reviewers=[users["council"]], acting_user=users["coordinator"]
    )
    s.review_submit(
        application=a,
        acting_user=users["council"],
        evidence_strength=4,
        evaluation_quality=2,
        case_realism=5,
        recommendation="approve",
        comments="Stark evidens.",
    )
    return s.application_recommend(
        application=a,
        recommend=True,
        proposal="Samordnaren föreslår bifall.",
        acting_user=users["coordinator"],
    )


DECISION = {
    "outcome": "approve",
    "amount": "2 500 000",
    "minute_ref": "KSAU § 88/2026",
    "decided_on": "2026-03-01",
}


def test_the_decision_page_shows_the_proposal_the_reviews_and_the_money(recommended, users):
    page = text(client_for(users["decision_maker"]).get(f"/applications/{recommended.pk}/decide/"))
    assert "Samordnaren föreslår bifall." in page and "Stark evidens." in page
    assert "4 – god" in page and "2 – svag" in page and "5 – mycket god" in page
    # 10 000 000 kr in the fund, 3 000 000 kr asked: 7 000 000 kr left after granting it.
    assert '<dd data-basis="available-now">10 000 000 kr</dd>' in page
    assert '<dd data-basis="available-after">7 000 000 kr' in page
    assert "Fortsätt till bekräftelse" in page and ">Spara<" not in page


def test_approval_is_confirmed_with_the_amount_in_words_before_money_is_committed(
    recommended, users, funded
):
    client = client_for(users["decision_maker"])
    url = f"/applications/{recommended.pk}/decide/"
    confirm = client.post(url, DECISION)
    assert confirm.status_code == 200
    page = text(confirm)
    assert "Bevilja 2 500 000 kr (två miljoner femhundratusen kronor)" in page
    assert "Bevilja och reservera pengar" in page
    assert '<dd data-basis="available-after">7 500 000 kr' in page
    assert fund_balances(fund=funded).committed == 0 and not hasattr(recommended, "decision")
    # "Change the decision" brings the form back as filled in, still nothing committed.
    back = client.post(url, {**DECISION, "change": "1"})
    assert 'value="2 500 000"' in text(back) and not back.context["form"].errors
    assert fund_balances(fund=funded).committed == 0
    done = client.post(url, {**DECISION, "confirmed": "yes"})
    assert done["Location"] == f"/applications/{recommended.pk}/"
    assert fund_balances(fund=funded).committed == 250 * MSEK // 100
    assert LedgerEntry.objects.filter(kind="commitment").count() == 1


def test_an_amount_the_service_would_refuse_is_refused_before_the_confirmation(
    recommended, users, funded
):
    response = client_for(users["decision_maker"]).post(
        f"/applications/{recommended.pk}/decide/", {**DECISION, "amount": "3 000 001"}
    )
    assert response.status_code == 200
    assert "Bevilja och reservera pengar" not in text(response)
    assert "Beloppet överstiger det sökta beloppet (3 000 000 kr)." in text(response)
    assert fund_balances(fund=funded).committed == 0


def test_a_rejection_is_confirmed_too_and_commits_nothing(recommended, users, funded):
    client = client_for(users["decision_maker"])
    url = f"/applications/{recommended.pk}/decide/"
    rejection = {**DECISION, "outcome": "reject", "reason": "Svag utvärdering."}
    page = text(client.post(url, rejection))
    assert "Avslå ansökan?" in page and "Bevilja" not in page.split("<main")[1].split("basis")[0]
    client.post(url, {**rejection, "confirmed": "yes"})
    recommended.refresh_from_db()
    assert recommended.status == Status.REJECTED
    assert fund_balances(fund=funded).committed == 0


def test_the_proposal_page_shows_the_reviews_and_its_button_says_what_it_does(recommended, users):
    a = Application.objects.get(pk=recommended.pk)
    a.status = Status.IN_REVIEW  # the proposal is made while in review
    a.save(update_fields=["status"])
    page = text(client_for(users["coordinator"]).get(f"/applications/{a.pk}/recommend/"))
    assert "Stark evidens." in page and "2 – svag" in page
    assert "Skicka förslaget till beslutsfattaren" in page


def test_the_review_form_explains_the_scores_in_words(recommended, users):
    a = Application.objects.get(pk=recommended.pk)
    a.status = Status.IN_REVIEW
    a.save(update_fields=["status"])
    response = client_for(users["council"]).get(f"/applications/{a.pk}/review/")
    page = text(response)
    assert 'type="radio" name="evidence_strength" value="1"' in page
    assert "1 – mycket svag" in page and "3 – godtagbar" in page and "5 – mycket god" in page
    assert "Skicka bedömningen" in page


def test_send_to_the_council_says_so(draft, users):
    _complete(draft, users)
    s.application_submit(application=draft, acting_user=users["applicant"])
    page = text(client_for(users["coordinator"]).get(f"/applications/{draft.pk}/send-to-review/"))
    assert "Skicka till rådet" in page and ">Spara<" not in page


def test_english_pages_spell_the_amount_in_english(recommended, users):
    with translation.override("en"):
        page = text(
            client_for(users["decision_maker"], "en").post(
                f"/applications/{recommended.pk}/decide/", DECISION
            )
        )
    assert "two million five hundred thousand kronor" in page
    assert "Approve and reserve the money" in page


def test_the_application_and_its_memo_show_the_scores_in_words(recommended, users):
    coordinator = client_for(users["coordinator"])
    page = text(coordinator.get(f"/applications/{recommended.pk}/"))
    assert "<td>4 – god</td><td>2 – svag</td><td>5 – mycket god</td>" in page
    memo = text(coordinator.get(f"/applications/{recommended.pk}/memo/"))
    assert "<td>4 – god</td>" in memo and "<td>2 – svag</td>" in memo
