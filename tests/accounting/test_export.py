"""The SIE 4 export of a fund's ledger, read back by the tests' own reader: every verification
balances, there is one per ledger entry, the sums per account are the ledger's movements, the
balances chain from year to year and end where the closing snapshot says; and a golden file."""

import datetime as dt
import os
from pathlib import Path

import pytest

from sifra.accounting import export
from sifra.funds.models import FiscalYearClosing, LedgerEntry
from tests.accounting.siereader import read

GOLDEN = Path(__file__).parent / "golden" / "fund-2025.se"
CASH, CLAIMS, AVAILABLE, COMMITTED, OFFSET, GRANTS, REPAYMENTS = (
    "1930",
    "1680",
    "2031",
    "2032",
    "2039",
    "4590",
    "3590",
)


def sie(fund, year):
    return read(export.sie_bytes(fund=fund, year=year))


def test_every_verification_balances_and_each_entry_is_one(books):
    for year in (2024, 2025, 2026):
        back = sie(books, year)
        for ver in back.vers:
            assert sum(t.amount for t in ver.transactions) == 0, ver
        numbers = LedgerEntry.objects.filter(fund=books, date__year=year).values_list(
            "number", flat=True
        )
        assert [int(v.number) for v in back.vers] == sorted(numbers)


def test_2025_per_account_sums_are_the_ledgers_movements(books):
    # by hand from the fixture's 2025 entries, in kronor (debit positive):
    # cash: +2 000 000 deposit −1 500 000 −250 000 +250 000 (reversed) +300 000,50 repayment
    # claims: +800 000 claim −300 000,50 repaid −100 000 written off
    # available: −2 000 000 deposit −500 000 release −1 500 000 −250 000 +250 000 disbursed
    # committed: +500 000 release +1 500 000 +250 000 −250 000 disbursed
    expected = {
        CASH: 80_000_050,
        CLAIMS: 39_999_950,
        AVAILABLE: -400_000_000,
        COMMITTED: 200_000_000,
        OFFSET: -39_999_950,
        GRANTS: 150_000_000,
        REPAYMENTS: -30_000_050,
    }
    back = sie(books, 2025)
    assert back.sums() == expected
    assert back.res == {GRANTS: 150_000_000, REPAYMENTS: -30_000_050}


def test_the_sums_follow_the_ledgers_own_balance_columns(books):
    """The balance accounts move as the ledger's d_capital, d_claims and d_committed say."""
    for year in (2024, 2025, 2026):
        entries = list(LedgerEntry.objects.filter(fund=books, date__year=year))
        sums = sie(books, year).sums()
        assert sums.get(CASH, 0) == sum(e.d_capital for e in entries)
        assert sums.get(CLAIMS, 0) == sum(e.d_claims for e in entries)
        assert sums.get(OFFSET, 0) == -sum(e.d_claims for e in entries)
        assert sums.get(COMMITTED, 0) == -sum(e.d_committed for e in entries)


def test_opening_plus_movements_is_closing(books):
    for year in (2024, 2025, 2026):
        back = sie(books, year)
        sums = back.sums()
        assert set(back.ib) == {CASH, CLAIMS, AVAILABLE, COMMITTED, OFFSET}
        for account, opening in back.ib.items():
            assert opening + sums.get(account, 0) == back.ub[account], (year, account)


def test_each_year_opens_where_the_last_closed_with_the_result_carried_to_equity(books):
    for year in (2025, 2026):
        last, this = sie(books, year - 1), sie(books, year)
        for account in (CASH, CLAIMS, COMMITTED, OFFSET):
            assert this.ib[account] == last.ub[account]
        assert this.ib[AVAILABLE] == last.ub[AVAILABLE] + sum(last.res.values())
        assert sum(this.ib.values()) == 0  # the result carried: the opening balance is whole


def test_the_year_after_a_closed_one_opens_with_its_snapshot(books):
    for closing in FiscalYearClosing.objects.filter(fund=books):
        ib = sie(books, closing.year + 1).ib
        assert ib[CASH] == closing.capital
        assert ib[CLAIMS] == closing.claims
        assert ib[OFFSET] == -closing.claims
        assert ib[COMMITTED] == -closing.committed
        assert ib[AVAILABLE] == -closing.available
    # and by hand: at the end of 2025, capital 9 800 000,50 kr, committed 2 000 000 kr
    ib = sie(books, 2026).ib
    assert (ib[CASH], ib[COMMITTED], ib[AVAILABLE]) == (980_000_050, -200_000_000, -780_000_050)


def test_reversals_are_their_own_verifications_in_their_own_year(books):
    wrong = LedgerEntry.objects.get(fund=books, date=dt.date(2025, 5, 5))
    reversal = LedgerEntry.objects.get(reverses=wrong)
    vers = {int(v.number): v for v in sie(books, 2025).vers}
    original, undo = vers[wrong.number], vers[reversal.number]
    assert undo.text.startswith(f"Rättelse av nr {wrong.number} (utbetalning): ")
    assert {(t.account, -t.amount) for t in undo.transactions} == {
        (t.account, t.amount) for t in original.transactions
    }
    # the 2026 reversal of a 2025 deposit is booked in 2026, against the same accounts
    (late,) = [v for v in sie(books, 2026).vers if v.text.startswith("Rättelse")]
    assert sorted((t.account, t.amount) for t in late.transactions) == [
        (CASH, -200_000_000),
        (AVAILABLE, 200_000_000),
    ]


def test_projects_are_objects_of_dimension_6(books, project):
    back = sie(books, 2025)
    assert back.objects[("6", "P-1")] == "Tidigt stöd"
    grants = [v for v in back.vers if v.text.startswith("Utbetalning")]
    assert grants and all(t.objects for v in grants for t in v.transactions)
    deposit = next(v for v in back.vers if v.text.startswith("Kapitaltillskott"))
    assert all(t.objects == [] for t in deposit.transactions)


def test_the_file_is_the_golden_file_byte_for_byte(books):
    data = export.sie_bytes(fund=books, year=2025)
    if os.environ.get("SIFRA_UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_bytes(data)
    assert data == GOLDEN.read_bytes()


def test_a_year_the_fund_has_not_had_is_refused(books):
    from django.core.exceptions import ValidationError

    for year in (2023, 2027):
        with pytest.raises(ValidationError) as exc:
            export.sie_bytes(fund=books, year=year)
        assert "year" in exc.value.message_dict


def test_the_filename_is_swedish(books):
    assert export.sie_filename(fund=books, year=2025) == "bokforing-social-investeringsfond-2025.se"
