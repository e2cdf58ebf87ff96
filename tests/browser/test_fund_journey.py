"""The coordinator's journey in a real browser: log in, open the fund, deposit money, and see the
balances and the chart follow."""

import json
import re

import pytest
from playwright.sync_api import Page, expect

from sifra.funds.models import LedgerEntry
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def kronor(text: str) -> re.Pattern[str]:
    """'12 500 000 kr' as the page writes it: any kind of space (Swedish formats use no-break
    spaces) between the digit groups."""
    return re.compile(r"^\s*" + r"\s".join(re.escape(part) for part in text.split()) + r"\s*$")


def chart_points(page: Page) -> int:
    """The points vega-embed drew in the fund chart (one per series and posting day)."""
    chart = page.locator("#fund-chart")
    expect(chart).to_have_attribute("data-rendered", "true")
    expect(chart.locator("svg").first).to_be_visible()
    return chart.locator("svg .mark-symbol path").count()


def chart_rows(page: Page) -> list[dict]:
    spec = json.loads(page.locator("#fund-chart-spec").text_content() or "{}")
    return spec["datasets"][spec["data"]["name"]]


def test_coordinator_deposits_and_sees_the_fund_and_chart_update(
    page: Page, live_server, coordinator, funded, project
):
    login(page, live_server, coordinator)

    page.goto(f"{live_server.url}/funds/")
    page.locator("main").get_by_role("link", name=funded.name).click()
    expect(page).to_have_url(re.compile(rf"/funds/{funded.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(funded.name)
    expect(page.locator("[data-balance=capital]")).to_have_text(kronor("10 000 000 kr"))
    expect(page.locator("[data-balance=available]")).to_have_text(kronor("10 000 000 kr"))
    points_before = chart_points(page)
    assert points_before >= 2, "the chart should draw capital and available for the deposit"
    assert {r["kronor"] for r in chart_rows(page)} == {10_000_000}

    page.locator(f"main a[href='/funds/{funded.pk}/ledger/new/']").click()
    expect(page).to_have_url(re.compile(rf"/funds/{funded.pk}/ledger/new/$"))
    form = page.locator("main form[method=post]")
    form.locator("select[name=kind]").select_option("deposit")
    form.locator("input[name=amount]").fill("2 500 000")
    expect(form.locator("input[name=date]")).not_to_have_value("")
    form.locator("input[name=text]").fill("Årligt tillskott")
    form.locator("input[name=decision_ref]").fill("KF § 12/2026")
    form.locator("button[type=submit]").click()

    expect(page).to_have_url(re.compile(rf"/funds/{funded.pk}/$"))
    expect(page.locator(".messages")).to_be_visible()
    expect(page.locator("[data-balance=capital]")).to_have_text(kronor("12 500 000 kr"))
    expect(page.locator("[data-balance=available]")).to_have_text(kronor("12 500 000 kr"))
    expect(page.locator("[data-balance=committed]")).to_have_text(kronor("0 kr"))
    expect(page.locator("#ledger tbody tr")).to_have_count(2)
    expect(page.locator("#ledger tbody")).to_contain_text("Årligt tillskott")

    # The chart is drawn again from a specification that holds the new total, with the new day's
    # points (capital and available) added.
    assert chart_points(page) == points_before + 2
    totals = {(r["date"], r["kronor"]) for r in chart_rows(page)}
    assert any(kr == 12_500_000 for _date, kr in totals), totals

    entry = LedgerEntry.objects.get(fund=funded, number=2)
    assert (entry.kind, entry.amount, entry.posted_by) == ("deposit", 250_000_000, coordinator)


def test_a_bad_amount_shows_a_field_error_and_posts_nothing(
    page: Page, live_server, coordinator, funded
):
    login(page, live_server, coordinator)
    page.goto(f"{live_server.url}/funds/{funded.pk}/ledger/new/")
    form = page.locator("main form[method=post]")
    form.locator("select[name=kind]").select_option("deposit")
    form.locator("input[name=amount]").fill("abc")
    form.locator("input[name=text]").fill("Felskrivet")
    form.locator("button[type=submit]").click()

    expect(page).to_have_url(re.compile(rf"/funds/{funded.pk}/ledger/new/$"))
    amount = page.locator("main form input[name=amount]")
    expect(amount).to_have_value("abc")
    expect(amount).to_have_attribute("aria-invalid", "true")
    error = page.locator("main form #id_amount_error")
    expect(error).to_be_visible()
    expect(error).not_to_be_empty()
    expect(page.locator("main form .error")).to_have_count(1)
    assert LedgerEntry.objects.filter(fund=funded).count() == 1

    page.goto(f"{live_server.url}/funds/{funded.pk}/")
    expect(page.locator("[data-balance=capital]")).to_have_text(kronor("10 000 000 kr"))
