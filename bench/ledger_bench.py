"""Performance figures for the ledger (`make bench`): the cost of posting one entry on a fund
with 100,000 entries, on the configured database (SQLite by default, PostgreSQL with
DATABASE_URL).

The fund: 100,000 entries over ten years (2016-2025 and this year), about 27 a day, on 100
projects: a daily deposit, and commitments and disbursements of the projects. The setup writes
them with bulk_create and fills the day totals with the rebuild; every measured posting goes
through the service, as a user's would (role check, row lock, the rules at every date, the
entry, its day totals and its audit row, in one transaction). Measured: the median of 100
postings dated today, and of 100 back-dated half a year, first with no fiscal year closed and
then with the years before this one closed. The database is a throwaway test database
(test_<name>), created and dropped here.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from sifra.accounts.models import Organisation, Role, Unit, User  # noqa: E402
from sifra.funds import services  # noqa: E402
from sifra.funds.days import days_rebuild  # noqa: E402
from sifra.funds.models import Fund, LedgerEntry  # noqa: E402
from sifra.projects.models import Project  # noqa: E402

ENTRIES = 100_000
PROJECTS = 100
POSTINGS = 100
TARGET_MS = 100.0  # a posting is one durable transaction: on SQLite mostly its fsync
KRONA = 100


def _setup(entries: int) -> tuple[Fund, list[Project], User]:
    org = Organisation.objects.get_or_create(name="Benchkommun", org_number="212000-0000")[0]
    unit = Unit.objects.get_or_create(organisation=org, name="Nämnden", kind="committee")[0]
    user = User.objects.filter(username="bench").first()
    user = user or User.objects.create_user("bench", role=Role.COORDINATOR)
    first_day = dt.date(timezone.localdate().year - 10, 1, 1)
    fund = Fund.objects.create(organisation=org, name=f"Fonden {entries}", established_on=first_day)
    projects = Project.objects.bulk_create(
        Project(fund=fund, code=f"P-{i}", title="P", lead_unit=unit) for i in range(PROJECTS)
    )
    rows = _entries(fund, projects, user, first_day, entries)
    LedgerEntry.objects.bulk_create(rows, batch_size=5000)
    days_rebuild(fund=fund)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # statistics, as a database in use has after bulk writes
    return fund, projects, user


def _entries(
    fund: Fund, projects: list[Project], user: User, first: dt.date, count: int
) -> list[LedgerEntry]:
    """Per day: one deposit, then commitments of 1,000 kr and disbursements of 500 kr in turn,
    so that every balance stays positive at every date. A small ledger has a few days only."""
    days = (timezone.localdate() - first).days
    per_day = max(-(-count // days), 2 * PROJECTS + 1)
    entries: list[LedgerEntry] = []
    for n in range(count):
        day, slot = divmod(n, per_day)
        date = first + dt.timedelta(days=day)
        project = projects[(n // 2) % PROJECTS]
        if slot == 0:
            kind, d, project_or_none = "deposit", (1_000_000 * KRONA, 0, 0), None
        elif slot % 2:
            kind, d, project_or_none = "commitment", (0, 1000 * KRONA, 0), project
        else:
            kind, d, project_or_none = "disbursement", (-500 * KRONA, -500 * KRONA, 0), project
        entries.append(_entry(fund, n + 1, kind, d, date, project_or_none, user))
    return entries


def _entry(fund: Fund, number: int, kind: str, d: tuple[int, int, int], date: dt.date,
           project: Project | None, user: User) -> LedgerEntry:  # fmt: skip
    return LedgerEntry(
        fund=fund,
        number=number,
        kind=kind,
        amount=abs(d[0]) or abs(d[1]),
        date=date,
        fiscal_year=date.year,
        text="Bench",
        project=project,
        d_capital=d[0],
        d_committed=d[1],
        d_claims=d[2],
        posted_by=user,
    )


def _median_ms(run: Callable[[int], Any]) -> float:
    times = []
    for i in range(POSTINGS):
        start = time.perf_counter()
        run(i)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def _postings(fund: Fund, projects: list[Project], user: User) -> tuple[float, float]:
    today = timezone.localdate()
    back = today - dt.timedelta(days=182)

    def post(i: int, date: dt.date, kind: str) -> None:
        services.ledger_entry_post(
            fund=fund, kind=kind, amount=KRONA, text="Mätning", date=date,
            project=projects[i % PROJECTS], acting_user=user,
        )  # fmt: skip

    return (
        _median_ms(lambda i: post(i, today, "commitment")),
        _median_ms(lambda i: post(i, back, "disbursement")),
    )


def _close_earlier_years(fund: Fund, user: User) -> int:
    """Close every year before this one, where this version of Sifra has fiscal-year closing."""
    close = getattr(services, "fiscal_year_close", None)
    if close is None:
        return 0
    first = LedgerEntry.objects.filter(fund=fund).order_by("date").first()
    assert first is not None
    years = range(first.date.year, timezone.localdate().year)
    for year in years:
        close(
            fund=fund, year=year, decided_on=timezone.localdate(), decision_ref=f"KF {year}",
            acting_user=user,
        )  # fmt: skip
    return len(years)


def main() -> int:
    vendor = connection.vendor
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        small = _setup(2 * PROJECTS + 1)
        fund, projects, user = _setup(ENTRIES)
        count = LedgerEntry.objects.filter(fund=fund).count()
        print(f"Ledger on {vendor}: {count:,} entries, {PROJECTS} projects, ten years")
        rows = [
            (f"{2 * PROJECTS + 1} entries (for scale)", *_postings(*small)),
            ("100,000 entries, no closed year", *_postings(fund, projects, user)),
        ]
        closed = _close_earlier_years(fund, user)
        if closed:
            rows.append(
                (f"100,000 entries, {closed} years closed", *_postings(fund, projects, user))
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    ok = True
    for label, today_ms, back_ms in rows:
        for what, ms in (("dated today", today_ms), ("back-dated 182 days", back_ms)):
            verdict = "PASS" if ms <= TARGET_MS else "FAIL"
            ok = ok and ms <= TARGET_MS
            print(f"{f'{label}, posting {what} (ms, median of {POSTINGS})':<72} {ms:8.2f}  "
                  f"target ≤ {TARGET_MS:g} {verdict}")  # fmt: skip
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
