"""The case after the fact: the ex-ante case re-run with what actually happened.

`expost_case` is pure: plain data in (the case document, the actuals per calendar year, the
evaluated effects), the ex-post case document and a note per replacement out. The selectors
below gather that data from approved reports and recorded evaluations and compute both cases.

What is replaced, for the years up to and including the year of the last approved report:
participants entering, and the costs, each report's cost line charged to the case actor that
pays its budget line. Later years keep the estimates, since the work may still be running.

An evaluated outcome's effect becomes a normal distribution with the evaluation's 95 % interval,
which may reach below 0 (an underpowered or harmful result): the ex-post case is computed with
signed effects. The evaluation's method decides which ex-ante adjustments stay. A randomised
trial or a quasi-experimental design compares the participants with a group that did not get
the intervention: its effect already nets out what would have happened anyway (deadweight) and
what others contributed to both groups (attribution), so those are not applied again. A
comparison among participants cannot see a problem moved elsewhere, so displacement stays. A
design without a comparison group (before and after, a historical comparison, a simple
verification) measures the change including what would have happened anyway: every ex-ante
adjustment stays.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from django.utils.text import slugify
from django.utils.translation import gettext as _

from sifra.core.money import format_ore
from sifra.engine import Case, CaseError, calculate, load_case
from sifra.evaluation.models import Method

ITERATIONS = 5_000
SEED = 0
Z_95 = 1.96
# Designs with a comparison group: their effect nets out deadweight and attribution.
COMPARISON_DESIGNS = frozenset({Method.RCT, Method.QUASI})
NETTED_OUT = ("deadweight", "attribution")


@dataclass(frozen=True)
class Payer:
    """Who pays a budget line, as a case actor may name it: by its name, or by an id the case
    page would have suggested for it."""

    name: str
    sector: str = "kommun"
    ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class ActualCost:
    """One reported cost line: the budget line's year, the amount in SEK and who pays it."""

    year: int
    amount: float
    payer: Payer | None = None


@dataclass(frozen=True)
class Actuals:
    """What approved reports say, by calendar year: participants, and the cost lines.
    `participants_from` says which reports gave the participants: "final" (the final report's
    total, in the year its period ends), "final_and_progress" (that total, spread over the
    years as the progress reports give the new entrants) or "progress" (the new entrants of
    each progress report)."""

    participants: Mapping[int, int] = field(default_factory=dict)
    costs: Sequence[ActualCost] = ()
    last_year: int | None = None  # the year the last approved report's period ends
    participants_from: Literal["final", "final_and_progress", "progress"] = "progress"


@dataclass(frozen=True)
class Estimate:
    """An evaluated effect of the case's outcome number `outcome_index`, with its 95 % interval
    (between −1 and 1: negative where the intervention made things worse)."""

    outcome_index: int
    effect: float
    ci_low: float
    ci_high: float
    source: str = ""
    method: str = ""


def expost_case(
    ex_ante: Mapping[str, Any], *, actuals: Actuals, estimates: Sequence[Estimate] = ()
) -> tuple[dict[str, Any], list[str]]:
    """The ex-post case and the notes explaining each replacement. `ex_ante` must be a valid
    case (CaseError otherwise); it is not modified. When several estimates concern the same
    outcome, the first one counts (pass the newest first). Compute the result with
    `expost_calculate`: an evaluated effect may be negative."""
    parsed = load_case(ex_ante)
    case = copy.deepcopy(dict(ex_ante))
    last_t = _last_t(parsed, actuals.last_year)
    notes = (
        []
        if last_t >= 0
        else [_("No approved report yet: participants and costs are the estimates.")]
    )
    if last_t >= 0:
        notes += _replace_participants(case, parsed, actuals, last_t)
        notes += _replace_costs(case, parsed, actuals.costs, last_t)
    notes += _replace_effects(case, parsed, estimates)
    return case, notes


def expost_calculate(case: Mapping[str, Any]) -> dict[str, Any]:
    """The engine's results of an ex-post case, its evaluated effects signed."""
    return calculate(load_case(case, signed_effects=True), iterations=ITERATIONS, seed=SEED)


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


# --- Participants --------------------------------------------------------------------------------


def _replace_participants(
    case: dict[str, Any], parsed: Case, actuals: Actuals, last_t: int
) -> list[str]:
    start = parsed.start_year
    actual = [int(actuals.participants.get(start + t, 0)) for t in range(last_t + 1)]
    entering = list(case.get("participants", {}).get("entering", []))
    entering += [0] * (last_t + 1 - len(entering))
    entering[: last_t + 1] = actual
    case["participants"] = {"entering": entering}
    estimated = sum(n.base for n in parsed.entering[: last_t + 1])
    figures = {
        "years": _years(parsed, last_t),
        "actual": sum(actual),
        "estimated": round(estimated),
    }
    notes = [_participants_note(actuals.participants_from) % figures]
    outside = sum(n for y, n in actuals.participants.items() if not 0 <= y - start <= last_t)
    if outside:
        notes.append(
            _("%(n)s participants reported outside the case's years are left out.") % {"n": outside}
        )
    return notes


def _participants_note(source: str) -> str:
    if source == "final":
        return _(
            "Participants entering %(years)s: %(actual)s, the total the approved final report "
            "gives, counted in the year its period ends (estimated %(estimated)s)."
        )
    if source == "final_and_progress":
        return _(
            "Participants entering %(years)s: %(actual)s, the total the approved final report "
            "gives, in the years the progress reports give the new entrants (estimated "
            "%(estimated)s)."
        )
    return _(
        "Participants entering %(years)s: %(actual)s, the new entrants the approved progress "
        "reports give (estimated %(estimated)s)."
    )


# --- Costs ---------------------------------------------------------------------------------------


def _fallback(parsed: Case) -> Any:
    """Who bears a cost line without a payer: the first municipal actor, else the first actor."""
    return next((a for a in parsed.actors if a.sector == "kommun"), parsed.actors[0])


def _actor_id(payer: Payer | None, parsed: Case, case: dict[str, Any]) -> str:
    """The case actor that `payer` is: the same name, or an id suggested for it. A payer the
    case does not name becomes a new actor of the ex-post case, so its costs stay its own."""
    if payer is None:
        return str(_fallback(parsed).id)
    actors = case.setdefault("actors", [])
    for a in actors:
        if a["name"].strip().casefold() == payer.name.strip().casefold() or a["id"] in payer.ids:
            return str(a["id"])
    ident, n = slugify(payer.name) or "payer", 2
    while any(a["id"] == ident for a in actors):
        ident, n = f"{slugify(payer.name) or 'payer'}-{n}", n + 1
    actors.append({"id": ident, "name": payer.name, "sector": payer.sector})
    return ident


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


def _actual_rows(
    case: dict[str, Any], parsed: Case, costs: Sequence[ActualCost], last_t: int
) -> dict[str, list[float]]:
    """The reported costs by the case actor that pays them, by year."""
    rows: dict[str, list[float]] = {}
    for cost in costs:
        t = cost.year - parsed.start_year
        if 0 <= t <= last_t:
            actor = _actor_id(cost.payer, parsed, case)
            rows.setdefault(actor, [0.0] * (last_t + 1))[t] += cost.amount
    return rows


def _replace_costs(
    case: dict[str, Any], parsed: Case, costs: Sequence[ActualCost], last_t: int
) -> list[str]:
    from sifra.engine.results import deterministic

    known = {a.id for a in parsed.actors}
    actual = _actual_rows(case, parsed, costs, last_t)
    rows: list[dict[str, Any]] = [
        {"name": _("Actual costs"), "actor": actor, "amounts": amounts}
        for actor, amounts in actual.items()
    ]
    for i, raw in enumerate(case.get("costs", [])):
        later = _later_costs(raw, parsed, i, last_t)
        if any(v != 0 for v in later):
            name, actor = parsed.costs[i].name, raw["actor"]
            rows.append({"name": name, "actor": actor, "amounts": [0] * (last_t + 1) + later})
    case["costs"] = rows
    estimated = sum(y["costs"] for y in deterministic(parsed)["years"][: last_t + 1])
    return _cost_notes(case, parsed, costs, actual, known, estimated, last_t)


def _cost_notes(
    case: dict[str, Any],
    parsed: Case,
    costs: Sequence[ActualCost],
    actual: Mapping[str, list[float]],
    known: set[str],
    estimated: float,
    last_t: int,
) -> list[str]:
    names = {a["id"]: a["name"] for a in case["actors"]}
    shares = ", ".join(f"{names[a]} {_kr(sum(v))}" for a, v in actual.items()) or "–"
    notes = [
        _(
            "Costs %(years)s: %(actual)s as reported in approved reports (estimated "
            "%(estimated)s), each cost line charged to the payer of its budget line: %(shares)s. "
            "Later years keep the estimated costs."
        )
        % {
            "years": _years(parsed, last_t),
            "actual": _kr(sum(sum(v) for v in actual.values())),
            "estimated": _kr(estimated),
            "shares": shares,
        }
    ]
    notes += _payer_notes(parsed, costs, actual, names, known, last_t)
    outside = sum(c.amount for c in costs if not 0 <= c.year - parsed.start_year <= last_t)
    if outside:
        notes.append(
            _("%(amount)s of reported costs outside these years is left out.")
            % {"amount": _kr(outside)}
        )
    return notes


def _payer_notes(
    parsed: Case,
    costs: Sequence[ActualCost],
    actual: Mapping[str, list[float]],
    names: Mapping[str, str],
    known: set[str],
    last_t: int,
) -> list[str]:
    """How the payers without an actor of their own in the case were handled."""
    notes = [
        _(
            "%(payer)s pays budget lines but is not an actor in the case: its actual costs "
            "(%(amount)s) are shown as a new actor, %(payer)s."
        )
        % {"payer": names[a], "amount": _kr(sum(v))}
        for a, v in actual.items()
        if a not in known
    ]
    unpaid = sum(
        c.amount for c in costs if c.payer is None and 0 <= c.year - parsed.start_year <= last_t
    )
    if unpaid:
        notes.append(
            _("Cost lines whose budget line names no payer (%(amount)s) are charged to %(actor)s.")
            % {"amount": _kr(unpaid), "actor": _fallback(parsed).name}
        )
    return notes


# --- Effects -------------------------------------------------------------------------------------


def _share(value: float) -> str:
    from django.utils.formats import number_format

    return f"{number_format(value * 100, decimal_pos=1)} %"


def _replace_effects(
    case: dict[str, Any], parsed: Case, estimates: Sequence[Estimate]
) -> list[str]:
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
        notes += _replace_effect(outcomes[e.outcome_index], parsed, e)
    return notes


def _replace_effect(outcome: dict[str, Any], parsed: Case, e: Estimate) -> list[str]:
    for key in ("effect", "baseline", "relative_effect"):
        outcome.pop(key, None)
    sd = (e.ci_high - e.ci_low) / (2 * Z_95)
    outcome["effect"] = {"dist": "normal", "mean": e.effect, "sd": sd}
    name = outcome.get("name") or _("Outcome %(n)s") % {"n": e.outcome_index + 1}
    replaced = _(
        "%(outcome)s: the evaluated effect %(effect)s (95 %% interval %(low)s to %(high)s) "
        "replaces the estimate; %(source)s."
    ) % {
        "outcome": name,
        "effect": _share(e.effect),
        "low": _share(e.ci_low),
        "high": _share(e.ci_high),
        "source": e.source or _("evaluation"),
    }
    return [replaced, _adjust(outcome, parsed.outcomes[e.outcome_index], e.method, name)]


def _adjust(outcome: dict[str, Any], ex_ante: Any, method: str, name: str) -> str:
    """Drop the adjustments the evaluation's design has netted out; say which stayed and why."""
    deadweight, displacement, attribution = (_share(n.base) for n in ex_ante.adjustments)
    figures = {
        "outcome": name,
        "deadweight": deadweight,
        "displacement": displacement,
        "attribution": attribution,
    }
    if method not in COMPARISON_DESIGNS:
        return (
            _(
                "%(outcome)s: the evaluation has no comparison group, so its effect still "
                "includes what would have happened anyway. The ex-ante deadweight "
                "(%(deadweight)s), displacement (%(displacement)s) and attribution "
                "(%(attribution)s) are kept."
            )
            % figures
        )
    for key in NETTED_OUT:
        outcome[key] = 0
    return (
        _(
            "%(outcome)s: the evaluation compares the participants with a group that did not "
            "get the intervention, so its effect already nets out what would have happened "
            "anyway and what others contributed. The ex-ante deadweight (%(deadweight)s) and "
            "attribution (%(attribution)s) are not applied again. The displacement "
            "(%(displacement)s) is kept: a comparison among the participants cannot see a "
            "problem moved elsewhere."
        )
        % figures
    )


# --- Selectors ------------------------------------------------------------------------------------


def project_actuals(*, project: Any) -> Actuals:
    """Approved reports only. Progress reports give the participants entering in their period
    (counted in the year it ends), and costs in the year of the budget line they were reported
    against. A final report gives the totals for the whole project: its costs replace the
    progress reports', and its participants are the total (spread over the years as the
    progress reports give them, the rest in its last year)."""
    from sifra.followup.models import CostActual, ReportKind, ReportStatus

    approved = list(project.reports.filter(status=ReportStatus.APPROVED))
    progress = [r for r in approved if r.kind == ReportKind.PROGRESS]
    finals = [r for r in approved if r.kind == ReportKind.FINAL]
    final = max(finals, key=lambda r: (r.period_end, r.pk), default=None)
    payers = _line_payers(project)
    lines = CostActual.objects.filter(report__in=[final] if final else progress)
    return Actuals(
        participants=_participants(progress, final),
        costs=[
            ActualCost(
                year=c.budget_line.year, amount=c.amount / 100, payer=payers.get(c.budget_line_id)
            )
            for c in lines.select_related("budget_line").order_by("budget_line__year", "pk")
        ],
        last_year=max((r.period_end.year for r in approved), default=None),
        participants_from=_source(final, progress),
    )


def _source(final: Any, progress: Sequence[Any]) -> Any:
    if final is None:
        return "progress"
    return "final_and_progress" if progress else "final"


def _participants(progress: Sequence[Any], final: Any) -> dict[int, int]:
    """New entrants by year from the progress reports; with a final report, fitted to its
    total: the rest enters in its last year, or the latest years are cut where the progress
    reports add up to more."""
    by_year: dict[int, int] = defaultdict(int)
    for report in progress:
        by_year[report.period_end.year] += report.participants
    if final is None:
        return dict(by_year)
    extra = final.participants - sum(by_year.values())
    if extra >= 0:
        by_year[final.period_end.year] += extra
    for year in sorted(by_year, reverse=True):
        cut = min(by_year[year], max(-extra, 0))
        by_year[year], extra = by_year[year] - cut, extra + cut
    return dict(by_year)


def _line_payers(project: Any) -> dict[int, Payer]:
    """The payer of each of the project's budget lines. They were copied from the application's
    budget lines without the payer, so each is paired with the application's line of the same
    year, item and amounts, in order. A line added to the project later has no payer."""
    application = getattr(project, "application", None)
    if application is None:
        return {}
    pool: dict[tuple[Any, ...], list[Any]] = defaultdict(list)
    for b in application.budget_lines.select_related("payer_unit", "payer_partner"):
        pool[(b.year, b.description, b.requested, b.own_contribution)].append(b)
    payers = {}
    for line in project.budget_lines.all():
        twins = pool.get((line.year, line.description, line.from_fund, line.own_contribution))
        payer = _payer(twins.pop(0)) if twins else None
        if payer is not None:
            payers[line.pk] = payer
    return payers


def _payer(line: Any) -> Payer | None:
    if line.payer_unit is not None:
        unit = line.payer_unit
        ids = tuple(_suggested_id(x) for x in (unit.code, unit.name) if x)
        return Payer(name=unit.name, sector="kommun", ids=ids)
    if line.payer_partner is not None:
        partner = line.payer_partner
        return Payer(name=partner.name, sector=partner.sector, ids=(_suggested_id(partner.name),))
    return None


def _suggested_id(name: str) -> str:
    """The actor id the case page suggests for a unit or partner (case_views._short_id)."""
    slug = slugify(name)
    return slug[:21].rsplit("-", 1)[0][:20] if len(slug) > 20 else slug


def project_estimates(*, project: Any) -> list[Estimate]:
    """The project's evaluations, newest first."""
    return [
        Estimate(
            outcome_index=e.outcome_index,
            effect=float(e.effect),
            ci_low=float(e.ci_low),
            ci_high=float(e.ci_high),
            source=f"{e.get_method_display()}, {e.evaluator}",
            method=e.method,
        )
        for e in project.evaluations.order_by("-created_at", "-pk")
    ]


@dataclass(frozen=True)
class Comparison:
    ex_ante: dict[str, Any]
    ex_post: dict[str, Any]
    notes: list[str]

    @property
    def results(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """Both results, before and after, for the table's columns."""
        return self.ex_ante, self.ex_post

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
        ex_post=expost_calculate(ex_post),
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
