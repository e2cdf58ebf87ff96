"""sifra.repayment.selectors: each claim's paid, written off, outstanding and overdue; a unit's
debt; the fund's claims; the proposed split from the case's per-actor result."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sifra.accounts.models import Unit
from sifra.applications.models import Application
from sifra.funds.services import ledger_entry_reverse
from sifra.repayment import selectors, services
from sifra.repayment.models import Claim

D = Decimal
BEFORE_DUE = dt.date(2025, 6, 30)  # claims for 2024 fall due on this day
AFTER_DUE = dt.date(2025, 7, 1)

CASE = {
    "case": {
        "title": "T",
        "start_year": 2026,
        "horizon": 3,
        "discount_rate": 0.0,
        "price_year": 2026,
    },
    "actors": [
        {"id": "soc", "name": "socialnämnden", "sector": "kommun"},
        {"id": "von", "name": "Äldreomsorgen", "sector": "kommun"},
        {"id": "kul", "name": "Kulturnämnden", "sector": "kommun"},
        {"id": "reg", "name": "Region Testland", "sector": "region"},
    ],
    "costs": [{"name": "Personal", "actor": "soc", "amounts": [100000]}],
    "participants": {"entering": [10]},
    "outcomes": [
        {
            "name": "Färre placeringar",
            "effect": 0.5,
            "kind": "once",
            "lag": 0,
            "unit_costs": {"soc": 2000, "von": 1000, "kul": 500, "reg": 3000},
        }
    ],
}


@pytest.fixture
def claims(granted_project, economist, unit_a, unit_b):
    """Per year 2024 and 2025 a claim of 70 000 öre on unit A and 30 000 on unit B."""
    services.agreement_set(
        project=granted_project,
        model="savings_share",
        share=D(50),
        shares=[(unit_a, D(70)), (unit_b, D(30))],
        acting_user=economist,
    )
    for year in (2024, 2025):
        services.saving_verify(
            project=granted_project,
            year=year,
            unit=unit_a,
            amount=200_000,
            evidence_kind="report",
            evidence="Rapport",
            acting_user=economist,
        )
    return {(c.unit_id, c.year): c for c in Claim.objects.all()}


def pay(claim, user, amount, kind="repayment"):
    reason = "Avskrivs" if kind == "write_off" else ""
    return services.claim_pay(
        claim=claim, amount=amount, kind=kind, reason=reason, acting_user=user
    )


def test_each_claims_balances(claims, economist, unit_a, unit_b):
    a = claims[(unit_a.pk, 2024)]
    pay(a, economist, 20_000)
    pay(a, economist, 5_000, kind="write_off")
    rows = {r.pk: r for r in selectors.claims_with_balances(today=BEFORE_DUE)}
    r = rows[a.pk]
    assert (r.amount, r.paid, r.written_off, r.outstanding, r.overdue) == (
        70_000,
        20_000,
        5_000,
        45_000,
        0,
    )
    late = {r.pk: r for r in selectors.claims_with_balances(today=AFTER_DUE)}
    assert late[a.pk].overdue == 45_000
    assert late[claims[(unit_b.pk, 2024)].pk].overdue == 30_000
    assert late[claims[(unit_a.pk, 2025)].pk].overdue == 0  # not yet due


def test_a_settled_claim_is_never_overdue(claims, economist, unit_b):
    b = claims[(unit_b.pk, 2024)]
    pay(b, economist, 30_000)
    row = selectors.claims_with_balances(today=AFTER_DUE).get(pk=b.pk)
    assert (row.outstanding, row.overdue) == (0, 0)


def test_a_reversed_payment_no_longer_counts(claims, economist, coordinator, unit_a):
    a = claims[(unit_a.pk, 2024)]
    payment = pay(a, economist, 70_000)
    ledger_entry_reverse(entry=payment.ledger_entry, text="Fel", acting_user=coordinator)
    row = selectors.claims_with_balances().get(pk=a.pk)
    assert (row.paid, row.outstanding) == (0, 70_000)


def test_fund_claims_totals_and_filters(claims, economist, granted_project, unit_a, unit_b):
    pay(claims[(unit_a.pk, 2024)], economist, 10_000)
    pay(claims[(unit_b.pk, 2024)], economist, 30_000, kind="write_off")
    report = selectors.fund_claims(fund=granted_project.fund, today=AFTER_DUE)
    assert report.totals == selectors.ClaimTotals(
        due=200_000,
        paid=10_000,
        written_off=30_000,
        outstanding=160_000,
        overdue=60_000,
        count=4,
        overdue_count=1,
    )
    only_b = selectors.fund_claims(filters=selectors.ClaimFilter(unit=unit_b))
    assert [(c.unit, c.year) for c in only_b.rows] == [(unit_b, 2024), (unit_b, 2025)]
    overdue = selectors.fund_claims(
        filters=selectors.ClaimFilter(overdue_only=True), today=AFTER_DUE
    )
    assert [(c.unit, c.year) for c in overdue.rows] == [(unit_a, 2024)]
    assert overdue.totals.outstanding == 60_000
    assert (
        selectors.fund_claims(filters=selectors.ClaimFilter(project=granted_project)).totals.count
        == 4
    )


def test_unit_debt_per_project_and_year(claims, economist, unit_a, unit_b):
    # a second saving unit's saving adds a second claim on unit A for 2024: grouped together
    services.saving_verify(
        project=claims[(unit_a.pk, 2024)].project,
        year=2024,
        unit=unit_b,
        amount=20_000,
        evidence_kind="finance",
        evidence="Ekonomisystemet",
        acting_user=economist,
    )
    pay(claims[(unit_a.pk, 2024)], economist, 1_000)
    debt = selectors.unit_debt(unit=unit_a, today=AFTER_DUE)
    assert [(r["code"], r["year"], r["due"], r["paid"], r["outstanding"]) for r in debt.rows] == [
        ("P-1", 2024, 77_000, 1_000, 76_000),
        ("P-1", 2025, 70_000, 0, 70_000),
    ]
    assert debt.rows[0]["overdue"] == 76_000 and debt.rows[0]["due_date"] == BEFORE_DUE
    assert (debt.totals.due, debt.totals.outstanding, debt.totals.overdue) == (
        147_000,
        146_000,
        76_000,
    )
    assert selectors.unit_debt(unit=unit_b).totals.due == 30_000 + 3_000 + 30_000


def test_payment_series_runs_up(claims, economist, unit_a):
    pay(claims[(unit_a.pk, 2024)], economist, 1_000)
    pay(claims[(unit_a.pk, 2024)], economist, 500, kind="write_off")
    series = selectors.payment_series()
    assert series[-1]["repaid"] == 1_000 and series[-1]["written_off"] == 500


# --- The proposed split -------------------------------------------------------------------------


@pytest.fixture
def with_case(project, unit_a, unit_b, users):
    Unit.objects.filter(pk=unit_b.pk).update(code="ÄLDREOMSORGEN")
    Application.objects.create(
        fund=project.fund,
        reference="A-1",
        title="Tidigt stöd",
        lead_unit=unit_a,
        created_by=users["applicant"],
        case=CASE,
        project=project,
    )
    return project


def test_proposed_split_follows_who_gains(with_case, unit_a, unit_b):
    proposal = selectors.proposed_split(with_case)
    # soc gains 10 000, von 5 000: two thirds and one third, summing to exactly 100
    assert proposal.shares == [(unit_a, D("66.67")), (unit_b, D("33.33"))]
    assert sum(p for _u, p in proposal.shares) == 100
    assert [g.name for g in proposal.outside] == ["Region Testland"]
    assert [g.name for g in proposal.unmatched] == ["Kulturnämnden"]
    assert [r["percent"] for r in proposal.rows] == [D("66.67"), D("33.33")]


def test_no_case_no_proposal(project):
    assert selectors.proposed_split(project) is None


@given(st.lists(st.floats(-1e9, 1e12, allow_nan=False), min_size=1, max_size=8))
def test_proposed_parts_sum_to_exactly_100(benefits):
    gains = [
        selectors.ActorGain(
            actor_id=str(i), name=str(i), sector="kommun", pv_benefits=b, unit=Unit(pk=i + 1)
        )
        for i, b in enumerate(benefits)
    ]
    parts = selectors._percentages(gains)
    if sum(max(b, 0) for b in benefits) <= 0:
        assert parts == []
    else:
        assert sum(p for _u, p in parts) == 100
        assert all(p > 0 and p == p.quantize(D("0.01")) for _u, p in parts)
