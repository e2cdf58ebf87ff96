"""A small fund with three years of entries, every kind among them, a reversal in the same year
and one in the next, and 2024 and 2025 closed; on 2 March 2026, so that the entries' posting
dates and the file's date are fixed (the golden file depends on them)."""

import datetime as dt

import pytest

from sifra.funds import services
from sifra.funds.models import LedgerEntry

TODAY = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
KR = 100  # öre


@pytest.fixture
def books(fund, project, other_project, coordinator, users, time_machine):
    time_machine.move_to(TODAY)
    economist = users["economist"]
    services.fund_update(fund=fund, acting_user=coordinator, established_on=dt.date(2024, 1, 1))

    def post(kind, kronor, day, project=None, user=coordinator, text=None):
        return services.ledger_entry_post(
            fund=fund,
            kind=kind,
            amount=round(kronor * KR),
            text=text or f"{kind} {day:%Y-%m}",
            date=day,
            project=project,
            acting_user=user,
        )

    D = dt.date
    post("deposit", 10_000_000, D(2024, 2, 1), text="Kapitaltillskott enligt KF § 12")
    post("commitment", 3_000_000, D(2024, 3, 1), project)
    post("disbursement", 1_000_000, D(2024, 6, 30), project)
    post("commitment", 2_000_000, D(2024, 9, 1), other_project)
    deposit_2025 = post("deposit", 2_000_000, D(2025, 1, 10), text="Årets tillskott")
    post("disbursement", 1_500_000, D(2025, 2, 15), project)
    post("release", 500_000, D(2025, 4, 1), other_project, text="Återfört: lägre kostnad")
    wrong = post("disbursement", 250_000, D(2025, 5, 5), other_project, text='Fel "belopp"')
    services.ledger_entry_reverse(
        entry=wrong, text="Bokades på fel projekt", date=D(2025, 5, 6), acting_user=coordinator
    )
    post("claim", 800_000, D(2025, 6, 1), project, user=economist, text="Besparing 2024")
    post("repayment", 300_000.50, D(2025, 9, 30), project, user=economist)
    post("write_off", 100_000, D(2025, 11, 30), project, user=economist)
    for year, decided in ((2024, D(2025, 4, 15)), (2025, D(2026, 2, 20))):
        services.fiscal_year_close(
            fund=fund,
            year=year,
            decided_on=decided,
            decision_ref=f"KF § 40/{year + 1}",
            acting_user=coordinator,
        )
    post("disbursement", 400_000, D(2026, 1, 20), other_project)
    services.ledger_entry_reverse(
        entry=LedgerEntry.objects.get(pk=deposit_2025.pk),
        text="Tillskottet beslutades aldrig",
        date=D(2026, 2, 1),
        acting_user=coordinator,
    )
    return fund
