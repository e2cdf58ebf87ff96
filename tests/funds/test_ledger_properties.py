"""For any sequence of postings and reversals, the balances equal the sums of the entries, and
no rule is ever broken: what the services accept is exactly what a plain model of DOMAIN.md's
rules accepts."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sifra.funds import services
from sifra.funds.models import LedgerEntry
from sifra.funds.selectors import fund_balances, project_balances
from sifra.projects.services import project_create

KINDS = ["deposit", "commitment", "release", "disbursement", "claim", "repayment", "write_off"]
SIGNS = {  # (capital, committed, claims) per krona: DOMAIN.md's table, written out again here
    "deposit": (1, 0, 0),
    "commitment": (0, 1, 0),
    "release": (0, -1, 0),
    "disbursement": (-1, -1, 0),
    "claim": (0, 0, 1),
    "repayment": (1, 0, -1),
    "write_off": (0, 0, -1),
}

operation = st.one_of(
    st.tuples(st.sampled_from(KINDS), st.integers(1, 5_000_000), st.integers(0, 1)),
    st.tuples(st.just("reverse"), st.integers(0, 40), st.just(0)),
)


def model_accepts(kind, amount, fund_b, proj_b):
    cap, com, clm = (b + s * amount for b, s in zip(fund_b, SIGNS[kind], strict=True))
    p_com, p_clm = proj_b[0] + SIGNS[kind][1] * amount, proj_b[1] + SIGNS[kind][2] * amount
    project_ok = kind == "deposit" or (p_com >= 0 and p_clm >= 0)
    return min(cap, com, clm, cap - com) >= 0 and project_ok


def sums_from_entries(entries):
    """Balances recomputed from kinds and amounts alone, not from the stored effects."""
    totals = [0, 0, 0]
    for e in entries:
        kind, sign = (e.reverses.kind, -1) if e.kind == "reversal" else (e.kind, 1)
        for i in range(3):
            totals[i] += sign * SIGNS[kind][i] * e.amount
    return totals


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=st.lists(operation, min_size=1, max_size=25))
def test_ledger_invariants_hold_for_any_sequence(org, unit_a, coordinator, ops):
    fund = services.fund_create(organisation=org, acting_user=coordinator, name="F")
    projects = [
        project_create(
            fund=fund, acting_user=coordinator, code=f"P{i}", title="P", lead_unit=unit_a
        )
        for i in range(2)
    ]
    for kind, value, which in ops:
        if kind == "reverse":
            _try_reverse(fund, coordinator, value)
        else:
            _try_post(fund, coordinator, kind, value, projects[which])
        _check(fund, projects)


def _balances(b):
    return (b.capital, b.committed, b.claims)


def _try_post(fund, user, kind, amount, project):
    project = None if kind == "deposit" else project
    fund_b = _balances(fund_balances(fund=fund))
    proj_b = (0, 0) if project is None else _balances(project_balances(project=project))[1:]
    expected = model_accepts(kind, amount, fund_b, proj_b)
    try:
        services.ledger_entry_post(
            fund=fund,
            kind=kind,
            amount=amount,
            text="t",
            date=dt.date(2026, 1, 1),
            project=project,
            acting_user=user,
        )
        accepted = True
    except ValidationError:
        accepted = False
    assert accepted == expected, (kind, amount, fund_b, proj_b)


def _try_reverse(fund, user, index):
    entries = list(LedgerEntry.objects.filter(fund=fund).order_by("number"))
    if not entries:
        return
    entry = entries[index % len(entries)]
    already = LedgerEntry.objects.filter(reverses=entry).exists()
    deltas = (-entry.d_capital, -entry.d_committed, -entry.d_claims)
    after = [b + d for b, d in zip(_balances(fund_balances(fund=fund)), deltas, strict=True)]
    proj_ok = True
    if entry.project:
        pb = _balances(project_balances(project=entry.project))
        proj_ok = pb[1] + deltas[1] >= 0 and pb[2] + deltas[2] >= 0
    expected = (
        entry.kind != "reversal"
        and not already
        and proj_ok
        and min(*after, after[0] - after[1]) >= 0
    )
    try:
        services.ledger_entry_reverse(entry=entry, text="r", acting_user=user)
        accepted = True
    except ValidationError:
        accepted = False
    assert accepted == expected, (entry.kind, entry.amount, already)


def _check(fund, projects):
    entries = LedgerEntry.objects.filter(fund=fund).select_related("reverses")
    b = fund_balances(fund=fund)
    assert [b.capital, b.committed, b.claims] == sums_from_entries(entries)
    assert min(b.capital, b.committed, b.claims, b.available) >= 0
    for p in projects:
        pb = project_balances(project=p)
        assert pb.committed >= 0 and pb.claims >= 0
        assert [pb.capital, pb.committed, pb.claims] == sums_from_entries(entries.filter(project=p))
