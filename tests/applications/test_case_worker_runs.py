"""A case whose Monte Carlo is too heavy for the page: the page answers at once with the base
case, and the simulation runs in the task worker with a progress bar that htmx polls."""

import pytest
from django.test import Client

from sifra.applications.case_text import case_toml
from sifra.applications.selectors import PAGE_ITERATIONS, case_needs_worker, case_result
from sifra.applications.services import application_create
from sifra.calculations import services
from sifra.calculations.models import Calculation
from sifra.engine import calculate
from tests.applications.test_case_editor import client_for, url
from tests.calculations.test_calculations import uncertain_case
from tests.engine.test_limits import VALID, heavy

HEAVY = heavy(horizon=40, outcomes=8)
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def application(fund, unit_a, users):
    return application_create(
        fund=fund, title="Tidigt stöd", lead_unit=unit_a, acting_user=users["applicant"]
    )


@pytest.fixture
def applicant(users):
    return client_for(users["applicant"])


def toml(case: dict) -> dict[str, str]:
    return {"mode": "toml", "text": case_toml(case)}


def test_the_heavy_case_needs_the_worker_and_the_contract_example_does_not():
    assert case_needs_worker(HEAVY) and not case_needs_worker(VALID)


def test_the_preview_of_a_heavy_case_shows_the_base_case_and_offers_the_run(application, applicant):
    response = applicant.post(url("case_preview", application), toml(HEAVY))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Chance that NPV is positive" not in html  # no Monte Carlo in the request
    assert "the figures above are the base case" in html
    assert 'form="case-form" name="action" value="montecarlo"' in html
    assert not Calculation.objects.exists()


def test_running_it_starts_a_calculation_with_a_polled_progress_bar(application, applicant, users):
    response = applicant.post(url("case", application), {**toml(HEAVY), "action": "montecarlo"})
    (calculation,) = Calculation.objects.all()
    assert (calculation.created_by, calculation.iterations, calculation.seed) == (
        users["applicant"],
        PAGE_ITERATIONS,
        0,
    )
    progress = f"/calculations/{calculation.pk}/"
    html = response.content.decode()
    assert f'hx-get="{progress}" hx-trigger="every 1s"' in html
    assert "<script>" not in html  # the page's CSP allows no inline scripts
    fragment = applicant.get(progress, headers={"HX-Request": "true"}).content.decode()
    assert '<progress id="progress-' in fragment and 'value="0"' in fragment
    assert "<html" not in fragment


def test_the_fragment_stops_polling_with_the_result_once_the_worker_is_done(
    application, applicant, users
):
    applicant.post(url("case", application), {**toml(HEAVY), "action": "montecarlo"})
    calculation = Calculation.objects.get()
    services.calculation_run(calculation_id=str(calculation.pk))
    progress = f"/calculations/{calculation.pk}/"
    fragment = applicant.get(progress, headers={"HX-Request": "true"}).content.decode()
    assert "hx-get" not in fragment and "in 90 % of the draws" in fragment
    assert client_for(users["outsider"]).get(progress).status_code == 404
    # the kept result is what the pages show for the case from now on, to anyone
    result = case_result(HEAVY)
    assert result == calculate(HEAVY, iterations=PAGE_ITERATIONS, seed=0)


def test_without_javascript_the_progress_page_reloads_itself_until_done(application, applicant):
    applicant.post(url("case", application), {**toml(HEAVY), "action": "montecarlo"})
    calculation = Calculation.objects.get()
    page = applicant.get(f"/calculations/{calculation.pk}/").content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page and "<html" in page
    services.calculation_run(calculation_id=str(calculation.pk))
    page = applicant.get(f"/calculations/{calculation.pk}/").content.decode()
    assert 'http-equiv="refresh"' not in page


def test_with_the_immediate_backend_the_page_shows_the_simulation_at_once(
    application, applicant, settings
):
    settings.TASKS = IMMEDIATE
    response = applicant.post(url("case", application), {**toml(HEAVY), "action": "montecarlo"})
    assert Calculation.objects.get().status == "done"
    assert "Chance that NPV is positive" in response.content.decode()


@pytest.mark.parametrize("stored", [HEAVY, uncertain_case()])
def test_stored_cases_never_run_a_heavy_simulation_in_the_request(db, stored):
    result = case_result(stored)
    assert (result["monte_carlo"] is None) == case_needs_worker(stored)
    assert result["npv"] == pytest.approx(calculate(stored, iterations=1)["npv"])


def test_the_api_shows_the_base_case_of_a_heavy_stored_case(application, users):
    application.case = HEAVY
    application.save(update_fields=["case"])
    client = Client()
    client.force_login(users["applicant"])
    body = client.get(f"/api/applications/{application.pk}/case").json()
    assert body["result"]["monte_carlo"] is None and body["result"]["npv"] is not None
