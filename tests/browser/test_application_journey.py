"""An application's whole journey in Chromium, as the real users do it: the applicant drafts it
with a budget and an investment case and submits it; the coordinator sends it to the
scientific council; a council member reviews it; the coordinator proposes; the decision maker
approves; the ledger shows the commitment; the coordinator pays out and the ledger shows the
disbursement. And the draft's autosave."""

import re
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from playwright.sync_api import Page, Request, expect

from sifra.applications.models import Application, Review, Status
from sifra.funds.models import LedgerEntry
from tests.browser.conftest import login
from tests.conftest import MSEK

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "norrkoping-barn.toml"


def kronor(text: str) -> re.Pattern[str]:
    """'2 500 000 kr' or '2 500 000,00 kr' as the page writes it, with any kind of space."""
    parts = text.split()
    number, rest = parts[0], parts[1:]
    for part in rest[:-1]:
        number += r"\s" + re.escape(part)
    return re.compile(rf"^\s*−?{number}(,00)?\s{re.escape(rest[-1])}\s*$")


def posted(request: Request) -> dict[str, list[str]]:
    """The form fields of a POST as the server reads them."""
    return parse_qs(request.post_data or "") if request.method == "POST" else {}


def switch_user(page: Page, live_server, user) -> None:
    """Another person at another desk: no cookies, then the login form."""
    page.context.clear_cookies()
    login(page, live_server, user)


def status_of(page: Page, status: str) -> None:
    expect(page.locator(f"main .status.status-{status}")).to_be_visible()


def test_the_whole_journey_from_draft_to_disbursement(
    page: Page, live_server, funded, unit_a, unit_b, users
):
    applicant, coordinator = users["applicant"], users["coordinator"]
    council, decision_maker = users["council"], users["decision_maker"]

    # --- The applicant drafts the application. ---
    login(page, live_server, applicant)
    page.goto("/applications/")
    page.locator("main a[href$='/applications/new/']").first.click()
    form = page.locator("main form[method=post]")
    form.locator("[name=fund]").select_option(str(funded.pk))
    form.locator("[name=title]").fill("Tidigt stöd till barn")
    form.locator("[name=lead_unit]").select_option(str(unit_a.pk))
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/applications/\d+/edit/$"))
    pk = int(re.search(r"/applications/(\d+)/edit/", page.url).group(1))  # type: ignore[union-attr]
    application = Application.objects.get(pk=pk)
    assert (application.status, application.lead_unit, application.created_by) == (
        Status.DRAFT,
        unit_a,
        applicant,
    )

    # The task list: every section not started but "about", which has the title.
    tasks = page.locator("#task-list")
    expect(tasks.locator("li[data-section=about]")).to_have_attribute("data-state", "in-progress")
    expect(tasks.locator("li[data-section=budget] .tag")).to_have_text("Ej påbörjad")

    # --- About the project: dates, summary and the units, as checkboxes. ---
    tasks.locator("li[data-section=about] a").click()
    expect(page).to_have_url(re.compile(rf"/applications/{pk}/edit/about/$"))
    form = page.locator("#application-form")
    form.locator("[name=summary]").fill("Tidigt stöd till barn och familjer i riskzonen.")
    form.locator("[name=start_date]").fill("2026-09-01")
    form.locator("[name=end_date]").fill("2028-08-31")
    form.locator(f"input[name=units][value='{unit_b.pk}']").check()
    form.locator("button[name=save]").click()
    expect(page).to_have_url(re.compile(rf"/applications/{pk}/edit/$"))
    expect(tasks.locator("li[data-section=about] .tag")).to_have_text("Klar")

    # --- Follow-up and evaluation plans. ---
    tasks.locator("li[data-section=plans] a").click()
    form.locator("[name=followup_plan]").fill(
        "Ekonomerna följer kostnaderna för placeringar varje kvartal."
    )
    form.locator("[name=evaluation_plan]").fill(
        "Kvasiexperimentell utvärdering mot jämförelsegrupp."
    )
    form.locator("button[name=save]").click()
    # Done: the risks are asked for but not required.
    expect(tasks.locator("li[data-section=plans] .tag")).to_have_text("Klar")

    # --- The budget, saved as one types. ---
    tasks.locator("li[data-section=budget] a").click()
    form.locator("[name=budget-0-year]").fill("2026")
    form.locator("[name=budget-0-description]").fill("Familjebehandlare")
    form.locator("[name=budget-0-payer]").select_option(f"u{unit_a.pk}")
    form.locator("[name=budget-0-requested]").fill("3 000 000")
    with page.expect_response(
        lambda r: posted(r.request).get("budget-0-own_contribution") == ["1 000 000"]
    ) as autosave:
        form.locator("[name=budget-0-own_contribution]").fill("1 000 000")
    assert 'data-autosave="saved"' in autosave.value.text()
    # The draft saves itself as one writes: the live checklist has nothing blocking once the
    # server holds the budget and both plans; only the missing case warns (not blocking by
    # default).
    checklist = page.locator("#checklist")
    expect(checklist.locator(".check-block")).to_have_count(0)
    expect(checklist.locator(".check-warn")).to_have_count(1)
    expect(page.locator('#autosave-status [data-autosave="saved"]')).to_be_visible()
    # Open the page afresh before saving by hand: a budget row autosaved since the page was
    # loaded is dropped by the next save (test_an_autosaved_budget_row_survives_the_next_save).
    page.goto(f"/applications/{pk}/edit/budget/")
    expect(form.locator("[name=budget-0-requested]")).to_have_value(re.compile(r"^3\s000\s000$"))
    # Saved by the server, so no banner claims that changes were lost.
    expect(page.locator("#restore-banner")).to_be_hidden()
    form.locator("button[name=save]").click()

    expect(page).to_have_url(re.compile(rf"/applications/{pk}/edit/$"))
    expect(page.locator(".messages")).to_be_visible()
    expect(tasks.locator("li[data-section=budget] .tag")).to_have_text("Klar")
    expect(checklist.locator(".check-block")).to_have_count(0)
    expect(checklist.locator(".check-warn")).to_have_count(1)
    line = Application.objects.get(pk=pk).budget_lines.get()
    assert (line.year, line.requested, line.own_contribution, line.payer_unit) == (
        2026,
        3 * MSEK,
        1 * MSEK,
        unit_a,
    )
    assert list(Application.objects.get(pk=pk).units.all()) == [unit_b]

    # --- The investment case, as the engine's TOML file; the results follow as one types. ---
    tasks.locator("li[data-section=case] a").click()
    expect(page).to_have_url(re.compile(rf"/applications/{pk}/case/$"))
    page.locator("main a[href='?mode=toml']").click()
    case_form = page.locator("#case-form")
    case_form.locator("textarea[name=text]").fill(EXAMPLE.read_text("utf-8"))
    results = page.locator("#case-results")
    expect(results.locator("[data-result=payback]")).to_contain_text("1,5")
    expect(results.locator("[data-result=npv]")).to_contain_text(re.compile(r"\d"))
    expect(results.locator("[data-result=bcr]")).not_to_be_empty()
    expect(results.locator("table caption").first).to_be_visible()
    expect(page.locator("#case-chart")).to_have_attribute("data-rendered", "true")
    case_form.locator(".actions button[name=action][value=save]").click()
    expect(page).to_have_url(re.compile(rf"/applications/{pk}/case/\?mode=toml$"))
    expect(page.locator(".messages")).to_be_visible()
    expect(results.locator("[data-result=payback]")).to_contain_text("1,5")
    case = Application.objects.get(pk=pk).case
    assert case["case"]["title"] == "Tidigt stöd till 120 barn i Norrköping"
    assert case["outcomes"][0]["effect"] == 0.2

    # --- Checked and submitted from the task list, now with every rule met. ---
    page.goto(f"/applications/{pk}/edit/")
    expect(page.locator("#checklist .check-warn")).to_have_count(0)
    expect(page.locator("#checklist .check-block")).to_have_count(0)
    expect(tasks.locator("li[data-section=case] .tag")).to_have_text("Klar")
    page.locator(f"main a[href='/applications/{pk}/check/']").click()
    expect(page.locator("h1")).to_have_text("Kontrollera dina svar innan du skickar ansökan")
    expect(page.locator("main")).to_contain_text("Tidigt stöd till barn och familjer i riskzonen.")
    page.locator("main button", has_text="Skicka ansökan").click()
    expect(page).to_have_url(re.compile(rf"/applications/{pk}/submitted/$"))
    expect(page.locator(".panel-confirmation")).to_contain_text(application.reference)
    page.locator(f"main a[href='/applications/{pk}/']").click()
    status_of(page, "submitted")
    expect(page.locator("main a[href$='/edit/']")).to_have_count(0)
    expect(page.locator("#case-chart")).to_have_attribute("data-rendered", "true")
    assert Application.objects.get(pk=pk).versions.count() == 1

    # --- The coordinator sends it to the scientific council. ---
    switch_user(page, live_server, coordinator)
    page.goto(f"/applications/{pk}/")
    status_of(page, "submitted")
    page.locator("main a[href$='/send-to-review/']").click()
    step = page.locator("main form[method=post]")
    step.locator(f"input[name=reviewers][value='{council.pk}']").check()
    step.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/applications/{pk}/$"))
    status_of(page, "in_review")

    # --- The council member follows the notification and writes the review. ---
    switch_user(page, live_server, council)
    page.goto("/notifications/")
    page.locator("main .notification-list a").first.click()
    expect(page).to_have_url(re.compile(rf"/applications/{pk}/review/$"))
    step = page.locator("main form[method=post]")
    step.locator("input[name=evidence_strength][value='4']").check()
    step.locator("input[name=evaluation_quality][value='3']").check()
    step.locator("input[name=case_realism][value='4']").check()
    step.locator("select[name=recommendation]").select_option("approve")
    step.locator("[name=comments]").fill("Väl underbyggd insats; följ upp placeringarna.")
    step.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/applications/{pk}/$"))
    expect(page.locator(".messages")).to_be_visible()

    # --- The coordinator reads the review and proposes approval. ---
    switch_user(page, live_server, coordinator)
    page.goto(f"/applications/{pk}/")
    reviews = page.locator("section[aria-labelledby=reviews-heading] table tbody tr")
    expect(reviews).to_have_count(1)
    expect(reviews).to_contain_text("Väl underbyggd insats")
    page.locator("main a[href$='/recommend/']").click()
    step = page.locator("main form[method=post]")
    step.locator("input[name=recommend][value=yes]").check()
    step.locator("[name=proposal]").fill("Samordnaren föreslår bifall med 2,5 miljoner kronor.")
    step.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/applications/{pk}/$"))
    status_of(page, "recommended")

    # --- The decision maker approves 2 500 000 kr of the 3 000 000 asked. ---
    switch_user(page, live_server, decision_maker)
    page.goto(f"/applications/{pk}/")
    page.locator("main a[href$='/decide/']").click()
    step = page.locator("main form[method=post]")
    step.locator("input[name=outcome][value=approve]").check()
    amount = step.locator("input[name=amount]")
    expect(amount).to_have_value(re.compile(r"^3\s000\s000$"))
    amount.fill("2 500 000")
    step.locator("[name=conditions]").fill("Delrapport efter ett år.")
    step.locator("input[name=minute_ref]").fill("KSAU § 88/2026")
    expect(step.locator("input[name=decided_on]")).not_to_have_value("")
    step.locator("button[type=submit]").click()
    # The confirmation: the amount in words, and nothing committed until it is confirmed.
    words = page.locator("[data-amount-words]")
    expect(words).to_have_text(
        re.compile(r"Bevilja 2\s500\s000 kr \(två miljoner femhundratusen kronor\)")
    )
    assert not LedgerEntry.objects.filter(kind="commitment").exists()
    page.locator("main button[data-commit]").click()
    expect(page).to_have_url(re.compile(rf"/applications/{pk}/$"))
    status_of(page, "approved")
    decision = page.locator("section[aria-labelledby=decision-heading]")
    expect(decision).to_contain_text("KSAU § 88/2026")
    expect(decision).to_contain_text(re.compile(r"2\s500\s000\skr"))
    project = Application.objects.get(pk=pk).project
    assert project is not None
    expect(decision.locator(f"a[href='/projects/{project.pk}/']")).to_be_visible()

    # --- The fund's ledger shows the commitment. ---
    switch_user(page, live_server, coordinator)
    page.goto(f"/funds/{funded.pk}/")
    expect(page.locator("[data-balance=capital]")).to_have_text(kronor("10 000 000 kr"))
    expect(page.locator("[data-balance=committed]")).to_have_text(kronor("2 500 000 kr"))
    expect(page.locator("[data-balance=available]")).to_have_text(kronor("7 500 000 kr"))
    ledger = page.locator("#ledger tbody tr")
    expect(ledger).to_have_count(2)
    project_rows = ledger.filter(has=page.locator(f"a[href='/projects/{project.pk}/']"))
    expect(project_rows).to_have_count(1)
    expect(project_rows.locator("td").nth(3)).to_have_text(kronor("2 500 000 kr"))
    expect(project_rows).to_contain_text("KSAU § 88/2026")

    # --- The coordinator pays out 1 000 000 kr from the project's page. ---
    project_rows.locator(f"a[href='/projects/{project.pk}/']").click()
    expect(page).to_have_url(re.compile(rf"/projects/{project.pk}/$"))
    outstanding = page.locator("main .card .value").first
    expect(outstanding).to_have_text(kronor("2 500 000 kr"))
    page.locator("main a[href*='kind=disbursement']").click()
    expect(page).to_have_url(re.compile(rf"/funds/{funded.pk}/ledger/new/\?"))
    entry = page.locator("main form[method=post]")
    expect(entry.locator("select[name=kind]")).to_have_value("disbursement")
    expect(entry.locator("select[name=project]")).to_have_value(str(project.pk))
    entry.locator("input[name=amount]").fill("1 000 000")
    entry.locator("input[name=text]").fill("Första utbetalningen")
    entry.locator("input[name=decision_ref]").fill("KSAU § 88/2026")
    entry.locator("button[type=submit]").click()

    expect(page).to_have_url(re.compile(rf"/funds/{funded.pk}/$"))
    expect(page.locator(".messages")).to_be_visible()
    expect(ledger).to_have_count(3)
    expect(project_rows).to_have_count(2)
    payout = project_rows.filter(has_text="Första utbetalningen")
    expect(payout.locator("td").nth(3)).to_have_text(kronor("1 000 000 kr"))
    expect(page.locator("[data-balance=capital]")).to_have_text(kronor("9 000 000 kr"))
    expect(page.locator("[data-balance=committed]")).to_have_text(kronor("1 500 000 kr"))
    expect(page.locator("[data-balance=available]")).to_have_text(kronor("7 500 000 kr"))

    page.goto(f"/projects/{project.pk}/")
    expect(outstanding).to_have_text(kronor("1 500 000 kr"))
    expect(page.locator("main table tbody tr")).to_have_count(2)

    # --- And in the database. ---
    application = Application.objects.get(pk=pk)
    assert application.status == Status.APPROVED
    assert application.decision.amount == MSEK * 5 // 2
    assert application.decision.minute_ref == "KSAU § 88/2026"
    review = Review.objects.get(application=application)
    assert (review.reviewer, review.evidence_strength, review.recommendation) == (
        council,
        4,
        "approve",
    )
    assert review.submitted_at is not None
    entries = list(
        LedgerEntry.objects.filter(fund=funded, project=project)
        .order_by("number")
        .values_list("kind", "amount", "posted_by__username", "decision_ref")
    )
    assert entries == [
        ("commitment", MSEK * 5 // 2, decision_maker.username, "KSAU § 88/2026"),
        ("disbursement", 1 * MSEK, coordinator.username, "KSAU § 88/2026"),
    ]
    assert project.units.count() == 2


def test_the_draft_saves_itself_as_one_types(page: Page, live_server, fund, unit_a, users):
    from sifra.applications.services import application_create

    application = application_create(
        fund=fund, title="Fallprevention", lead_unit=unit_a, acting_user=users["applicant"]
    )
    login(page, live_server, users["applicant"])
    page.goto(f"/applications/{application.pk}/edit/about/")
    status = page.locator("#autosave-status")
    expect(status.locator("[data-autosave]")).to_have_count(0)
    text = "Färre fallolyckor bland äldre genom hembesök."
    page.locator("#application-form [name=summary]").press_sequentially(text)
    expect(status.locator('[data-autosave="saved"]')).to_be_visible()
    assert Application.objects.get(pk=application.pk).summary == text

    # Opened afresh (a reload could let Chromium restore what the fields held).
    page.goto(f"/applications/{application.pk}/edit/about/")
    expect(page.locator("#application-form [name=summary]")).to_have_value(text)
    # Saved on the server, so this browser holds nothing to restore.
    expect(page.locator("#restore-banner")).to_be_hidden()


def test_an_autosaved_budget_row_survives_the_next_save(
    page: Page, live_server, fund, unit_a, users
):
    """A budget row typed since the page was loaded, autosaved, then the Save button: the row
    must stay. (The values are set without key events and the autosave is fired once by hand,
    so that exactly one autosave saves the row before Save posts the same row again.)"""
    from sifra.applications.services import application_create

    application = application_create(
        fund=fund, title="Fallprevention", lead_unit=unit_a, acting_user=users["applicant"]
    )
    login(page, live_server, users["applicant"])
    page.goto(f"/applications/{application.pk}/edit/budget/")
    form = page.locator("#application-form")
    form.evaluate(
        """(f, row) => { for (const [name, value] of Object.entries(row)) {
               f.elements[name].value = value; } }""",
        {
            "budget-0-year": "2026",
            "budget-0-description": "Hembesök",
            "budget-0-requested": "500 000",
            "budget-0-own_contribution": "100 000",
        },
    )
    with page.expect_response(lambda r: r.request.method == "POST") as autosave:
        form.dispatch_event("change")
    assert 'data-autosave="saved"' in autosave.value.text()
    assert application.budget_lines.count() == 1

    form.locator("button[name=save]").click()
    expect(page.locator(".messages")).to_be_visible()
    assert application.budget_lines.count() == 1, "the autosaved budget row was deleted"
    page.goto(f"/applications/{application.pk}/edit/budget/")
    expect(form.locator("[name=budget-0-requested]")).to_have_value(re.compile(r"^500\s000$"))
