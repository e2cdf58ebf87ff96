"""The per-day totals are derived from the ledger: kept in step by every posting, equal to the
entries' sums, rebuilt by `sifra ledger_rebuild_days` and filled by the data migration; and a
posting reads them instead of summing the ledger."""

import datetime as dt
import importlib

from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext

from sifra.funds import services
from sifra.funds.models import LedgerDay, LedgerEntry, ProjectKindTotal

MSEK = 100_000_000


def post(fund, user, kind, amount, date, project=None):
    return services.ledger_entry_post(
        fund=fund, kind=kind, amount=amount, text="T", date=date, project=project, acting_user=user
    )


def a_ledger(funded, project, other_project, users):
    coordinator = users["coordinator"]
    post(funded, coordinator, "commitment", 3 * MSEK, dt.date(2026, 2, 1), project)
    post(funded, coordinator, "commitment", 2 * MSEK, dt.date(2026, 2, 1), other_project)
    post(funded, coordinator, "disbursement", MSEK, dt.date(2026, 3, 1), project)
    post(funded, coordinator, "deposit", MSEK, dt.date(2026, 1, 20))
    post(funded, users["economist"], "claim", 5000, dt.date(2026, 3, 1), other_project)
    entry = post(funded, coordinator, "release", MSEK, dt.date(2026, 2, 10), other_project)
    services.ledger_entry_reverse(entry=entry, text="Fel", acting_user=coordinator)


def rows(fund):
    return sorted(
        (r.project_id or 0, r.date, r.d_capital, r.d_committed, r.d_claims)
        for r in LedgerDay.objects.filter(fund=fund)
    )


def sums_of_entries(fund):
    """One row per (project or the whole fund, day), summed from the entries themselves."""
    entries = LedgerEntry.objects.filter(fund=fund)
    result = []
    for group, qs in ((["date"], entries), (["project", "date"], entries.exclude(project=None))):
        for r in qs.values(*group).annotate(
            c=Sum("d_capital"), m=Sum("d_committed"), k=Sum("d_claims")
        ):
            result.append((r.get("project") or 0, r["date"], r["c"], r["m"], r["k"]))
    return sorted(result)


def test_postings_keep_the_day_totals_equal_to_the_entries(funded, project, other_project, users):
    a_ledger(funded, project, other_project, users)
    assert rows(funded) == sums_of_entries(funded)
    assert len(rows(funded)) > 6


def test_the_rebuild_command_and_the_data_migration_give_the_same_totals(
    funded, project, other_project, users
):
    a_ledger(funded, project, other_project, users)
    expected = sums_of_entries(funded)
    LedgerDay.objects.all().delete()
    call_command("ledger_rebuild_days", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert rows(funded) == expected
    LedgerDay.objects.all().delete()
    migration = importlib.import_module("sifra.funds.migrations.0005_fill_ledger_days")
    migration.fill(apps, None)
    assert rows(funded) == expected


def test_a_posting_reads_day_totals_not_the_whole_ledger(funded, project, users):
    coordinator = users["coordinator"]
    post(funded, coordinator, "commitment", MSEK, dt.date(2026, 2, 1), project)
    # the project's first disbursement adds its row of totals by kind; later ones update it
    post(funded, coordinator, "disbursement", 100, dt.date(2026, 2, 1), project)
    counts = []
    for n, day in ((5, 2), (40, 3)):  # each on a day of its own: the same writes
        while LedgerEntry.objects.filter(fund=funded).count() < n:
            post(funded, coordinator, "deposit", 100, dt.date(2026, 1, 16))
        with CaptureQueriesContext(connection) as queries:
            post(funded, coordinator, "disbursement", 100, dt.date(2026, 2, day), project)
        sql = [q["sql"] for q in queries.captured_queries]
        assert not [s for s in sql if "SUM(" in s and "funds_ledgerentry" in s]
        counts.append(len(sql))
    assert counts[0] == counts[1]  # the same queries, however long the ledger


def kind_totals(fund):
    return sorted(
        (t.project_id, t.kind, t.amount)
        for t in ProjectKindTotal.objects.filter(fund=fund).exclude(amount=0)
    )


def test_postings_and_reversals_keep_the_project_totals_by_kind(
    funded, project, other_project, users
):
    """What stands of each project's entries by kind: a reversal takes back the release it
    reverses from the release's kind, and leaves no row of its own."""
    a_ledger(funded, project, other_project, users)
    assert kind_totals(funded) == sorted(
        [
            (project.pk, "commitment", 3 * MSEK),
            (project.pk, "disbursement", MSEK),
            (other_project.pk, "commitment", 2 * MSEK),
            (other_project.pk, "claim", 5000),
        ]
    )
    assert not ProjectKindTotal.objects.filter(kind="reversal").exists()
    assert ProjectKindTotal.objects.get(project=other_project, kind="release").amount == 0


def test_the_rebuild_command_and_the_data_migration_give_the_same_kind_totals(
    funded, project, other_project, users
):
    import io

    a_ledger(funded, project, other_project, users)
    expected = kind_totals(funded)
    assert len(expected) == 4
    ProjectKindTotal.objects.all().delete()
    out = io.StringIO()
    call_command("ledger_rebuild_days", stdout=out)
    assert kind_totals(funded) == expected
    # the day rows and the four rows by kind, counted together
    assert f": {len(rows(funded)) + 4} rows of day and project totals" in out.getvalue()
    ProjectKindTotal.objects.all().delete()
    migration = importlib.import_module("sifra.funds.migrations.0009_project_kind_totals")
    migration.fill(apps, None)
    assert kind_totals(funded) == expected
