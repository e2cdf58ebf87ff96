"""Reads for the fund forecast: the ledger, projects, cases, agreements and claims as the plain
data the pure model (sifra.engine.forecast) takes, and the forecasts kept."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max, Min, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.shortcuts import get_object_or_404
from django.utils import timezone

from sifra.accounts.models import Unit
from sifra.applications.models import BudgetLine
from sifra.engine import CaseError, load_case
from sifra.engine.case import Case
from sifra.engine.forecast import (
    ClaimIn,
    ForecastInput,
    History,
    Policy,
    ProjectIn,
    Realisation,
    Report,
    SavingsShare,
    Start,
    forecast,
)
from sifra.engine.model import benefit_flows
from sifra.forecasts.models import ForecastRun
from sifra.funds.models import EntryKind, Fund, LedgerEntry
from sifra.funds.selectors import fund_balances
from sifra.projects.models import Project
from sifra.repayment.models import Agreement, Claim, Model, VerifiedSaving
from sifra.repayment.selectors import claims_with_balances

RECENT_YEARS = 3


@dataclass(frozen=True)
class RealisationSource:
    """Where the realisation factor came from: the verified savings and the cases' forecast for
    the same projects, years and units."""

    factor: float = 1.0
    spread: float = 0.0
    projects: int = 0
    years: tuple[int, ...] = ()
    verified_ore: int = 0
    forecast_ore: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "factor": self.factor,
            "spread": self.spread,
            "projects": self.projects,
            "years": list(self.years),
            "verified": self.verified_ore / 100,
            "forecast": round(self.forecast_ore / 100, 2),
        }


@dataclass(frozen=True)
class FundData:
    fund: Fund
    today: dt.date
    data: ForecastInput
    realisation: RealisationSource
    notes: dict[str, Any] = field(default_factory=dict)


def _due_year(year: int, due_months: int) -> int:
    """The calendar year of a claim for `year`: due `due_months` after the year's end."""
    return year + 1 + (max(due_months, 1) - 1) // 12


def _actor_units(case: Case, units: list[Unit]) -> dict[int, list[str]]:
    """The municipality's actors of a case (by id) that are each unit, matched by name or short
    name as the repayment split does."""
    keys: dict[str, int] = {}
    for unit in units:
        for key in (unit.name, unit.code):
            if key.strip():
                keys.setdefault(key.strip().casefold(), unit.pk)
    found: dict[int, list[str]] = defaultdict(list)
    for actor in case.actors:
        if actor.sector != "kommun":
            continue
        pk = keys.get(actor.name.strip().casefold()) or keys.get(actor.id.strip().casefold())
        if pk is not None:
            found[pk].append(actor.id)
    return found


def _cases(fund: Fund) -> dict[int, Case]:
    """The parsed case of each project that has one (through its application)."""
    cases = {}
    rows = Project.objects.filter(fund=fund, application__case__isnull=False).values_list(
        "pk", "application__case"
    )
    for pk, raw in rows:
        if not isinstance(raw, dict):
            continue
        try:
            cases[pk] = load_case(raw)
        except (CaseError, TypeError, ValueError):
            continue
    return cases


def _by_project(entries: QuerySet[LedgerEntry], value: str) -> dict[int, int]:
    rows = entries.order_by().values("project_id").annotate(s=Sum(value))
    return {r["project_id"]: int(r["s"] or 0) for r in rows if r["project_id"] is not None}


def realisation_source(fund: Fund, cases: dict[int, Case], units: list[Unit]) -> RealisationSource:
    """Verified savings ÷ the case's base forecast for the same project, year and unit, across
    the fund; the spread is the standard deviation of the per-project factors weighted by their
    forecast. 1 where nothing verified has a case to compare with."""
    savings = (
        VerifiedSaving.objects.filter(project__fund=fund, reversed_at__isnull=True)
        .values("project_id", "year", "unit_id")
        .annotate(s=Sum("amount"))
    )
    per_project: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0])
    years: set[int] = set()
    for row in savings:
        case = cases.get(row["project_id"])
        if case is None:
            continue
        actors = _actor_units(case, units).get(row["unit_id"], [])
        t = row["year"] - case.start_year
        if not actors or not 0 <= t < case.horizon:
            continue
        flows = benefit_flows(case, {}, 1, by_actor=True)[t, 0]
        index = case.actor_index()
        forecast = 100.0 * float(sum(flows[index[a]] for a in actors))
        if forecast <= 0:
            continue
        per_project[row["project_id"]][0] += row["s"]
        per_project[row["project_id"]][1] += forecast
        years.add(row["year"])
    verified = sum(v for v, _f in per_project.values())
    forecast = sum(f for _v, f in per_project.values())
    if not per_project or forecast <= 0:
        return RealisationSource()
    factor = verified / forecast
    spread = 0.0
    if len(per_project) > 1:
        variance = sum(f * (v / f - factor) ** 2 for v, f in per_project.values()) / forecast
        spread = variance**0.5
    return RealisationSource(
        factor=round(factor, 6),
        spread=round(spread, 6),
        projects=len(per_project),
        years=tuple(sorted(years)),
        verified_ore=int(verified),
        forecast_ore=round(forecast),
    )


def _history(fund: Fund, today: dt.date, granted: dict[int, int]) -> History:
    standing = LedgerEntry.objects.filter(fund=fund, reversed_by__isnull=True).exclude(
        kind=EntryKind.REVERSAL
    )
    by_year = (
        standing.filter(kind__in=[EntryKind.COMMITMENT, EntryKind.RELEASE])
        .annotate(y=ExtractYear("date"))
        .order_by()
        .values("y", "kind")
        .annotate(s=Sum("amount"))
    )
    grants: dict[int, int] = defaultdict(int)
    for row in by_year:
        grants[row["y"]] += row["s"] if row["kind"] == EntryKind.COMMITMENT else -row["s"]
    recent = tuple(grants.get(today.year - k, 0) for k in range(RECENT_YEARS, 0, -1))

    first = dict(
        standing.filter(kind=EntryKind.COMMITMENT, project__isnull=False)
        .order_by()
        .values_list("project_id")
        .annotate(y=ExtractYear(Min("date")))
    )
    flows = (
        standing.filter(
            kind__in=[EntryKind.DISBURSEMENT, EntryKind.REPAYMENT], project__isnull=False
        )
        .annotate(y=ExtractYear("date"))
        .order_by()
        .values("project_id", "kind", "y")
        .annotate(s=Sum("amount"))
    )
    disbursed: dict[int, float] = defaultdict(float)
    repaid: dict[int, float] = defaultdict(float)
    repaid_by_project: dict[int, float] = defaultdict(float)
    for row in flows:
        start = first.get(row["project_id"])
        if start is None:
            continue
        lag = max(row["y"] - start, 0)
        if row["kind"] == EntryKind.DISBURSEMENT:
            disbursed[lag] += row["s"]
        else:
            repaid[lag] += row["s"]
            repaid_by_project[row["project_id"]] += row["s"]
    total_disbursed = sum(disbursed.values())
    profile: tuple[float, ...] = (1.0,)
    if total_disbursed > 0:
        profile = tuple(disbursed.get(k, 0.0) / total_disbursed for k in range(max(disbursed) + 1))
    total_granted = sum(g for pk, g in granted.items() if g > 0 and pk in first)
    repayment_profile: tuple[float, ...] = ()
    spread = 0.0
    if total_granted > 0 and repaid:
        repayment_profile = tuple(
            repaid.get(k, 0.0) / total_granted for k in range(max(repaid) + 1)
        )
        mean = sum(repaid.values()) / total_granted
        weights = [(g, repaid_by_project.get(pk, 0.0) / g) for pk, g in granted.items() if g > 0]
        variance = sum(g * (r - mean) ** 2 for g, r in weights) / total_granted
        spread = (variance**0.5) / mean if mean > 0 else 0.0

    due = claims_with_balances(Claim.objects.filter(project__fund=fund, due_date__lte=today))
    sums = due.filter(Q(is_reversed=False)).aggregate(a=Sum("amount"), p=Sum("paid"))
    paid_share = (sums["p"] or 0) / sums["a"] if sums["a"] else 1.0
    return History(
        recent_grants_ore=recent,
        disbursement_profile=profile,
        repayment_profile=repayment_profile,
        repayment_spread=round(spread, 6),
        claims_paid_share=round(min(max(paid_share, 0.0), 1.0), 6),
    )


def _disbursement_years(
    project: Project, lines: dict[int, list[tuple[int, int]]], today: dt.date
) -> tuple[tuple[int, int], ...]:
    """The remaining budget years with their amounts from the fund, or the remaining years of
    the project evenly; nothing (all in year 1) where neither remains."""
    remaining = [(y, w) for y, w in lines.get(project.pk, []) if y >= today.year and w > 0]
    if remaining:
        return tuple(remaining)
    if project.end_date is not None and project.end_date.year >= today.year:
        start = max(today.year, project.start_date.year if project.start_date else today.year)
        return tuple((y, 1) for y in range(start, project.end_date.year + 1))
    return ()


def fund_forecast_input(fund: Fund, today: dt.date | None = None) -> FundData:
    """Everything the forecast model needs about `fund`, read in a fixed number of queries."""
    today = today or timezone.localdate()
    balances = fund_balances(fund=fund)
    entries = LedgerEntry.objects.filter(fund=fund)
    outstanding = _by_project(entries, "d_committed")
    standing = entries.filter(reversed_by__isnull=True).exclude(kind=EntryKind.REVERSAL)
    releases = _by_project(standing.filter(kind=EntryKind.RELEASE), "amount")
    granted = {
        pk: c - releases.get(pk, 0)
        for pk, c in _by_project(standing.filter(kind=EntryKind.COMMITMENT), "amount").items()
    }
    claimed = _by_project(
        LedgerEntry.objects.filter(fund=fund, kind=EntryKind.CLAIM, reversed_by__isnull=True),
        "amount",
    )
    lines: dict[int, list[tuple[int, int]]] = defaultdict(list)
    budget = (
        BudgetLine.objects.filter(application__project__fund=fund)
        .values("application__project_id", "year")
        .annotate(s=Sum("requested"))
        .order_by("application__project_id", "year")
    )
    for row in budget:
        lines[row["application__project_id"]].append((row["year"], int(row["s"] or 0)))
    cases = _cases(fund)
    units = list(Unit.objects.filter(organisation_id=fund.organisation_id))
    agreements = {
        a.project_id: a
        for a in Agreement.objects.filter(project__fund=fund).prefetch_related(
            "shares", "instalments"
        )
    }
    claimed_instalments = set(
        Claim.objects.filter(
            project__fund=fund, instalment__isnull=False, ledger_entry__reversed_by__isnull=True
        ).values_list("instalment_id", flat=True)
    )
    last_verified = dict(
        VerifiedSaving.objects.filter(project__fund=fund, reversed_at__isnull=True)
        .order_by()
        .values_list("project_id")
        .annotate(y=Max("year"))
    )
    projects = []
    for project in Project.objects.filter(fund=fund).order_by("pk"):
        agreement = agreements.get(project.pk)
        fixed: tuple[tuple[int, int], ...] = ()
        savings = None
        if agreement is not None and agreement.model == Model.FIXED:
            fixed = tuple(
                (_due_year(i.year, agreement.due_months), i.amount)
                for i in agreement.instalments.all()
                if i.pk not in claimed_instalments
            )
        elif agreement is not None and agreement.model in (
            Model.SAVINGS_SHARE,
            Model.BUDGET_ADJUSTMENT,
        ):
            savings = _savings_share(
                agreement, cases.get(project.pk), units, claimed, last_verified
            )
        projects.append(
            ProjectIn(
                key=project.code,
                outstanding_ore=max(outstanding.get(project.pk, 0), 0),
                disbursement_years=_disbursement_years(project, lines, today),
                fixed=fixed,
                savings=savings,
            )
        )
    open_claims = [
        (int(c.outstanding), c.due_date)  # type: ignore[attr-defined]
        for c in claims_with_balances(Claim.objects.filter(project__fund=fund), today=today).filter(
            Q(outstanding__gt=0)
        )
    ]
    realisation = realisation_source(fund, cases, units)
    data = ForecastInput(
        base_year=today.year,
        start=Start(
            capital_ore=balances.capital,
            committed_ore=balances.committed,
            claims_ore=balances.claims,
        ),
        projects=tuple(projects),
        claims=tuple(ClaimIn(int(o), d.year) for o, d in open_claims),
        history=_history(fund, today, granted),
        realisation=Realisation(factor=realisation.factor, spread=realisation.spread),
        default_topup_ore=fund.annual_topup,
    )
    return FundData(fund=fund, today=today, data=data, realisation=realisation)


def _savings_share(
    agreement: Agreement,
    case: Case | None,
    units: list[Unit],
    claimed: dict[int, int],
    last_verified: dict[int, int],
) -> SavingsShare:
    share = 1.0 if agreement.model == Model.BUDGET_ADJUSTMENT else float(agreement.share or 0) / 100
    actors: list[str] = []
    if case is not None:
        by_unit = _actor_units(case, units)
        paying = [s.unit_id for s in agreement.shares.all()] or list(by_unit)
        actors = sorted({a for pk in paying for a in by_unit.get(pk, [])})
    pk = agreement.project_id
    first_year = last_verified[pk] + 1 if pk in last_verified else (case.start_year if case else 0)
    return SavingsShare(
        share=share,
        room_ore=max(agreement.cap - claimed.get(pk, 0), 0),
        case=case,
        actors=tuple(actors),
        first_year=first_year,
        due_lag=_due_year(0, agreement.due_months),
    )


def forecast_runs(*, fund: Fund) -> QuerySet[ForecastRun]:
    return (
        ForecastRun.objects.filter(fund=fund).select_related("created_by").order_by("-created_at")
    )


def forecast_run(*, run_id: Any) -> ForecastRun:
    return get_object_or_404(ForecastRun.objects.select_related("fund", "created_by"), pk=run_id)


def forecast_document(
    fund: Fund,
    policy: Policy,
    *,
    today: dt.date | None = None,
    report: Report | None = None,
) -> dict[str, Any]:
    """The forecast of `fund` under `policy`: the document `sifra forecast --json` prints."""
    read = fund_forecast_input(fund, today)
    document = forecast(read.data, policy, report)
    start = document["start"]
    document = {
        "fund": {"id": fund.pk, "name": fund.name},
        "start": {
            "date": read.today.isoformat(),
            **{k: v for k, v in start.items() if k != "year"},
        },
        **{k: v for k, v in document.items() if k != "start"},
    }
    document["realisation"] = read.realisation.as_dict()
    return document


def default_policy_values(fund: Fund, today: dt.date | None = None) -> dict[str, Any]:
    """The policy form's values from the fund: its planned top-up, the last three years'
    average of new grants, floor 0 (öre)."""
    today = today or timezone.localdate()
    standing = LedgerEntry.objects.filter(
        fund=fund,
        reversed_by__isnull=True,
        kind__in=[EntryKind.COMMITMENT, EntryKind.RELEASE],
        date__year__gte=today.year - RECENT_YEARS,
        date__year__lt=today.year,
    )
    sums = standing.aggregate(
        c=Sum("amount", filter=Q(kind=EntryKind.COMMITMENT)),
        r=Sum("amount", filter=Q(kind=EntryKind.RELEASE)),
    )
    average = round(((sums["c"] or 0) - (sums["r"] or 0)) / RECENT_YEARS)
    return {"topup": fund.annual_topup, "new_grants": max(average, 0), "floor": 0}
