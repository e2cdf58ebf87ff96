"""Reads of the portfolio: every project of a fund with its money, its case before and after,
and its verified savings against the case's forecast; and who paid and who saved.

Bounded reads: a page of projects is one query for the projects (with their money as
subqueries), one for the page's verified savings by year and one for the totals of the whole
filtered set, whatever the number of projects. The engine never runs here: the case's figures
come from CaseSummary (sifra.portfolio.summaries)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    BigIntegerField,
    Exists,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce

from sifra.accounts.models import Unit
from sifra.funds.models import EntryKind, Fund, LedgerEntry, ProjectKindTotal
from sifra.portfolio.models import CaseSavingYear, CaseSummary
from sifra.projects.models import Project
from sifra.repayment.models import Claim, VerifiedSaving

MONEY: BigIntegerField = BigIntegerField()
PAGE_SIZE = 50


@dataclass(frozen=True)
class PortfolioFilter:
    status: str = ""
    unit_id: int | None = None
    year: int | None = None  # the year the project started


def _standing(kind: str) -> Coalesce:
    """The sum of a project's entries of `kind` that are not reversed, as the posting service
    keeps it (ProjectKindTotal: one row per project and kind, not every entry)."""
    rows = ProjectKindTotal.objects.filter(project=OuterRef("pk"), kind=kind).values("amount")
    return Coalesce(Subquery(rows[:1], output_field=MONEY), 0, output_field=MONEY)


def _verified() -> Coalesce:
    rows = (
        VerifiedSaving.objects.filter(project=OuterRef("pk"), reversed_at__isnull=True)
        .order_by()
        .values("project")
        .annotate(s=Sum("amount"))
        .values("s")
    )
    return Coalesce(Subquery(rows, output_field=MONEY), 0, output_field=MONEY)


def portfolio_projects(*, fund: Fund, filters: PortfolioFilter | None = None) -> QuerySet[Project]:
    """The fund's projects as filtered, in code order, without their money (see with_money)."""
    f = filters or PortfolioFilter()
    qs = Project.objects.filter(fund=fund)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.unit_id is not None:
        takes_part = Project.units.through.objects.filter(project=OuterRef("pk"), unit=f.unit_id)
        qs = qs.filter(Q(lead_unit=f.unit_id) | Exists(takes_part))
    if f.year is not None:
        qs = qs.filter(start_date__year=f.year)
    return qs.order_by("code", "pk")


def with_money(projects: QuerySet[Project]) -> QuerySet[Project]:
    """Each project with granted (commitments less releases), disbursed, claimed, repaid, its
    outstanding claims and its verified savings, in öre, and its case summary."""
    return (
        projects.select_related("lead_unit", "case_summary")
        .annotate(
            committed_sum=_standing(EntryKind.COMMITMENT),
            released_sum=_standing(EntryKind.RELEASE),
            disbursed=_standing(EntryKind.DISBURSEMENT),
            claimed=_standing(EntryKind.CLAIM),
            repaid=_standing(EntryKind.REPAYMENT),
            written_off=_standing(EntryKind.WRITE_OFF),
            verified=_verified(),
        )
        .annotate(
            # the ledger's claims balance: what stands of the claims less repayments and write-offs
            # (a reversed entry and its reversal cancel in the balance as in the totals)
            claims_outstanding=F("claimed") - F("repaid") - F("written_off")
        )
    )


@dataclass
class Row:
    """One project of the portfolio, money in öre, the case's figures in SEK."""

    project: Project
    granted: int
    disbursed: int
    claimed: int
    repaid: int
    claims_outstanding: int
    verified: int
    forecast: int | None  # the case's savings for the years with verified savings, in öre
    npv: float | None
    p_npv_positive: float | None
    expost_npv: float | None
    has_summary: bool

    @property
    def realisation(self) -> float | None:
        """Verified ÷ forecast for the same years; None where nothing is verified or the case
        forecast nothing for those years."""
        if not self.verified or not self.forecast:
            return None
        return self.verified / self.forecast


def _verified_years(project_ids: list[int]) -> dict[int, set[int]]:
    years: dict[int, set[int]] = defaultdict(set)
    rows = VerifiedSaving.objects.filter(project__in=project_ids, reversed_at__isnull=True)
    for pid, year in rows.values_list("project", "year").distinct():
        years[pid].add(year)
    return years


def forecast_for(savings: dict[str, float], years: set[int]) -> int:
    """The case's municipal savings in `years`, in whole öre."""
    return round(sum(savings.get(str(y), 0.0) for y in years) * 100)


def rows_of(projects: list[Project]) -> list[Row]:
    """`projects` as annotated by with_money, as rows (one more query: the verified years)."""
    years = _verified_years([p.pk for p in projects])
    rows = []
    for p in projects:
        summary: CaseSummary | None = getattr(p, "case_summary", None)
        verified_years = years.get(p.pk, set())
        forecast = forecast_for(summary.savings, verified_years) if summary else None
        rows.append(
            Row(
                project=p,
                granted=p.committed_sum - p.released_sum,  # type: ignore[attr-defined]
                disbursed=p.disbursed,  # type: ignore[attr-defined]
                claimed=p.claimed,  # type: ignore[attr-defined]
                repaid=p.repaid,  # type: ignore[attr-defined]
                claims_outstanding=p.claims_outstanding,  # type: ignore[attr-defined]
                verified=p.verified,  # type: ignore[attr-defined]
                forecast=forecast if verified_years else None,
                npv=summary.npv if summary else None,
                p_npv_positive=summary.p_npv_positive if summary else None,
                expost_npv=summary.expost_npv if summary else None,
                has_summary=summary is not None,
            )
        )
    return rows


@dataclass(frozen=True)
class Totals:
    """Sums over the whole filtered set, in öre; `realisation` is the fund's factor: every
    verified saving ÷ the cases' forecast savings for the same projects and years."""

    count: int = 0
    granted: int = 0
    disbursed: int = 0
    claimed: int = 0
    repaid: int = 0
    claims_outstanding: int = 0
    verified: int = 0
    compared: int = 0  # the verified savings of projects with a case: what `forecast` matches
    forecast: int = 0
    by_year: list[dict[str, Any]] = field(default_factory=list)

    @property
    def realisation(self) -> float | None:
        return self.compared / self.forecast if self.compared and self.forecast else None


def standing_sums(projects: QuerySet[Project]) -> tuple[dict[str, int], int]:
    """What stands of the entries of `projects` by kind (the reversed ones left out), and their
    claims balance: one grouped read of the project totals by kind (ProjectKindTotal)."""
    totals = ProjectKindTotal.objects.filter(project__in=projects.values("pk"))
    by_kind: dict[str, int] = defaultdict(int)
    for kind, amount in totals.order_by().values_list("kind").annotate(s=Sum("amount")):
        by_kind[kind] = amount
    claims = by_kind[EntryKind.CLAIM] - by_kind[EntryKind.REPAYMENT] - by_kind[EntryKind.WRITE_OFF]
    return by_kind, claims


def portfolio_totals(projects: QuerySet[Project], *, count: int | None = None) -> Totals:
    """Four grouped reads over the filtered set: what stands of the entries by kind, the
    verified savings by year (all, and of the projects with a case), and the cases' forecast
    savings (CaseSavingYear) for the years in which their project has a verified saving.
    `count` is the number of `projects` where the caller has it (a paginator's count)."""
    money, claims_balance = standing_sums(projects)
    chosen = projects.values("pk")
    standing = VerifiedSaving.objects.filter(project__in=chosen, reversed_at__isnull=True)
    # a project has a case to compare with when its summary holds forecast savings: a join to
    # the one summary per project, not a lookup per saving
    has_case = Q(project__case_summary__isnull=False) & ~Q(project__case_summary__savings={})
    by_year = (
        standing.order_by()
        .values_list("year")
        .annotate(all=Sum("amount"), compared=Sum("amount", filter=has_case))
    )
    verified, compared = 0, {}
    for year, all_, with_case in by_year:
        verified += all_
        if with_case is not None:  # a project of that year has a case to compare with
            compared[year] = with_case
    # the rows whose project has a standing verified saving for that year are marked (kept
    # with the savings: sifra.portfolio.summaries), a filter instead of a lookup per row
    forecast = dict(
        CaseSavingYear.objects.filter(project__in=chosen, verified=True)
        .order_by()
        .values_list("year")
        .annotate(s=Sum("savings"))
    )
    return Totals(
        count=projects.count() if count is None else count,
        granted=money[EntryKind.COMMITMENT] - money[EntryKind.RELEASE],
        disbursed=money[EntryKind.DISBURSEMENT],
        claimed=money[EntryKind.CLAIM],
        repaid=money[EntryKind.REPAYMENT],
        claims_outstanding=claims_balance,
        verified=verified,
        compared=sum(compared.values()),
        forecast=sum(forecast.values()),
        by_year=[
            {"year": y, "forecast": forecast.get(y, 0), "verified": v}
            for y, v in sorted(compared.items())
        ],
    )


def portfolio_years(*, fund: Fund) -> list[int]:
    """The years from the fund's first project start to its last, newest first, for the year
    filter (a range from two aggregates: cheaper than the distinct years of every project)."""
    span = Project.objects.filter(fund=fund).aggregate(
        first=Min("start_date"), last=Max("start_date")
    )
    if span["first"] is None:
        return []
    return list(range(span["last"].year, span["first"].year - 1, -1))


def portfolio_units(*, fund: Fund) -> QuerySet[Unit]:
    return Unit.objects.filter(organisation=fund.organisation_id).order_by("name")


# --- Who paid and who saved ----------------------------------------------------------------------


@dataclass
class Matrix:
    """Payers (the lead units that spent the fund's money) × savers (the units whose savings
    were verified, or who repaid), in öre."""

    payers: list[Unit]
    savers: list[Unit]
    spent: dict[int, int]
    saved: dict[tuple[int, int], int]
    repaid: dict[tuple[int, int], int]

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "payer": p,
                "spent": self.spent.get(p.pk, 0),
                "cells": [
                    {
                        "saver": s,
                        "saved": self.saved.get((p.pk, s.pk), 0),
                        "repaid": self.repaid.get((p.pk, s.pk), 0),
                    }
                    for s in self.savers
                ],
                "saved": sum(v for (pp, _s), v in self.saved.items() if pp == p.pk),
                "repaid": sum(v for (pp, _s), v in self.repaid.items() if pp == p.pk),
            }
            for p in self.payers
        ]

    def column_totals(self) -> list[dict[str, Any]]:
        return [
            {
                "saver": s,
                "saved": sum(v for (_p, ss), v in self.saved.items() if ss == s.pk),
                "repaid": sum(v for (_p, ss), v in self.repaid.items() if ss == s.pk),
            }
            for s in self.savers
        ]

    @property
    def saved_elsewhere(self) -> int:
        """What was saved by another unit than the one that spent the money."""
        return sum(v for (p, s), v in self.saved.items() if p != s)

    @property
    def saved_total(self) -> int:
        return sum(self.saved.values())

    @property
    def repaid_total(self) -> int:
        return sum(self.repaid.values())

    @property
    def spent_total(self) -> int:
        return sum(self.spent.values())


def payer_saver(*, fund: Fund, year: int | None = None) -> Matrix:
    """Four queries: money spent by lead unit, savings and repayments by (lead unit, unit), and
    the units. `year` limits savings and repayments to that year's verified savings and claims,
    and the spending to that year's disbursements."""
    # what stands of the disbursements, from the project totals by kind; a year needs the entries
    spent_q: QuerySet[Any] = ProjectKindTotal.objects.filter(fund=fund, kind=EntryKind.DISBURSEMENT)
    saved_q = VerifiedSaving.objects.filter(project__fund=fund, reversed_at__isnull=True)
    # what stands of each claim's repayments, kept on the claim (sifra.repayment.balances)
    repaid_q = Claim.objects.filter(project__fund=fund, repaid_sum__gt=0)
    if year is not None:
        spent_q = LedgerEntry.objects.filter(
            fund=fund, kind=EntryKind.DISBURSEMENT, reversed_by__isnull=True, date__year=year
        )
        saved_q = saved_q.filter(year=year)
        repaid_q = repaid_q.filter(year=year)
    spent = dict(spent_q.order_by().values_list("project__lead_unit").annotate(s=Sum("amount")))
    saved = {
        (p, u): s
        for p, u, s in saved_q.order_by()
        .values_list("project__lead_unit", "unit")
        .annotate(s=Sum("amount"))
    }
    repaid = {
        (p, u): s
        for p, u, s in repaid_q.order_by()
        .values_list("project__lead_unit", "unit")
        .annotate(s=Sum("repaid_sum"))
    }
    payer_ids = set(spent) | {p for p, _u in saved} | {p for p, _u in repaid}
    saver_ids = {u for _p, u in saved} | {u for _p, u in repaid}
    units = {u.pk: u for u in Unit.objects.filter(pk__in=payer_ids | saver_ids)}
    order = sorted(units.values(), key=lambda u: (u.name, u.pk))
    return Matrix(
        payers=[u for u in order if u.pk in payer_ids],
        savers=[u for u in order if u.pk in saver_ids],
        spent=spent,
        saved=saved,
        repaid=repaid,
    )


def saving_years(*, fund: Fund) -> list[int]:
    years = VerifiedSaving.objects.filter(project__fund=fund).values_list("year", flat=True)
    return sorted(set(years.distinct().order_by()), reverse=True)
