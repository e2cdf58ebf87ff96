"""Keeping the portfolio's case summaries (CaseSummary) in step with the cases.

A summary holds what the case page shows (the same engine run: PAGE_ITERATIONS, seed 0), the
municipality's forecast savings by year, and for an evaluated project the ex-post case's NPV.
Computing one takes the engine about 0.05 s; the portfolio of 2 000 projects reads them in one
query. A summary is stale when its project has none, when the application (and so its case)
was saved after it, or when an evaluation was recorded after it; the refresh recomputes the
stale ones only, and runs each distinct case once."""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.signals import post_save
from django.utils import timezone

from sifra.applications.selectors import page_iterations
from sifra.engine import ENGINE_VERSION, CaseError, calculate, load_case
from sifra.engine.case import Case
from sifra.engine.model import benefit_flows
from sifra.evaluation.expost import project_comparison
from sifra.evaluation.models import Evaluation
from sifra.funds.models import Fund
from sifra.portfolio.models import CaseSavingYear, CaseSummary
from sifra.projects.models import Project
from sifra.repayment.models import VerifiedSaving

# The sector whose actors are the municipality's committees: their benefits are the savings
# that can come home to the fund (DOMAIN.md: the region's or the state's cannot repay it).
MUNICIPALITY = "kommun"
YEAR_AND_TITLE = ("title", "start_year", "price_year")


def numbers_key(case: Any) -> str:
    """sha-256 of what the engine's figures depend on: the case without its title, years and
    names. Cases that differ only there (a fund's many projects built on one template) have
    the same NPV, chance and savings by year index, so they run once."""
    try:
        bare = copy.deepcopy(dict(case))
        bare["case"] = {
            k: v for k, v in dict(bare.get("case") or {}).items() if k not in YEAR_AND_TITLE
        }
        for section in ("actors", "costs", "outcomes"):
            bare[section] = [
                {k: v for k, v in dict(item).items() if k != "name"}
                for item in bare.get(section) or []
            ]
    except (TypeError, ValueError):
        bare = case
    text = json.dumps(bare, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def municipal_savings(parsed: Case) -> list[float]:
    """The base case's benefits to the municipality's actors by year index t, in SEK."""
    columns = [i for i, a in enumerate(parsed.actors) if a.sector == MUNICIPALITY]
    benefits = benefit_flows(parsed, {}, 1, by_actor=True)[:, 0, :]
    return [float(benefits[t, columns].sum()) for t in range(parsed.horizon)]


def case_figures(case: Any) -> dict[str, Any] | None:
    """NPV, the chance that NPV > 0 and the municipal savings by year index of a case; None
    for an invalid case. A case without uncertainty has a chance of 1 or 0: its NPV is what
    it is."""
    try:
        parsed = load_case(case)
        result = calculate(parsed, iterations=page_iterations(parsed), seed=0)
    except (CaseError, ValueError):
        return None
    npv, mc = result["npv"], result["monte_carlo"]
    chance = mc["p_npv_positive"] if mc else (None if npv is None else float(npv > 0))
    return {"npv": npv, "p_npv_positive": chance, "savings_by_t": municipal_savings(parsed)}


def _by_year(case: Any, savings_by_t: list[float]) -> dict[str, float]:
    start = int(case["case"]["start_year"])
    return {str(start + t): amount for t, amount in enumerate(savings_by_t)}


def summaries_stale(*, fund: Fund) -> QuerySet[Project]:
    """The fund's projects whose summary is missing or older than their case or evaluations."""
    # the summary and the case are joined once (one row each per project), not looked up by
    # a subquery per project; the projects with an evaluation newer than their summary are one
    # uncorrelated subquery, read once (a correlated one scanned the evaluations per project)
    newer_evaluation = Evaluation.objects.filter(
        project__fund=fund, created_at__gt=F("project__case_summary__computed_at")
    ).values("project")
    return Project.objects.filter(fund=fund).filter(
        Q(case_summary__isnull=True)
        | Q(case_summary__computed_at__lt=F("application__updated_at"))
        | Q(pk__in=newer_evaluation)
    )


def _expost(project: Project) -> tuple[float | None, float | None]:
    if not project.evaluations.exists():
        return None, None
    comparison = project_comparison(project=project)
    if comparison is None:
        return None, None
    mc = comparison.ex_post["monte_carlo"] or {}
    return comparison.ex_post["npv"], mc.get("p_npv_positive")


def summaries_compute(projects: Iterable[Project]) -> list[CaseSummary]:
    """Fresh summaries for `projects` (not saved); each distinct case runs once."""
    now = timezone.now()
    runs: dict[str, dict[str, Any] | None] = {}
    out = []
    for project in projects:
        application = getattr(project, "application", None)
        case = application.case if application is not None else None
        key = numbers_key(case) if case else ""
        if key and key not in runs:
            runs[key] = case_figures(case)
        figures = runs.get(key)
        expost_npv, expost_p = _expost(project) if figures else (None, None)
        out.append(
            CaseSummary(
                project=project,
                computed_at=now,
                engine_version=ENGINE_VERSION,
                case_digest=key,
                npv=figures["npv"] if figures else None,
                p_npv_positive=figures["p_npv_positive"] if figures else None,
                savings=_by_year(case, figures["savings_by_t"]) if figures else {},
                expost_npv=expost_npv,
                expost_p_npv_positive=expost_p,
            )
        )
    return out


def case_summaries_refresh(*, fund: Fund, projects: QuerySet[Project] | None = None) -> int:
    """Recompute the stale summaries of `fund` (or of `projects` among them, stale or not);
    returns how many. Derived data, like the ledger's day totals: no audit row."""
    chosen = summaries_stale(fund=fund) if projects is None else projects.filter(fund=fund)
    chosen = chosen.select_related("application").order_by("pk")
    done = 0
    batch: list[Project] = []
    for project in chosen.iterator(chunk_size=200):
        batch.append(project)
        if len(batch) == 200:
            done += _save(batch)
            batch = []
    return done + (_save(batch) if batch else 0)


def saving_years(summary: CaseSummary) -> list[CaseSavingYear]:
    """A summary's forecast savings by year as rows, in öre (selectors.forecast_for's rounding),
    not yet marked (saving_years_mark)."""
    return [
        CaseSavingYear(project_id=summary.project_id, year=int(year), savings=round(sek * 100))
        for year, sek in summary.savings.items()
    ]


def _save(projects: list[Project]) -> int:
    fresh = summaries_compute(projects)  # the engine's work, outside the lock
    with transaction.atomic():
        # Verifying or reversing a saving takes its fund's row lock and then marks the rows of
        # its year (_saving_saved): under the same lock, the marks set here cannot miss one.
        funds = sorted({p.fund_id for p in projects})
        list(Fund.objects.select_for_update().filter(pk__in=funds).order_by("pk"))
        CaseSummary.objects.filter(project__in=projects).delete()
        CaseSavingYear.objects.filter(project__in=projects).delete()
        CaseSummary.objects.bulk_create(fresh)
        CaseSavingYear.objects.bulk_create([row for s in fresh for row in saving_years(s)])
        saving_years_mark(rows=CaseSavingYear.objects.filter(project__in=projects))
    return len(fresh)


def _standing_there() -> Exists:
    """Whether a verified saving of the row's project and year stands."""
    return Exists(
        VerifiedSaving.objects.filter(
            project=OuterRef("project"), year=OuterRef("year"), reversed_at__isnull=True
        )
    )


def saving_years_mark(*, rows: QuerySet[CaseSavingYear] | None = None) -> int:
    """Set `verified` of these forecast rows (all by default) from the verified savings; the
    rebuild, and what a verified or reversed saving calls for its project and year."""
    qs = CaseSavingYear.objects.all() if rows is None else rows
    return qs.update(verified=_standing_there())


def saving_year_problems(*, rows: QuerySet[CaseSavingYear] | None = None) -> list[CaseSavingYear]:
    """The forecast rows whose `verified` differs from the verified savings (none when in step)."""
    qs = CaseSavingYear.objects.all() if rows is None else rows
    return list(qs.annotate(standing=_standing_there()).exclude(verified=F("standing")))


def _saving_saved(sender: Any, instance: VerifiedSaving, **kwargs: Any) -> None:
    """A saving verified or reversed: its project's forecast row for its year follows."""
    saving_years_mark(
        rows=CaseSavingYear.objects.filter(project=instance.project_id, year=instance.year)
    )


def connect() -> None:
    """Keep `verified` in step with every saving saved (PortfolioConfig.ready)."""
    post_save.connect(_saving_saved, sender=VerifiedSaving, dispatch_uid="portfolio.saving_years")


def stale_count(*, fund: Fund) -> int:
    return summaries_stale(fund=fund).count()
