"""The annual report's sections beyond the balances: decisions, projects, indicators, verified
savings against the case, claims by unit and evaluations, each for one fiscal year."""

import datetime as dt
from collections import defaultdict
from typing import Any

import numpy as np
from django.db.models import BigIntegerField, Case, F, Q, Sum, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from sifra.applications.models import Decision
from sifra.engine import CaseError, load_case
from sifra.engine.model import benefit_flows
from sifra.evaluation.models import Evaluation
from sifra.followup.models import IndicatorValue, ProjectIndicator, ReportStatus
from sifra.funds.models import EntryKind, Fund, LedgerEntry
from sifra.projects.models import Project
from sifra.repayment.models import VerifiedSaving
from sifra.reports.data import (
    DecisionRow,
    DecisionTotals,
    EvaluationRow,
    IndicatorRow,
    ProjectRow,
    SavingRow,
    SavingTotals,
    UnitClaims,
)

MONEY: BigIntegerField = BigIntegerField()
SIGNED_AMOUNT = Case(
    When(kind=EntryKind.REVERSAL, then=-F("amount")), default=F("amount"), output_field=MONEY
)


def _of_kind(kind: str) -> Q:
    """Entries of `kind` and the reversals of such entries."""
    return Q(kind=kind) | Q(kind=EntryKind.REVERSAL, reverses__kind=kind)


# --- Decisions ----------------------------------------------------------------------------------


def decisions(fund: Fund, start: dt.date, end: dt.date) -> tuple[list[DecisionRow], DecisionTotals]:
    """The decision maker's decisions dated in the year, and the grants of projects registered
    without an application (decided before the fund used Sifra): their commitments in the
    year, unless reversed by the year's end."""
    rows = [_decision_row(d) for d in _decisions(fund, start, end)]
    rows += [_grant_row(e) for e in _direct_grants(fund, start, end)]
    rows.sort(key=lambda r: (r.decided_on, r.reference))
    approved = [r for r in rows if r.outcome == Decision.Outcome.APPROVED]
    rejected = [r for r in rows if r.outcome == Decision.Outcome.REJECTED]
    totals = DecisionTotals(
        approved=len(approved),
        granted=sum(r.granted for r in approved),
        rejected=len(rejected),
        rejected_requested=sum(r.requested or 0 for r in rejected),
    )
    return rows, totals


def _decisions(fund: Fund, start: dt.date, end: dt.date) -> Any:
    return (
        Decision.objects.filter(application__fund=fund, decided_on__range=(start, end))
        .select_related("application__lead_unit")
        .prefetch_related("application__budget_lines")
    )


def _decision_row(d: Decision) -> DecisionRow:
    application = d.application
    return DecisionRow(
        reference=application.reference,
        title=application.title,
        unit=application.lead_unit.name,
        outcome=d.outcome,
        outcome_label=d.get_outcome_display(),
        requested=sum(line.requested for line in application.budget_lines.all()),
        granted=d.amount if d.outcome == Decision.Outcome.APPROVED else 0,
        minute_ref=d.minute_ref,
        decided_on=d.decided_on,
    )


def _direct_grants(fund: Fund, start: dt.date, end: dt.date) -> Any:
    return (
        LedgerEntry.objects.filter(
            fund=fund,
            kind=EntryKind.COMMITMENT,
            date__range=(start, end),
            project__application__isnull=True,
        )
        .exclude(reversed_by__date__lte=end)
        .select_related("project__lead_unit")
        .order_by("date", "number")
    )


def _grant_row(entry: LedgerEntry) -> DecisionRow:
    project = entry.project
    assert project is not None
    return DecisionRow(
        reference=project.code,
        title=project.title,
        unit=project.lead_unit.name,
        outcome=Decision.Outcome.APPROVED,
        outcome_label=str(Decision.Outcome.APPROVED.label),
        requested=None,
        granted=entry.amount,
        minute_ref=entry.decision_ref or project.decision_ref,
        decided_on=entry.date,
    )


# --- Projects -----------------------------------------------------------------------------------


def project_balances(fund: Fund, end: dt.date) -> dict[int, dict[str, int]]:
    """Per project, from its entries to `end`: what was granted (commitments less releases),
    disbursed and repaid, and what stays committed and claimed."""
    sums = (
        LedgerEntry.objects.filter(fund=fund, project__isnull=False, date__lte=end)
        .values("project_id")
        .annotate(
            committed=Sum("d_committed"),
            claims=Sum("d_claims"),
            granted=_signed(EntryKind.COMMITMENT) - _signed(EntryKind.RELEASE),
            disbursed=_signed(EntryKind.DISBURSEMENT),
            repaid=_signed(EntryKind.REPAYMENT),
        )
        .order_by()
    )
    return {s["project_id"]: {k: int(v or 0) for k, v in s.items()} for s in sums}


def _signed(kind: str) -> Any:
    return Coalesce(Sum(SIGNED_AMOUNT, filter=_of_kind(kind)), 0, output_field=MONEY)


def _listed_projects(fund: Fund, start: dt.date, end: dt.date) -> list[tuple[Project, dict]]:
    """The projects the fund had during the year: those with entries by its end that were not
    closed before it began, had entries in it, or still held money at its end."""
    balances = project_balances(fund, end)
    active = set(
        LedgerEntry.objects.filter(fund=fund, date__range=(start, end)).values_list(
            "project_id", flat=True
        )
    )
    listed = []
    for project in fund.projects.filter(pk__in=balances).select_related("lead_unit"):
        b = balances[project.pk]
        closed_before = (
            project.closed_at is not None and timezone.localdate(project.closed_at) < start
        )
        if not closed_before or project.pk in active or b["committed"] or b["claims"]:
            listed.append((project, b))
    return sorted(listed, key=lambda pb: pb[0].code)


def projects(fund: Fund, start: dt.date, end: dt.date) -> list[ProjectRow]:
    return [
        ProjectRow(
            project_id=p.pk,
            code=p.code,
            title=p.title,
            unit=p.lead_unit.name,
            start_date=p.start_date,
            end_date=p.end_date,
            status=p.status,
            status_label=p.get_status_display(),
            outcome_label=p.get_outcome_display() if p.outcome else "",
            granted=b["granted"],
            disbursed=b["disbursed"],
            committed_end=b["committed"],
            repaid=b["repaid"],
            claims_end=b["claims"],
        )
        for p, b in _listed_projects(fund, start, end)
    ]


# --- Indicators ---------------------------------------------------------------------------------


def indicators(fund: Fund, start: dt.date, end: dt.date) -> list[IndicatorRow]:
    """Each listed project's indicators with the latest approved value of a period ending by
    the year's end."""
    ids = [p.pk for p, _b in _listed_projects(fund, start, end)]
    found = ProjectIndicator.objects.filter(project_id__in=ids).select_related("project")
    latest: dict[int, IndicatorValue] = {}
    values = IndicatorValue.objects.filter(
        indicator__in=found, report__status=ReportStatus.APPROVED, report__period_end__lte=end
    ).select_related("report")
    for v in values.order_by("report__period_end", "report_id"):
        latest[v.indicator_id] = v
    rows = [_indicator_row(i, latest.get(i.pk)) for i in found]
    return sorted(rows, key=lambda r: r.project_code)


def _indicator_row(i: ProjectIndicator, value: IndicatorValue | None) -> IndicatorRow:
    actual = value.value if value else None
    progress = reached = None
    if actual is not None and i.target != i.baseline:
        progress = float((actual - i.baseline) / (i.target - i.baseline))
        reached = progress >= 1
    return IndicatorRow(
        project_code=i.project.code,
        name=i.name,
        unit=i.unit,
        baseline=i.baseline,
        baseline_year=i.baseline_year,
        target=i.target,
        actual=actual,
        actual_period_end=value.report.period_end if value else None,
        progress=progress,
        reached=reached,
    )


# --- Verified savings against the case ----------------------------------------------------------


def savings(fund: Fund, year: int) -> tuple[list[SavingRow], SavingTotals]:
    """Per project and year up to the report's: the savings verified (and not reversed) beside
    what the project's case forecast for the municipality's own actors, its base case in
    kronor of the case's price year. A year appears where either has an amount."""
    verified: dict[tuple[int, int], int] = defaultdict(int)
    standing = VerifiedSaving.objects.filter(
        project__fund=fund, reversed_at__isnull=True, year__lte=year
    )
    for s in standing.values("project_id", "year").annotate(total=Sum("amount")).order_by():
        verified[(s["project_id"], s["year"])] = int(s["total"])
    ids = {pid for pid, _y in verified}
    cases = Project.objects.filter(fund=fund, application__case__isnull=False)
    forecasts = {p.pk: _forecast(p.application.case) for p in cases.select_related("application")}
    ids |= {pid for pid, f in forecasts.items() if f and any(y <= year for y in f)}
    rows = []
    for project in Project.objects.filter(pk__in=ids).order_by("code"):
        forecast = forecasts.get(project.pk)
        years = {y for pid, y in verified if pid == project.pk}
        years |= {y for y in (forecast or {}) if y <= year}
        for y in sorted(years):
            rows.append(
                SavingRow(
                    project_code=project.code,
                    title=project.title,
                    year=y,
                    verified=verified.get((project.pk, y), 0),
                    forecast=None if forecast is None else forecast.get(y, 0),
                )
            )
    return rows, _saving_totals(rows)


def _saving_totals(rows: list[SavingRow]) -> SavingTotals:
    both = [r for r in rows if r.verified and r.forecast]
    forecast_of_verified = sum(r.forecast or 0 for r in both)
    return SavingTotals(
        verified=sum(r.verified for r in rows),
        forecast=sum(r.forecast or 0 for r in rows),
        realisation=(
            sum(r.verified for r in both) / forecast_of_verified if forecast_of_verified else None
        ),
    )


def _forecast(case: dict[str, Any] | None) -> dict[int, int] | None:
    """The case's base-case savings per calendar year for its actors in the municipality
    (sector "kommun": the ones that can repay the fund), in whole kronor as öre; only years with
    savings. None where the case cannot be read."""
    try:
        parsed = load_case(case or {})
    except CaseError:
        return None
    columns = [i for i, a in enumerate(parsed.actors) if a.sector == "kommun"]
    if not columns:
        return {}
    with np.errstate(all="ignore"):
        flows = benefit_flows(parsed, {}, 1, by_actor=True)[:, 0, columns].sum(axis=1)
    out = {}
    for t, kronor in enumerate(flows):
        if np.isfinite(kronor) and round(float(kronor)) > 0:
            out[parsed.start_year + t] = round(float(kronor)) * 100
    return out


# --- Claims by unit -----------------------------------------------------------------------------


def _claim_of(entry: LedgerEntry) -> Any:
    """The claim an entry moves: its own, its payment's, or that of the entry it reverses."""
    target = entry.reverses or entry
    claim = getattr(target, "claim", None)
    if claim is None:
        payment = getattr(target, "claim_payment", None)
        claim = payment.claim if payment is not None else None
    return claim


def claims_by_unit(
    fund: Fund, start: dt.date, end: dt.date, overdue_from: dt.date
) -> tuple[list[UnitClaims], UnitClaims]:
    """Per debtor unit, from the ledger's entries: what was owed at the start of the year, what
    was claimed, repaid and written off in it (net of reversals), what is owed at its end and
    how much of that was due before `overdue_from`. Claims posted in the ledger without a
    repayment agreement have no debtor unit and are summed on a row of their own. The rows add
    up to the ledger's claims balance at the end of the year."""
    entries = (
        LedgerEntry.objects.filter(fund=fund, date__lte=end)
        .exclude(d_claims=0)
        .select_related(
            "claim__unit",
            "claim_payment__claim__unit",
            "reverses__claim__unit",
            "reverses__claim_payment__claim__unit",
        )
    )
    per_claim: dict[Any, int] = defaultdict(int)
    units: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for entry in entries:
        claim = _claim_of(entry)
        unit = claim.unit.name if claim is not None else _("Not tied to a unit")
        row = units[unit]
        per_claim[claim] += entry.d_claims
        row["outstanding_end"] += entry.d_claims
        if entry.date < start:
            row["outstanding_start"] += entry.d_claims
            continue
        kind = entry.reverses.kind if entry.reverses else entry.kind
        field = {"claim": "claimed", "repayment": "repaid", "write_off": "written_off"}[kind]
        row[field] += entry.d_claims if kind == EntryKind.CLAIM else -entry.d_claims
    for claim, outstanding in per_claim.items():
        if claim is not None and outstanding > 0 and claim.due_date < overdue_from:
            units[claim.unit.name]["overdue"] += outstanding
            units[claim.unit.name]["overdue_claims"] += 1
    rows = [UnitClaims(unit=name, **_claim_fields(units[name])) for name in sorted(units)]
    rows = [r for r in rows if any(_claim_fields(vars(r)).values())]
    total = UnitClaims(unit=_("Total"), **{k: sum(vars(r)[k] for r in rows) for k in CLAIM_FIELDS})
    return rows, total


CLAIM_FIELDS = (
    "outstanding_start",
    "claimed",
    "repaid",
    "written_off",
    "outstanding_end",
    "overdue",
    "overdue_claims",
)


def _claim_fields(values: dict[str, Any]) -> dict[str, int]:
    return {k: int(values.get(k, 0)) for k in CLAIM_FIELDS}


# --- Evaluations --------------------------------------------------------------------------------


def evaluations(fund: Fund, start: dt.date, end: dt.date) -> list[EvaluationRow]:
    """The evaluations recorded during the year."""
    found = (
        Evaluation.objects.filter(project__fund=fund, created_at__date__range=(start, end))
        .select_related("project")
        .order_by("created_at")
    )
    return [
        EvaluationRow(
            project_code=e.project.code,
            title=e.project.title,
            method_label=e.get_method_display(),
            effect=e.effect,
            ci_low=e.ci_low,
            ci_high=e.ci_high,
            evaluator=e.evaluator,
            recorded_on=timezone.localtime(e.created_at).date(),
            assessed=e.assessed_at is not None,
        )
        for e in found
    ]
