"""Issue 10 in Chromium: the error summary at the top with the focus on it and links to the
fields; "Add a row" in place; the task list and check-your-answers flow; no banner that claims
unsaved changes on a later visit; the decision confirmed with the amount in words before money
is committed."""

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from sifra.applications import services
from sifra.applications.models import Application, Status
from sifra.funds.models import LedgerEntry
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
MSEK = 100_000_000


@pytest.fixture
def draft(funded, unit_a, users) -> Application:
    return services.application_create(
        fund=funded, title="Fallprevention", lead_unit=unit_a, acting_user=users["applicant"]
    )


def focused_id(page: Page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def test_the_error_summary_is_at_the_top_has_the_focus_and_links_to_the_field(
    page: Page, live_server, draft, users
):
    login(page, live_server, users["applicant"])
    page.goto(f"/applications/{draft.pk}/edit/about/")
    form = page.locator("#application-form")
    form.locator("[name=start_date]").fill("2027-06-01")
    form.locator("[name=end_date]").fill("2027-01-01")
    form.locator("[name=summary]").fill("Hembesök hos äldre.")
    form.locator("button[name=save]").click()

    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_have_attribute("role", "alert")
    expect(summary.locator("h2")).to_have_text("Det finns ett problem")
    # The focus is on the summary, and the summary is the first thing in the form.
    expect(summary).to_be_focused()
    first_in_form = form.locator(
        ":scope > :not(input[type=hidden]):not(button.visually-hidden)"
    ).first
    expect(first_in_form).to_have_class(re.compile(r"\berror-summary\b"))
    assert summary.bounding_box()["y"] < form.locator("[name=end_date]").bounding_box()["y"]
    link = summary.locator("a[href='#id_end_date']")
    expect(link).to_have_text("Slutdatum: Slutdatum måste vara efter startdatum.")
    # The message beside the field, and the field tied to it for screen readers.
    expect(page.locator("#id_end_date_error")).to_contain_text(
        "Slutdatum måste vara efter startdatum."
    )
    expect(form.locator("[name=end_date]")).to_have_attribute(
        "aria-describedby", re.compile(r"id_end_date_error")
    )
    # Following the link moves the focus to the field.
    link.click()
    assert focused_id(page) == "id_end_date"
    # Nothing typed was lost.
    expect(form.locator("[name=summary]")).to_have_value("Hembesök hos äldre.")
    expect(form.locator("[name=end_date]")).to_have_value("2027-01-01")
    draft.refresh_from_db()
    assert draft.end_date is None


def test_the_error_summary_on_another_form_too(page: Page, live_server, project, users):
    """The same include on a form of another app: the follow-up schedule."""
    login(page, live_server, users["coordinator"])
    page.goto(f"/followup/projects/{project.pk}/")
    form = page.locator(f"form[action='/followup/projects/{project.pk}/schedule/']")
    form.locator("[name=every_months]").fill("30")
    form.locator("button[type=submit]").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    summary.locator("a[href='#id_every_months']").click()
    assert focused_id(page) == "id_every_months"


def test_add_a_row_adds_one_in_place_and_it_is_saved(page: Page, live_server, draft, users):
    login(page, live_server, users["applicant"])
    page.goto(f"/applications/{draft.pk}/edit/budget/")
    rows = page.locator("#budget-table tbody tr")
    expect(rows).to_have_count(1)
    page.get_by_role("button", name="Lägg till rad").first.click()
    expect(rows).to_have_count(2)
    assert focused_id(page) == "id_budget-1-year"
    form = page.locator("#application-form")
    for i, (item, amount) in enumerate([("Hembesök", "400 000"), ("Utbildning", "100 000")]):
        form.locator(f"[name=budget-{i}-year]").fill("2027")
        form.locator(f"[name=budget-{i}-description]").fill(item)
        form.locator(f"[name=budget-{i}-requested]").fill(amount)
    form.locator("button[name=save]").click()
    expect(page).to_have_url(re.compile(rf"/applications/{draft.pk}/edit/$"))
    assert sorted(draft.budget_lines.values_list("requested", flat=True)) == [
        100_000 * 100,
        400_000 * 100,
    ]


def test_no_banner_claims_lost_changes_on_a_later_visit(page: Page, live_server, draft, users):
    login(page, live_server, users["applicant"])
    page.goto(f"/applications/{draft.pk}/edit/about/")
    form = page.locator("#application-form")
    form.locator("[name=summary]").fill("Färre fall.")
    form.locator("button[name=save]").click()
    expect(page).to_have_url(re.compile(rf"/applications/{draft.pk}/edit/$"))
    for _visit in range(2):
        page.goto(f"/applications/{draft.pk}/edit/about/")
        expect(form.locator("[name=summary]")).to_have_value("Färre fall.")
        expect(page.locator("#restore-banner")).to_be_hidden()


def test_the_banner_offers_what_only_this_browser_holds(page: Page, live_server, draft, users):
    """Typed, then the server never got it (the autosave refused: an end date before the
    start): the next visit offers it back, because it really was not saved."""
    login(page, live_server, users["applicant"])
    page.goto(f"/applications/{draft.pk}/edit/about/")
    form = page.locator("#application-form")
    form.locator("[name=start_date]").fill("2027-06-01")
    with page.expect_response(
        lambda r: (
            r.request.method == "POST" and "end_date=2027-01-01" in (r.request.post_data or "")
        )
    ) as autosave:
        form.locator("[name=end_date]").fill("2027-01-01")
    assert 'data-autosave="invalid"' in autosave.value.text()
    expect(page.locator("#autosave-status")).to_contain_text("Slutdatum")
    page.goto(f"/applications/{draft.pk}/edit/about/")
    expect(page.locator("#restore-banner")).to_be_visible()
    page.locator("#restore-button").click()
    expect(form.locator("[name=end_date]")).to_have_value("2027-01-01")


def test_the_task_list_check_your_answers_and_the_confirmation(
    page: Page, live_server, draft, users
):
    services.application_update(
        application=draft,
        acting_user=users["applicant"],
        summary="Hembesök hos äldre.",
        start_date=dt.date(2027, 1, 1),
        end_date=dt.date(2027, 12, 31),
        followup_plan="Kvartalsvis.",
        evaluation_plan="Kontrollgrupp.",
        budget=[{"year": 2027, "description": "Hembesök", "requested": 2 * MSEK}],
    )
    login(page, live_server, users["applicant"])
    page.goto(f"/applications/{draft.pk}/")
    page.locator(f"main a[href='/applications/{draft.pk}/edit/']").click()
    tasks = page.locator("#task-list li")
    expect(tasks).to_have_count(9)
    about = page.locator("#task-list li[data-section=about]")
    expect(about.locator(".tag")).to_have_text("Klar")
    expect(page.locator("#task-list li[data-section=need] .tag")).to_have_text("Ej påbörjad")

    page.locator(f"main a[href='/applications/{draft.pk}/check/']").click()
    expect(page.locator("h1")).to_have_text("Kontrollera dina svar innan du skickar ansökan")
    about_list = page.locator("#check-about + dl")
    row = about_list.locator("div", has_text="Sammanfattning")
    expect(row.locator("dd").first).to_have_text("Hembesök hos äldre.")
    # "Ändra" goes back to the section, to the field.
    row.get_by_role("link", name=re.compile("^Ändra")).click()
    expect(page).to_have_url(re.compile(rf"/applications/{draft.pk}/edit/about/#id_summary$"))
    page.locator("#application-form [name=summary]").fill("Hembesök hos äldre över 75 år.")
    page.locator("#application-form button[name=continue]").last.click()
    expect(page).to_have_url(re.compile(rf"/applications/{draft.pk}/edit/need/$"))

    page.goto(f"/applications/{draft.pk}/check/")
    expect(page.locator("#check-about + dl")).to_contain_text("Hembesök hos äldre över 75 år.")
    page.get_by_role("button", name="Skicka ansökan").click()
    expect(page).to_have_url(re.compile(rf"/applications/{draft.pk}/submitted/$"))
    panel = page.locator(".panel-confirmation")
    expect(panel.locator("h1")).to_have_text("Ansökan är skickad")
    expect(panel).to_contain_text(draft.reference)
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED and draft.versions.count() == 1


def test_a_blocked_submission_shows_the_rules_in_the_summary(page: Page, live_server, draft, users):
    login(page, live_server, users["applicant"])
    page.goto(f"/applications/{draft.pk}/check/")
    page.get_by_role("button", name="Skicka ansökan").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    summary.locator(
        f"a[href='/applications/{draft.pk}/edit/budget/#id_budget-0-requested']"
    ).click()
    expect(page).to_have_url(re.compile(r"/edit/budget/#id_budget-0-requested$"))
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


@pytest.fixture
def recommended(draft, users) -> Application:
    services.application_update(
        application=draft,
        acting_user=users["applicant"],
        start_date=dt.date(2027, 1, 1),
        end_date=dt.date(2027, 12, 31),
        followup_plan="Kvartalsvis.",
        evaluation_plan="Kontrollgrupp.",
        budget=[{"year": 2027, "description": "Hembesök", "requested": 3 * MSEK}],
    )
    services.application_submit(application=draft, acting_user=users["applicant"])
    services.application_send_to_review(
        application=draft, reviewers=[users["council"]], acting_user=users["coordinator"]
    )
    services.review_submit(
        application=draft,
        acting_user=users["council"],
        evidence_strength=4,
        evaluation_quality=2,
        case_realism=3,
        recommendation="conditions",
        conditions="Jämförelsegrupp.",
    )
    return services.application_recommend(
        application=draft,
        recommend=True,
        proposal="Bifall med 2,5 miljoner kronor.",
        acting_user=users["coordinator"],
    )


def test_the_decision_shows_its_basis_and_asks_with_the_amount_in_words(
    page: Page, live_server, recommended, users, funded
):
    login(page, live_server, users["decision_maker"])
    page.goto(f"/applications/{recommended.pk}/decide/")
    basis = page.locator("section.decision-basis")
    expect(basis.locator("#basis-proposal")).to_have_text("Bifall med 2,5 miljoner kronor.")
    review = basis.locator("#basis-reviews li")
    expect(review).to_have_count(1)
    expect(review).to_contain_text("4 – god")
    expect(review).to_contain_text("2 – svag")
    expect(basis.locator("[data-basis=available-now]")).to_have_text(
        re.compile(r"^10\s000\s000 kr$")
    )
    form = page.locator("main form[method=post]")
    form.locator("input[name=outcome][value=approve]").check()
    form.locator("input[name=amount]").fill("2 500 000")
    form.locator("input[name=minute_ref]").fill("KSAU § 9/2026")
    form.get_by_role("button", name="Fortsätt till bekräftelse").click()

    words = page.locator("[data-amount-words]")
    expect(words).to_have_text(
        re.compile(r"^Bevilja 2\s500\s000 kr \(två miljoner femhundratusen kronor\)$")
    )
    expect(page.locator("[data-basis=available-after]")).to_contain_text(
        re.compile(r"7\s500\s000 kr")
    )
    commit = page.get_by_role("button", name="Bevilja och reservera pengar")
    expect(commit).to_be_visible()
    assert not LedgerEntry.objects.filter(kind="commitment").exists()
    # The words come before the button that commits.
    assert words.bounding_box()["y"] < commit.bounding_box()["y"]
    commit.click()
    expect(page).to_have_url(re.compile(rf"/applications/{recommended.pk}/$"))
    assert list(LedgerEntry.objects.filter(kind="commitment").values_list("amount", flat=True)) == [
        250 * MSEK // 100
    ]
