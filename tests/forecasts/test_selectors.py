"""The selector reads a fund into the model's plain data: year 0 is the ledger to the öre, the
realisation factor comes from verified savings against the case."""

import datetime as dt

import pytest

from sifra.forecasts.policy import build_policy
from sifra.forecasts.selectors import (
    default_policy_values,
    forecast_document,
    fund_forecast_input,
)
from sifra.funds.selectors import fund_balances
from tests.factories import MSEK

TODAY = dt.date(2026, 11, 27)


def test_year_zero_is_the_ledger_to_the_ore(verified_half):
    fund = verified_half.fund
    balances = fund_balances(fund=fund)
    # 10 MSEK deposited, 3 MSEK committed, a 2 700 000 kr claim
    assert (balances.capital, balances.committed, balances.claims) == (
        10 * MSEK,
        3 * MSEK,
        2_700_000_00,
    )
    doc = forecast_document(fund, build_policy(years=3, iterations=200), today=TODAY)
    assert doc["start"] == {
        "date": "2026-11-27",
        "capital_ore": balances.capital,
        "committed_ore": balances.committed,
        "available_ore": balances.available,
        "claims_ore": balances.claims,
    }
    zero = doc["years"][0]
    assert zero["year"] == 2026
    assert {round(v * 100) for v in zero["capital"].values()} == {10 * MSEK}
    assert {round(v * 100) for v in zero["available"].values()} == {7 * MSEK}
    assert doc["fund"] == {"id": fund.pk, "name": fund.name}


def test_the_realisation_factor_is_verified_savings_over_the_case_and_where_it_came_from(
    verified_half,
):
    read = fund_forecast_input(verified_half.fund, TODAY)
    # 5 400 000 verified ÷ 10 800 000 forecast for Socialnämnden in 2026
    assert read.realisation.factor == pytest.approx(0.5)
    assert read.realisation.projects == 1
    assert read.realisation.years == (2026,)
    assert read.realisation.verified_ore == 5_400_000_00
    assert read.realisation.forecast_ore == 10_800_000_00
    assert read.data.realisation.factor == pytest.approx(0.5)


def test_without_verified_savings_the_factor_is_one(case_project):
    read = fund_forecast_input(case_project.fund, TODAY)
    assert read.realisation.factor == 1.0 and read.realisation.projects == 0


def test_the_agreement_becomes_a_savings_share_with_what_is_left_under_the_cap(verified_half):
    read = fund_forecast_input(verified_half.fund, TODAY)
    (project,) = read.data.projects
    s = project.savings
    assert s is not None
    assert s.share == 0.5 and s.actors == ("soc",)
    # cap 3 000 000 granted less the 2 700 000 claimed
    assert s.room_ore == 300_000_00
    assert s.first_year == 2027  # 2026 is verified
    # the 3 MSEK committed and nothing disbursed: the budget line of 2026 is counted in year 1
    assert project.outstanding_ore == 3 * MSEK
    assert project.disbursement_years == ((2026, 3 * MSEK),)
    # the open claim, due 30 June 2027
    assert [(c.outstanding_ore, c.due_year) for c in read.data.claims] == [(2_700_000_00, 2027)]


def test_the_forecast_of_the_fund_by_hand(verified_half):
    # 2027: + 2 700 000 (the claim; no claim has been due yet, so the share paid is 1)
    #       − 3 000 000 (the commitment disbursed); the fund has no planned top-up
    # 2028: 2027's saving 10 800 000 × 0,5 realised × 50 % = 2 700 000, capped at the 300 000 left
    policy = build_policy(years=3, iterations=1, new_grants="0")
    doc = forecast_document(verified_half.fund, policy, today=TODAY)
    capital = [round(y["capital"]["p50"] * 100) for y in doc["years"]]
    assert capital == [10 * MSEK, 9_700_000_00, 10 * MSEK, 10 * MSEK]
    assert doc["realisation"]["factor"] == pytest.approx(0.5)


def test_the_policy_form_is_prefilled_from_the_fund(verified_half):
    from sifra.funds.models import Fund

    Fund.objects.filter(pk=verified_half.fund_id).update(annual_topup=5 * MSEK)
    fund = Fund.objects.get(pk=verified_half.fund_id)
    # new grants: 2023–2025 had none (the 3 MSEK was granted in 2026)
    assert default_policy_values(fund, TODAY) == {"topup": 5 * MSEK, "new_grants": 0, "floor": 0}
    assert default_policy_values(fund, dt.date(2027, 3, 1))["new_grants"] == 1 * MSEK


def test_the_selector_reads_in_a_number_of_queries_that_does_not_grow_with_projects(
    verified_half, unit_b, users
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sifra.funds.services import ledger_entry_post
    from sifra.projects.services import project_create
    from sifra.repayment.services import agreement_set

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            fund_forecast_input(verified_half.fund, TODAY)
        return len(queries)

    before = count()
    for i in range(4):
        p = project_create(
            fund=verified_half.fund,
            acting_user=users["coordinator"],
            code=f"X-{i}",
            title="Fler",
            lead_unit=unit_b,
        )
        ledger_entry_post(
            fund=p.fund,
            kind="commitment",
            amount=100_000_00,
            text="Beviljat",
            date=dt.date(2026, 2, 1),
            project=p,
            acting_user=users["coordinator"],
        )
        agreement_set(
            project=p,
            model="fixed",
            acting_user=users["economist"],
            shares=[(unit_b, 100)],
            instalments=[(2028, 50_000_00)],
        )
    assert count() == before
