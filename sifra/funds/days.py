"""The ledger's per-day totals (LedgerDay), and the balances at every date read from them.

Why: the rules hold at every date (DOMAIN.md), so a posting dated D is checked against the
balances on D and on every later date that has entries. Summing the entries for that would read
the whole ledger per posting. Instead the posting service adds each entry's effect to one row
per (fund, day) and one per (project, day), in the same transaction and under the fund's row
lock, and the check reads:

- the fund: the closing snapshot of the last closed fiscal year (FiscalYearClosing, once years
  are closed), one SUM over the day rows between that year's end and D, and the day rows from D
  on. A posting is never dated in a closed year, so both reads are bounded by the number of days
  with entries in the open years (at most 366 a year), however many entries the fund holds.
- a project: one SUM over its day rows before D and its day rows from D on, bounded by the
  number of days on which that project has entries.

The ledger itself stays append-only and is the truth: the table can be rebuilt from it with
`sifra ledger_rebuild_days`, and a test checks that it equals the entries' sums.
"""

import datetime as dt
from collections.abc import Iterable

from django.db.models import F, QuerySet, Sum

from sifra.funds.models import EntryKind, Fund, LedgerDay, LedgerEntry, ProjectKindTotal
from sifra.funds.selectors import Balances

Point = tuple[dt.date, Balances]


def _rows(fund_id: int, project_id: int | None) -> QuerySet[LedgerDay]:
    if project_id is None:
        return LedgerDay.objects.filter(fund_id=fund_id, project__isnull=True)
    return LedgerDay.objects.filter(project_id=project_id)


def _bump(fund_id: int, project_id: int | None, day: dt.date, d: tuple[int, int, int]) -> None:
    """Add one entry's effect to its day; the fund's row lock means no one else writes it."""
    updated = (
        _rows(fund_id, project_id)
        .filter(date=day)
        .update(
            d_capital=F("d_capital") + d[0],
            d_committed=F("d_committed") + d[1],
            d_claims=F("d_claims") + d[2],
        )
    )
    if not updated:
        LedgerDay.objects.create(
            fund_id=fund_id,
            project_id=project_id,
            date=day,
            d_capital=d[0],
            d_committed=d[1],
            d_claims=d[2],
        )


def _bump_kind(entry: LedgerEntry, project_id: int) -> None:
    """Add a project's entry to what stands of its kind; a reversal takes back what it reverses."""
    if entry.kind == EntryKind.REVERSAL:
        reversed_ = entry.reverses
        assert reversed_ is not None  # a reversal always names its entry (the model says so too)
        kind, amount = reversed_.kind, -reversed_.amount
    else:
        kind, amount = entry.kind, entry.amount
    totals = ProjectKindTotal.objects.filter(project_id=project_id, kind=kind)
    if not totals.update(amount=F("amount") + amount):
        ProjectKindTotal.objects.create(
            fund_id=entry.fund_id, project_id=project_id, kind=kind, amount=amount
        )


def days_add(*, entry: LedgerEntry) -> None:
    """Keep the day totals, and a project's totals by kind, in step with a new entry (inside
    the posting's transaction)."""
    d = (entry.d_capital, entry.d_committed, entry.d_claims)
    _bump(entry.fund_id, None, entry.date, d)
    if entry.project_id is not None:
        _bump(entry.fund_id, entry.project_id, entry.date, d)
        _bump_kind(entry, entry.project_id)


def _sums(entries: QuerySet[LedgerEntry], group: list[str]) -> Iterable[dict]:
    return (
        entries.values(*group)
        .order_by(*group)
        .annotate(c=Sum("d_capital"), m=Sum("d_committed"), k=Sum("d_claims"))
    )


def days_rebuild(*, fund: Fund) -> int:
    """Recompute a fund's day totals from its entries; returns the number of rows."""
    LedgerDay.objects.filter(fund=fund).delete()
    entries = LedgerEntry.objects.filter(fund=fund)
    rows = [
        LedgerDay(fund=fund, date=r["date"], d_capital=r["c"], d_committed=r["m"], d_claims=r["k"])
        for r in _sums(entries, ["date"])
    ]
    rows += [
        LedgerDay(
            fund=fund,
            project_id=r["project"],
            date=r["date"],
            d_capital=r["c"],
            d_committed=r["m"],
            d_claims=r["k"],
        )
        for r in _sums(entries.filter(project__isnull=False), ["project", "date"])
    ]
    LedgerDay.objects.bulk_create(rows, batch_size=1000)
    return len(rows) + kinds_rebuild(fund=fund)


def kinds_rebuild(*, fund: Fund) -> int:
    """Recompute a fund's project totals by kind from its entries; returns the number of rows."""
    ProjectKindTotal.objects.filter(fund=fund).delete()
    standing = LedgerEntry.objects.filter(
        fund=fund, project__isnull=False, reversed_by__isnull=True
    ).exclude(kind=EntryKind.REVERSAL)
    rows = [
        ProjectKindTotal(fund=fund, project_id=r["project"], kind=r["kind"], amount=r["s"])
        for r in standing.values("project", "kind")
        .order_by("project", "kind")
        .annotate(s=Sum("amount"))
    ]
    ProjectKindTotal.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _add(b: Balances, c: int, m: int, k: int) -> Balances:
    return Balances(b.capital + c, b.committed + m, b.claims + k)


def balances_from(
    *,
    fund: Fund,
    date: dt.date,
    project_id: int | None = None,
    base: Point | None = None,
) -> list[Point]:
    """The balances at the end of `date` and of every later day with entries, in date order.
    `base` is a known balance at the end of a day before `date` (a closed year's snapshot), so
    that only the days after it are summed."""
    rows = _rows(fund.pk, project_id)
    start, before = base[1] if base else Balances(), rows.filter(date__lt=date)
    if base is not None:
        before = before.filter(date__gt=base[0])
    s = before.aggregate(c=Sum("d_capital"), m=Sum("d_committed"), k=Sum("d_claims"))
    running = _add(start, s["c"] or 0, s["m"] or 0, s["k"] or 0)
    later = rows.filter(date__gte=date).order_by("date")
    points: list[Point] = []
    for day, c, m, k in later.values_list("date", "d_capital", "d_committed", "d_claims"):
        if day > date and not points:
            points.append((date, running))
        running = _add(running, c, m, k)
        points.append((day, running))
    return points or [(date, running)]
