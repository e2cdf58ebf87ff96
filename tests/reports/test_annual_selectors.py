"""The annual report's figures for the small fund of conftest.py, worked out by hand there; a
closed year's balances are its snapshot and agree with the ledger; the savings against the
case's forecast; the rules that hold for any ledger (hypothesis)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sifra.evaluation.services import evaluation_record
from sifra.funds.models import FiscalYearClosing
from sifra.funds.selectors import fund_balances
from sifra.repayment.services import saving_verify
from sifra.reports import sections
from sifra.reports.data import Figures, as_json
from sifra.reports.selectors import NO_SUCH_YEAR, annual_report, build_annual_report
from tests.factories import approved_case_project
from tests.reports.conftest import KR

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def report(small_fund, users):
    return annual_report(fund=small_fund, year=2024, user=users["auditor"])


def test_balances_of_the_closed_year_are_its_snapshot(report, small_fund):
    assert report.closed and report.source == "snapshot"
    assert report.opening == Figures(capital=9_000_000 * KR, committed=3_000_000 * KR, claims=0)
    assert report.closing == Figures(
        capital=9_600_000 * KR + 50, committed=2_250_000 * KR, claims=150_000 * KR
    )
    assert report.closing.available == 7_350_000 * KR + 50
    snapshot = FiscalYearClosing.objects.get(fund=small_fund, year=2024)
    assert (snapshot.capital, snapshot.committed, snapshot.claims) == (
        report.closing.capital,
        report.closing.committed,
        report.closing.claims,
    )
    assert report.agrees and report.ledger_closing == report.closing


def test_the_snapshot_wins_where_it_and_the_ledger_would_differ(small_fund, users, monkeypatch):
    """A closed year shows the balances kept at its closing, not a fresh sum of the ledger, and
    shows it when the two disagree (here the ledger's sum is made one öre larger)."""
    from sifra.funds.selectors import Balances
    from sifra.reports import selectors

    def off_by_one(*, fund, at=None):
        b = fund_balances(fund=fund, at=at)
        return Balances(capital=b.capital + 1, committed=b.committed, claims=b.claims)

    monkeypatch.setattr(selectors, "fund_balances", off_by_one)
    report = annual_report(fund=small_fund, year=2024, user=users["auditor"])
    assert report.closing.capital == 9_600_000 * KR + 50  # the snapshot
    assert report.opening.capital == 9_000_000 * KR  # 2023's snapshot
    assert report.ledger_closing.capital == 9_600_000 * KR + 51
    assert not report.agrees


def test_movements_by_kind(report):
    rows = {k.kind: k for k in report.kinds}
    assert [k.kind for k in report.kinds] == [
        "deposit",
        "commitment",
        "release",
        "disbursement",
        "claim",
        "repayment",
        "write_off",
    ]
    deposit = rows["deposit"]
    assert (deposit.entries, deposit.posted, deposit.reversed, deposit.net) == (
        2,
        2_000_100 * KR + 50,
        100 * KR,
        2_000_000 * KR + 50,
    )
    assert rows["commitment"].net == 1_000_000 * KR
    assert rows["release"].net == 250_000 * KR
    assert rows["disbursement"].net == 1_500_000 * KR
    assert rows["claim"].net == 300_000 * KR
    assert rows["repayment"].net == 100_000 * KR
    assert rows["write_off"].net == 50_000 * KR
    # the effects add up to the change between the balances
    assert sum(k.capital for k in report.kinds) == 600_000 * KR + 50 == report.change.capital
    assert sum(k.committed for k in report.kinds) == -750_000 * KR == report.change.committed
    assert sum(k.claims for k in report.kinds) == 150_000 * KR == report.change.claims


def test_movements_by_project(report):
    rows = {m.code: m for m in report.project_movements}
    assert set(rows) == {"P-1", "P-2"}
    p1, p2 = rows["P-1"], rows["P-2"]
    assert (p1.committed, p1.disbursed, p1.claimed, p1.repaid, p1.written_off) == (
        0,
        1_500_000 * KR,
        300_000 * KR,
        100_000 * KR,
        50_000 * KR,
    )
    assert (p1.committed_end, p1.claims_end) == (1_500_000 * KR, 150_000 * KR)
    assert (p2.committed, p2.released, p2.committed_end) == (
        1_000_000 * KR,
        250_000 * KR,
        750_000 * KR,
    )


def test_decisions_of_the_year(report):
    assert [
        (d.reference, d.outcome, d.requested, d.granted, d.minute_ref) for d in report.decisions
    ] == [
        ("P-2", "approved", None, 1_000_000 * KR, "KSAU § 9/2024"),
        (report.decisions[1].reference, "rejected", 800_000 * KR, 0, "KSAU § 7/2024"),
    ]
    t = report.decision_totals
    assert (t.approved, t.granted, t.rejected, t.rejected_requested) == (
        1,
        1_000_000 * KR,
        1,
        800_000 * KR,
    )


def test_projects_and_their_money_to_the_year_end(report):
    rows = {p.code: p for p in report.projects}
    p1, p2 = rows["P-1"], rows["P-2"]
    assert (p1.granted, p1.disbursed, p1.committed_end, p1.repaid, p1.claims_end) == (
        4_000_000 * KR,
        2_500_000 * KR,
        1_500_000 * KR,
        100_000 * KR,
        150_000 * KR,
    )
    assert (p2.granted, p2.disbursed, p2.committed_end) == (750_000 * KR, 0, 750_000 * KR)
    assert p1.status == "active"


def test_claims_by_unit_add_up_to_the_ledger(report, small_fund):
    (row,) = report.claims
    assert row.unit == "Socialnämnden"
    assert (row.outstanding_start, row.claimed, row.repaid, row.written_off) == (
        0,
        300_000 * KR,
        100_000 * KR,
        50_000 * KR,
    )
    assert (row.outstanding_end, row.overdue, row.overdue_claims) == (150_000 * KR, 150_000 * KR, 1)
    assert report.claim_totals.outstanding_end == report.closing.claims
    assert fund_balances(fund=small_fund, at=dt.date(2024, 12, 31)).claims == 150_000 * KR


def test_the_year_before_had_nothing_of_this(small_fund, users):
    report = annual_report(fund=small_fund, year=2023, user=users["economist"])
    assert report.opening == Figures(0, 0, 0)
    assert report.closing == Figures(9_000_000 * KR, 3_000_000 * KR, 0)
    assert report.claims == [] and report.decisions[0].granted == 4_000_000 * KR
    assert [p.code for p in report.project_movements] == ["P-1"]


@pytest.mark.parametrize("role", ["coordinator", "decision_maker", "economist", "auditor"])
def test_readers(small_fund, users, role):
    assert annual_report(fund=small_fund, year=2024, user=users[role]).year == 2024


@pytest.mark.parametrize("role", ["applicant", "council"])
def test_others_may_not_read_it(small_fund, users, role):
    with pytest.raises(PermissionDenied):
        annual_report(fund=small_fund, year=2024, user=users[role])


@pytest.mark.parametrize("year", [2022, dt.date.today().year + 1, 0, 10**12])
def test_a_year_the_fund_does_not_have_names_the_year(small_fund, year):
    with pytest.raises(ValidationError) as caught:
        build_annual_report(fund=small_fund, year=year)
    last = dt.date.today().year
    assert caught.value.message_dict == {
        "year": [str(NO_SUCH_YEAR % {"year": year, "first": 2023, "last": last})]
    }


def test_json_gives_ore_and_kronor(report):
    data = as_json(report)
    assert data["closing"]["capital_ore"] == 960_000_050
    assert data["closing"]["capital"] == "9600000.50"
    assert data["closing"]["available_ore"] == 735_000_050
    assert data["agrees"] is True and data["source"] == "snapshot"
    assert data["decisions"][0]["requested_ore"] is None
    assert data["decisions"][0]["decided_on"] == "2024-05-01"
    assert "series" not in data


def test_forecast_is_the_case_s_savings_for_the_municipality():
    """10 participants, effect 0,5 for two years: 5 per year; the municipality's actor saves
    1 000 kr each (5 000 kr a year), the region's 500 kr are left out."""
    case = {
        "case": {"title": "T", "start_year": 2020, "horizon": 4, "discount_rate": 0.0},
        "actors": [
            {"id": "soc", "name": "Socialnämnden", "sector": "kommun"},
            {"id": "reg", "name": "Regionen", "sector": "region"},
        ],
        "participants": {"entering": [10]},
        "outcomes": [
            {"name": "o", "effect": 0.5, "duration": 2, "unit_costs": {"soc": 1000, "reg": 500}}
        ],
    }
    assert sections._forecast(case) == {2020: 5_000 * KR, 2021: 5_000 * KR}
    assert sections._forecast({"case": {}}) is None


def test_verified_savings_against_the_forecast_and_evaluations(funded, unit_a, users):
    """The Norrköping case saves 120 × 0,2 × 450 000 kr = 10 800 000 kr a year from 2026; half
    of it verified for 2026 is 50 % of the forecast."""
    project = approved_case_project(funded, unit_a, users)
    saving_verify(
        project=project,
        year=2026,
        unit=unit_a,
        amount=5_400_000 * KR,
        evidence_kind="finance",
        evidence="Ekonomisystemet.",
        acting_user=users["economist"],
    )
    evaluation_record(
        project=project,
        method="rct",
        effect=Decimal("0.14"),
        ci_low=Decimal("0.04"),
        ci_high=Decimal("0.24"),
        evaluator="FoU",
        acting_user=users["economist"],
    )
    report = annual_report(fund=funded, year=2026, user=users["auditor"])
    (row,) = report.savings
    assert (row.year, row.verified, row.forecast, row.realisation) == (
        2026,
        5_400_000 * KR,
        10_800_000 * KR,
        0.5,
    )
    assert report.saving_totals.realisation == 0.5
    (evaluation,) = report.evaluations
    assert (evaluation.effect, evaluation.assessed) == (Decimal("0.14"), False)
    assert not report.closed and report.source == "ledger" and not report.ended
    assert report.as_of == dt.date.today()


# --- Invariants ---------------------------------------------------------------------------------

MOVES = st.lists(
    st.tuples(
        st.sampled_from(["deposit", "commitment", "disbursement", "release"]),
        st.integers(min_value=1, max_value=5_000_000),
        st.integers(min_value=0, max_value=2),  # days after 30 December 2024
    ),
    max_size=8,
)


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(moves=MOVES)
@pytest.mark.django_db
def test_opening_plus_the_year_s_movements_is_the_closing(moves, fund, project, coordinator):
    """Whatever is posted around the turn of the year (what the rules refuse is skipped), each
    year's report runs from the last one's closing through its movements to its own closing,
    which is the ledger's at 31 December."""
    from sifra.funds import services

    fund = services.fund_update(
        fund=fund, acting_user=coordinator, established_on=dt.date(2024, 1, 1)
    )
    for kind, amount, days in moves:
        try:
            services.ledger_entry_post(
                fund=fund,
                kind=kind,
                amount=amount,
                text="T",
                date=dt.date(2024, 12, 30) + dt.timedelta(days=days),
                project=None if kind == "deposit" else project,
                acting_user=coordinator,
            )
        except ValidationError:
            continue
    first = build_annual_report(fund=fund, year=2024)
    second = build_annual_report(fund=fund, year=2025)
    assert second.opening == first.closing
    for r in (first, second):
        assert r.agrees
        b = fund_balances(fund=fund, at=dt.date(r.year, 12, 31))
        assert r.closing == Figures(b.capital, b.committed, b.claims)
        assert r.opening.capital + sum(k.capital for k in r.kinds) == r.closing.capital
        assert r.opening.committed + sum(k.committed for k in r.kinds) == r.closing.committed
