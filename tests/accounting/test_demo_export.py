"""The demo's closed years exported as SIE 4 and read back: every verification balances, the sums
per account are the ledger's movements per kind for the year, and the balances end where each
year's closing snapshot says (issue 12's "done when")."""

import pytest
from django.core.management import call_command
from django.db.models import Q, Sum

from sifra.accounting import export
from sifra.funds.models import FiscalYearClosing, Fund, LedgerEntry
from tests.accounting.siereader import read


def kind_total(fund, year, kind):
    """The year's entries of `kind`, less the reversals of such entries, in öre."""
    in_year = LedgerEntry.objects.filter(fund=fund, date__year=year)
    own = in_year.filter(kind=kind).aggregate(s=Sum("amount"))["s"] or 0
    undone = in_year.filter(Q(kind="reversal") & Q(reverses__kind=kind))
    return own - (undone.aggregate(s=Sum("amount"))["s"] or 0)


@pytest.mark.django_db
def test_the_demos_closed_years_read_back_balanced_and_equal_to_the_ledger():
    call_command("demo_data", stdout=None)
    fund = Fund.objects.get()
    closings = list(FiscalYearClosing.objects.filter(fund=fund).order_by("year"))
    assert closings, "the demo closes its past years"
    for closing in closings:
        year = closing.year
        back = read(export.sie_bytes(fund=fund, year=year))
        assert back.vers, year
        assert all(sum(t.amount for t in v.transactions) == 0 for v in back.vers)
        assert len(back.vers) == LedgerEntry.objects.filter(fund=fund, date__year=year).count()
        total = {k: kind_total(fund, year, k) for k in ("deposit", "commitment", "release")}
        total |= {k: kind_total(fund, year, k) for k in ("disbursement", "claim", "repayment")}
        total["write_off"] = kind_total(fund, year, "write_off")
        sums = back.sums()
        assert sums.get("1930", 0) == total["deposit"] + total["repayment"] - total["disbursement"]
        assert sums.get("1680", 0) == total["claim"] - total["repayment"] - total["write_off"]
        assert sums.get("2032", 0) == -(
            total["commitment"] - total["release"] - total["disbursement"]
        )
        assert sums.get("4590", 0) == total["disbursement"]
        assert sums.get("3590", 0) == -total["repayment"]
        # the year ends where its snapshot says, once its result is carried to equity
        assert back.ub["1930"] == closing.capital
        assert back.ub["1680"] == closing.claims
        assert back.ub["2032"] == -closing.committed
        assert back.ub["2031"] + sum(back.res.values()) == -closing.available
        following = read(export.sie_bytes(fund=fund, year=year + 1))
        assert following.ib["2031"] == -closing.available
