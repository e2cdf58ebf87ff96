"""Reads of funds and the ledger: balances at any date, the series behind the chart, and the
entries a given user may see."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import BigIntegerField, Min, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from sifra.accounts import permissions
from sifra.funds.models import FiscalYearClosing, Fund, LedgerDay, LedgerEntry


@dataclass(frozen=True)  # pragma: no mutate (nothing assigns to a Balances; mypy checks)
class Balances:
    """DOMAIN.md's balances, in öre."""

    capital: int = 0
    committed: int = 0
    claims: int = 0

    @property
    def available(self) -> int:
        return self.capital - self.committed


def _sum_balances(entries: QuerySet[Any], at: dt.date | None) -> Balances:
    if at is not None:
        entries = entries.filter(date__lte=at)
    sums = entries.aggregate(c=Sum("d_capital"), m=Sum("d_committed"), k=Sum("d_claims"))
    return Balances(capital=sums["c"] or 0, committed=sums["m"] or 0, claims=sums["k"] or 0)


# The balances and the series read the ledger's day totals (LedgerDay, kept by the posting
# service in the same transaction, see days.py): one row per day with entries instead of every
# entry, the same sums (a test compares them with the entries').


def fund_balances(*, fund: Fund, at: dt.date | None = None) -> Balances:
    return _sum_balances(LedgerDay.objects.filter(fund=fund, project__isnull=True), at)


def funds_balances(funds: QuerySet[Fund]) -> list[tuple[Fund, Balances]]:
    """Each fund with its balances now, in one grouped read over the ledger."""
    sums = {
        row["fund"]: Balances(capital=row["c"], committed=row["m"], claims=row["k"])
        for row in LedgerDay.objects.filter(fund__in=funds.values("pk"), project__isnull=True)
        .order_by()
        .values("fund")
        .annotate(c=Sum("d_capital"), m=Sum("d_committed"), k=Sum("d_claims"))
    }
    return [(f, sums.get(f.pk, Balances())) for f in funds]


def project_balances(*, project: Any, at: dt.date | None = None) -> Balances:
    return _sum_balances(LedgerDay.objects.filter(project=project), at)


def _project_sum(column: str) -> Coalesce:
    rows = (
        LedgerEntry.objects.filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(s=Sum(column))
        .values("s")
    )
    return Coalesce(Subquery(rows, output_field=BigIntegerField()), 0)


def projects_with_balances(projects: QuerySet) -> QuerySet:
    """`projects` annotated with `committed_balance` and `claims_balance` (öre): one query for
    a list of projects instead of one per project."""
    return projects.annotate(
        committed_balance=_project_sum("d_committed"), claims_balance=_project_sum("d_claims")
    )


def fund_balance_series(*, fund: Fund) -> list[dict[str, Any]]:
    """Capital, committed, available and claims at the end of every day with entries."""
    rows = (
        LedgerDay.objects.filter(fund=fund, project__isnull=True)
        .order_by("date")
        .values_list("date", "d_capital", "d_committed", "d_claims")
    )
    series, capital, committed, claims = [], 0, 0, 0
    for date, c, m, k in rows:
        capital += c
        committed += m
        claims += k
        series.append(
            {
                "date": date,
                "capital": capital,
                "committed": committed,
                "available": capital - committed,
                "claims": claims,
            }
        )
    return series


@dataclass(frozen=True)  # pragma: no mutate (nothing assigns to a filter; mypy checks)
class LedgerFilter:
    kind: str = ""
    project_id: int | None = None
    fiscal_year: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    text: str = ""


def ledger_entries(*, fund: Fund, user: Any, filters: LedgerFilter | None = None) -> QuerySet:
    """The entries `user` may see, filtered; applicants see fund-level entries and their own
    units' projects only."""
    qs = LedgerEntry.objects.filter(fund=fund).select_related(
        "project", "posted_by", "reverses", "reversed_by"
    )
    if not permissions.can_view_whole_ledger(user):
        own = Q(project__units__in=user.units.all()) if user.is_authenticated else Q(pk__in=[])
        qs = qs.filter(Q(project__isnull=True) | own).distinct()
    f = filters or LedgerFilter()
    conditions = {
        "kind": f.kind or None,
        "project_id": f.project_id,
        "fiscal_year": f.fiscal_year,
        "date__gte": f.date_from,
        "date__lte": f.date_to,
        "text__icontains": f.text or None,
    }
    return qs.filter(**{k: v for k, v in conditions.items() if v is not None}).order_by("number")


def funds_visible(*, user: Any) -> QuerySet[Fund]:
    if not permissions.can_view_fund(user):
        return Fund.objects.none()
    return Fund.objects.all()


def fund_closings(*, fund: Fund) -> QuerySet[FiscalYearClosing]:
    return FiscalYearClosing.objects.filter(fund=fund).select_related("closed_by").order_by("year")


def last_closing(*, fund: Fund) -> FiscalYearClosing | None:
    return FiscalYearClosing.objects.filter(fund=fund).order_by("-year").first()


def next_closable_year(*, fund: Fund) -> int | None:
    """The year to close next: the one after the last closed, or the fund's first year (of its
    establishment, else of its first entry); None while the fund has neither."""
    last = last_closing(fund=fund)
    if last is not None:
        return last.year + 1
    first = LedgerEntry.objects.filter(fund=fund).aggregate(first=Min("date"))["first"]
    dates = [d for d in (fund.established_on, first) if d is not None]
    return min(dates).year if dates else None
