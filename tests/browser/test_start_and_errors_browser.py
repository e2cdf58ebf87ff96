"""Issue 10 in a real browser: each role's start page is its work queue, "Att göra", with its
items; the 404 and 403 pages are the app's, in its layout, in Swedish; the audit trail reads as
an auditor reads. Each page also passes axe (no serious or critical violations)."""

import re

import pytest
from playwright.sync_api import Page, expect

from sifra.start.selectors import todo
from tests.browser.conftest import login
from tests.browser.test_accessibility import assert_accessible
from tests.start.world import grow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = ["coordinator", "council", "decision_maker", "economist", "applicant", "auditor"]


@pytest.fixture
def work(funded, unit_a, users):
    grow(2, fund=funded, unit=unit_a, users=users)
    return users


@pytest.mark.parametrize("role", ROLES)
def test_each_role_starts_at_its_work(page: Page, live_server, work, role):
    user = work[role]
    login(page, live_server, user)
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Att göra")
    groups = todo(user=user)
    assert groups
    for g in groups:
        section = page.locator(f"section#{g.key}")
        expect(section.get_by_role("heading", level=2)).to_contain_text(str(g.count))
        items = section.locator(".task-list-item")
        expect(items).to_have_count(len(g.items))
        first = g.items[0]
        expect(items.first.get_by_role("link", name=first.title)).to_have_attribute(
            "href", first.url
        )
        expect(items.first.locator(".task-hint")).to_have_text(first.reason)
        expect(items.first.locator(".tag")).to_be_visible()
    assert_accessible(page)


def test_an_item_leads_to_the_work(page: Page, live_server, work):
    """The applicant follows the report that is due to its project and starts writing it."""
    login(page, live_server, work["applicant"])
    page.goto(f"{live_server.url}/")
    page.locator("section#reports_due .task-list-item a").first.click()
    expect(page).to_have_url(re.compile(r"/followup/projects/\d+/$"))
    page.locator("main form[action$='/write/'] button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/followup/reports/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_the_404_page_is_in_the_layout(page: Page, live_server, users):
    login(page, live_server, users["economist"])
    response = page.goto(f"{live_server.url}/no-such-page/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Sidan finns inte")
    expect(page.locator("header.site-header nav")).to_be_visible()
    expect(page.get_by_text("Using the URLconf")).to_have_count(0)
    page.get_by_role("link", name="Gå till din startsida, Att göra").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Att göra")


def test_the_403_page_is_in_the_layout(page: Page, live_server, users, funded):
    login(page, live_server, users["economist"])
    response = page.goto(f"{live_server.url}/funds/{funded.pk}/ledger/1/reverse/")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Du har inte behörighet till den här sidan"
    )
    expect(page.locator("main")).to_contain_text("Du är inloggad som ekonom")
    expect(page.locator("header.site-header nav")).to_be_visible()
    assert_accessible(page)


def test_the_audit_trail_is_readable(page: Page, live_server, users, funded):
    from sifra.projects.services import project_create, project_update

    p = project_create(
        fund=funded,
        acting_user=users["coordinator"],
        code="P-9",
        title="Läxhjälp",
        lead_unit=users["applicant"].units.get(),
    )
    project_update(project=p, status="reporting", acting_user=users["coordinator"])
    login(page, live_server, users["auditor"])
    page.goto(f"{live_server.url}/audit/")
    table = page.locator("table#events")
    expect(page.locator("table#events > thead")).to_contain_text("Tid (Europe/Stockholm)")
    change = table.locator("tbody > tr", has_text="Projekt ändrat").first
    expect(change.locator("del")).to_have_text("aktiv")
    expect(change.locator("ins")).to_have_text("rapportering")
    deposit = table.locator("tbody > tr", has_text="Bokföringspost: nr 1").first
    expect(deposit).to_contain_text(re.compile(r"10\s000\s000 kr"))
    expect(deposit.get_by_role("link", name=re.compile("Bokföringspost"))).to_have_attribute(
        "href", f"/funds/{funded.pk}/"
    )
    times = table.locator("tbody > tr > td:first-child time").all_text_contents()
    assert times and all(re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", t) for t in times)
    expect(table).not_to_contain_text("funds.ledgerentry")
    assert_accessible(page)
