"""A fund with two projects whose cases are simple enough to compute by hand.

Each case: 10 participants enter in year 0; an annual outcome with effect 0.5 lasting three
years saves the municipality's committee 100 000 kr and the region 50 000 kr per avoided
participant-year, so the municipality's forecast savings are 10 × 0.5 × 100 000 = 500 000 kr in
each of the three years (the region's 250 000 kr a year are not the municipality's). The
costs: 1 000 000 kr in year 0, borne by the committee."""

import datetime as dt
from decimal import Decimal

import pytest

from sifra.applications.models import Application, Status
from sifra.funds.services import ledger_entry_post
from sifra.projects.services import project_create
from sifra.repayment.models import Model
from sifra.repayment.services import agreement_set

MSEK = 100_000_000


def hand_case(start_year: int = 2020) -> dict:
    return {
        "case": {"title": "Handräknat", "start_year": start_year, "horizon": 3,
                 "discount_rate": 0.035},
        "actors": [
            {"id": "soc", "name": "Socialnämnden", "sector": "kommun"},
            {"id": "reg", "name": "Regionen", "sector": "region"},
        ],
        "costs": [{"name": "Personal", "actor": "soc", "amounts": [1_000_000]}],
        "participants": {"entering": [10]},
        "outcomes": [
            {"name": "Placering undviks", "effect": 0.5, "duration": 3,
             "unit_costs": {"soc": 100_000, "reg": 50_000}}
        ],
    }  # fmt: skip


def _project(fund, code, lead, coordinator, start_year=2020, case=True):
    project = project_create(
        fund=fund,
        acting_user=coordinator,
        code=code,
        title=f"Projekt {code}",
        lead_unit=lead,
        start_date=dt.date(start_year, 3, 1),
        end_date=dt.date(start_year + 2, 12, 31),
        decision_ref="KSAU § 1/2020",
    )
    if case:
        Application.objects.create(
            fund=fund,
            reference=f"A-{code}",
            title=project.title,
            status=Status.APPROVED,
            lead_unit=lead,
            created_by=coordinator,
            case=hand_case(start_year),
            project=project,
        )
    return project


def post(fund, user, kind, amount, date, project=None):
    return ledger_entry_post(
        fund=fund, kind=kind, amount=amount, date=date, text=kind, project=project,
        acting_user=user,
    )  # fmt: skip


@pytest.fixture
def portfolio_fund(fund, unit_a, unit_b, users):
    return build_portfolio_fund(fund, unit_a, unit_b, users)


def build_portfolio_fund(fund, unit_a, unit_b, users):
    """Project P-A (unit A leads): granted 2 MSEK, released 0,5, disbursed 1 MSEK, savings
    share 50 % to unit B, which saved 250 000 kr in 2021 (forecast 500 000: factor 0,5).
    Project P-B (unit B leads): granted 1 MSEK, disbursed 1 MSEK, savings share 50 % to unit
    B, which saved 600 000 kr in 2020 and repaid its claim of 300 000 kr in full."""
    from sifra.repayment.services import claim_pay, saving_verify

    coordinator, economist = users["coordinator"], users["economist"]
    post(fund, coordinator, "deposit", 10 * MSEK, dt.date(2020, 1, 2))
    a = _project(fund, "P-A", unit_a, coordinator)
    b = _project(fund, "P-B", unit_b, coordinator)
    post(fund, coordinator, "commitment", 2 * MSEK, dt.date(2020, 2, 1), a)
    post(fund, coordinator, "release", MSEK // 2, dt.date(2020, 6, 1), a)
    post(fund, coordinator, "disbursement", MSEK, dt.date(2020, 7, 1), a)
    post(fund, coordinator, "commitment", MSEK, dt.date(2020, 2, 1), b)
    post(fund, coordinator, "disbursement", MSEK, dt.date(2020, 7, 1), b)
    for project in (a, b):
        agreement_set(
            project=project,
            model=Model.SAVINGS_SHARE,
            share=Decimal(50),
            shares=[(unit_b, Decimal(100))],
            acting_user=economist,
        )
    saving_verify(
        project=a, year=2021, unit=unit_b, amount=25_000_000, evidence_kind="finance",
        evidence="Bokslut 2021", acting_user=economist, date=dt.date(2022, 3, 1),
    )  # fmt: skip
    saving_verify(
        project=b, year=2020, unit=unit_b, amount=60_000_000, evidence_kind="finance",
        evidence="Bokslut 2020", acting_user=economist, date=dt.date(2021, 3, 1),
    )  # fmt: skip
    claim = b.claims.get()
    claim_pay(
        claim=claim, amount=claim.amount, kind="repayment", acting_user=economist,
        date=dt.date(2021, 9, 1),
    )  # fmt: skip
    return fund, a, b
