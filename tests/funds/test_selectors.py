"""The ledger's reads on a ledger with entries on four days; every expected number is worked out
by hand in the fixture's table."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from sifra.funds import services
from sifra.funds.selectors import (
    LedgerFilter,
    fund_balance_series,
    fund_balances,
    funds_visible,
    ledger_entries,
    next_closable_year,
    project_balances,
)

MSEK = 100_000_000
FEB_1, MAR_1, MAR_2 = dt.date(2026, 2, 1), dt.date(2026, 3, 1), dt.date(2026, 3, 2)


def post(fund, user, kind, amount, project, date, text):
    return services.ledger_entry_post(
        fund=fund, kind=kind, amount=amount, text=text, date=date, project=project, acting_user=user
    )


@pytest.fixture
def busy(funded, project, other_project, coordinator, users):
    """#  date        kind          project  kronor      capital    committed  claims
    1  2026-01-15  deposit       –        10 000 000  10 000 000          0        0
    2  2026-02-01  commitment    P-1       4 000 000
    3  2026-02-01  commitment    P-2       1 000 000  10 000 000  5 000 000        0
    4  2026-03-01  disbursement  P-1       1 000 000
    5  2026-03-01  claim         P-1         500 000   9 000 000  4 000 000  500 000
    6  2026-03-02  repayment     P-1         200 000
    7  2026-03-02  write_off     P-1         100 000
    8  2026-03-02  release       P-2         250 000   9 200 000  3 750 000  200 000
    """
    economist = users["economist"]
    post(funded, coordinator, "commitment", 4 * MSEK, project, FEB_1, "Beviljat P-1")
    post(funded, coordinator, "commitment", 1 * MSEK, other_project, FEB_1, "Beviljat P-2")
    post(funded, coordinator, "disbursement", 1 * MSEK, project, MAR_1, "Utbetalning")
    post(funded, economist, "claim", 50_000_000, project, MAR_1, "Fordran")
    post(funded, economist, "repayment", 20_000_000, project, MAR_2, "Återbetalning")
    post(funded, economist, "write_off", 10_000_000, project, MAR_2, "Avskrivning")
    post(funded, coordinator, "release", 25_000_000, other_project, MAR_2, "Frigjort")
    return funded


def test_the_series_has_the_balances_at_the_end_of_every_day_with_entries(busy):
    rows = [
        (r["date"], r["capital"], r["committed"], r["available"], r["claims"])
        for r in fund_balance_series(fund=busy)
    ]
    assert rows == [
        (dt.date(2026, 1, 15), 1_000_000_000, 0, 1_000_000_000, 0),
        (FEB_1, 1_000_000_000, 500_000_000, 500_000_000, 0),
        (MAR_1, 900_000_000, 400_000_000, 500_000_000, 50_000_000),
        (MAR_2, 920_000_000, 375_000_000, 545_000_000, 20_000_000),
    ]


def test_a_fund_without_entries_has_an_empty_series_and_zero_balances(fund):
    assert fund_balance_series(fund=fund) == []
    b = fund_balances(fund=fund)
    assert (b.capital, b.committed, b.available, b.claims) == (0, 0, 0, 0)


def test_balances_at_a_date_count_the_entries_of_that_day(busy, project, other_project):
    before = fund_balances(fund=busy, at=dt.date(2026, 2, 28))
    assert (before.capital, before.committed, before.claims) == (1_000_000_000, 500_000_000, 0)
    on = fund_balances(fund=busy, at=MAR_1)
    assert (on.capital, on.committed, on.claims) == (900_000_000, 400_000_000, 50_000_000)
    p1 = project_balances(project=project, at=MAR_1)
    assert (p1.capital, p1.committed, p1.claims) == (-100_000_000, 300_000_000, 50_000_000)
    p2 = project_balances(project=other_project)
    assert (p2.committed, p2.available, p2.claims) == (75_000_000, -75_000_000, 0)


def numbers(fund, user, **filters):
    entries = ledger_entries(fund=fund, user=user, filters=LedgerFilter(**filters))
    return [e.number for e in entries]


def test_each_filter_of_the_ledger(busy, users, project, coordinator):
    assert numbers(busy, coordinator) == [1, 2, 3, 4, 5, 6, 7, 8]
    assert numbers(busy, coordinator, text="beviljat") == [2, 3]
    assert numbers(busy, coordinator, text="P-2") == [3]
    assert numbers(busy, coordinator, kind="commitment") == [2, 3]
    assert numbers(busy, coordinator, project_id=project.pk) == [2, 4, 5, 6, 7]
    assert numbers(busy, coordinator, fiscal_year=2026) == [1, 2, 3, 4, 5, 6, 7, 8]
    assert numbers(busy, coordinator, fiscal_year=2025) == []
    assert numbers(busy, coordinator, date_from=MAR_1) == [4, 5, 6, 7, 8]
    assert numbers(busy, coordinator, date_to=MAR_1) == [1, 2, 3, 4, 5]
    assert numbers(busy, coordinator, date_from=MAR_1, date_to=MAR_1, kind="claim") == [5]


def test_applicants_see_the_fund_entries_and_their_own_units_projects(busy, users):
    assert numbers(busy, users["applicant"]) == [1, 2, 4, 5, 6, 7]  # unit A: P-1
    assert numbers(busy, users["outsider"]) == [1, 3, 8]  # unit B: P-2
    assert numbers(busy, users["outsider"], kind="commitment") == [3]
    assert numbers(busy, AnonymousUser()) == [1]
    assert numbers(busy, users["auditor"]) == [1, 2, 3, 4, 5, 6, 7, 8]


def test_every_signed_in_role_sees_the_funds_and_no_one_else(fund, users):
    assert list(funds_visible(user=users["applicant"])) == [fund]
    assert list(funds_visible(user=AnonymousUser())) == []


def test_the_year_to_close_first_is_the_earliest_of_establishment_and_first_entry(
    funded, coordinator
):
    assert next_closable_year(fund=funded) == 2026  # first entry 2026-01-15, not established
    funded = services.fund_update(
        fund=funded, acting_user=coordinator, established_on=dt.date(2024, 6, 1)
    )
    assert next_closable_year(fund=funded) == 2024


def test_nothing_to_close_without_entries_or_establishment(org, coordinator):
    empty = services.fund_create(organisation=org, acting_user=coordinator, name="Tom")
    assert next_closable_year(fund=empty) is None
    empty = services.fund_update(
        fund=empty, acting_user=coordinator, established_on=dt.date(2025, 2, 1)
    )
    assert next_closable_year(fund=empty) == 2025


def test_the_funds_list_has_each_funds_balances_now(busy, fund, org, coordinator):
    """funds_balances reads the whole fund's day totals (the deposit has no project): capital
    9 200 000 kr, committed 3 750 000 kr, claims 200 000 kr; a fund without entries, zeros."""
    from sifra.funds.models import Fund
    from sifra.funds.selectors import funds_balances

    empty = services.fund_create(
        organisation=org, name="Tom fond", acting_user=coordinator, established_on=FEB_1
    )
    rows = {f.pk: (b.capital, b.committed, b.claims) for f, b in funds_balances(Fund.objects.all())}
    assert rows == {busy.pk: (920_000_000, 375_000_000, 20_000_000), empty.pk: (0, 0, 0)}


def test_projects_with_and_without_entries_have_their_balances(
    busy, project, other_project, coordinator
):
    """projects_with_balances: P-1 has 3 000 000 kr committed and 200 000 kr claimed; a
    project without entries has 0 of both, not a missing value."""
    from sifra.funds.selectors import projects_with_balances
    from sifra.projects.models import Project
    from sifra.projects.services import project_create

    quiet = project_create(
        fund=busy,
        code="P-3",
        title="Utan poster",
        lead_unit=project.lead_unit,
        acting_user=coordinator,
    )
    rows = {
        p.pk: (p.committed_balance, p.claims_balance)
        for p in projects_with_balances(Project.objects.all())
    }
    assert rows[project.pk] == (300_000_000, 20_000_000)
    assert rows[other_project.pk] == (75_000_000, 0)
    assert rows[quiet.pk] == (0, 0)
