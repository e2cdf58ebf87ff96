"""The portfolio's charts in a real browser: the forecast against the verified savings, and the
payer × saver heatmap, drawn by vega-embed from the server's specifications (strict CSP)."""

import pytest
from playwright.sync_api import Page, expect

from sifra.portfolio.summaries import case_summaries_refresh
from tests.browser.conftest import login
from tests.portfolio.conftest import build_portfolio_fund

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_portfolio_and_the_matrix_draw_their_charts(
    page: Page, live_server, users, fund, unit_a, unit_b
):
    fund, _a, _b = build_portfolio_fund(fund, unit_a, unit_b, users)
    case_summaries_refresh(fund=fund)
    login(page, live_server, users["auditor"])
    page.goto(f"{live_server.url}/portfolio/{fund.pk}/")
    chart = page.locator("#realisation-chart")
    expect(chart).to_have_attribute("data-rendered", "true")
    assert chart.locator("svg .mark-rect path").count() == 4  # two years × two series
    expect(page.locator("#portfolio tbody tr")).to_have_count(2)
    page.goto(f"{live_server.url}/portfolio/{fund.pk}/payer-saver/")
    heatmap = page.locator("#matrix-chart")
    expect(heatmap).to_have_attribute("data-rendered", "true")
    assert heatmap.locator("svg .mark-rect path").count() >= 2  # two payers × one saver
