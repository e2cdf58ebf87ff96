"""For any agreement and any sequence of verified savings, repayments and write-offs: the claims
never exceed the cap, no claim is paid beyond its amount, and the ledger's claims balance is
always the claims less what was paid on them. A plain model of the rules says what the services
must accept and what each saving must bring."""

import itertools
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sifra.funds.selectors import project_balances
from sifra.funds.services import ledger_entry_post
from sifra.projects.services import project_create
from sifra.repayment import selectors, services
from sifra.repayment.models import Claim, ClaimPayment

CODES = itertools.count()

agreements = st.one_of(
    st.fixed_dictionaries(
        {
            "model": st.just("savings_share"),
            "share": st.decimals(Decimal("0.01"), Decimal(100), places=2),
            "cap": st.integers(1, 5_000_000),
            "first_part": st.integers(1, 10_000),  # hundredths of a percent
        }
    ),
    st.fixed_dictionaries(
        {
            "model": st.just("budget_adjustment"),
            "cap": st.integers(1, 5_000_000),
            "first_part": st.just(10_000),
        }
    ),
    st.fixed_dictionaries(
        {
            "model": st.just("fixed"),
            "instalments": st.dictionaries(
                st.integers(2026, 2032), st.integers(1, 2_000_000), min_size=1, max_size=4
            ),
            "first_part": st.integers(1, 10_000),
        }
    ),
)
operation = st.one_of(
    st.tuples(
        st.just("save"), st.integers(0, 1), st.integers(2023, 2026), st.integers(1, 4_000_000)
    ),
    st.tuples(
        st.just("pay"),
        st.integers(0, 15),
        st.integers(1, 2_000_000),
        st.sampled_from(["repayment", "write_off"]),
    ),
)


def _agree(project, user, units, a):
    first = Decimal(a["first_part"]) / 100
    shares = [(units[0], first)] + ([(units[1], 100 - first)] if first < 100 else [])
    return services.agreement_set(
        project=project,
        model=a["model"],
        acting_user=user,
        shares=shares,
        share=a.get("share"),
        cap=a.get("cap"),
        instalments=sorted(a.get("instalments", {}).items()),
    )


def _owed(agreement, amount):
    """What a saving should bring before the cap, written out from DOMAIN.md."""
    if agreement.model == "savings_share":
        # in whole numbers, not the service's Decimal: the share has two decimals, so it is a
        # count of hundredths of a percent, and the öre owed are rounded down
        return amount * int(agreement.share * 100) // 10_000
    return amount if agreement.model == "budget_adjustment" else 0


def _sum(qs):
    return qs.aggregate(s=Sum("amount"))["s"] or 0


def _check_invariants(project, agreement):
    claims = Claim.objects.filter(project=project)
    total_claims = _sum(claims)
    total_paid = _sum(ClaimPayment.objects.filter(claim__project=project))
    assert total_claims <= agreement.cap
    for claim in claims:
        paid = _sum(claim.payments.all())
        assert 0 <= paid <= claim.amount
        assert services.outstanding(claim) == claim.amount - paid
    balance = project_balances(project=project).claims
    assert balance == total_claims - total_paid
    assert balance >= 0
    rows = selectors.claims_with_balances(claims)
    assert all(r.outstanding == r.amount - r.paid - r.written_off >= 0 for r in rows)
    totals = selectors.claim_totals(rows)
    assert (totals.due, totals.outstanding) == (total_claims, balance)


@pytest.mark.django_db
@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(a=agreements, ops=st.lists(operation, max_size=15))
def test_claims_and_payments_keep_the_rules(funded, unit_a, unit_b, coordinator, economist, a, ops):
    project = project_create(
        fund=funded, acting_user=coordinator, code=f"H-{next(CODES)}", title="H", lead_unit=unit_a
    )
    # a claim needs the project's commitment before it (the ledger's rules at every date)
    ledger_entry_post(
        fund=funded,
        kind="commitment",
        amount=10_000,
        text="Beviljat",
        project=project,
        acting_user=coordinator,
    )
    units = [unit_a, unit_b]
    agreement = _agree(project, economist, units, a)
    expected_claimed = sum(a.get("instalments", {}).values())
    seen: set[tuple[int, int]] = set()
    _check_invariants(project, agreement)
    for op in ops:
        if op[0] == "save":
            _kind, unit_index, year, amount = op
            duplicate = (unit_index, year) in seen
            try:
                services.saving_verify(
                    project=project,
                    year=year,
                    unit=units[unit_index],
                    amount=amount,
                    evidence_kind="report",
                    evidence="Uppföljningsrapport",
                    acting_user=economist,
                )
            except ValidationError:
                assert duplicate
            else:
                assert not duplicate
                seen.add((unit_index, year))
                expected_claimed = min(agreement.cap, expected_claimed + _owed(agreement, amount))
        else:
            _kind, index, amount, kind = op
            claims = list(Claim.objects.filter(project=project).order_by("id"))
            if not claims:
                continue
            claim = claims[index % len(claims)]
            left = services.outstanding(claim)
            try:
                services.claim_pay(
                    claim=claim,
                    amount=amount,
                    kind=kind,
                    reason="Avskrivs" if kind == "write_off" else "",
                    acting_user=economist,
                )
            except ValidationError:
                assert amount > left
            else:
                assert amount <= left
        assert services.claimed(project) == expected_claimed
        _check_invariants(project, agreement)
