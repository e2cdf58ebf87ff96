"""The ledger's rules at every date (DOMAIN.md): an entry is checked against the balances on its
own date and on every later date with entries; no entry predates the fund, a project's decision
or its first commitment; a reversal is not dated before what it reverses; a claim with
repayments or write-offs tied to it cannot be reversed. Each through the services, the API and
the page."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from sifra.funds import services
from sifra.funds.models import LedgerEntry
from sifra.funds.selectors import fund_balances

MSEK = 100_000_000
TODAY = dt.date.today()


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _service(fund, user, **fields):
    try:
        services.ledger_entry_post(fund=fund, acting_user=user, text="T", **fields)
    except ValidationError as exc:
        return exc.message_dict
    return {}


def _api(fund, user, **fields):
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    body = {
        "kind": fields["kind"],
        "amount": str(Decimal(fields["amount"]) / 100),
        "text": fields.get("text", "T"),
        "date": fields["date"].isoformat(),
    }
    if fields.get("project"):
        body["project_id"] = fields["project"].pk
    response = client.post(
        f"/api/funds/{fund.pk}/ledger", data=json.dumps(body), content_type="application/json"
    )
    assert response.status_code in (201, 400), response.content
    return response.json().get("errors", {})


def _page(fund, user, **fields):
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    data = {
        "kind": fields["kind"],
        "amount": str(Decimal(fields["amount"]) / 100).replace(".", ","),
        "text": fields.get("text", "T"),
        "date": fields["date"].isoformat(),
        "project": fields["project"].pk if fields.get("project") else "",
    }
    response = client.post(f"/funds/{fund.pk}/ledger/new/", data)
    if response.status_code == 302:
        return {}
    assert response.status_code == 200
    form = response.context["form"]
    return {k: [str(e) for e in v] for k, v in form.errors.items()}


CHANNELS = {"service": _service, "api": _api, "page": _page}


@pytest.fixture(params=list(CHANNELS))
def post(request):
    return CHANNELS[request.param]


def post_ok(fund, user, kind, amount, date, project=None):
    return services.ledger_entry_post(
        fund=fund, kind=kind, amount=amount, text="T", date=date, project=project, acting_user=user
    )


def test_a_disbursement_before_the_projects_commitment_is_refused(
    post, funded, project, coordinator
):
    """Found defect 3: a disbursement dated 2013-01-02 on a project committed later."""
    post_ok(funded, coordinator, "commitment", 2 * MSEK, dt.date(2026, 2, 1), project)
    for date in (dt.date(2013, 1, 2), dt.date(2026, 1, 31)):
        errors = post(
            funded, coordinator, kind="disbursement", amount=MSEK, date=date, project=project
        )
        assert errors["date"] == [services.DATE_BEFORE_COMMITMENT % {"date": "2026-02-01"}]
    assert fund_balances(fund=funded, at=dt.date(2026, 1, 31)).capital == 10 * MSEK
    assert not post(
        funded,
        coordinator,
        kind="disbursement",
        amount=MSEK,
        date=dt.date(2026, 2, 1),
        project=project,
    )


def test_a_deposit_dated_0001_01_01_is_refused_without_a_date_of_establishment(
    post, funded, coordinator
):
    """Found defect 3: a fund without established_on still refuses absurd dates."""
    assert funded.established_on is None
    errors = post(funded, coordinator, kind="deposit", amount=100, date=dt.date(1, 1, 1))
    assert errors["date"] == [services.DATE_TOO_EARLY % {"date": "2000-01-01"}]
    errors = post(funded, coordinator, kind="deposit", amount=100, date=dt.date(1999, 12, 31))
    assert "date" in errors
    assert not post(funded, coordinator, kind="deposit", amount=100, date=dt.date(2000, 1, 1))


def test_no_entry_predates_the_funds_establishment(post, fund, coordinator):
    services.fund_update(fund=fund, acting_user=coordinator, established_on=dt.date(2025, 7, 1))
    errors = post(fund, coordinator, kind="deposit", amount=100, date=dt.date(2025, 6, 30))
    assert errors["date"] == [services.DATE_BEFORE_FUND % {"date": "2025-07-01"}]
    assert not post(fund, coordinator, kind="deposit", amount=100, date=dt.date(2025, 7, 1))


def test_a_funds_establishment_cannot_move_after_its_entries_or_before_2000(funded, coordinator):
    with pytest.raises(ValidationError) as exc:
        services.fund_update(
            fund=funded, acting_user=coordinator, established_on=dt.date(2026, 1, 16)
        )
    message = services.FUND_ESTABLISHED_AFTER_ENTRIES % {"date": "2026-01-15"}
    assert exc.value.message_dict["established_on"] == [message]
    with pytest.raises(ValidationError) as exc:
        services.fund_update(
            fund=funded, acting_user=coordinator, established_on=dt.date(1999, 1, 1)
        )
    assert "established_on" in exc.value.message_dict
    services.fund_update(fund=funded, acting_user=coordinator, established_on=dt.date(2026, 1, 15))


def test_a_commitment_that_leaves_too_little_at_its_own_date_is_refused(
    post, funded, project, coordinator
):
    """Today's balance would allow it (a later deposit), its own date does not."""
    post_ok(funded, coordinator, "deposit", 5 * MSEK, dt.date(2026, 6, 1))
    errors = post(
        funded,
        coordinator,
        kind="commitment",
        amount=12 * MSEK,
        date=dt.date(2026, 3, 1),
        project=project,
    )
    assert errors["amount"] == [services.EXCEEDS_AVAILABLE % {"left": "SEK 10,000,000"}]
    assert not post(
        funded,
        coordinator,
        kind="commitment",
        amount=12 * MSEK,
        date=dt.date(2026, 6, 1),
        project=project,
    )


def test_a_back_dated_commitment_is_limited_by_a_later_date_and_says_which(
    funded, project, other_project, coordinator
):
    post_ok(funded, coordinator, "commitment", 8 * MSEK, dt.date(2026, 3, 1), other_project)
    with pytest.raises(ValidationError) as exc:
        post_ok(funded, coordinator, "commitment", 5 * MSEK, dt.date(2026, 2, 1), project)
    expected = (
        services.EXCEEDS_AVAILABLE % {"left": "SEK 2,000,000"}
        + " "
        + services.LIMIT_ON_LATER_DATE % {"date": "2026-03-01"}
    )
    assert exc.value.message_dict["amount"] == [expected]


def test_a_back_dated_repayment_before_its_claim_is_refused(funded, project, users):
    coordinator, economist = users["coordinator"], users["economist"]
    post_ok(funded, coordinator, "commitment", MSEK, dt.date(2026, 2, 1), project)
    post_ok(funded, economist, "claim", 1000, dt.date(2026, 4, 1), project)
    with pytest.raises(ValidationError) as exc:
        post_ok(funded, economist, "repayment", 1000, dt.date(2026, 3, 1), project)
    assert exc.value.message_dict["amount"][0].startswith(
        str(services.EXCEEDS_CLAIMS) % {"left": "SEK 0"}
    )
    post_ok(funded, economist, "repayment", 1000, dt.date(2026, 4, 1), project)


def test_a_claim_needs_the_projects_commitment_first(post, funded, project, coordinator):
    errors = post(funded, coordinator, kind="claim", amount=100, date=TODAY, project=project)
    assert errors["project"] == [str(services.NO_COMMITMENT_YET)]


def test_a_commitment_is_not_dated_before_the_decision_on_the_project(post, funded, unit_a, users):
    from tests.factories import approved_case_project

    project = approved_case_project(funded, unit_a, users)  # decided 2026-01-20
    errors = post(
        funded,
        users["coordinator"],
        kind="commitment",
        amount=100,
        date=dt.date(2026, 1, 19),
        project=project,
    )
    assert errors["date"] == [services.DATE_BEFORE_PROJECT % {"date": "2026-01-20"}]


# --- Reversals -----------------------------------------------------------------------------------


def _reverse_service(entry, user, date):
    try:
        services.ledger_entry_reverse(entry=entry, text="Fel", date=date, acting_user=user)
    except ValidationError as exc:
        return exc.message_dict
    return {}


def _reverse_api(entry, user, date):
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    response = client.post(
        f"/api/funds/{entry.fund_id}/ledger/{entry.number}/reverse",
        data=json.dumps({"text": "Fel", "date": date.isoformat()}),
        content_type="application/json",
    )
    assert response.status_code in (201, 400), response.content
    return response.json().get("errors", {})


def _reverse_page(entry, user, date):
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    response = client.post(
        f"/funds/{entry.fund_id}/ledger/{entry.number}/reverse/",
        {"text": "Fel", "date": date.isoformat()},
    )
    if response.status_code == 302:
        return {}
    assert response.status_code == 200
    errors = {k: [str(e) for e in v] for k, v in response.context["form"].errors.items()}
    if "__all__" in errors:  # the form has no field for the entry: its errors head the form
        errors["entry"] = errors.pop("__all__")
    return errors


REVERSALS = {"service": _reverse_service, "api": _reverse_api, "page": _reverse_page}


@pytest.fixture(params=list(REVERSALS))
def reverse(request):
    return REVERSALS[request.param]


def test_a_reversal_is_not_dated_before_the_entry_it_reverses(reverse, funded, coordinator):
    """Found defect 3."""
    deposit = LedgerEntry.objects.get(fund=funded, kind="deposit")
    errors = reverse(deposit, coordinator, dt.date(2026, 1, 14))
    assert errors["date"] == [services.REVERSAL_BEFORE_ENTRY % {"date": "2026-01-15"}]
    assert not reverse(deposit, coordinator, dt.date(2026, 1, 15))


def test_a_reversal_that_breaks_an_earlier_date_is_refused(funded, project, coordinator):
    """Reversing a deposit on its own date, while a commitment rests on it since then."""
    post_ok(funded, coordinator, "commitment", 4 * MSEK, dt.date(2026, 2, 1), project)
    post_ok(funded, coordinator, "deposit", 10 * MSEK, dt.date(2026, 5, 1))
    deposit = LedgerEntry.objects.get(fund=funded, number=1)
    errors = _reverse_service(deposit, coordinator, dt.date(2026, 1, 15))
    assert errors["amount"] == [services.REVERSAL_BREAKS_RULES % {"date": "2026-02-01"}]
    assert not _reverse_service(deposit, coordinator, dt.date(2026, 5, 1))


@pytest.fixture
def split_claims(funded, project, unit_a, unit_b, users):
    """Agreement 50/50 between two units, a verified saving of 1 000 kr: two claims of 500 kr."""
    from sifra.repayment.models import Claim
    from sifra.repayment.services import agreement_set, saving_verify

    economist = users["economist"]
    post_ok(funded, users["coordinator"], "commitment", MSEK, dt.date(2026, 2, 1), project)
    agreement_set(
        project=project,
        model="savings_share",
        share=Decimal(100),
        shares=[(unit_a, Decimal(50)), (unit_b, Decimal(50))],
        cap=MSEK,
        acting_user=economist,
    )
    saving_verify(
        project=project,
        year=2026,
        unit=unit_a,
        amount=100_000,
        evidence_kind="finance",
        evidence="Utfall",
        acting_user=economist,
        date=dt.date(2026, 3, 1),
    )
    return list(Claim.objects.order_by("id"))


def test_a_partly_paid_claim_cannot_be_reversed(reverse, split_claims, users):
    """Found defect 2: pay 400 of a 500 claim, then reverse the claim's entry."""
    from sifra.repayment.services import claim_pay

    claim = split_claims[-1]
    payment = claim_pay(
        claim=claim,
        amount=40_000,
        kind="repayment",
        acting_user=users["economist"],
        date=dt.date(2026, 4, 1),
    )
    errors = reverse(claim.ledger_entry, users["coordinator"], TODAY)
    assert errors["entry"] == [str(services.CLAIM_HAS_PAYMENTS)]
    assert not hasattr(LedgerEntry.objects.get(pk=claim.ledger_entry.pk), "reversed_by")
    # once the payment itself is reversed, nothing is tied to the claim any more
    services.ledger_entry_reverse(
        entry=payment.ledger_entry, text="Fel", acting_user=users["coordinator"]
    )
    assert not reverse(claim.ledger_entry, users["coordinator"], TODAY)
