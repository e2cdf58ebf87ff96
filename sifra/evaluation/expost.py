"""The case after the fact: the ex-ante case re-run with what actually happened.

`expost_case` is pure: plain data in (the case document, the actuals per calendar year, the
evaluated effects), the ex-post case document and a note per replacement out. The selectors
below gather that data from approved reports and recorded evaluations and compute both cases.

What is replaced, for the years up to and including the year of the last approved report:
participants entering and the costs (one "Actual costs" row borne by the case's first kommun
actor). Later years keep the estimates, since the work may still be running. An evaluated outcome's
effect becomes a normal distribution with the evaluation's 95 % interval.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Sum
from django.utils.translation import gettext as _

from sifra.core.money import format_ore
from sifra.engine import Case, CaseError, calculate, load_case

ITERATIONS = 5_000
SEED = 0
Z_95 = 1.96


@dataclass(frozen=True)
class Actuals:
    """What approved reports say, by calendar year: participants, and costs in SEK."""

    participants: Mapping[int, int] = field(default_factory=dict)
    costs: Mapping[int, float] = field(default_factory=dict)
    last_year: int | None = None  # the year the last approved report's period ends


@dataclass(frozen=True)
class Estimate:
    """An evaluated effect of the case's outcome number `outcome_index`, with its 95 % interval."""

    outcome_index: int
    effect: float
    ci_low: float
    ci_high: float
    source: str = ""


def expost_case(
    ex_ante: Mapping[str, Any], *, actuals: Actuals, estimates: Sequence[Estimate] = ()
) -> tuple[dict[str, Any], list[str]]:
    """The ex-post case and the notes explaining each replacement. `ex_ante` must be a valid
    case (CaseError otherwise); it is not modified. When several estimates concern the same
    outcome, the first one counts (pass the newest first)."""
    parsed = load_case(ex_ante)
    case = copy.deepcopy(dict(ex_ante))
    last_t = _last_t(parsed, actuals.last_year)
    notes = (
        []
        if last_t >= 0
        else [_("No approved report yet: participants and costs are the estimates.")]
    )
    if last_t >= 0:
        notes += _replace_participants(case, parsed, actuals.participants, last_t)
        notes += _replace_costs(case, parsed, actuals.costs, last_t)
    notes += _replace_effects(case, estimates)
    return case, notes


def _last_t(case: Case, last_year: int | None) -> int:
    """The last year index that approved reports cover; −1 when none in the case's years."""
    if last_year is None:
        return -1
    return min(last_year - case.start_year, case.horizon - 1)


def _years(case: Case, last_t: int) -> str:
    first, last = case.start_year, case.start_year + last_t
    return str(first) if first == last else f"{first}–{last}"


def _kr(sek: float) -> str:
    return format_ore(round(sek * 100))


def _replace_participants(
    case: dict[str, Any], parsed: Case, participants: Mapping[int, int], last_t: int
) -> list[str]:
    start = parsed.start_year
    actual = [int(participants.get(start + t, 0)) for t in range(last_t + 1)]
    entering = list(case.get("participants", {}).get("entering", []))
    entering += [0] * (last_t + 1 - len(entering))
    entering[: last_t + 1] = actual
    case["participants"] = {"entering": entering}
    estimated = sum(n.base for n in parsed.entering[: last_t + 1])
    notes = [
        _(
            "Participants entering %(years)s: %(actual)s as reported in approved reports "
            "(estimated %(estimated)s)."
        )
        % {"years": _years(parsed, last_t), "actual": sum(actual), "estimated": round(estimated)}
    ]
    outside = sum(n for y, n in participants.items() if not 0 <= y - start <= last_t)
    if outside:
        notes.append(
            _("%(n)s participants reported outside the case's years are left out.") % {"n": outside}
        )
    return notes


def _payer(parsed: Case) -> Any:
    """Who bears the actual costs: the first municipal actor, else the first actor."""
    return next((a for a in parsed.actors if a.sector == "kommun"), parsed.actors[0])


def _later_costs(raw: Mapping[str, Any], parsed: Case, index: int, last_t: int) -> list[Any]:
    """A cost row's amounts after the last reported year (by t from last_t + 1). A
    per-participant cost becomes amounts on the estimated participants, at base values: the
    reported years' participants must not be charged again."""
    if "amounts" in raw:
        return list(raw["amounts"][last_t + 1 :])
    rate = parsed.costs[index].per_participant
    assert rate is not None  # a valid cost has amounts or a per-participant rate
    entering = parsed.entering[last_t + 1 : parsed.horizon]
    return [rate.base * n.base for n in entering]


def _replace_costs(
    case: dict[str, Any], parsed: Case, costs: Mapping[int, float], last_t: int
) -> list[str]:
    from sifra.engine.results import deterministic

    start = parsed.start_year
    actual = [float(costs.get(start + t, 0.0)) for t in range(last_t + 1)]
    payer = _payer(parsed)
    rows: list[dict[str, Any]] = [{"name": _("Actual costs"), "actor": payer.id, "amounts": actual}]
    for i, raw in enumerate(case.get("costs", [])):
        later = _later_costs(raw, parsed, i, last_t)
        if any(v != 0 for v in later):
            rows.append(
                {
                    "name": parsed.costs[i].name,
                    "actor": raw["actor"],
                    "amounts": [0] * (last_t + 1) + later,
                }
            )
    case["costs"] = rows
    estimated = sum(y["costs"] for y in deterministic(parsed)["years"][: last_t + 1])
    notes = [
        _(
            "Costs %(years)s: %(actual)s as reported in approved reports (estimated "
            "%(estimated)s), borne by %(payer)s. Later years keep the estimated costs."
        )
        % {
            "years": _years(parsed, last_t),
            "actual": _kr(sum(actual)),
            "estimated": _kr(estimated),
            "payer": payer.name,
        }
    ]
    outside = sum(v for y, v in costs.items() if not 0 <= y - start <= last_t)
    if outside:
        notes.append(
            _("%(amount)s of reported costs outside these years is left out.")
            % {"amount": _kr(outside)}
        )
    return notes


def _share(value: float) -> str:
    from django.utils.formats import number_format

    return f"{number_format(value * 100, decimal_pos=1)} %"


def _replace_effects(case: dict[str, Any], estimates: Sequence[Estimate]) -> list[str]:
    outcomes, notes, seen = case.get("outcomes", []), [], set()
    for e in estimates:
        if e.outcome_index in seen:
            continue
        seen.add(e.outcome_index)
        if not 0 <= e.outcome_index < len(outcomes):
            notes.append(
                _("An evaluation concerns outcome %(n)s, which the case does not have.")
                % {"n": e.outcome_index + 1}
            )
            continue
        outcome = outcomes[e.outcome_index]
        for key in ("effect", "baseline", "relative_effect"):
            outcome.pop(key, None)
        sd = (e.ci_high - e.ci_low) / (2 * Z_95)
        outcome["effect"] = {"dist": "normal", "mean": e.effect, "sd": sd}
        notes.append(
            _(
                "%(outcome)s: the evaluated effect %(effect)s (95 %% interval %(low)s–%(high)s) "
                "replaces the estimate; %(source)s."
            )
            % {
                "outcome": outcome.get("name") or _("Outcome %(n)s") % {"n": e.outcome_index + 1},
                "effect": _share(e.effect),
                "low": _share(e.ci_low),
                "high": _share(e.ci_high),
                "source": e.source or _("evaluation"),
            }
        )
    return notes


# --- Selectors ------------------------------------------------------------------------------------


def project_actuals(*, project: Any) -> Actuals:
    """Approved reports only. Progress reports count participants in the year their period ends
    and costs in the year of the budget line they were reported against. A final report gives
    the totals for the whole project: its costs replace the progress reports', and participants
    beyond theirs count in its last year."""
    from sifra.followup.models import CostActual, ReportKind, ReportStatus

    approved = project.reports.filter(status=ReportStatus.APPROVED)
    progress = approved.filter(kind=ReportKind.PROGRESS)
    final = approved.filter(kind=ReportKind.FINAL).order_by("-period_end").first()
    participants: dict[int, int] = defaultdict(int)
    for report in progress:
        participants[report.period_end.year] += report.participants
    if final is not None:
        extra = final.participants - sum(participants.values())
        if extra > 0 or not participants:
            participants[final.period_end.year] += max(extra, 0)
    reports = [final] if final is not None else list(progress)
    rows = (
        CostActual.objects.filter(report__in=reports)
        .values("budget_line__year")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return Actuals(
        participants=dict(participants),
        costs={r["budget_line__year"]: r["total"] / 100 for r in rows},
        last_year=max(participants, default=None),
    )


def project_estimates(*, project: Any) -> list[Estimate]:
    """The project's evaluations, newest first."""
    return [
        Estimate(
            outcome_index=e.outcome_index,
            effect=float(e.effect),
            ci_low=float(e.ci_low),
            ci_high=float(e.ci_high),
            source=f"{e.get_method_display()}, {e.evaluator}",
        )
        for e in project.evaluations.order_by("-created_at", "-pk")
    ]


@dataclass(frozen=True)
class Comparison:
    ex_ante: dict[str, Any]
    ex_post: dict[str, Any]
    notes: list[str]

    @property
    def years(self) -> list[dict[str, Any]]:
        """Both cumulative nets per year, for the chart's table alternative."""
        return [
            {"year": a["year"], "ex_ante": a["cumulative_net"], "ex_post": p["cumulative_net"]}
            for a, p in zip(self.ex_ante["years"], self.ex_post["years"], strict=True)
        ]


def compare(ex_ante: Mapping[str, Any], ex_post: Mapping[str, Any], notes: list[str]) -> Comparison:
    """Both cases computed alike: the same iterations and seed, so the chance that NPV is
    positive is comparable even when the ex-ante case had no ranges."""
    return Comparison(
        ex_ante=calculate(ex_ante, iterations=ITERATIONS, seed=SEED),
        ex_post=calculate(ex_post, iterations=ITERATIONS, seed=SEED),
        notes=notes,
    )


def project_comparison(*, project: Any) -> Comparison | None:
    """The ex-ante and ex-post cases of a project side by side; None without a valid case (a
    project registered directly, or an application without one)."""
    case = getattr(getattr(project, "application", None), "case", None)
    if not case:
        return None
    try:
        ex_post, notes = expost_case(
            case,
            actuals=project_actuals(project=project),
            estimates=project_estimates(project=project),
        )
        return compare(case, ex_post, notes)
    except CaseError:
        return None
