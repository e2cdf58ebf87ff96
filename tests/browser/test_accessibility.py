"""axe-core (the npm package's axe.min.js, as bundled by the PyPI package axe-playwright-python)
on the main pages, as the coordinator sees them: no serious or critical violations (WCAG 2.1 AA
and axe's best practices)."""

import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.browser.conftest import login
from tests.conftest import MSEK

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Axe()
AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
}
BLOCKING = {"serious", "critical"}


def assert_accessible(page: Page) -> None:
    """Run axe on the page as it is now; fail with each blocking rule, where and why."""
    # Pages with charts are checked with the chart drawn, since vega-embed adds SVG to the page.
    for chart in page.locator("[data-vega-spec]").all():
        expect(chart).to_have_attribute("data-rendered", "true")
    # Folded content (the chart's figures as a table) is checked unfolded.
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    violations = AXE.run(page, options=AXE_OPTIONS).response["violations"]
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    report = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} [{v['helpUrl']}]\n"
        + "\n".join(
            f"    at {' '.join(map(str, n['target']))}: {n.get('failureSummary', '')}".replace(
                "\n", " "
            )
            for n in v["nodes"]
        )
        for v in blocking
    )
    assert not blocking, f"axe found serious or critical violations on {page.url}:\n{report}"


@pytest.fixture
def world(coordinator, funded, project, other_project):
    """A fund with a deposit and a commitment to a project, and an API token: pages with rows."""
    from sifra.accounts.services import api_token_create
    from sifra.funds.services import ledger_entry_post

    ledger_entry_post(
        fund=funded,
        kind="commitment",
        amount=2 * MSEK,
        text="Beslut om medel",
        date=dt.date(2026, 2, 1),
        project=project,
        decision_ref="KS § 7/2026",
        acting_user=coordinator,
    )
    api_token_create(user=coordinator, name="Skript", acting_user=coordinator)
    return {"fund": funded, "project": project}


PAGES = {
    "start": "/",
    "funds": "/funds/",
    "fund": "/funds/{fund}/",
    "new-entry": "/funds/{fund}/ledger/new/",
    "close-year": "/funds/{fund}/closings/new/",
    "accounts": "/funds/{fund}/accounting/",
    "projects": "/projects/",
    "project": "/projects/{project}/",
    "calculator": "/calc/",
    "people": "/people/",
    "units": "/people/units/",
    "tokens": "/people/tokens/",
    "audit": "/audit/",
}


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_page_as_coordinator(page: Page, live_server, coordinator, world, path):
    login(page, live_server, coordinator)
    url = path.format(fund=world["fund"].pk, project=world["project"].pk)
    response = page.goto(f"{live_server.url}{url}")
    assert response is not None and response.status == 200, (url, response and response.status)
    assert_accessible(page)


@pytest.mark.parametrize("path", ["/login/", "/"], ids=["login", "start"])
def test_page_anonymous(page: Page, live_server, db, path):
    response = page.goto(f"{live_server.url}{path}")
    assert response is not None and response.status == 200
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)


def test_login_page_with_error(page: Page, live_server, coordinator):
    page.goto(f"{live_server.url}/login/")
    form = page.locator("main form")
    form.locator("input[name=username]").fill(coordinator.username)
    form.locator("input[name=password]").fill("wrong")
    form.locator("button[type=submit]").click()
    expect(page.locator("main .error-summary")).to_be_focused()
    assert_accessible(page)


def test_new_entry_form_with_errors(page: Page, live_server, coordinator, world):
    login(page, live_server, coordinator)
    page.goto(f"{live_server.url}/funds/{world['fund'].pk}/ledger/new/")
    form = page.locator("main form[method=post]")
    form.locator("input[name=amount]").fill("abc")
    form.locator("button[type=submit]").click()
    expect(page.locator("main form .error").first).to_be_visible()
    assert_accessible(page)


def test_account_mapping_with_errors(page: Page, live_server, coordinator, world):
    """The error summary at the top links each field the coordinator must correct."""
    login(page, live_server, coordinator)
    page.goto(f"{live_server.url}/funds/{world['fund'].pk}/accounting/")
    form = page.locator("main form[method=post]")
    form.locator("input[name=cash_number]").fill("2930")
    form.locator("button[type=submit]").click()
    summary = page.locator("main .error-summary")
    expect(summary).to_be_visible()
    summary.locator("a[href='#id_cash_number']").click()
    expect(page.locator("#id_cash_number")).to_be_focused()
    assert_accessible(page)


def test_calculator_result(page: Page, live_server, coordinator, db):
    """The example case in the textarea, calculated: result cards, tables and the chart."""
    login(page, live_server, coordinator)
    page.goto(f"{live_server.url}/calc/")
    form = page.locator("main form[method=post]")
    expect(form.locator("textarea[name=case]")).not_to_have_value("")
    form.locator("button[type=submit]").click()
    expect(page.locator("#calc-result")).to_be_visible()
    expect(page.locator("#calc-chart svg").first).to_be_visible()
    assert_accessible(page)
