"""The public open-data page in Chromium: no login, nothing loaded from elsewhere, axe passes,
and the language switch turns it English; the coordinator's publishing page passes axe too."""

import datetime as dt
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import login
from tests.browser.test_accessibility import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def published(funded, unit_a, unit_b, users, coordinator):
    """An approved application's project, with an indicator and an evaluation, published."""
    from sifra.evaluation.services import evaluation_record
    from sifra.followup.services import indicator_add
    from sifra.opendata.services import publication_create
    from sifra.projects.services import project_update
    from tests.factories import approved_case_project

    project = approved_case_project(funded, unit_a, users)
    project_update(project=project, acting_user=coordinator, units=[unit_b])
    indicator_add(
        project=project,
        acting_user=coordinator,
        name="Placeringar i familjehem",
        unit="barn",
        baseline=Decimal(24),
        baseline_year=2025,
        target=Decimal(19),
    )
    evaluation_record(
        project=project,
        method="quasi",
        effect="0.12",
        ci_low="0.02",
        ci_high="0.22",
        evaluator="Extern utvärderare",
        acting_user=coordinator,
    )
    publication_create(
        project=project, summary="Tidigt stöd till familjer med barn.", acting_user=coordinator
    )
    assert project.start_date == dt.date(2026, 1, 1)
    return project


def test_the_public_page_loads_only_from_itself_and_passes_axe(page: Page, live_server, published):
    origins: set[str] = set()
    page.on(
        "request", lambda r: origins.add(f"{urlsplit(r.url).scheme}://{urlsplit(r.url).netloc}")
    )
    response = page.goto(f"{live_server.url}/oppen-data/")
    assert response is not None and response.status == 200
    expect(page.get_by_role("heading", level=1)).to_contain_text("Öppna data")
    expect(page.get_by_role("heading", level=3, name="Tidigt stöd")).to_be_visible()
    expect(page.get_by_role("link", name="Social investeringsfond som CSV")).to_be_visible()
    assert_accessible(page)
    assert origins == {live_server.url}


def test_the_language_switch_gives_english(page: Page, live_server, published):
    page.goto(f"{live_server.url}/oppen-data/")
    page.locator("#lang-select").select_option("en")
    page.locator(".lang-form button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Open data")
    expect(page.locator("main")).to_contain_text("A social investment fund is money")
    assert_accessible(page)


def test_the_project_page_passes_axe(page: Page, live_server, published):
    response = page.goto(f"{live_server.url}/oppen-data/projekt/{published.pk}/")
    assert response is not None and response.status == 200
    assert_accessible(page)


def test_the_coordinators_page_passes_axe_with_an_error(
    page: Page, live_server, published, coordinator
):
    login(page, live_server, coordinator)
    page.goto(f"{live_server.url}/oppen-data/publicering/{published.pk}/")
    page.locator("textarea[name=summary]").fill("Barnet 811218-9876 fick stöd.")
    page.get_by_role("button", name="Spara sammanfattningen för allmänheten").click()
    expect(page.locator("main")).to_contain_text("innehåller ett personnummer")
    assert_accessible(page)
