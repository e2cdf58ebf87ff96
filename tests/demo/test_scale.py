"""`sifra demo_data --projects N`: the synthetic fund's size per project (so that N = 2 000
gives at least 200 000 indicator values and 50 000 ledger entries) and its ledger's rules."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from sifra.applications.models import Application
from sifra.demo.scale import build_scale, ledger_problems
from sifra.followup.models import IndicatorValue, ProgressReport, ProjectBudgetLine
from sifra.funds.models import FiscalYearClosing, LedgerDay, LedgerEntry
from sifra.funds.services import ledger_entry_post
from sifra.portfolio.models import CaseSummary
from sifra.repayment.models import Agreement, Claim, ClaimPayment, VerifiedSaving

N = 40


@pytest.fixture
def scale(org, users):
    return build_scale(N)


def test_the_sizes_scale_to_a_large_municipality(scale):
    fund = scale.fund
    projects = fund.projects.count()
    assert projects == N
    # per project at least 100 indicator values and 25 ledger entries: 2 000 projects give
    # at least 200 000 and 50 000
    values = IndicatorValue.objects.filter(report__project__fund=fund).count()
    entries = LedgerEntry.objects.filter(fund=fund).count()
    assert values >= 100 * N and entries >= 25 * N
    assert (scale.indicator_values, scale.entries) == (values, entries)
    assert Application.objects.filter(project__fund=fund, case__isnull=False).count() == N
    assert Agreement.objects.filter(project__fund=fund).count() == N
    assert ProjectBudgetLine.objects.filter(project__fund=fund).count() == 6 * N
    assert ProgressReport.objects.filter(project__fund=fund).count() >= 10 * N
    assert VerifiedSaving.objects.filter(project__fund=fund).count() > N
    assert Claim.objects.filter(project__fund=fund).count() > N
    assert ClaimPayment.objects.filter(claim__project__fund=fund).count() > N // 2
    assert CaseSummary.objects.filter(project__fund=fund, npv__isnull=False).count() == N


def test_the_ledger_keeps_its_rules_after_the_bulk_build(scale):
    fund = scale.fund
    assert ledger_problems(fund) == []
    today = dt.date.today()
    closed = set(FiscalYearClosing.objects.filter(fund=fund).values_list("year", flat=True))
    assert closed == set(range(today.year - 20, today.year))
    # the day totals equal the entries per project too
    for project in fund.projects.all()[:5]:
        entries = LedgerEntry.objects.filter(project=project)
        days = LedgerDay.objects.filter(project=project)
        assert sum(e.d_committed for e in entries) == sum(d.d_committed for d in days)
        assert sum(e.d_claims for e in entries) == sum(d.d_claims for d in days)


def test_the_services_post_on_after_the_bulk_build(scale, users):
    fund = scale.fund
    ledger_entry_post(
        fund=fund, kind="deposit", amount=100, text="Tillskott", date=dt.date.today(),
        acting_user=users["coordinator"],
    )  # fmt: skip
    assert ledger_problems(fund) == []


def test_ledger_problems_finds_a_broken_day_total(scale):
    day = LedgerDay.objects.filter(fund=scale.fund, project__isnull=True).first()
    LedgerDay.objects.filter(pk=day.pk).update(d_capital=day.d_capital + 1)
    assert ledger_problems(scale.fund) == ["the fund's day totals differ from the entries"]


def test_the_command_refuses_a_bad_number(db):
    with pytest.raises(CommandError, match="--projects"):
        call_command("demo_data", projects=0)
