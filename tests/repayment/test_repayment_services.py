"""sifra.repayment.services: the agreement's rules, the claims each model brings, repayments and
write-offs, and what they do to the ledger's balances."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sifra.accounts.models import Unit
from sifra.funds.selectors import fund_balances, project_balances
from sifra.funds.services import ledger_entry_post, ledger_entry_reverse
from sifra.repayment import services
from sifra.repayment.models import Agreement, Claim, ClaimPayment, VerifiedSaving

MSEK = 100_000_000
D = Decimal


def agree(project, user, **kwargs):
    kwargs.setdefault("model", "savings_share")
    kwargs.setdefault("shares", [])
    return services.agreement_set(project=project, acting_user=user, **kwargs)


def verify(project, user, unit, amount, year=2023, **kwargs):
    return services.saving_verify(
        project=project,
        year=year,
        unit=unit,
        amount=amount,
        evidence_kind="finance",
        evidence="Utfall i ekonomisystemet, konto 4560",
        acting_user=user,
        **kwargs,
    )


def pay(claim, user, amount, kind="repayment", **kwargs):
    return services.claim_pay(claim=claim, amount=amount, kind=kind, acting_user=user, **kwargs)


def error(exc_info, field):
    return exc_info.value.message_dict[field][0]


# --- The agreement ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"share": D(50)}, "shares", services.SHARES_NEEDED),
        ({"model": "fixed", "instalments": [(2027, 100)]}, "shares", services.SHARES_NEEDED),
        ({"share": D(50), "parts": [60, 30]}, "shares", services.SHARES_SUM),
        ({"share": D(50), "parts": [150, -50]}, "shares", services.PART_RANGE),
        ({"share": D(50), "parts": [100, 0]}, "shares", services.PART_RANGE),
        ({"share": D(50), "parts": [50, 50], "same_unit": True}, "shares", services.DUPLICATE_UNIT),
        ({"parts": [100]}, "share", services.SHARE_NEEDED),
        ({"share": D(0), "parts": [100]}, "share", services.SHARE_NEEDED),
        ({"share": D("100.01"), "parts": [100]}, "share", services.SHARE_NEEDED),
        ({"model": "fixed", "parts": [100]}, "instalments", services.INSTALMENTS_NEEDED),
        (
            {"model": "fixed", "parts": [100], "instalments": [(2027, 100), (2028, 0)]},
            "instalments",
            services.AMOUNT_POSITIVE,
        ),
        ({"share": D(50), "parts": [100], "cap": 0}, "cap", services.CAP_NEEDED),
        ({"model": "budget_adjustment", "cap": -5}, "cap", services.CAP_NEEDED),
    ],
)
def test_each_agreement_rule(granted_project, economist, unit_a, unit_b, kwargs, field, message):
    kwargs = dict(kwargs)
    parts = kwargs.pop("parts", [])
    units = [unit_a, unit_a] if kwargs.pop("same_unit", False) else [unit_a, unit_b]
    shares = [(u, D(p)) for u, p in zip(units, parts, strict=False)]
    with pytest.raises(ValidationError) as exc:
        agree(granted_project, economist, shares=shares, **kwargs)
    assert error(exc, field) == str(message)
    assert not Agreement.objects.exists() and not Claim.objects.exists()


def test_the_cap_defaults_to_the_granted_amount(granted_project, economist, unit_a):
    a = agree(granted_project, economist, share=D("40"), shares=[(unit_a, D(100))])
    assert a.cap == 2 * MSEK and a.share == D(40)


def test_without_a_grant_a_cap_must_be_given(funded, project, economist, unit_a):
    with pytest.raises(ValidationError) as exc:
        agree(project, economist, share=D(40), shares=[(unit_a, D(100))])
    assert error(exc, "cap") == str(services.CAP_NEEDED)


def test_none_needs_nothing_and_budget_adjustment_no_parts(granted_project, economist):
    assert agree(granted_project, economist, model="none").cap == 0
    a = agree(granted_project, economist, model="budget_adjustment")
    assert a.cap == 2 * MSEK and not a.shares.exists()


def test_only_economist_and_coordinator_manage_repayment(granted_project, users, unit_a):
    for role in ("applicant", "council", "decision_maker", "auditor"):
        with pytest.raises(PermissionDenied):
            agree(granted_project, users[role], share=D(50), shares=[(unit_a, D(100))])
    agreement = agree(granted_project, users["coordinator"], model="none")
    assert (agreement.project, agreement.model, agreement.cap) == (granted_project, "none", 0)


def test_an_agreement_with_claims_cannot_change(granted_project, economist, unit_a):
    agree(granted_project, economist, share=D(50), shares=[(unit_a, D(100))])
    verify(granted_project, economist, unit_a, 1_000_000)
    with pytest.raises(ValidationError) as exc:
        agree(granted_project, economist, model="none")
    assert exc.value.message_dict["__all__"] == [str(services.HAS_CLAIMS)]


def test_an_agreement_without_claims_is_replaced(granted_project, economist, unit_a, unit_b):
    agree(granted_project, economist, share=D(50), shares=[(unit_a, D(100))])
    a = agree(granted_project, economist, share=D(20), shares=[(unit_b, D(100))], cap=500)
    assert Agreement.objects.get().pk == a.pk
    assert [(s.unit, s.percent) for s in a.shares.all()] == [(unit_b, D(100))]


# --- Claims per model ---------------------------------------------------------------------------


def test_split_gives_the_rounding_remainder_by_the_largest_remainder(unit_a, unit_b):
    # 70.7 / 30.3: the one öre left goes to A (remainder .7)
    assert services.split(101, [(unit_a, D(70)), (unit_b, D(30))]) == [(unit_a, 71), (unit_b, 30)]
    # 33.33 / 66.67: the öre goes to B (.67 beats .33); the old rule gave it to A (34/66)
    assert services.split(100, [(unit_a, D("33.33")), (unit_b, D("66.67"))]) == [
        (unit_a, 33),
        (unit_b, 67),
    ]
    assert services.split(1, [(unit_a, D(50)), (unit_b, D(50))]) == [(unit_a, 1)]  # tie: order


def test_three_ore_on_thirds_give_one_ore_each(granted_project, economist, unit_a, unit_b, org):
    """Found defect 5: 3 öre on 33.34/33.33/33.33 gave 3/0/0 (all the remainder to the first)."""
    unit_c = Unit.objects.create(organisation=org, name="Kultur- och fritidsnämnden")
    parts = [(unit_a, D("33.34")), (unit_b, D("33.33")), (unit_c, D("33.33"))]
    agree(granted_project, economist, share=D(100), shares=parts)
    verify(granted_project, economist, unit_a, 3)
    assert sorted((c.unit.name, c.amount) for c in Claim.objects.all()) == sorted(
        [(unit_a.name, 1), (unit_b.name, 1), (unit_c.name, 1)]
    )


def test_savings_share_claims_a_share_split_among_units_within_the_cap(
    granted_project, economist, unit_a, unit_b
):
    agree(
        granted_project,
        economist,
        share=D(50),
        cap=150,
        shares=[(unit_a, D(70)), (unit_b, D(30))],
    )
    verify(granted_project, economist, unit_a, 202, year=2023)
    first = Claim.objects.filter(year=2023).order_by("-amount")
    assert [(c.unit, c.amount) for c in first] == [(unit_a, 71), (unit_b, 30)]

    verify(granted_project, economist, unit_a, 202, year=2024)  # 101 owed, 49 left under the cap
    second = Claim.objects.filter(year=2024).order_by("-amount")
    # 49 × 70 % = 34.3 and 49 × 30 % = 14.7: the öre goes to B's larger remainder (was 35/14)
    assert [(c.unit, c.amount) for c in second] == [(unit_a, 34), (unit_b, 15)]

    saving = verify(granted_project, economist, unit_b, 10_000, year=2025)
    assert not saving.claims.exists()
    assert services.claimed(granted_project) == 150
    assert project_balances(project=granted_project).claims == 150


def test_claims_are_due_months_after_the_years_end(granted_project, economist, unit_a):
    agree(granted_project, economist, share=D(10), shares=[(unit_a, D(100))], due_months=6)
    verify(granted_project, economist, unit_a, 1_000, year=2023)
    assert Claim.objects.get().due_date == dt.date(2024, 6, 30)


@pytest.mark.parametrize(
    ("months", "due"), [(0, dt.date(2027, 12, 31)), (14, dt.date(2029, 2, 28))]
)
def test_due_dates(granted_project, economist, unit_a, months, due):
    a = agree(granted_project, economist, share=D(10), shares=[(unit_a, D(100))], due_months=months)
    assert services._due(a, 2027) == due


def test_budget_adjustment_the_saving_unit_owes_the_saving(
    granted_project, economist, unit_a, unit_b
):
    agree(granted_project, economist, model="budget_adjustment", shares=[(unit_a, D(100))])
    verify(granted_project, economist, unit_b, 750_000)
    claim = Claim.objects.get()
    assert (claim.unit, claim.amount, claim.saving.unit) == (unit_b, 750_000, unit_b)


def test_budget_adjustment_stops_at_the_cap(granted_project, economist, unit_b):
    agree(granted_project, economist, model="budget_adjustment", cap=1_000)
    verify(granted_project, economist, unit_b, 750, year=2023)
    verify(granted_project, economist, unit_b, 750, year=2024)
    assert [c.amount for c in Claim.objects.order_by("year")] == [750, 250]


def test_fixed_schedule_claims_at_once(granted_project, economist, unit_a, unit_b):
    a = agree(
        granted_project,
        economist,
        model="fixed",
        shares=[(unit_a, D(60)), (unit_b, D(40))],
        instalments=[(2027, 300_000), (2028, 200_001)],
        due_months=3,
    )
    assert a.cap == 500_001
    rows = [
        (c.year, c.unit, c.amount, c.due_date) for c in Claim.objects.order_by("year", "-amount")
    ]
    assert rows == [
        (2027, unit_a, 180_000, dt.date(2028, 3, 31)),
        (2027, unit_b, 120_000, dt.date(2028, 3, 31)),
        (2028, unit_a, 120_001, dt.date(2029, 3, 31)),
        (2028, unit_b, 80_000, dt.date(2029, 3, 31)),
    ]
    assert all(c.instalment is not None for c in Claim.objects.all())
    assert fund_balances(fund=granted_project.fund).claims == 500_001


def test_none_brings_no_claims(granted_project, economist, unit_a):
    agree(granted_project, economist, model="none")
    verify(granted_project, economist, unit_a, 1_000_000)
    assert not Claim.objects.exists()
    assert project_balances(project=granted_project).claims == 0


def test_a_saving_without_agreement_is_kept_without_claims(granted_project, economist, unit_a):
    saving = verify(granted_project, economist, unit_a, 1_000_000)
    assert saving.pk and not Claim.objects.exists()


def test_a_duplicate_saving_is_refused(granted_project, economist, unit_a, unit_b):
    agree(granted_project, economist, share=D(50), shares=[(unit_a, D(100))])
    verify(granted_project, economist, unit_a, 1_000, year=2023)
    with pytest.raises(ValidationError) as exc:
        verify(granted_project, economist, unit_a, 2_000, year=2023)
    assert error(exc, "year") == str(services.DUPLICATE_SAVING)
    verify(granted_project, economist, unit_b, 2_000, year=2023)  # another unit's saving is not
    assert VerifiedSaving.objects.count() == 2 and Claim.objects.count() == 2


@pytest.mark.parametrize(
    ("amount", "evidence", "field", "message"),
    [
        (0, "Rapport", "amount", services.AMOUNT_POSITIVE),
        (-5, "Rapport", "amount", services.AMOUNT_POSITIVE),
        (100, "   ", "evidence", services.EVIDENCE_NEEDED),
    ],
)
def test_a_saving_needs_an_amount_and_evidence(
    granted_project, economist, unit_a, amount, evidence, field, message
):
    with pytest.raises(ValidationError) as exc:
        services.saving_verify(
            project=granted_project,
            year=2023,
            unit=unit_a,
            amount=amount,
            evidence_kind="report",
            evidence=evidence,
            acting_user=economist,
        )
    assert error(exc, field) == str(message)


def test_only_repayment_managers_verify_savings(granted_project, users, unit_a):
    with pytest.raises(PermissionDenied):
        verify(granted_project, users["applicant"], unit_a, 1_000)


# --- Repayments and write-offs ------------------------------------------------------------------


@pytest.fixture
def claim(granted_project, economist, unit_a):
    agree(granted_project, economist, share=D(50), shares=[(unit_a, D(100))])
    # dated before the payment test_the_ledger_follows dates 1 March
    verify(granted_project, economist, unit_a, 2_000_000, date=dt.date(2026, 2, 15))
    return Claim.objects.get()  # 1 000 000 öre


def test_a_payment_beyond_what_is_outstanding_is_refused(claim, economist):
    pay(claim, economist, 600_000)
    with pytest.raises(ValidationError) as exc:
        pay(claim, economist, 400_001)
    assert error(exc, "amount").startswith("The amount exceeds what is outstanding on the claim")
    assert "(SEK 4,000)." in error(exc, "amount")  # exact: no öre, so none shown
    pay(claim, economist, 300_000, kind="write_off", reason="Avskrivet enligt beslut")
    with pytest.raises(ValidationError):
        pay(claim, economist, 100_001, kind="write_off", reason="Resten")
    pay(claim, economist, 100_000)
    assert services.outstanding(claim) == 0


@pytest.mark.parametrize("amount", [0, -1])
def test_a_payment_must_be_positive(claim, economist, amount):
    with pytest.raises(ValidationError) as exc:
        pay(claim, economist, amount)
    assert error(exc, "amount") == str(services.AMOUNT_POSITIVE)


def test_a_write_off_needs_a_reason(claim, economist):
    with pytest.raises(ValidationError) as exc:
        pay(claim, economist, 1_000, kind="write_off", reason="  ")
    assert error(exc, "reason") == str(services.REASON_NEEDED)
    payment = pay(claim, economist, 1_000, kind="write_off", reason="Ej verifierbar")
    assert "Ej verifierbar" in payment.ledger_entry.text


@pytest.mark.parametrize("kind", ["claim", "deposit", "commitment", "nonsense"])
def test_only_repayments_and_write_offs_are_payments(claim, economist, kind):
    with pytest.raises(ValidationError) as exc:
        pay(claim, economist, 1_000, kind=kind)
    assert error(exc, "kind") == str(services.UNKNOWN_KIND)
    assert not ClaimPayment.objects.exists()


def test_only_repayment_managers_post_payments(claim, users):
    for role in ("applicant", "council", "auditor", "decision_maker"):
        with pytest.raises(PermissionDenied):
            pay(claim, users[role], 1_000)


def test_the_ledger_follows(claim, economist, granted_project):
    fund = granted_project.fund
    before = fund_balances(fund=fund)
    assert before.claims == 1_000_000

    pay(claim, economist, 250_000, date=dt.date(2026, 3, 1))
    pay(claim, economist, 100_000, kind="write_off", reason="Del av kravet bortfaller")
    after = fund_balances(fund=fund)
    assert after.capital == before.capital + 250_000  # repayments come back as capital
    assert after.committed == before.committed
    assert after.claims == 1_000_000 - 250_000 - 100_000
    assert project_balances(project=granted_project).claims == 650_000
    kinds = [p.ledger_entry.kind for p in ClaimPayment.objects.all()]
    assert kinds == ["repayment", "write_off"]
    assert ClaimPayment.objects.first().ledger_entry.date == dt.date(2026, 3, 1)


def test_a_reversed_repayment_is_outstanding_again(claim, economist, coordinator):
    payment = pay(claim, economist, 1_000_000)
    assert services.outstanding(claim) == 0
    ledger_entry_reverse(entry=payment.ledger_entry, text="Felbokning", acting_user=coordinator)
    assert services.outstanding(claim) == 1_000_000
    pay(claim, economist, 1_000_000)
    assert project_balances(project=claim.project).claims == 0


# --- The cap: what was actually granted (found defect 6) ----------------------------------------


def _post(project, user, kind, amount):
    return ledger_entry_post(
        fund=project.fund,
        kind=kind,
        amount=amount,
        text=kind,
        date=dt.date(2026, 3, 1),
        project=project,
        acting_user=user,
    )


def test_the_cap_is_commitments_less_releases(granted_project, economist, coordinator, unit_a):
    """Drew 1 of 2 MSEK and released the rest: the cap is 1 MSEK (it was 2)."""
    _post(granted_project, coordinator, "disbursement", MSEK)
    _post(granted_project, coordinator, "release", MSEK)
    assert services.granted(granted_project) == MSEK
    a = agree(granted_project, economist, share=D(50), shares=[(unit_a, D(100))])
    assert a.cap == MSEK


def test_a_reversed_release_grants_again_and_a_reversed_commitment_not(
    granted_project, coordinator
):
    release = _post(granted_project, coordinator, "release", MSEK // 2)
    assert services.granted(granted_project) == 2 * MSEK - MSEK // 2
    ledger_entry_reverse(entry=release, text="Fel", acting_user=coordinator)
    assert services.granted(granted_project) == 2 * MSEK
    extra = _post(granted_project, coordinator, "commitment", 3 * MSEK)
    assert services.granted(granted_project) == 5 * MSEK
    ledger_entry_reverse(entry=extra, text="Fel", acting_user=coordinator)
    assert services.granted(granted_project) == 2 * MSEK
    # the reversals themselves are neither commitments nor releases
    _post(granted_project, coordinator, "disbursement", MSEK)
    assert services.granted(granted_project) == 2 * MSEK


def test_a_saving_beyond_a_full_cap_adds_no_claim():
    """What is left under the cap is never negative: claims already above it (as after a cap
    that was reached) leave room for 0, not for a negative claim."""
    agreement = Agreement(model="savings_share", share=D(50), cap=100_000)
    assert services.claim_total_for_saving(agreement, 400_000, already_claimed=150_000) == 0
    assert services.claim_total_for_saving(agreement, 400_000, already_claimed=100_000) == 0
    # 30 000 öre left under the cap, of half of 400 000
    assert services.claim_total_for_saving(agreement, 400_000, already_claimed=70_000) == 30_000
    adjustment = Agreement(model="budget_adjustment", cap=100_000)
    assert services.claim_total_for_saving(adjustment, 40_000, already_claimed=120_000) == 0


def test_a_write_off_of_nothing_is_refused_for_its_amount_first(granted_project, economist, unit_a):
    agree(granted_project, economist, share=D(50), shares=[(unit_a, D(100))])
    verify(granted_project, economist, unit_a, 400_000)
    claim = Claim.objects.get()
    with pytest.raises(ValidationError) as exc:
        pay(claim, economist, 0, kind="write_off")
    assert exc.value.message_dict == {"amount": ["The amount must be greater than zero."]}
    assert not ClaimPayment.objects.exists()


def test_a_fixed_schedule_or_no_agreement_claims_nothing_of_a_saving():
    """Only a savings share and a budget adjustment turn a verified saving into claims: a fixed
    schedule's claims come from its instalments, and "none" claims nothing, whatever room is
    left under the cap (as after an instalment's claim was reversed)."""
    fixed = Agreement(model="fixed", cap=100_000)
    assert services.claim_total_for_saving(fixed, 400_000, already_claimed=0) == 0
    assert services.claim_total_for_saving(fixed, 400_000, already_claimed=50_000) == 0
    none = Agreement(model="none", cap=100_000)
    assert services.claim_total_for_saving(none, 400_000, already_claimed=0) == 0


def test_a_part_just_above_100_percent_is_out_of_range(granted_project, economist, unit_a):
    """100 % is the most a unit can owe: 100.01 % alone is refused as a part out of range (the
    message that names the mistake), not only because the parts do not add up to 100 %."""
    with pytest.raises(ValidationError) as exc:
        agree(granted_project, economist, share=D(50), shares=[(unit_a, D("100.01"))])
    assert exc.value.message_dict == {"shares": ["Each part must be above 0 and at most 100 %."]}
    assert not Agreement.objects.exists()


def test_a_savings_share_without_its_share_claims_nothing():
    """An agreement row with the model but no share (agreement_set refuses to make one; the
    column may be empty) claims nothing of a saving, never a negative amount."""
    for share in (None, D(0)):
        agreement = Agreement(model="savings_share", share=share, cap=100_000)
        assert services.claim_total_for_saving(agreement, 400_000, already_claimed=0) == 0


def test_a_project_without_commitments_has_nothing_granted(project):
    assert services.granted(project) == 0


def test_a_fixed_instalment_of_one_ore_is_a_claim_of_one_ore(granted_project, economist, unit_a):
    """The smallest amount there is: 1 öre a year is a schedule, not a mistake."""
    agreement = agree(
        granted_project,
        economist,
        model="fixed",
        shares=[(unit_a, D(100))],
        instalments=[(2027, 1)],
    )
    assert agreement.cap == 1
    assert list(Claim.objects.values_list("year", "amount")) == [(2027, 1)]
    assert project_balances(project=granted_project).claims == 1
