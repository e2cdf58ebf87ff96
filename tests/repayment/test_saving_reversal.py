"""Found defect 4 (issue 8): a verified saving found wrong could not be corrected (reversing its
claims left it listed and its year and unit taken), and a saving could be verified for 2031."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from sifra.audit.models import AuditEvent
from sifra.funds.models import LedgerEntry
from sifra.funds.selectors import project_balances
from sifra.funds.services import ledger_entry_reverse
from sifra.repayment import selectors, services
from sifra.repayment.models import Claim, VerifiedSaving

D = Decimal
REASON = "Fel utfall från ekonomisystemet: konto 4560 i stället för 4561"


def verify(project, user, unit, amount=100_000, year=2025):
    return services.saving_verify(
        project=project,
        year=year,
        unit=unit,
        amount=amount,
        evidence_kind="finance",
        evidence="Utfall i ekonomisystemet",
        acting_user=user,
        date=dt.date(2026, 3, 1),
    )


@pytest.fixture
def wrong(granted_project, economist, unit_a, unit_b):
    """50/50 between A and B; a saving of 1 000 kr verified on a wrong figure."""
    services.agreement_set(
        project=granted_project,
        model="savings_share",
        share=D(100),
        shares=[(unit_a, D(50)), (unit_b, D(50))],
        acting_user=economist,
    )
    return verify(granted_project, economist, unit_a)


def client_for(user, language="en"):
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    return client


def test_reversing_a_saving_reverses_its_claims_and_frees_the_year(
    wrong, economist, granted_project, unit_a
):
    assert project_balances(project=granted_project).claims == 100_000
    services.saving_reverse(saving=wrong, reason=REASON, acting_user=economist)
    wrong.refresh_from_db()
    assert wrong.reversed_at is not None and wrong.reversed_by == economist
    assert wrong.reversal_reason == REASON
    assert project_balances(project=granted_project).claims == 0
    assert all(c.ledger_entry.reversed_by for c in Claim.objects.all())
    assert selectors.fund_claims().totals.outstanding == 0
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.SAVING_REVERSED)
    assert event.actor == economist and event.data["reason"] == REASON
    assert len(event.data["reversals"]) == 2
    # the same year and unit verified again, on the right figure
    right = verify(granted_project, economist, unit_a, amount=80_000)
    assert sorted(c.amount for c in right.claims.all()) == [40_000, 40_000]
    assert project_balances(project=granted_project).claims == 80_000
    assert services.claimed(granted_project) == 80_000  # the reversed claims left the cap


def test_a_saving_with_payments_is_not_reversed(wrong, economist, unit_b):
    claim = wrong.claims.get(unit=unit_b)
    services.claim_pay(claim=claim, amount=10_000, kind="repayment", acting_user=economist)
    with pytest.raises(ValidationError) as exc:
        services.saving_reverse(saving=wrong, reason=REASON, acting_user=economist)
    assert exc.value.message_dict["__all__"] == [str(services.SAVING_HAS_PAYMENTS)]
    wrong.refresh_from_db()
    assert wrong.reversed_at is None
    assert not LedgerEntry.objects.filter(kind="reversal").exists()  # nothing half done


def test_a_saving_whose_payment_was_reversed_can_be_reversed(wrong, economist, coordinator, unit_b):
    claim = wrong.claims.get(unit=unit_b)
    payment = services.claim_pay(
        claim=claim, amount=10_000, kind="repayment", acting_user=economist
    )
    ledger_entry_reverse(entry=payment.ledger_entry, text="Felbokning", acting_user=coordinator)
    services.saving_reverse(saving=wrong, reason=REASON, acting_user=economist)
    assert project_balances(project=wrong.project).claims == 0


def test_a_claim_reversed_before_is_left_alone(wrong, economist, coordinator, unit_b):
    claim = wrong.claims.get(unit=unit_b)
    ledger_entry_reverse(entry=claim.ledger_entry, text="Fel enhet", acting_user=coordinator)
    services.saving_reverse(saving=wrong, reason=REASON, acting_user=economist)
    assert LedgerEntry.objects.filter(kind="reversal").count() == 2
    assert project_balances(project=wrong.project).claims == 0


@pytest.mark.parametrize(
    ("reason", "again", "field", "message"),
    [
        ("  ", False, "reason", services.CORRECTION_REASON_NEEDED),
        (REASON, True, "__all__", services.SAVING_REVERSED),
    ],
)
def test_a_reversal_needs_a_reason_and_happens_once(
    wrong, economist, reason, again, field, message
):
    if again:
        services.saving_reverse(saving=wrong, reason=REASON, acting_user=economist)
    with pytest.raises(ValidationError) as exc:
        services.saving_reverse(saving=wrong, reason=reason, acting_user=economist)
    assert exc.value.message_dict[field] == [str(message)]


def test_a_reason_with_a_personal_number_is_refused(wrong, economist):
    with pytest.raises(ValidationError) as exc:
        services.saving_reverse(
            saving=wrong, reason="Fel barn: 20121212-1212", acting_user=economist
        )
    assert "reason" in exc.value.message_dict
    wrong.refresh_from_db()
    assert wrong.reversed_at is None


def test_only_repayment_managers_reverse_savings(wrong, users):
    for role in ("applicant", "council", "auditor", "decision_maker"):
        with pytest.raises(PermissionDenied):
            services.saving_reverse(saving=wrong, reason=REASON, acting_user=users[role])


def test_a_saving_without_agreement_is_reversed_too(granted_project, economist, unit_a):
    saving = verify(granted_project, economist, unit_a)
    services.saving_reverse(saving=saving, reason=REASON, acting_user=economist)
    verify(granted_project, economist, unit_a)
    assert VerifiedSaving.objects.count() == 2


def test_two_standing_savings_for_one_year_and_unit_are_refused_by_the_database(
    wrong, unit_a, economist
):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        VerifiedSaving.objects.create(
            project=wrong.project,
            year=wrong.year,
            unit=unit_a,
            amount=1,
            evidence_kind="finance",
            evidence="x",
            verified_by=economist,
        )


def test_no_saving_for_a_year_that_has_not_begun(granted_project, economist, unit_a):
    """2031 was accepted; next year is refused and this year accepted."""
    this_year = timezone.localdate().year
    for year in (2031, this_year + 1):
        with pytest.raises(ValidationError) as exc:
            verify(granted_project, economist, unit_a, year=year)
        assert exc.value.message_dict["year"] == [str(services.YEAR_NOT_BEGUN)]
    saving = verify(granted_project, economist, unit_a, year=this_year)
    assert (saving.year, saving.unit, saving.amount) == (this_year, unit_a, 100_000)


# --- Through the API ----------------------------------------------------------------------------


def test_the_api_reverses_a_saving_and_verifies_it_again(wrong, economist, unit_a):
    p = wrong.project_id
    client = client_for(economist)
    reversed_ = client.post(
        f"/api/projects/{p}/savings/{wrong.pk}/reversal",
        json.dumps({"reason": REASON}),
        content_type="application/json",
    )
    assert reversed_.status_code == 201
    body = reversed_.json()
    assert body["reversed"] is True and body["reversal_reason"] == REASON
    assert body["reversed_by"] == economist.username
    assert all(c["reversed"] and c["outstanding_ore"] == 0 for c in body["claims"])
    again = client.post(
        f"/api/projects/{p}/savings",
        json.dumps(
            {
                "year": 2025,
                "unit_id": unit_a.pk,
                "amount": "800",
                "evidence_kind": "finance",
                "evidence": "Rättat utfall",
            }
        ),
        content_type="application/json",
    )
    assert again.status_code == 201
    listed = client.get(f"/api/projects/{p}/repayment").json()["savings"]
    assert [(s["amount_ore"], s["reversed"]) for s in listed] == [(100_000, True), (80_000, False)]


def test_the_api_refuses_a_reversal_without_reason_and_a_future_year(wrong, economist, unit_a):
    client = client_for(economist)
    bad = client.post(
        f"/api/projects/{wrong.project_id}/savings/{wrong.pk}/reversal",
        json.dumps({"reason": ""}),
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert bad.json()["errors"]["reason"] == [str(services.CORRECTION_REASON_NEEDED)]
    future = client.post(
        f"/api/projects/{wrong.project_id}/savings",
        json.dumps(
            {
                "year": 2031,
                "unit_id": unit_a.pk,
                "amount": "800",
                "evidence_kind": "finance",
                "evidence": "Prognos",
            }
        ),
        content_type="application/json",
    )
    assert future.status_code == 400
    assert future.json()["errors"]["year"] == [str(services.YEAR_NOT_BEGUN)]


def test_the_api_reversal_is_for_repayment_managers(wrong, users):
    response = client_for(users["auditor"]).post(
        f"/api/projects/{wrong.project_id}/savings/{wrong.pk}/reversal",
        json.dumps({"reason": REASON}),
        content_type="application/json",
    )
    assert response.status_code == 403
    wrong.refresh_from_db()
    assert wrong.reversed_at is None


# --- Through the page ---------------------------------------------------------------------------


def reverse_url(saving):
    return f"/repayment/savings/{saving.pk}/reverse/"


def test_the_page_asks_first_then_reverses(wrong, economist, granted_project):
    client = client_for(economist, "sv")
    page = client.get(f"/repayment/projects/{granted_project.pk}/")
    assert f'href="{reverse_url(wrong)}"'.encode() in page.content
    assert "Rätta" in page.content.decode()
    confirm = client.get(reverse_url(wrong))
    assert confirm.status_code == 200 and b'id="saving-reverse-form"' in confirm.content
    wrong.refresh_from_db()
    assert wrong.reversed_at is None  # asking changes nothing
    done = client.post(reverse_url(wrong), {"reason": REASON})
    assert done.status_code == 302
    wrong.refresh_from_db()
    assert wrong.reversed_at is not None
    html = client.get(f"/repayment/projects/{granted_project.pk}/").content.decode()
    row = html[html.index(f'id="saving-{wrong.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "<del>" in row and REASON in row and "Rättad" in row
    assert str(economist) in row and timezone.localdate(wrong.reversed_at).isoformat() in row
    assert reverse_url(wrong) not in row  # no second correction


def test_the_page_shows_why_a_reversal_was_refused(wrong, economist, unit_b):
    services.claim_pay(
        claim=wrong.claims.get(unit=unit_b), amount=1, kind="repayment", acting_user=economist
    )
    response = client_for(economist).post(reverse_url(wrong), {"reason": REASON})
    assert response.status_code == 200
    assert escape(str(services.SAVING_HAS_PAYMENTS)) in response.content.decode()
    empty = client_for(economist).post(reverse_url(wrong), {"reason": ""})
    assert empty.status_code == 200 and "This field is required" in empty.content.decode()


@pytest.mark.parametrize("role", ["applicant", "council", "auditor", "decision_maker"])
def test_only_repayment_managers_see_the_correction(client_for_role, wrong, role):
    client = client_for_role(role)
    assert client.get(reverse_url(wrong)).status_code == 403
    assert client.post(reverse_url(wrong), {"reason": REASON}).status_code == 403
    page = client.get(f"/repayment/projects/{wrong.project_id}/")
    assert reverse_url(wrong).encode() not in page.content


@pytest.fixture
def client_for_role(users):
    return lambda role: client_for(users[role])


def test_a_long_reason_is_cut_to_the_ledger_texts_300_characters(wrong, economist, unit_a):
    """The saving keeps the whole reason; each reversal's ledger text (at most 300 characters)
    keeps its first 300."""
    reason = "Fel utfall. " + "x" * 400
    services.saving_reverse(saving=wrong, reason=reason, acting_user=economist)
    prefix = f"Reversed saving 2025, {unit_a.name}: Fel utfall. "
    texts = list(LedgerEntry.objects.filter(kind="reversal").values_list("text", flat=True))
    assert len(texts) == 2  # the claims on A and on B
    for text in texts:
        assert len(text) == 300
        assert text == prefix + "x" * (300 - len(prefix))
    assert VerifiedSaving.objects.get().reversal_reason == reason
