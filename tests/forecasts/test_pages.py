"""The forecast page: for the coordinator, decision maker, economist and auditor; the policy
form prefilled from the fund; both scenarios, the chance per year, the pace in words, the
realisation factor and the runs kept."""

import re

import pytest
from django.test import Client

from sifra.forecasts.models import ForecastRun
from sifra.forecasts.services import forecast_compute


def client_for(user) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


POLICY = {
    "years": 5,
    "iterations": 500,
    "seed": 3,
    "topup_kind": "fixed",
    "topup": "1 000 000",
    "new_grants": "500 000",
    "floor": "0",
    "repayment": "on",
}


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("coordinator", 200),
        ("decision_maker", 200),
        ("economist", 200),
        ("auditor", 200),
        ("applicant", 403),
        ("council", 403),
    ],
)
def test_who_sees_the_page(verified_half, users, role, status):
    response = client_for(users[role]).get(f"/forecasts/fund/{verified_half.fund_id}/")
    assert response.status_code == status


def test_the_fund_page_links_to_the_forecast_for_those_who_may_see_it(verified_half, users):
    url = f"/forecasts/fund/{verified_half.fund_id}/"
    page = client_for(users["auditor"]).get(f"/funds/{verified_half.fund_id}/").content.decode()
    assert url in page
    page = client_for(users["applicant"]).get(f"/funds/{verified_half.fund_id}/").content.decode()
    assert url not in page


def test_the_auditor_reads_but_cannot_run(verified_half, users):
    auditor = client_for(users["auditor"])
    page = auditor.get(f"/forecasts/fund/{verified_half.fund_id}/").content.decode()
    assert "Run the forecast" not in page
    response = auditor.post(f"/forecasts/fund/{verified_half.fund_id}/", POLICY)
    assert response.status_code == 403
    assert not ForecastRun.objects.exists()


def test_the_form_is_prefilled_from_the_fund(verified_half, users):
    from sifra.funds.models import Fund

    Fund.objects.filter(pk=verified_half.fund_id).update(annual_topup=2_500_000_00)
    page = client_for(users["economist"]).get(f"/forecasts/fund/{verified_half.fund_id}/")
    form = page.context["form"]
    assert form.initial["topup"] == 2_500_000_00
    assert form.initial["floor"] == 0
    assert "2 500 000" in page.content.decode()


def test_a_run_shows_progress_then_both_scenarios_and_the_pace(verified_half, users):
    economist = client_for(users["economist"])
    response = economist.post(f"/forecasts/fund/{verified_half.fund_id}/", POLICY)
    assert response.status_code == 302
    run = ForecastRun.objects.get()
    assert run.seed == 3 and run.policy["new_grants_ore"] == 500_000_00
    waiting = economist.get(response["Location"]).content.decode()
    assert "<progress" in waiting
    fragment = economist.get(f"/forecasts/{run.pk}/progress/", headers={"HX-Request": "true"})
    assert "HX-Refresh" not in fragment
    forecast_compute(run_id=str(run.pk))
    fragment = economist.get(f"/forecasts/{run.pk}/progress/", headers={"HX-Request": "true"})
    assert fragment["HX-Refresh"] == "true"
    page = economist.get(response["Location"]).content.decode()
    assert 'id="forecast-with"' in page and 'id="forecast-without"' in page
    pace = re.search(r'data-result="pace">([^<]*)<', page)
    assert pace and "The fund can grant about" in pace.group(1)
    assert "with 90 % probability" in pace.group(1)
    assert "5 400 000" in page or "5,400,000" in page  # the verified savings behind the factor
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(\d{4})</th>", page)
    assert rows == ["2026", "2027", "2028", "2029", "2030", "2031"]
    assert "ekonom" in page  # who ran it, in the list of runs


def test_a_bad_policy_names_the_field_on_the_form(verified_half, users):
    response = client_for(users["economist"]).post(
        f"/forecasts/fund/{verified_half.fund_id}/",
        {**POLICY, "topup_kind": "tax", "tax_share": "2", "tax_revenue": ""},
    )
    assert response.status_code == 200
    assert "tax_revenue" in response.context["form"].errors
    assert not ForecastRun.objects.exists()
