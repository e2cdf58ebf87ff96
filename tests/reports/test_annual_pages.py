"""The annual report's pages: the figures the page shows, who may see them, the downloads with
Swedish file names, and the links from the fund page and the fiscal-year closing."""

import re

import pytest
from django.test import Client

from tests.reports.helpers import Workbook


def _client(user, language="sv"):
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    return client


def _cell(html: str, attribute: str) -> str:
    match = re.search(rf"{attribute}[^>]*>([^<]*)<", html)
    assert match, attribute
    return match.group(1).replace("\u00a0", " ")


def test_the_page_shows_the_year_s_figures(small_fund, users):
    html = _client(users["auditor"]).get(f"/reports/funds/{small_fund.pk}/annual/2024/").content
    page = html.decode()
    assert "Årsrapport 2024" in page
    assert _cell(page, 'data-closing="capital"') == "9 600 000,50 kr"
    assert _cell(page, 'data-closing="committed"') == "2 250 000,00 kr"
    assert _cell(page, 'data-closing="available"') == "7 350 000,50 kr"
    assert _cell(page, 'data-closing="claims"') == "150 000,00 kr"
    assert _cell(page, 'data-total="claims"') == "150 000 kr"
    assert "KSAU § 9/2024" in page and "KSAU § 7/2024" in page
    assert 'id="annual-chart-spec"' in page  # the chart's spec for vega-embed
    assert "<script>" not in page  # CSP: no inline script


def test_the_page_in_english(small_fund, users):
    page = _client(users["auditor"], "en").get(f"/reports/funds/{small_fund.pk}/annual/2024/")
    assert "Annual report 2024" in page.content.decode()
    assert _cell(page.content.decode(), 'data-closing="capital"') == "SEK 9,600,000.50"


@pytest.mark.parametrize("role", ["coordinator", "decision_maker", "economist", "auditor"])
@pytest.mark.parametrize("suffix", ["", "2024/", "2024.pdf", "2024.xlsx"])
def test_readers_get_every_page(small_fund, users, role, suffix):
    if suffix.endswith(".pdf") and role != "auditor":
        suffix = "2023.xlsx"  # one PDF is enough; it takes a second
    response = _client(users[role]).get(f"/reports/funds/{small_fund.pk}/annual/{suffix}")
    assert response.status_code == 200


@pytest.mark.parametrize("role", ["applicant", "outsider", "council"])
@pytest.mark.parametrize("suffix", ["", "2024/", "2024.pdf", "2024.xlsx"])
def test_others_are_refused(small_fund, users, role, suffix):
    response = _client(users[role]).get(f"/reports/funds/{small_fund.pk}/annual/{suffix}")
    assert response.status_code == 403


def test_anonymous_goes_to_login(small_fund):
    response = Client().get(f"/reports/funds/{small_fund.pk}/annual/2024/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.parametrize("year", ["2022", "2999"])
def test_a_year_the_fund_does_not_have_is_not_found(small_fund, users, year):
    response = _client(users["auditor"]).get(f"/reports/funds/{small_fund.pk}/annual/{year}/")
    assert response.status_code == 404


def test_downloads_have_swedish_names(small_fund, users):
    client = _client(users["auditor"], "en")
    pdf = client.get(f"/reports/funds/{small_fund.pk}/annual/2024.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert 'filename="arsrapport-social-investeringsfond-2024.pdf"' in pdf["Content-Disposition"]
    xlsx = client.get(f"/reports/funds/{small_fund.pk}/annual/2024.xlsx")
    assert 'filename="arsrapport-social-investeringsfond-2024.xlsx"' in xlsx["Content-Disposition"]
    assert Workbook(xlsx.content).cells("Balances")["C4"][0] == 9_600_000.50


def test_the_index_lists_every_year_with_its_state(small_fund, users):
    page = _client(users["economist"]).get(f"/reports/funds/{small_fund.pk}/annual/")
    html = page.content.decode()
    for year in (2023, 2024, 2025):
        assert f'href="/reports/funds/{small_fund.pk}/annual/{year}/"' in html
    assert "KF § 41/2025" in html


def test_the_fund_page_links_to_the_reports(small_fund, users):
    html = _client(users["decision_maker"]).get(f"/funds/{small_fund.pk}/").content.decode()
    assert f'href="/reports/funds/{small_fund.pk}/annual/2024/"' in html
    assert f'href="/reports/funds/{small_fund.pk}/annual/"' in html
    applicant = _client(users["applicant"]).get(f"/funds/{small_fund.pk}/").content.decode()
    assert "/reports/" not in applicant


def test_the_closing_pages_link_to_the_report(small_fund, users):
    client = _client(users["coordinator"])
    form = client.get(f"/funds/{small_fund.pk}/closings/new/").content.decode()
    assert f'href="/reports/funds/{small_fund.pk}/annual/"' in form
    confirm = client.post(
        f"/funds/{small_fund.pk}/closings/new/",
        {"year": 2025, "decided_on": "2026-04-15", "decision_ref": "KF § 42/2026"},
    )
    assert f'href="/reports/funds/{small_fund.pk}/annual/2025/"' in confirm.content.decode()
