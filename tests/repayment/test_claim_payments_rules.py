"""Found defect 1 (issue 8): a reversed claim could still be paid, through the services, the API
and the page. A payment also lies between its claim's own entry and today."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from sifra.funds.selectors import project_balances
from sifra.funds.services import ledger_entry_reverse
from sifra.repayment import selectors, services
from sifra.repayment.models import Claim, ClaimPayment
from sifra.repayment.selectors import ClaimFilter

D = Decimal
CLAIM_DATE = dt.date(2026, 3, 1)


@pytest.fixture
def halves(granted_project, economist, unit_a, unit_b):
    """50/50 between units A and B; a verified saving of 1 000 kr brings two claims of 500 kr."""
    services.agreement_set(
        project=granted_project,
        model="savings_share",
        share=D(100),
        shares=[(unit_a, D(50)), (unit_b, D(50))],
        acting_user=economist,
    )
    services.saving_verify(
        project=granted_project,
        year=2025,
        unit=unit_a,
        amount=100_000,
        evidence_kind="finance",
        evidence="Utfall 2025",
        acting_user=economist,
        date=CLAIM_DATE,
    )
    return {c.unit_id: c for c in Claim.objects.all()}


@pytest.fixture
def b_reversed(halves, unit_b, coordinator):
    claim = halves[unit_b.pk]
    ledger_entry_reverse(entry=claim.ledger_entry, text="Fel enhet", acting_user=coordinator)
    return claim


def client_for(user):
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def test_a_reversed_claim_takes_no_payment(b_reversed, halves, economist, unit_a):
    with pytest.raises(ValidationError) as exc:
        services.claim_pay(claim=b_reversed, amount=50_000, kind="repayment", acting_user=economist)
    assert exc.value.message_dict["__all__"] == [str(services.CLAIM_REVERSED)]
    assert not ClaimPayment.objects.exists()
    # the ledger and the claims agree, so unit A's 500 kr can still be paid in full
    assert project_balances(project=b_reversed.project).claims == 50_000
    assert services.outstanding(b_reversed) == 0
    services.claim_pay(
        claim=halves[unit_a.pk], amount=50_000, kind="repayment", acting_user=economist
    )
    assert project_balances(project=b_reversed.project).claims == 0


def test_a_reversed_claim_takes_no_write_off_either(b_reversed, economist):
    with pytest.raises(ValidationError):
        services.claim_pay(
            claim=b_reversed, amount=1, kind="write_off", reason="Rest", acting_user=economist
        )


def test_the_api_refuses_to_pay_a_reversed_claim(b_reversed, economist):
    response = client_for(economist).post(
        f"/api/claims/{b_reversed.pk}/payments",
        json.dumps({"kind": "repayment", "amount": "500"}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"]["__all__"] == [str(services.CLAIM_REVERSED)]
    assert not ClaimPayment.objects.exists()


def test_the_api_shows_a_reversed_claim_as_reversed_with_nothing_outstanding(
    b_reversed, economist, granted_project
):
    body = client_for(economist).get(f"/api/projects/{granted_project.pk}/repayment").json()
    rows = {c["id"]: c for c in body["claims"]}
    assert rows[b_reversed.pk]["reversed"] is True
    assert rows[b_reversed.pk]["outstanding_ore"] == 0


def test_the_page_refuses_to_pay_a_reversed_claim(b_reversed, economist):
    data = {
        f"pay-{b_reversed.pk}-kind": "repayment",
        f"pay-{b_reversed.pk}-amount": "500",
        f"pay-{b_reversed.pk}-date": CLAIM_DATE.isoformat(),
    }
    response = client_for(economist).post(f"/repayment/claims/{b_reversed.pk}/pay/", data)
    assert response.status_code == 200
    assert str(services.CLAIM_REVERSED) in response.content.decode()
    assert not ClaimPayment.objects.exists()


@pytest.mark.parametrize(
    ("days", "message"),
    [(-1, services.BEFORE_CLAIM), (None, services.DATE_IN_FUTURE)],
)
def test_a_payment_lies_between_its_claims_entry_and_today(
    halves, economist, unit_a, days, message
):
    date = CLAIM_DATE + dt.timedelta(days=days) if days else timezone.localdate() + dt.timedelta(1)
    with pytest.raises(ValidationError) as exc:
        services.claim_pay(
            claim=halves[unit_a.pk], amount=1, kind="repayment", date=date, acting_user=economist
        )
    assert exc.value.message_dict["date"][0].startswith(str(message).split("(")[0].strip())
    # on the claim's own date it is accepted
    services.claim_pay(
        claim=halves[unit_a.pk], amount=1, kind="repayment", date=CLAIM_DATE, acting_user=economist
    )


def test_the_api_refuses_a_payment_before_the_claim(halves, economist, unit_a):
    claim = halves[unit_a.pk]
    response = client_for(economist).post(
        f"/api/claims/{claim.pk}/payments",
        json.dumps({"kind": "repayment", "amount": "1", "date": "2026-02-28"}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"]["date"] == [
        str(services.BEFORE_CLAIM) % {"date": "2026-03-01"}
    ]


# --- One definition of what a claim owes (issue 8: claims are the ledger's, one by one) ----------


def _listed(project):
    return {
        c.pk: c.outstanding
        for c in selectors.fund_claims(filters=ClaimFilter(project=project)).rows
    }


def test_services_selectors_and_the_ledger_agree_on_every_claim(
    halves, economist, coordinator, unit_a, unit_b, granted_project
):
    a, b = halves[unit_a.pk], halves[unit_b.pk]
    first = services.claim_pay(claim=a, amount=20_000, kind="repayment", acting_user=economist)
    services.claim_pay(
        claim=a, amount=5_000, kind="write_off", reason="Bortfall", acting_user=economist
    )
    ledger_entry_reverse(entry=first.ledger_entry, text="Felbokning", acting_user=coordinator)
    ledger_entry_reverse(entry=b.ledger_entry, text="Fel enhet", acting_user=coordinator)
    # A: 50 000 less the write-off (the reversed repayment no longer counts); B: reversed
    assert services.outstanding(a) == selectors.claim_outstanding(a) == 45_000
    assert services.outstanding(b) == selectors.claim_outstanding(b) == 0
    assert _listed(granted_project) == {a.pk: 45_000}  # a reversed claim is not listed
    listed = selectors.fund_claims(filters=ClaimFilter(project=granted_project)).totals
    assert listed.outstanding == project_balances(project=granted_project).claims == 45_000


def test_a_write_off_reason_with_a_personal_number_is_refused_on_the_reason(
    halves, economist, unit_a
):
    """The reason field is named (the form shows the error there), not the ledger text it would
    have ended up in; nothing is paid, and the claim still owes its 500 kr."""
    claim = halves[unit_a.pk]
    with pytest.raises(ValidationError) as exc:
        services.claim_pay(
            claim=claim,
            amount=10_000,
            kind="write_off",
            reason="Gäldenär 20121212-1212",
            acting_user=economist,
        )
    assert list(exc.value.message_dict) == ["reason"]
    assert not ClaimPayment.objects.exists()
    assert services.outstanding(claim) == 50_000
    assert project_balances(project=claim.project).claims == 100_000
