"""The decision memo: the page and the PDF, and who sees what in them."""

import datetime as dt
import io
import re
import tomllib
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext
from pypdf import PdfReader

from sifra.accounts.models import Unit
from sifra.applications import services
from sifra.applications.memo import chart_svg, memo_context
from sifra.core.charts import case_cumulative_chart
from sifra.core.templatetags.sifra import sek
from sifra.engine import calculate

CASE_FILE = Path(__file__).resolve().parents[2] / "examples" / "norrkoping-barn.toml"
REVIEW_COMMENT = "Stark evidens från randomiserade studier."
PROPOSAL = "Samordnaren föreslår att ansökan beviljas med 6 miljoner kronor."


def _case() -> dict:
    with CASE_FILE.open("rb") as f:
        return tomllib.load(f)


@pytest.fixture
def application(funded, org, unit_a, users):
    """The Norrköping children's case taken through review to the coordinator's proposal, with
    a school committee taking part (unit B, the outsider's, does not)."""
    applicant, coordinator = users["applicant"], users["coordinator"]
    school = Unit.objects.create(organisation=org, name="Utbildningsnämnden", kind="committee")
    app = services.application_create(
        fund=funded, title="Tidigt stöd till barn", lead_unit=unit_a, acting_user=applicant
    )
    services.application_update(
        application=app,
        acting_user=applicant,
        units=[school],
        summary="Tidigt stöd till familjer så att färre barn placeras.",
        problem="Många placeringar i familjehem.",
        target_group="Barn 0–12 år i familjer med behov av stöd.",
        intervention="Familjebehandlare i förskola och skola.",
        followup_plan="Placeringsdygn följs upp varje kvartal av ekonom.",
        evaluation_plan="Kvasiexperimentell jämförelse med matchad grupp.",
        evidence_level="quasi",
        repayment_model="savings_share",
        budget=[
            {
                "year": 2026,
                "description": "Familjebehandlare",
                "payer_unit": unit_a,
                "requested": 400_000_000,
                "own_contribution": 100_000_000,
            },
            {
                "year": 2027,
                "description": "Familjebehandlare",
                "payer_unit": unit_a,
                "requested": 200_000_000,
                "own_contribution": 100_000_000,
            },
            {
                "year": 2027,
                "description": "Skolans personal",
                "payer_unit": school,
                "requested": 0,
                "own_contribution": 50_000_000,
            },
        ],
    )
    services.application_case_set(application=app, case=_case(), acting_user=applicant)
    services.application_submit(application=app, acting_user=applicant)
    services.application_send_to_review(
        application=app, reviewers=[users["council"]], acting_user=coordinator
    )
    services.review_submit(
        application=app,
        acting_user=users["council"],
        evidence_strength=4,
        evaluation_quality=3,
        case_realism=4,
        recommendation="approve",
        comments=REVIEW_COMMENT,
    )
    services.application_recommend(
        application=app, recommend=True, proposal=PROPOSAL, acting_user=coordinator
    )
    app.refresh_from_db()
    return app


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _npv_text() -> str:
    """The NPV as the page writes it, e.g. '15 116 698 kr'."""
    return sek(calculate(_case())["npv"])


@pytest.mark.parametrize("role", ["coordinator", "decision_maker", "auditor", "council"])
def test_memo_shows_figures_and_reviews_to_those_who_weigh_them(application, users, role):
    response = _client(users[role]).get(reverse("applications:memo", args=[application.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert application.title in html
    assert _npv_text() in html
    assert "data-vega-spec" in html
    assert REVIEW_COMMENT in html
    assert PROPOSAL in html
    assert "Familjebehandlare" in html and "Socialnämnden" in html


def test_memo_hides_reviews_from_the_applicant(application, users):
    response = _client(users["applicant"]).get(reverse("applications:memo", args=[application.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert _npv_text() in html
    assert REVIEW_COMMENT not in html
    assert 'id="memo-reviews"' not in html
    assert PROPOSAL in html


def test_memo_budget_totals(application, users):
    context = memo_context(application=application, user=users["coordinator"])
    assert context["requested_total"] == 600_000_000
    assert context["own_total"] == 250_000_000
    assert [(y.year, y.requested, y.own) for y in context["budget_years"]] == [
        (2026, 400_000_000, 100_000_000),
        (2027, 200_000_000, 150_000_000),
    ]
    assert {p.payer: (p.requested, p.own) for p in context["budget_payers"]} == {
        "Socialnämnden": (600_000_000, 200_000_000),
        "Utbildningsnämnden": (0, 50_000_000),
    }
    assert context["actor_rows"][0][0] == "Socialnämnden"


def test_memo_shows_a_recorded_decision(application, users):
    services.decision_record(
        application=application,
        approve=True,
        minute_ref="KSAU § 42",
        decided_on=dt.date(2026, 3, 10),
        amount=500_000_000,
        acting_user=users["decision_maker"],
    )
    response = _client(users["applicant"]).get(reverse("applications:memo", args=[application.pk]))
    html = response.content.decode()
    assert 'id="memo-decision"' in html
    assert "KSAU § 42" in html and "2026-03-10" in html
    assert sek(5_000_000) in html


@pytest.mark.parametrize("name", ["applications:memo", "applications:memo_pdf"])
def test_memo_refused_to_outsiders(application, users, name):
    url = reverse(name, args=[application.pk])
    assert _client(users["outsider"]).get(url).status_code == 403
    assert _client(users["coordinator"]).get(reverse(name, args=[99999])).status_code == 404
    response = Client().get(url)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_memo_pdf(application, users, monkeypatch):
    import sifra.applications.memo_views as memo_views

    seen = {}
    original = memo_views.render_pdf

    def spy(html: str) -> bytes:
        seen["html"] = html
        return original(html)

    monkeypatch.setattr(memo_views, "render_pdf", spy)
    response = _client(users["decision_maker"]).get(
        reverse("applications:memo_pdf", args=[application.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert application.reference in response["Content-Disposition"]
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    assert "<svg" in seen["html"] and "data-vega-spec" not in seen["html"]
    assert not re.search(r"https?://(?!www\.w3\.org/)", seen["html"])  # nothing to fetch
    text = _pdf_text(pdf)
    flat = " ".join(text.split())
    assert application.title in flat
    assert gettext("Net present value") in flat
    assert REVIEW_COMMENT in flat
    assert gettext("Kronor") in flat  # the chart's axis title: the SVG was drawn


def test_memo_pdf_for_the_applicant_has_no_reviews(application, users):
    response = _client(users["applicant"]).get(
        reverse("applications:memo_pdf", args=[application.pk])
    )
    assert response.status_code == 200
    assert REVIEW_COMMENT not in " ".join(_pdf_text(response.content).split())


def test_chart_svg_uses_a_copy_with_a_fixed_width():
    spec = case_cumulative_chart(calculate(_case()))
    svg = chart_svg(spec)
    assert svg.startswith("<svg")
    assert spec["width"] == "container"
    assert chart_svg(None) == ""


def _pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
