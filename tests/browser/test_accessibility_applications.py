"""axe-core on the application pages, each as the person who uses it: the draft's form with a
budget row, the application with the council's reviews (coordinator), the step pages (sending
to review, the review, the decision), the decision memo, the notifications and the fund's
rules. No serious or critical violations."""

import tomllib
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from sifra.applications import services
from sifra.applications.models import Application
from tests.browser.conftest import login
from tests.browser.test_accessibility import assert_accessible
from tests.conftest import MSEK

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "norrkoping-barn.toml"


def _draft(fund, unit_a, unit_b, users) -> Application:
    applicant = users["applicant"]
    application = services.application_create(
        fund=fund, title="Tidigt stöd till barn", lead_unit=unit_a, acting_user=applicant
    )
    services.application_update(
        application=application,
        acting_user=applicant,
        units=[unit_b],
        summary="Tidigt stöd till barn och familjer.",
        followup_plan="Ekonomerna följer placeringskostnaderna kvartalsvis.",
        evaluation_plan="Jämförelse med en matchad grupp.",
        budget=[
            {
                "year": 2026,
                "description": "Familjebehandlare",
                "payer_unit_id": unit_a.pk,
                "payer_partner_id": None,
                "requested": 3 * MSEK,
                "own_contribution": 1 * MSEK,
            }
        ],
    )
    case = tomllib.loads(EXAMPLE.read_text("utf-8"))
    services.application_case_set(application=application, case=case, acting_user=applicant)
    return Application.objects.get(pk=application.pk)


@pytest.fixture
def draft(funded, unit_a, unit_b, users) -> Application:
    return _draft(funded, unit_a, unit_b, users)


@pytest.fixture
def in_review(draft, users) -> Application:
    """Submitted and sent to the council member, who has reviewed it."""
    services.application_submit(application=draft, acting_user=users["applicant"])
    services.application_send_to_review(
        application=draft, reviewers=[users["council"]], acting_user=users["coordinator"]
    )
    services.review_submit(
        application=draft,
        acting_user=users["council"],
        evidence_strength=4,
        evaluation_quality=3,
        case_realism=4,
        recommendation="conditions",
        conditions="Delrapport efter ett år.",
        comments="Väl underbyggd insats.",
    )
    return Application.objects.get(pk=draft.pk)


@pytest.fixture
def recommended(in_review, users) -> Application:
    services.application_recommend(
        application=in_review,
        recommend=True,
        proposal="Bifall med villkor.",
        acting_user=users["coordinator"],
    )
    return Application.objects.get(pk=in_review.pk)


def _open(page: Page, live_server, user, url: str) -> None:
    login(page, live_server, user)
    response = page.goto(url)
    assert response is not None and response.status == 200, (url, response and response.status)


def test_edit_form_with_a_budget_row(page: Page, live_server, draft, users):
    _open(page, live_server, users["applicant"], f"/applications/{draft.pk}/edit/budget/")
    expect(page.locator("[name=budget-0-description]")).to_have_value("Familjebehandlare")
    expect(page.locator("#checklist")).to_be_visible()
    assert_accessible(page)
    # With a row added in place and the autosave's status message shown.
    page.get_by_role("button", name="Lägg till rad").first.click()
    page.locator("#application-form [name=budget-1-description]").fill("Utbildning")
    page.locator("#application-form [name=budget-1-year]").fill("2027")
    expect(page.locator('#autosave-status [data-autosave="saved"]')).to_be_visible()
    assert_accessible(page)


def test_the_task_list_and_a_text_section(page: Page, live_server, draft, users):
    _open(page, live_server, users["applicant"], f"/applications/{draft.pk}/edit/")
    expect(page.locator("#task-list li")).to_have_count(9)
    assert_accessible(page)
    page.goto(f"/applications/{draft.pk}/edit/about/")
    expect(page.locator("#application-form input[name=units]").first).to_be_visible()
    assert_accessible(page)


def test_check_your_answers(page: Page, live_server, draft, users):
    _open(page, live_server, users["applicant"], f"/applications/{draft.pk}/check/")
    assert_accessible(page)


def test_edit_form_with_errors(page: Page, live_server, draft, users):
    _open(page, live_server, users["applicant"], f"/applications/{draft.pk}/edit/budget/")
    page.locator("[name=budget-0-requested]").fill("abc")
    page.locator("#application-form button[name=save]").click()
    expect(page.locator("#application-form .error-summary")).to_be_focused()
    expect(page.locator("#application-form .error").first).to_be_visible()
    assert_accessible(page)


def test_the_decision_confirmation(page: Page, live_server, recommended, users):
    _open(page, live_server, users["decision_maker"], f"/applications/{recommended.pk}/decide/")
    assert_accessible(page)
    form = page.locator("main form[method=post]")
    form.locator("input[name=outcome][value=approve]").check()
    form.locator("input[name=minute_ref]").fill("KSAU § 1/2026")
    form.locator("button[type=submit]").click()
    expect(page.locator("[data-amount-words]")).to_be_visible()
    assert_accessible(page)


def test_detail_with_reviews_as_coordinator(page: Page, live_server, recommended, users):
    _open(page, live_server, users["coordinator"], f"/applications/{recommended.pk}/")
    expect(page.locator("#reviews-heading")).to_be_visible()
    assert_accessible(page)


def test_send_to_review_page(page: Page, live_server, draft, users):
    services.application_submit(application=draft, acting_user=users["applicant"])
    _open(page, live_server, users["coordinator"], f"/applications/{draft.pk}/send-to-review/")
    expect(page.locator("input[name=reviewers]")).to_have_count(1)
    assert_accessible(page)


def test_review_form_as_council_member(page: Page, live_server, draft, users):
    services.application_submit(application=draft, acting_user=users["applicant"])
    services.application_send_to_review(
        application=draft, reviewers=[users["council"]], acting_user=users["coordinator"]
    )
    _open(page, live_server, users["council"], f"/applications/{draft.pk}/review/")
    expect(page.locator("select[name=recommendation]")).to_be_visible()
    assert_accessible(page)
    # And with the errors of an empty review.
    page.locator("main form[method=post] button[type=submit]").click()
    expect(page.locator("main form .error").first).to_be_visible()
    assert_accessible(page)


def test_recommend_page(page: Page, live_server, in_review, users):
    _open(page, live_server, users["coordinator"], f"/applications/{in_review.pk}/recommend/")
    expect(page.locator("input[name=recommend]")).to_have_count(2)
    assert_accessible(page)


def test_decision_form_as_decision_maker(page: Page, live_server, recommended, users):
    _open(page, live_server, users["decision_maker"], f"/applications/{recommended.pk}/decide/")
    expect(page.locator("input[name=outcome]")).to_have_count(2)
    assert_accessible(page)
    # And with errors: an amount above what was asked.
    form = page.locator("main form[method=post]")
    form.locator("input[name=outcome][value=approve]").check()
    form.locator("input[name=amount]").fill("9 000 000")
    form.locator("button[type=submit]").click()
    expect(page.locator("main form .error").first).to_be_visible()
    assert_accessible(page)


def test_decision_memo(page: Page, live_server, recommended, users):
    _open(page, live_server, users["coordinator"], f"/applications/{recommended.pk}/memo/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)


def test_notifications_page(page: Page, live_server, recommended, users):
    _open(page, live_server, users["coordinator"], "/notifications/")
    expect(page.locator("main .notification-list li").first).to_be_visible()
    assert_accessible(page)


def test_fund_rules_page(page: Page, live_server, funded, users):
    _open(page, live_server, users["coordinator"], f"/applications/rules/{funded.pk}/")
    expect(page.locator("main form[method=post]")).to_be_visible()
    assert_accessible(page)
