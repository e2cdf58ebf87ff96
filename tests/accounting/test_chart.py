"""The booking rules: each kind's double entry balances, a reversal is its mirror, and the
balance accounts move as DOMAIN.md's table moves capital, committed and claims."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sifra.accounting import chart

KINDS = list(chart.POSTINGS)

# DOMAIN.md's table, by hand: (capital, committed, claims) per krona of each kind
DOMAIN = {
    "deposit": (1, 0, 0),
    "commitment": (0, 1, 0),
    "release": (0, -1, 0),
    "disbursement": (-1, -1, 0),
    "claim": (0, 0, 1),
    "repayment": (1, 0, -1),
    "write_off": (0, 0, -1),
}


@given(kind=st.sampled_from(KINDS), amount=st.integers(min_value=1, max_value=10**15))
def test_every_kind_balances_and_its_reversal_mirrors_it(kind, amount):
    effect = chart.movements(kind, amount)
    assert sum(effect.values()) == 0
    undo = chart.movements("reversal", amount, reverses=kind)
    assert undo == {role: -ore for role, ore in effect.items()}


@pytest.mark.parametrize("kind", KINDS)
def test_the_balance_accounts_follow_the_domains_balances(kind):
    capital, committed, claims = DOMAIN[kind]
    effect = chart.movements(kind, 100)
    assert effect.get(chart.CASH, 0) == 100 * capital
    assert effect.get(chart.CLAIMS, 0) == 100 * claims
    assert effect.get(chart.CLAIMS_OFFSET, 0) == -100 * claims
    assert effect.get(chart.COMMITTED, 0) == -100 * committed  # equity: credit is negative
    # available = capital - committed, once the year's result is carried into it
    result = effect.get(chart.GRANTS, 0) + effect.get(chart.REPAYMENTS, 0)
    assert effect.get(chart.AVAILABLE, 0) + result == -100 * (capital - committed)


def test_a_reversal_needs_the_kind_it_reverses():
    with pytest.raises(ValueError):
        chart.movements("reversal", 100)


def test_the_defaults_sit_in_their_roles_account_classes():
    for role in chart.ROLES:
        assert role.number[0] in role.classes, role
    assert len({r.number for r in chart.ROLES}) == len(chart.ROLES)
