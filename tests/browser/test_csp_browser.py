"""Under the strict Content-Security-Policy (no inline code, no eval) the pages still work in a
real browser: charts render through Vega's expression interpreter, htmx adds no inline style, and
the browser reports no violation."""

import pytest
from django.core.management import call_command
from playwright.sync_api import ConsoleMessage, Page, expect

from sifra.accounts.models import User
from sifra.applications.models import Application
from sifra.projects.models import Project
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(db):
    call_command("demo_data")


@pytest.fixture
def console(page: Page) -> list[str]:
    """Every console error, and any message about a policy the page broke."""
    messages: list[str] = []

    def keep(message: ConsoleMessage) -> None:
        text = message.text
        if message.type == "error" or "Content Security Policy" in text or "Policy" in text:
            messages.append(f"{message.type}: {text}")

    page.on("console", keep)
    return messages


def charts_drawn(page: Page) -> int:
    charts = page.locator("[data-vega-spec]")
    for i in range(charts.count()):
        expect(charts.nth(i)).to_have_attribute("data-rendered", "true")
        expect(charts.nth(i).locator("svg").first).to_be_visible()
    return charts.count()


def test_fund_and_follow_up_charts_render_without_csp_violations(
    page: Page, live_server, demo, console
):
    login(page, live_server, User.objects.get(username="samordnare"), "demo")
    response = page.goto(f"{live_server.url}/funds/")
    assert response and "unsafe" not in response.headers["content-security-policy"]
    page.locator("main table a").first.click()
    assert charts_drawn(page) >= 1
    project = Project.objects.filter(reports__isnull=False).distinct().first()
    assert project is not None
    page.goto(f"{live_server.url}/followup/projects/{project.pk}/")
    assert charts_drawn(page) >= 1
    assert console == []


def test_the_application_form_with_htmx_autosave_raises_no_violation(
    page: Page, live_server, demo, console
):
    applicant = User.objects.get(username="sokande")
    login(page, live_server, applicant, "demo")
    draft = Application.objects.get(status="draft")
    page.goto(f"{live_server.url}/applications/{draft.pk}/edit/need/")
    page.locator("#application-form textarea").first.fill("Familjer i området")
    expect(page.locator("#autosave-status")).not_to_be_empty()
    assert page.locator("head style").count() == 0  # htmx's indicator style stays out
    assert console == []


def test_the_api_docs_render_under_the_same_policy(page: Page, live_server, demo, console):
    """Swagger UI as django-ninja ships it loads its code from static files: no exception to
    the policy is needed."""
    login(page, live_server, User.objects.get(username="samordnare"), "demo")
    response = page.goto(f"{live_server.url}/api/docs")
    assert response and "unsafe" not in response.headers["content-security-policy"]
    expect(page.locator("#swagger-ui .opblock").first).to_be_visible()
    assert console == []
