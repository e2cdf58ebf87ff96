"""The public page /oppen-data/ and a project's public page: no login, only published grants,
what the public may see and nothing about people."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from sifra.opendata.services import publication_withdraw
from tests.opendata.conftest import SUMMARY


@pytest.fixture
def anonymous():
    return Client(headers={"accept-language": "sv"})


@pytest.fixture
def followed(published, coordinator, users):
    """The published project with an indicator, an evaluation by a named evaluator, and a
    fixed repayment of 400 000 kr of which 250 000 kr is repaid and 50 000 kr written off."""
    from sifra.evaluation.services import evaluation_record
    from sifra.followup.services import indicator_add
    from sifra.repayment.models import Claim
    from sifra.repayment.services import agreement_set, claim_pay

    project = published.project
    indicator_add(
        project=project,
        acting_user=coordinator,
        name="Placeringar i familjehem",
        unit="barn",
        baseline=Decimal("24"),
        baseline_year=2025,
        target=Decimal("19.5"),
    )
    evaluation_record(
        project=project,
        method="rct",
        effect="0.18",
        ci_low="0.05",
        ci_high="0.31",
        evaluator="Docent Eva Utvärderarsson",
        acting_user=coordinator,
    )
    agreement_set(
        project=project,
        model="fixed",
        acting_user=users["economist"],
        shares=[(project.lead_unit, Decimal(100))],
        instalments=[(2026, 40_000_000)],
    )
    claim = Claim.objects.get(project=project)
    claim_pay(claim=claim, amount=25_000_000, kind="repayment", acting_user=users["economist"])
    claim_pay(
        claim=claim,
        amount=5_000_000,
        kind="write_off",
        reason="Avskrivet enligt beslut.",
        acting_user=users["economist"],
    )
    return published


def test_anyone_sees_the_published_project(anonymous, followed):
    response = anonymous.get("/oppen-data/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "En social investeringsfond är pengar som kommunen avsätter" in page
    assert "Tidigt stöd" in page and SUMMARY in page
    assert "3\xa0000\xa0000 kr" in page  # granted
    assert "250\xa0000 kr" in page  # repaid: the write-off is no repayment
    assert "Socialnämnden" in page
    assert "2026-01-01 – 2026-12-31" in page
    assert "Placeringar i familjehem" in page and "19,5" in page and "24" in page
    assert "Randomiserad" in page or "randomiserad" in page
    assert "18,0 %" in page and "5,0 %" in page and "31,0 %" in page
    fund = followed.project.fund
    assert f'href="/api/open-data/funds/{fund.pk}/360giving"' in page
    assert f'href="/api/open-data/funds/{fund.pk}/360giving?format=csv"' in page


def test_nothing_about_people_is_shown(anonymous, followed, users):
    """The evaluator's name, the coordinator who published and the economist are people."""
    texts = [
        anonymous.get("/oppen-data/").content.decode(),
        anonymous.get(f"/oppen-data/projekt/{followed.project_id}/").content.decode(),
        anonymous.get(
            f"/api/open-data/funds/{followed.project.fund_id}/360giving"
        ).content.decode(),
        anonymous.get("/api/open-data/projects").content.decode(),
    ]
    for text in texts:
        assert "Utvärderarsson" not in text
        for user in users.values():
            assert f">{user.username}<" not in text and f'"{user.username}"' not in text


def test_the_page_is_in_english_with_the_language_switch(anonymous, followed):
    anonymous.post("/i18n/setlang/", {"language": "en", "next": "/oppen-data/"})
    page = anonymous.get("/oppen-data/").content.decode()
    assert "A social investment fund is money that the municipality sets aside" in page
    assert "Open data: the social investment fund" in page
    assert "SEK 3,000,000" in page


def test_the_project_page_of_a_published_grant(anonymous, followed):
    response = anonymous.get(f"/oppen-data/projekt/{followed.project_id}/")
    assert response.status_code == 200
    assert "<h1>Tidigt stöd</h1>" in response.content.decode()


def test_an_unpublished_project_appears_nowhere(anonymous, published, other_project, project):
    """P-1 and P-2 are not published: neither on the page nor by address."""
    page = anonymous.get("/oppen-data/").content.decode()
    assert "Fallprevention" not in page and "P-2" not in page
    for p in (project, other_project):
        assert anonymous.get(f"/oppen-data/projekt/{p.pk}/").status_code == 404


def test_a_withdrawn_project_leaves_the_page(anonymous, published, coordinator):
    publication_withdraw(project=published.project, acting_user=coordinator)
    page = anonymous.get("/oppen-data/").content.decode()
    assert SUMMARY not in page and "Tidigt stöd" not in page
    assert "Inget är publicerat ännu." in page
    assert anonymous.get(f"/oppen-data/projekt/{published.project_id}/").status_code == 404


def test_the_page_loads_nothing_from_elsewhere(anonymous, published):
    response = anonymous.get("/oppen-data/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "unsafe-inline" not in csp
    page = response.content.decode()
    for attribute in ('src="http', "src='http", 'href="http', "<script>", "style="):
        assert attribute not in page


# --- The coordinator's page -------------------------------------------------------------------


def _client(user):
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def test_the_coordinator_publishes_and_withdraws_from_the_page(granted, coordinator):
    client = _client(coordinator)
    url = f"/oppen-data/publicering/{granted.pk}/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"summary": SUMMARY})
    assert response.status_code == 302
    granted.publication.refresh_from_db()
    assert granted.publication.is_public
    assert "Open data (published)" in client.get(f"/projects/{granted.pk}/").content.decode()
    response = client.post(f"/oppen-data/publicering/{granted.pk}/dra-tillbaka/")
    assert response.status_code == 302
    granted.publication.refresh_from_db()
    assert not granted.publication.is_public


def test_the_page_shows_why_a_personal_number_blocks(granted, coordinator):
    response = _client(coordinator).post(
        f"/oppen-data/publicering/{granted.pk}/", {"summary": "Barnet 811218-9876 fick stöd."}
    )
    assert response.status_code == 200
    assert "holds a personal identity number (811218-9876)" in response.content.decode()
    assert not hasattr(type(granted).objects.get(pk=granted.pk), "publication")


@pytest.mark.parametrize("role", ["applicant", "council", "decision_maker", "economist", "auditor"])
def test_others_may_not_use_the_coordinators_page(granted, users, role):
    client = _client(users[role])
    assert client.get(f"/oppen-data/publicering/{granted.pk}/").status_code == 403
    assert (
        client.post(f"/oppen-data/publicering/{granted.pk}/", {"summary": "x"}).status_code == 403
    )


def test_anonymous_is_sent_to_log_in(granted):
    response = Client().get(f"/oppen-data/publicering/{granted.pk}/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_dates_are_the_decisions(published):
    from sifra.opendata.selectors import public_projects

    (shown,) = public_projects()
    assert shown.facts.award_date == dt.date(2026, 1, 20)
    assert shown.facts.amount_awarded == 300_000_000
