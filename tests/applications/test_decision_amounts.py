"""Exact money in the decision (issue 8, item 9): an amount with öre applied for is shown, compared
and committed to the öre, in the service, the decision page, the API, the memo and its PDF."""

import datetime as dt
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from sifra.applications import services as s
from sifra.applications.models import Status
from sifra.core.money import AMOUNT_NOT_POSITIVE
from sifra.funds.models import LedgerEntry

ASKED = 300_000_050  # 3 000 000,50 kr
KR = 100


def nbsp(text):
    return text.replace("\xa0", " ").replace("\u202f", " ")


@pytest.fixture
def recommended(funded, unit_a, users):
    """An application asking for 3 000 000,50 kr, reviewed and proposed for approval."""
    a = s.application_create(
        fund=funded, title="Tidigt stöd", lead_unit=unit_a, acting_user=users["applicant"]
    )
    s.application_update(
        application=a,
        acting_user=users["applicant"],
        followup_plan="Ekonomen följer placeringskostnaderna varje kvartal.",
        evaluation_plan="Jämförelse med matchad kontrollgrupp.",
        start_date=dt.date(2027, 1, 1),
        end_date=dt.date(2027, 12, 31),
        budget=[{"year": 2027, "description": "Familjebehandlare", "requested": ASKED}],
    )
    a = s.application_submit(application=a, acting_user=users["applicant"])
    a = s.application_send_to_review(
        application=a, reviewers=[users["council"]], acting_user=users["coordinator"]
    )
    s.review_submit(
        application=a,
        acting_user=users["council"],
        evidence_strength=4,
        evaluation_quality=3,
        case_realism=4,
        recommendation="approve",
        comments="Stark evidens.",
    )
    return s.application_recommend(
        application=a, recommend=True, proposal="Bevilja.", acting_user=users["coordinator"]
    )


def decide(application, users, amount):
    return s.decision_record(
        application=application,
        approve=True,
        amount=amount,
        minute_ref="KSAU § 88/2026",
        decided_on=dt.date(2026, 3, 1),
        acting_user=users["decision_maker"],
    )


def commitments():
    return list(LedgerEntry.objects.filter(kind="commitment").values_list("amount", flat=True))


def test_one_ore_above_the_amount_applied_for_is_refused_with_the_exact_figure(recommended, users):
    with pytest.raises(ValidationError) as exc, translation.override("sv"):
        decide(recommended, users, 3_000_001 * KR)
    message = nbsp(exc.value.message_dict["amount"][0])
    assert message == "Beloppet överstiger det sökta beloppet (3 000 000,50 kr)."
    assert commitments() == []


def test_exactly_the_amount_applied_for_is_committed_to_the_ore(recommended, users):
    decision = decide(recommended, users, ASKED)
    assert decision.amount == ASKED and commitments() == [ASKED]


def test_the_available_money_is_compared_and_shown_to_the_ore(
    recommended, users, funded, project, coordinator
):
    from sifra.funds.services import ledger_entry_post

    ledger_entry_post(  # leaves 2 000 000,50 kr available
        fund=funded,
        kind="commitment",
        amount=8_000_000 * KR - 50,
        text="Annat projekt",
        project=project,
        acting_user=coordinator,
    )
    with pytest.raises(ValidationError) as exc, translation.override("sv"):
        decide(recommended, users, 2_000_001 * KR)
    assert "(2 000 000,50 kr)" in nbsp(exc.value.message_dict["amount"][0])
    decide(recommended, users, 2_000_000 * KR + 50)
    assert sorted(commitments()) == [2_000_000 * KR + 50, 8_000_000 * KR - 50]


@pytest.mark.parametrize("amount", [-1, -ASKED])
def test_a_negative_approved_amount_must_be_greater_than_zero(recommended, users, amount):
    with pytest.raises(ValidationError) as exc:
        decide(recommended, users, amount)
    assert exc.value.message_dict["amount"] == [str(AMOUNT_NOT_POSITIVE)]


def page(user):
    client = Client(headers={"accept-language": "sv"})
    client.force_login(user)
    return client


def post_decision(client, application, amount, confirmed=True):
    """The decision as the confirmation's button posts it (the form's fields again, and
    `confirmed`); unconfirmed, as the form's own button posts it."""
    url = reverse("applications:decide", args=[application.pk])
    data = {
        "outcome": "approve",
        "amount": amount,
        "minute_ref": "KSAU § 88/2026",
        "decided_on": "2026-03-01",
    }
    return client.post(url, {**data, "confirmed": "yes"} if confirmed else data)


def test_the_decision_page_offers_refuses_and_accepts_exact_amounts(recommended, users):
    client = page(users["decision_maker"])
    form = nbsp(client.get(reverse("applications:decide", args=[recommended.pk])).content.decode())
    assert 'value="3 000 000,50"' in form
    refused = post_decision(client, recommended, "3 000 001")
    assert refused.status_code == 200
    errors = [nbsp(e) for e in refused.context["form"].errors["amount"]]
    assert errors == ["Beloppet överstiger det sökta beloppet (3 000 000,50 kr)."]
    assert "3 000 001 kr" not in nbsp(refused.content.decode())
    assert post_decision(client, recommended, "3 000 000,50").status_code == 302
    assert commitments() == [ASKED]


@pytest.mark.parametrize("amount", ["-5", "\u22125", "-3 000 000,50"])
def test_the_decision_page_says_a_negative_amount_must_be_greater_than_zero(
    recommended, users, amount
):
    response = post_decision(page(users["decision_maker"]), recommended, amount)
    assert response.context["form"].errors["amount"] == ["Beloppet måste vara större än noll."]


def test_the_api_refuses_and_accepts_exact_amounts(recommended, users):
    client = page(users["decision_maker"])
    url = f"/api/applications/{recommended.pk}/decision"
    body = {"approve": True, "minute_ref": "KSAU § 88/2026", "decided_on": "2026-03-01"}
    refused = client.post(url, json.dumps({**body, "amount": "3000001"}), "application/json")
    assert refused.status_code == 400
    assert "(3 000 000,50 kr)" in nbsp(refused.json()["errors"]["amount"][0])
    negative = client.post(url, json.dumps({**body, "amount": "-1"}), "application/json")
    assert negative.json()["errors"]["amount"] == ["Beloppet måste vara större än noll."]
    accepted = client.post(url, json.dumps({**body, "amount": "3000000.50"}), "application/json")
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == Status.APPROVED and commitments() == [ASKED]


def test_the_memo_page_and_pdf_show_the_amount_with_its_ore(recommended, users):
    client = page(users["decision_maker"])
    html = nbsp(client.get(reverse("applications:memo", args=[recommended.pk])).content.decode())
    assert "3 000 000,50 kr" in html and "3 000 001 kr" not in html
    pdf = client.get(reverse("applications:memo_pdf", args=[recommended.pk])).content
    text = nbsp(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    assert "3 000 000,50 kr" in text and "3 000 001 kr" not in text
