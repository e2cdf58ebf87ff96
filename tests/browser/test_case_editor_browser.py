"""The investment case page in Chromium: the results follow what the applicant types (htmx,
without saving), the chart is redrawn, and axe finds nothing serious in the row editor, the
TOML editor or the read-only view."""

import tomllib
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from sifra.applications.models import Application, Status
from sifra.applications.services import application_case_set, application_create
from tests.browser.conftest import login
from tests.browser.test_accessibility import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _application(fund, unit_a, users, example: str) -> Application:
    application = application_create(
        fund=fund, title="Tidigt stöd", lead_unit=unit_a, acting_user=users["applicant"]
    )
    case = tomllib.loads((EXAMPLES / example).read_text("utf-8"))
    application_case_set(application=application, case=case, acting_user=users["applicant"])
    return application


def test_results_follow_the_rows_as_one_types(page: Page, live_server, fund, unit_a, users):
    application = _application(fund, unit_a, users, "norrkoping-barn.toml")
    login(page, live_server, users["applicant"])
    page.goto(f"/applications/{application.pk}/case/")
    expect(page.locator("#case-chart")).to_have_attribute("data-rendered", "true")
    assert_accessible(page)

    page.locator("#id_outcomes-0-effect").fill("10 / 20 / 30")
    expect(page.locator("[data-result=p-positive]")).to_be_visible()
    expect(page.locator("#case-chart")).to_have_attribute("data-rendered", "true")

    page.locator("#id_outcomes-0-effect").fill("170")
    expect(page.locator("#case-results [role=alert]")).to_contain_text("100")
    assert Application.objects.get(pk=application.pk).case["outcomes"][0]["effect"] == 0.2

    page.goto(f"/applications/{application.pk}/case/?mode=toml")
    expect(page.locator("textarea[name=text]")).to_contain_text("[[outcomes]]")
    assert_accessible(page)


def test_the_read_only_view(page: Page, live_server, fund, unit_a, users):
    application = _application(fund, unit_a, users, "fallprevention.toml")
    Application.objects.filter(pk=application.pk).update(status=Status.SUBMITTED)
    login(page, live_server, users["auditor"])
    page.goto(f"/applications/{application.pk}/case/")
    expect(page.locator("[data-result=p-positive]")).to_be_visible()
    expect(page.locator("#case-form")).to_have_count(0)
    assert_accessible(page)


def test_a_heavy_monte_carlo_runs_in_the_background_with_a_progress_bar(
    page: Page, live_server, fund, unit_a, users
):
    from sifra.calculations.models import Calculation
    from sifra.calculations.services import calculation_run
    from tests.engine.test_limits import heavy

    application = application_create(
        fund=fund, title="Stor kalkyl", lead_unit=unit_a, acting_user=users["applicant"]
    )
    application_case_set(
        application=application, case=heavy(horizon=40, outcomes=8), acting_user=users["applicant"]
    )
    login(page, live_server, users["applicant"])
    page.goto(f"/applications/{application.pk}/case/")
    expect(page.locator("[data-result=p-positive]")).to_have_count(0)  # the base case only
    page.locator("button[value=montecarlo]").click()
    expect(page.locator(".calculation-progress progress")).to_be_visible()
    assert_accessible(page)
    calculation_run(calculation_id=str(Calculation.objects.get().pk))  # what db_worker does
    # htmx polls the fragment every second until the result replaces the progress bar
    expect(page.locator("[data-result=background-montecarlo]")).to_contain_text("90 %")
    expect(page.locator(".calculation-progress progress")).to_have_count(0)
