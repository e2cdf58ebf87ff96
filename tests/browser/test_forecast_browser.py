"""The demo fund's forecast page in a real browser: the demo keeps a forecast, so both fan
charts (with and without repayment) render under the strict CSP, the pace is said in Swedish,
axe finds nothing serious, and running a new forecast shows its progress until it is done."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from sifra.accounts.models import User
from sifra.forecasts.models import ForecastRun
from sifra.funds.models import Fund
from tests.browser.conftest import login
from tests.browser.test_accessibility import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(db):
    call_command("demo_data")


def test_the_demo_fund_shows_both_scenarios_and_a_sustainable_pace(page: Page, live_server, demo):
    messages: list[str] = []
    page.on("console", lambda m: messages.append(m.text) if m.type == "error" else None)
    login(page, live_server, User.objects.get(username="beslut"), "demo")
    fund = Fund.objects.order_by("pk").first()
    assert fund is not None
    page.goto(f"{live_server.url}/funds/{fund.pk}/")
    page.locator(f"main a[href='/forecasts/fund/{fund.pk}/']").click()
    for chart in ("#forecast-with", "#forecast-without"):
        expect(page.locator(chart)).to_have_attribute("data-rendered", "true")
        expect(page.locator(f"{chart} svg").first).to_be_visible()
    pace = page.locator("[data-result=pace]")
    expect(pace).to_have_text(
        re.compile(r"^Fonden kan bevilja cirka [\d,]+ mnkr per år och ändå med 90 % sannolikhet")
    )
    expect(page.locator("#forecast-table tbody tr")).to_have_count(16)
    expect(page.locator("#forecast-runs tbody tr")).to_have_count(1)
    assert_accessible(page)
    assert messages == []


def test_a_new_forecast_shows_its_progress_then_the_result(page: Page, live_server, demo):
    login(page, live_server, User.objects.get(username="ekonom"), "demo")
    fund = Fund.objects.order_by("pk").first()
    assert fund is not None
    page.goto(f"{live_server.url}/forecasts/fund/{fund.pk}/")
    form = page.locator("main form[method=post]")
    form.locator("input[name=years]").fill("5")
    form.locator("input[name=iterations]").fill("1000")
    form.locator("input[name=seed]").fill("11")
    form.locator("button[type=submit]").click()
    expect(page.locator("progress")).to_be_visible()
    run = ForecastRun.objects.get(seed=11)
    assert run.status == ForecastRun.Status.QUEUED
    from sifra.forecasts.services import forecast_compute

    forecast_compute(run_id=str(run.pk))  # the worker; htmx then reloads the page
    expect(page.locator("#forecast-with")).to_have_attribute("data-rendered", "true")
    expect(page.locator("#forecast-table tbody tr")).to_have_count(6)
    assert_accessible(page)
