"""The engine's results as the case page and the decision memo show them: payback as the last
crossing, the Monte Carlo's payback median and the NPV's percentiles (DOMAIN.md)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from sifra.applications.services import application_case_set, application_create


def flows_case(flows):
    """A case whose yearly net is exactly `flows` (a negative cost is a gain)."""
    return {
        "case": {"title": "F", "start_year": 2026, "horizon": len(flows), "discount_rate": 0.0},
        "actors": [{"id": "soc", "name": "Socialnämnden", "sector": "kommun"}],
        "costs": [{"name": "Insats", "actor": "soc", "amounts": [-f for f in flows]}],
    }


def client_for(user, language="en") -> Client:
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    return client


@pytest.fixture
def make_application(fund, unit_a, users):
    def make(case):
        applicant = users["applicant"]
        application = application_create(
            fund=fund, title="Tidigt stöd", lead_unit=unit_a, acting_user=applicant
        )
        application_case_set(application=application, case=case, acting_user=applicant)
        return application

    return make


def card(html: str, name: str) -> str:
    found = re.search(rf'data-result="{name}">([^<]*)<', html)
    assert found, f"no {name} on the page"
    return found.group(1)


def test_the_case_page_shows_the_last_crossing_after_an_empty_year_0(make_application, users):
    application = make_application(flows_case([0, -100_000, 60_000, 60_000]))
    page = client_for(users["applicant"]).get(reverse("applications:case", args=[application.pk]))
    assert card(page.content.decode(), "payback") == "3.7 years"


def test_a_dip_after_a_first_crossing_is_not_paid_back(make_application, users):
    application = make_application(flows_case([-100, 150, -200, 50]))
    client = client_for(users["applicant"])
    page = client.get(reverse("applications:case", args=[application.pk])).content.decode()
    assert card(page, "payback") == "not within the horizon"
    memo = client.get(reverse("applications:memo", args=[application.pk])).content.decode()
    assert card(memo, "payback") == "not within the horizon"


def test_the_memo_shows_the_last_crossing(make_application, users):
    application = make_application(flows_case([0, -100_000, 60_000, 60_000]))
    memo = client_for(users["applicant"], "sv").get(
        reverse("applications:memo", args=[application.pk])
    )
    assert card(memo.content.decode(), "payback") == "3,7"


def uniform_effect_case(cost):
    """10 participants, an effect uniform on [0, 1] worth 1 000 kr a year for five years,
    against `cost` in year 0: NPV = 5 000 × effect − cost, paid back where that is ≥ 0."""
    return {
        "case": {"title": "U", "start_year": 2026, "horizon": 5, "discount_rate": 0.0},
        "actors": [{"id": "soc", "name": "Socialnämnden", "sector": "kommun"}],
        "costs": [{"name": "Insats", "actor": "soc", "amounts": [cost]}],
        "participants": {"entering": [10]},
        "outcomes": [
            {
                "name": "Placering undviks",
                "effect": {"dist": "uniform", "low": 0, "high": 1},
                "duration": 5,
                "unit_costs": {"soc": 100},
            }
        ],
    }


SV_NOT_IN_HALF = "återbetalas inte inom horisonten i minst hälften av fallen"


def test_the_case_page_has_no_payback_median_where_few_pay_back(make_application, users):
    # 9 % of the draws pay back: the median of those alone would say about 4,8 years
    application = make_application(uniform_effect_case(4_550))
    url = reverse("applications:case", args=[application.pk])
    english = client_for(users["applicant"]).get(url).content.decode()
    assert card(english, "payback-median") == (
        "not paid back within the horizon in at least half of the draws"
    )
    swedish = client_for(users["applicant"], "sv").get(url).content.decode()
    assert card(swedish, "payback-median") == SV_NOT_IN_HALF
    assert re.search(r"i [89] % av dragningarna", swedish)


def test_the_case_page_shows_the_median_over_all_draws_and_p10_p90(make_application, users):
    application = make_application(uniform_effect_case(1_500))
    url = reverse("applications:case", args=[application.pk])
    page = client_for(users["applicant"]).get(url).content.decode()
    assert card(page, "payback-median") == "3.0 years"  # not 1.5 / 0.65 = 2.3
    # 5 000 × p − 1 500 at p = 0.1 and 0.9, within the sampling error of 5 000 draws
    low, high = re.fullmatch(r"(−?SEK [\d,−]+) to (SEK [\d,]+)", card(page, "npv-p10-p90")).groups()
    assert abs(kronor(low) - (-1_000)) < 100 and abs(kronor(high) - 3_000) < 100


def kronor(text: str) -> int:
    digits = text.replace("SEK", "").replace(",", "").replace(" ", "")
    return -int(digits.strip("−-")) if "−" in text or "-" in text else int(digits)


def test_the_memo_page_and_pdf_show_the_risk(make_application, users):
    application = make_application(uniform_effect_case(4_550))
    client = client_for(users["coordinator"], "sv")
    memo = client.get(reverse("applications:memo", args=[application.pk])).content.decode()
    assert card(memo, "payback-median") == SV_NOT_IN_HALF
    p10_p90 = card(memo, "npv-p10-p90")
    assert re.fullmatch(r"−4 \d{3} kr till −?\d{1,3} kr", p10_p90.replace("\xa0", " "))
    assert " till " in card(memo, "npv-p5-p95")
    pdf = client.get(reverse("applications:memo_pdf", args=[application.pk])).content
    text = " ".join(pdf_text(pdf).split())
    assert SV_NOT_IN_HALF in text
    assert "Nettonuvärde, 10:e och 90:e percentilen" in text
    assert " ".join(p10_p90.replace("\xa0", " ").split()) in text


def pdf_text(pdf: bytes) -> str:
    import io

    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
