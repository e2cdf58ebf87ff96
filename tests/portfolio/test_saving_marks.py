"""CaseSavingYear.verified: whether a verified saving of the project stands for that year, kept
with the savings so that the fund's realisation factor is a filter, not a lookup per row. The
portfolio fund (conftest): P-A has a saving for 2021, P-B for 2020, and each case forecasts
500 000 kr for 2020, 2021 and 2022."""

import datetime as dt
import importlib
import io

from django.apps import apps
from django.core.management import call_command

from sifra.portfolio import selectors
from sifra.portfolio.models import CaseSavingYear
from sifra.portfolio.summaries import case_summaries_refresh, saving_year_problems
from sifra.repayment.services import saving_reverse, saving_verify

KR = 100  # öre


def _marked(fund):
    rows = CaseSavingYear.objects.filter(project__fund=fund, verified=True)
    return sorted(rows.values_list("project__code", "year"))


def _totals(fund):
    return selectors.portfolio_totals(selectors.portfolio_projects(fund=fund))


def test_the_rows_are_marked_when_written(portfolio_fund):
    fund, _a, _b = portfolio_fund
    case_summaries_refresh(fund=fund)
    assert _marked(fund) == [("P-A", 2021), ("P-B", 2020)]
    assert saving_year_problems() == []
    # the forecast of the years with savings: 500 000 kr each
    assert _totals(fund).forecast == 1_000_000 * KR


def test_verifying_and_reversing_a_saving_moves_the_mark(portfolio_fund, users, unit_b):
    fund, a, _b = portfolio_fund
    case_summaries_refresh(fund=fund)
    saving = saving_verify(
        project=a, year=2022, unit=unit_b, amount=10_000_000, evidence_kind="finance",
        evidence="Bokslut 2022", acting_user=users["economist"], date=dt.date(2023, 3, 1),
    )  # fmt: skip
    assert _marked(fund) == [("P-A", 2021), ("P-A", 2022), ("P-B", 2020)]
    assert _totals(fund).forecast == 1_500_000 * KR
    saving_reverse(
        saving=saving, reason="Fel år i underlaget", acting_user=users["economist"],
        date=dt.date(2023, 4, 1),
    )  # fmt: skip
    assert _marked(fund) == [("P-A", 2021), ("P-B", 2020)]
    assert _totals(fund).forecast == 1_000_000 * KR
    assert saving_year_problems() == []


def test_a_second_saving_of_the_same_year_keeps_the_mark_when_one_is_reversed(
    portfolio_fund, users, unit_a
):
    """P-A's 2021 has unit B's saving; unit A's saving of 2021 comes and goes: the year stays
    marked, since unit B's still stands."""
    fund, a, _b = portfolio_fund
    case_summaries_refresh(fund=fund)
    saving = saving_verify(
        project=a, year=2021, unit=unit_a, amount=5_000_000, evidence_kind="finance",
        evidence="Bokslut 2021", acting_user=users["economist"], date=dt.date(2022, 4, 1),
    )  # fmt: skip
    saving_reverse(
        saving=saving, reason="Dubbelräknad", acting_user=users["economist"],
        date=dt.date(2022, 5, 1),
    )  # fmt: skip
    assert _marked(fund) == [("P-A", 2021), ("P-B", 2020)]


def test_the_migration_and_the_command_set_the_marks_from_the_savings(portfolio_fund):
    fund, _a, _b = portfolio_fund
    case_summaries_refresh(fund=fund)
    rows = CaseSavingYear.objects.all()
    rows.update(verified=False)
    assert len(saving_year_problems()) == 2
    importlib.import_module("sifra.portfolio.migrations.0003_case_saving_year_verified").fill(
        apps, None
    )
    assert _marked(fund) == [("P-A", 2021), ("P-B", 2020)]
    rows.update(verified=True)  # every one wrong but the two
    assert len(saving_year_problems()) == 4
    out = io.StringIO()
    call_command("portfolio_rebuild_marks", stdout=out)
    assert f"{fund.name}: 4 forecast years set" in out.getvalue()
    assert _marked(fund) == [("P-A", 2021), ("P-B", 2020)]
    assert saving_year_problems() == []
