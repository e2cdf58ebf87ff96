"""Demo: the fund's fiscal years closed up to last year, as after each year's annual accounts
(bokslut), so the fund page shows closed years with their balances at 31 December. Runs last:
once a year is closed, nothing more is dated in it."""

import datetime as dt

from django.utils import timezone

from sifra.accounts.models import Role, User
from sifra.funds.models import Fund
from sifra.funds.selectors import next_closable_year
from sifra.funds.services import fiscal_year_close


def build_closing(fund: Fund) -> None:
    coordinator = User.objects.filter(role=Role.COORDINATOR).order_by("pk").first()
    today = timezone.localdate()
    year = next_closable_year(fund=fund)
    while year is not None and year < today.year:
        # the council adopts the annual accounts in April of the following year
        decided_on = min(dt.date(year + 1, 4, 15), today)
        fiscal_year_close(
            fund=fund,
            year=year,
            decided_on=decided_on,
            decision_ref=f"KF § {40 + year % 10}/{year + 1}",
            acting_user=coordinator,
        )
        year += 1
