"""The README's screenshots, taken from the demo by the browser suite: three roles' start pages,
the application's task list and the fund page. Written to var/screenshots/ as test artefacts;
`SIFRA_SCREENSHOTS=docs/screenshots make test-browser` refreshes the README's copies."""

import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("SIFRA_SCREENSHOTS", "var/screenshots"))


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    assert path.stat().st_size > 10_000, f"{path} looks empty"


def test_the_readmes_screenshots(page: Page, live_server, db):
    from sifra.accounts.models import User
    from sifra.applications.models import Application, Status
    from sifra.funds.models import Fund

    call_command("demo_data", stdout=io.StringIO())
    page.set_viewport_size({"width": 1366, "height": 900})
    for username, name in [
        ("samordnare", "start-coordinator"),
        ("ekonom", "start-economist"),
        ("sokande", "start-applicant"),
    ]:
        page.context.clear_cookies()
        login(page, live_server, User.objects.get(username=username), password="demo")
        page.goto(f"{live_server.url}/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Att göra")
        expect(page.locator(".todo-group").first).to_be_visible()
        _shot(page, name)

    draft = Application.objects.filter(status=Status.DRAFT, created_by__username="sokande").first()
    draft = draft or Application.objects.filter(status=Status.DRAFT).first()
    assert draft is not None
    page.context.clear_cookies()
    login(page, live_server, User.objects.get(username="samordnare"), password="demo")
    page.goto(f"{live_server.url}/applications/{draft.pk}/edit/")
    expect(page.locator("main .status").first).to_be_visible()  # each part's state
    _shot(page, "application-task-list")

    fund = Fund.objects.order_by("pk").first()
    page.goto(f"{live_server.url}/funds/{fund.pk}/")
    expect(page.locator("[data-vega-spec] svg").first).to_be_visible()
    _shot(page, "fund")
