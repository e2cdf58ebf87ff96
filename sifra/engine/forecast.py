"""The fund forecast: will the fund keep revolving? (DOMAIN.md, "The fund forecast").

From today's balances (year 0), each year `y = 1 … Y` of a policy is drawn `iterations` times:

    capital(y)   = capital(y−1) + top-ups(y) + repayments(y) − disbursements(y)
    committed(y) = committed(y−1) + new grants(y) − disbursements(y)
    available(y) = capital(y) − committed(y)

Year `y` is the calendar year `base_year + y`; whatever falls due or is budgeted before that
(the rest of the current year, overdue claims) is counted in year 1.

Pure numpy and the engine's own case model, no Django: a selector reads the ledger, projects,
cases and agreements into the plain dataclasses below. Vectorised over iterations, each
project's Monte Carlo in chunks of iterations so that memory stays bounded; every random draw
comes from a stream of its own spawned from the seed (a project's, the realisation factor's,
the new grants'), so the same seed gives the same document, and a change of the new-grant amount
reuses the very same draws (common random numbers), which the sustainable-pace search relies on.

New grants enter linearly: for an amount `G` a year, every path is `base + G × per_krona`, so
the search for the sustainable pace is a bisection over `G` on two stored matrices.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from sifra.engine.case import Case
from sifra.engine.distributions import Distribution, sample
from sifra.engine.model import benefit_flows
from sifra.engine.montecarlo import bounded
from sifra.engine.results import ENGINE_VERSION

DEFAULT_YEARS = 15
DEFAULT_ITERATIONS = 10_000
MAX_YEARS = 100
MAX_ITERATIONS = 1_000_000
# iterations × (years + 1) at most: each stored matrix is then at most 40 MB, and a run's peak
# memory a few hundred MB (10 000 iterations × 100 years, or 100 000 × 49)
MAX_CELLS = 5_000_000
CHUNK = 10_000  # iterations drawn together per project: bounds a project's arrays
PACE_PROBABILITY = 0.9
PERCENTILES = (10, 50, 90)

Report = Callable[[float], None]


# --- Inputs -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SavingsShare:
    """A savings-share agreement (or a budget adjustment: share 1): each year's savings of the
    paying units, drawn from the project's case, times the realisation factor and the share, up
    to what is left under the cap."""

    share: float  # of the savings, 0 … 1
    room_ore: int  # the cap less what has been claimed already
    case: Case | None  # None: nothing to draw, nothing repaid
    actors: tuple[str, ...]  # the case's actors that are the paying units
    first_year: int  # the first calendar year whose savings are still to be verified
    due_lag: int = 1  # years from a saving's year to the year its claim is paid


@dataclass(frozen=True)
class ProjectIn:
    key: str
    outstanding_ore: int = 0  # commitment not yet disbursed
    # (calendar year, weight): the outstanding commitment is paid over these years in
    # proportion to the weights (the budget lines, or 1 each for an even spread)
    disbursement_years: tuple[tuple[int, int], ...] = ()
    # (calendar year paid, öre): fixed-schedule instalments not yet claimed
    fixed: tuple[tuple[int, int], ...] = ()
    savings: SavingsShare | None = None


@dataclass(frozen=True)
class ClaimIn:
    """An open claim: its outstanding amount and the calendar year it is due."""

    outstanding_ore: int
    due_year: int


@dataclass(frozen=True)
class History:
    """What the fund's past says about the future."""

    # new grants (commitments less releases) in each of the last three years, öre
    recent_grants_ore: tuple[int, ...] = ()
    # the share of a grant disbursed in the year it is granted, the year after, …
    disbursement_profile: tuple[float, ...] = (1.0,)
    # repaid per granted krona, by years after the grant (sums to the mean repayment ratio)
    repayment_profile: tuple[float, ...] = ()
    # the spread of the repayment ratio across past projects, relative to its mean
    repayment_spread: float = 0.0
    claims_paid_share: float = 1.0  # of claims due so far, the share that was repaid


@dataclass(frozen=True)
class Realisation:
    """Verified savings ÷ the cases' forecast for the same years and units, across the fund."""

    factor: float = 1.0
    spread: float = 0.0  # standard deviation of the factor


@dataclass(frozen=True)
class Start:
    capital_ore: int
    committed_ore: int
    claims_ore: int

    @property
    def available_ore(self) -> int:
        return self.capital_ore - self.committed_ore


@dataclass(frozen=True)
class ForecastInput:
    base_year: int  # the calendar year of today (year 0)
    start: Start
    projects: tuple[ProjectIn, ...] = ()
    claims: tuple[ClaimIn, ...] = ()
    history: History = field(default_factory=History)
    realisation: Realisation = field(default_factory=Realisation)
    default_topup_ore: int = 0


@dataclass(frozen=True)
class Policy:
    years: int = DEFAULT_YEARS
    iterations: int = DEFAULT_ITERATIONS
    seed: int = 0
    topup_ore: int | None = None  # a fixed sum a year; None: the fund's planned top-up
    tax_share: float | None = None  # a share (0 … 1) of the tax revenue, instead of topup_ore
    tax_revenue_ore: int = 0  # this year's tax revenue
    growth: float = 0.0  # of the tax revenue, per year
    new_grants_ore: int | None = None  # a year; None: the average of the last three years
    floor_ore: int = 0
    repayment: bool = True


class PolicyError(ValueError):
    """A policy the model cannot run; `option` names the policy field."""

    def __init__(self, option: str, message: str) -> None:
        super().__init__(f"{option}: {message}")
        self.option = option
        self.message = message


def check_policy(policy: Policy) -> None:
    if not 1 <= policy.years <= MAX_YEARS:
        raise PolicyError("years", f"must be between 1 and {MAX_YEARS}, got {policy.years}")
    if not 1 <= policy.iterations <= MAX_ITERATIONS:
        raise PolicyError(
            "iterations", f"must be between 1 and {MAX_ITERATIONS}, got {policy.iterations}"
        )
    if policy.iterations * (policy.years + 1) > MAX_CELLS:
        raise PolicyError(
            "iterations",
            f"iterations × (years + 1) must be at most {MAX_CELLS:_}, got "
            f"{policy.iterations * (policy.years + 1):_}".replace("_", " "),
        )
    if policy.seed < 0:
        raise PolicyError("seed", f"must be 0 or more, got {policy.seed}")
    if policy.topup_ore is not None and policy.tax_share is not None:
        raise PolicyError("topup", "give either a fixed top-up or a tax share, not both")
    if policy.topup_ore is not None and policy.topup_ore < 0:
        raise PolicyError("topup", "must be 0 or more")
    if policy.tax_share is not None:
        if not 0 <= policy.tax_share <= 1:
            raise PolicyError("tax_share", "must be between 0 and 100 %")
        if policy.tax_revenue_ore <= 0:
            raise PolicyError("tax_revenue", "must be above 0 with a tax share")
        if not -1 < policy.growth <= 1:
            raise PolicyError("growth", "must be above −100 % and at most 100 %")
    if policy.new_grants_ore is not None and policy.new_grants_ore < 0:
        raise PolicyError("new_grants", "must be 0 or more")


def default_new_grants(history: History) -> int:
    """The average of the last three years' new grants, whole öre."""
    recent = history.recent_grants_ore
    return round(sum(recent) / len(recent)) if recent else 0


def topups(policy: Policy, fund_topup_ore: int) -> np.ndarray:
    """Top-ups by year index 0 … Y (none in year 0), öre."""
    years = np.arange(policy.years + 1, dtype=np.float64)
    if policy.tax_share is not None:
        out = policy.tax_share * policy.tax_revenue_ore * (1.0 + policy.growth) ** years
    else:
        fixed = fund_topup_ore if policy.topup_ore is None else policy.topup_ore
        out = np.full(policy.years + 1, float(fixed))
    out[0] = 0.0
    return out


# --- The simulation -----------------------------------------------------------------------------


@dataclass
class Paths:
    """Every iteration's year-by-year figures, year-major (years+1 × iterations: each year's
    iterations are contiguous), for new grants of 0 and per krona of new grants a year, plus
    what does not vary."""

    topups: np.ndarray  # (Y+1,)
    disbursed_existing: np.ndarray  # (Y+1,)
    disbursed_per_krona: np.ndarray  # (Y+1,) new grants' disbursements per krona a year
    repaid_existing: np.ndarray  # (Y+1, n): claims, schedules, savings shares
    repaid_per_krona: np.ndarray  # (Y+1, n): new grants' repayments per krona a year


def _year_index(calendar_year: int, base_year: int) -> int:
    """The forecast year a calendar year falls in: at least 1 (what is due now or overdue is
    counted in year 1)."""
    return max(calendar_year - base_year, 1)


def _spread_over(
    total: float, years: Sequence[tuple[int, int]], base_year: int, out: np.ndarray
) -> None:
    """Add `total` to `out` over `years` in proportion to their weights (all in year 1 without
    any)."""
    last = out.size - 1
    weights = [(y, w) for y, w in years if w > 0]
    whole = sum(w for _, w in weights)
    if not weights or whole <= 0:
        if last >= 1:
            out[1] += total
        return
    for year, weight in weights:
        index = _year_index(year, base_year)
        if index <= last:
            out[index] += total * weight / whole


def _streams(seed: int, count: int) -> list[np.random.Generator]:
    return [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(count)]


MAX_RELATIVE_SPREAD = 100.0  # a spread beyond 100 × the mean says nothing more


def _positive_draws(
    mean: float, sd: float, rng: np.random.Generator, size: int | tuple[int, ...]
) -> np.ndarray:
    """Draws of a factor that cannot be negative: lognormal with this mean and spread, the
    mean itself where there is no spread (nothing is drawn then)."""
    if sd <= 0 or mean <= 1e-9 or not math.isfinite(mean):
        return np.full(size, max(mean, 0.0) if math.isfinite(mean) else 0.0)
    relative = min(sd / mean, MAX_RELATIVE_SPREAD)
    d = Distribution("lognormal", mean=1.0, sd=relative)
    return mean * sample(d, rng, int(np.prod(size))).reshape(size)


def _realisation_draws(realisation: Realisation, rng: np.random.Generator, n: int) -> np.ndarray:
    return _positive_draws(realisation.factor, realisation.spread, rng, n)


def _savings_repayments(
    s: SavingsShare,
    factor: np.ndarray,
    rng: np.random.Generator,
    base_year: int,
    years: int,
    out: np.ndarray,
) -> None:
    """Add one savings-share agreement's repayments of every iteration to `out` (Y+1 × n)."""
    case = s.case
    if case is None or s.room_ore <= 0 or s.share <= 0 or not s.actors:
        return
    columns = [case.actor_index()[a] for a in s.actors if a in case.actor_index()]
    if not columns:
        return
    # the case's years still to be verified whose claim is paid inside the forecast
    t_first = max(s.first_year - case.start_year, 0)
    t_last = min(case.horizon, base_year + years - s.due_lag - case.start_year + 1)
    if t_first >= t_last:
        return
    uncertain = [num for num in case.uncertain() if num.dist]
    n = out.shape[1]
    for start in range(0, n, CHUNK):
        rows = min(CHUNK, n - start)
        draws = {num.path: bounded(sample(num.dist, rng, rows), num) for num in uncertain}  # type: ignore[arg-type]
        flows = benefit_flows(case, draws, rows if uncertain else 1, by_actor=True)
        part = flows[t_first:t_last]
        savings = part[:, :, columns[0]] if len(columns) == 1 else part[:, :, columns].sum(axis=2)
        # kronor → öre, times the share and each iteration's realisation factor: (t, rows)
        owed = np.maximum(savings, 0.0) * (100.0 * s.share) * factor[None, start : start + rows]
        paid = np.minimum(np.cumsum(owed, axis=0), float(s.room_ore))
        paid[1:] -= paid[:-1].copy()
        for j in range(t_last - t_first):
            year = case.start_year + t_first + j + s.due_lag
            out[_year_index(year, base_year), start : start + rows] += paid[j]


def simulate(data: ForecastInput, policy: Policy, report: Report | None = None) -> Paths:
    years, n = policy.years, policy.iterations
    base = data.base_year
    width = years + 1
    disbursed = np.zeros(width)
    repaid_fixed = np.zeros(width)
    for p in data.projects:
        if p.outstanding_ore > 0:
            _spread_over(float(p.outstanding_ore), p.disbursement_years, base, disbursed)
        for year, amount in p.fixed:
            if _year_index(year, base) <= years:
                repaid_fixed[_year_index(year, base)] += amount
    share_paid = data.history.claims_paid_share
    for claim in data.claims:
        if _year_index(claim.due_year, base) <= years:
            repaid_fixed[_year_index(claim.due_year, base)] += claim.outstanding_ore * share_paid

    streams = _streams(policy.seed, len(data.projects) + 2)
    factor = _realisation_draws(data.realisation, streams[0], n)
    repaid = np.zeros((width, n))
    repaid += repaid_fixed[:, None]
    savers = [(i, p.savings) for i, p in enumerate(data.projects) if p.savings is not None]
    for done, (i, s) in enumerate(savers, start=1):
        _savings_repayments(s, factor, streams[i + 2], base, years, repaid)
        if report is not None:
            report(0.9 * done / len(savers))

    per_krona_disbursed, per_krona_repaid = _new_grants(data.history, streams[1], n, years)
    return Paths(
        topups=topups(policy, data.default_topup_ore),
        disbursed_existing=disbursed,
        disbursed_per_krona=per_krona_disbursed,
        repaid_existing=repaid,
        repaid_per_krona=per_krona_repaid,
    )


def _new_grants(
    history: History, rng: np.random.Generator, n: int, years: int
) -> tuple[np.ndarray, np.ndarray]:
    """Disbursements (by year) and repayments (iterations × years) of one krona granted in each
    year 1 … Y, disbursed and repaid like the fund's past projects; each year's grants repay by
    a ratio drawn around the past one (its relative spread), always drawn so that the draws do
    not depend on the amount."""
    width = years + 1
    disbursed = np.zeros(width)
    profile = np.asarray(history.disbursement_profile, dtype=np.float64)
    repay = np.asarray(history.repayment_profile, dtype=np.float64)
    multiplier = _positive_draws(1.0, history.repayment_spread, rng, (width, n))
    repaid = np.zeros((width, n))
    for granted in range(1, width):
        for lag, share in enumerate(profile):
            if granted + lag < width:
                disbursed[granted + lag] += share
        for lag, share in enumerate(repay):
            if granted + lag < width and share:
                repaid[granted + lag] += share * multiplier[granted]
    return disbursed, repaid


# --- From paths to the document -----------------------------------------------------------------


@dataclass
class Scenario:
    capital: np.ndarray  # (Y+1, n)
    committed: np.ndarray  # (Y+1,): the same in every iteration
    available: np.ndarray  # (Y+1, n)
    disbursements: np.ndarray  # (Y+1,)
    repayments: np.ndarray  # (Y+1, n)


def scenario(data: ForecastInput, paths: Paths, new_grants_ore: float, repayment: bool) -> Scenario:
    """The fund's figures for new grants of `new_grants_ore` a year, with or without
    repayments."""
    g = float(new_grants_ore)
    width = paths.topups.size
    granted = np.full(width, g)
    granted[0] = 0.0
    disbursed = paths.disbursed_existing + g * paths.disbursed_per_krona
    repaid = paths.repaid_existing + g * paths.repaid_per_krona
    if not repayment:
        repaid = np.zeros_like(repaid)
    start = data.start
    capital = start.capital_ore + np.cumsum((paths.topups - disbursed)[:, None] + repaid, axis=0)
    committed = start.committed_ore + np.cumsum(granted - disbursed)
    return Scenario(
        capital=capital,
        committed=committed,
        available=capital - committed[:, None],
        disbursements=disbursed,
        repayments=repaid,
    )


def p_above_floor(s: Scenario, floor_ore: float) -> np.ndarray:
    """For each year y ≥ 1, the share of iterations whose available money is at or above the
    floor in every year 1 … y; year 0: whether today's is."""
    above = s.available >= floor_ore
    out = np.empty(above.shape[0])
    out[0] = float(above[0, 0])
    if above.shape[0] > 1:
        out[1:] = np.logical_and.accumulate(above[1:], axis=0).mean(axis=1)
    return out


def sustainable_pace(
    data: ForecastInput, paths: Paths, policy: Policy, probability: float = PACE_PROBABILITY
) -> float | None:
    """The largest new-grant amount a year (öre, whole kronor) that keeps the chance of staying
    at or above the floor in all years at `probability` or more: a bisection over the amount on
    the same draws. None where even no new grants keep it.

    Available money is linear in the amount: `base + amount × per_krona` (a grant lowers it at
    once, its repayments raise it; disbursements move capital and commitments alike), so each
    step of the search is one multiply-add over the stored matrices."""
    width = paths.topups.size
    if width < 2:
        return None
    repaid = paths.repaid_existing if policy.repayment else np.zeros_like(paths.repaid_existing)
    base = data.start.available_ore + np.cumsum(paths.topups[:, None] + repaid, axis=0)[1:]
    per_krona = -np.arange(1, width, dtype=np.float64)[:, None]
    if policy.repayment:
        per_krona = per_krona + np.cumsum(paths.repaid_per_krona, axis=0)[1:]
    margin = base - policy.floor_ore

    def chance(g: float) -> float:
        return float(np.all(margin + g * per_krona >= 0, axis=0).mean())

    if chance(0.0) < probability:
        return None
    low, high = 0.0, float(max(data.start.available_ore, 100_000_000))
    for _ in range(60):  # double until it misses: at most 2^60 × the start
        if chance(high) < probability:
            break
        low, high = high, high * 2
    else:
        return low
    while high - low > 100.0:  # to the krona
        middle = (low + high) / 2
        if chance(middle) >= probability:
            low = middle
        else:
            high = middle
    pace = math.floor(low / 100.0) * 100.0
    # the bracket may still hold the next whole krona above low's: the largest keeps it
    if pace + 100.0 < high and chance(pace + 100.0) >= probability:
        pace += 100.0
    # the document's own arithmetic must agree at the pace found, to the last bit
    for _ in range(100):
        s = scenario(data, paths, pace, policy.repayment)
        if pace <= 0 or p_above_floor(s, policy.floor_ore)[-1] >= probability:
            break
        pace = max(pace - 100.0, 0.0)
    return pace


def first_year_below_zero(s: Scenario) -> int | None:
    """The first year index in which available money is more likely than not below 0."""
    below = (s.available < 0).mean(axis=1) > 0.5
    hits = np.flatnonzero(below)
    return int(hits[0]) if hits.size else None


def _kr(ore: float) -> float:
    return round(float(ore) / 100.0, 2)


def _years(s: Scenario, data: ForecastInput, paths: Paths, floor: float) -> list[dict[str, Any]]:
    chances = p_above_floor(s, floor)
    cap = np.percentile(s.capital, PERCENTILES, axis=1)
    avail = np.percentile(s.available, PERCENTILES, axis=1)
    repaid = np.percentile(s.repayments, PERCENTILES, axis=1)
    rows = []
    for y in range(s.committed.size):
        rows.append(
            {
                "year": data.base_year + y,
                "capital": {f"p{q}": _kr(cap[i, y]) for i, q in enumerate(PERCENTILES)},
                "available": {f"p{q}": _kr(avail[i, y]) for i, q in enumerate(PERCENTILES)},
                "committed": {"p50": _kr(s.committed[y])},
                "topups": _kr(paths.topups[y]),
                "disbursements": {"p50": _kr(s.disbursements[y])},
                "repayments": {f"p{q}": _kr(repaid[i, y]) for i, q in enumerate(PERCENTILES)},
                "p_above_floor": float(chances[y]),
            }
        )
    return rows


def _year_or_none(data: ForecastInput, index: int | None) -> int | None:
    return None if index is None else data.base_year + index


def forecast(data: ForecastInput, policy: Policy, report: Report | None = None) -> dict[str, Any]:
    """The forecast document (`sifra forecast --json`), without the fund's name."""
    check_policy(policy)
    started = time.perf_counter()
    with np.errstate(all="ignore"):
        paths = simulate(data, policy, report)
        grants = (
            default_new_grants(data.history)
            if policy.new_grants_ore is None
            else policy.new_grants_ore
        )
        main = scenario(data, paths, grants, policy.repayment)
        without = scenario(data, paths, grants, False)
        pace = sustainable_pace(data, paths, policy)
        if report is not None:
            report(0.97)
        pace_chance = None
        if pace is not None:
            pace_chance = float(
                p_above_floor(scenario(data, paths, pace, policy.repayment), policy.floor_ore)[-1]
            )
        start = data.start
        document = {
            "start": {
                "year": data.base_year,
                "capital_ore": start.capital_ore,
                "committed_ore": start.committed_ore,
                "available_ore": start.available_ore,
                "claims_ore": start.claims_ore,
            },
            "policy": policy_document(policy, data, grants),
            "realisation": {
                "factor": data.realisation.factor,
                "spread": data.realisation.spread,
            },
            "years": _years(main, data, paths, policy.floor_ore),
            "without_repayment": {
                "years": _years(without, data, paths, policy.floor_ore),
                "first_year_likely_below_zero": _year_or_none(data, first_year_below_zero(without)),
            },
            "first_year_likely_below_zero": _year_or_none(data, first_year_below_zero(main)),
            "sustainable_pace": {
                "new_grants_per_year": None if pace is None else _kr(pace),
                "p_above_floor": pace_chance,
                "target": PACE_PROBABILITY,
            },
            "meta": {
                "iterations": policy.iterations,
                "seed": policy.seed,
                "engine_version": ENGINE_VERSION,
                "seconds": round(time.perf_counter() - started, 3),
            },
        }
    if report is not None:
        report(1.0)
    return document


def policy_document(policy: Policy, data: ForecastInput, grants: int) -> dict[str, Any]:
    if policy.tax_share is not None:
        topup: dict[str, Any] = {
            "kind": "tax_share",
            "tax_share_pct": round(policy.tax_share * 100, 6),
            "tax_revenue": _kr(policy.tax_revenue_ore),
            "growth_pct": round(policy.growth * 100, 6),
        }
    else:
        fixed = data.default_topup_ore if policy.topup_ore is None else policy.topup_ore
        topup = {"kind": "fixed", "per_year": _kr(fixed)}
    return {
        "years": policy.years,
        "iterations": policy.iterations,
        "seed": policy.seed,
        "topup": topup,
        "new_grants_per_year": _kr(grants),
        "new_grants_default": policy.new_grants_ore is None,
        "floor": _kr(policy.floor_ore),
        "repayment": policy.repayment,
    }


def with_policy(policy: Policy, **changes: Any) -> Policy:
    return replace(policy, **changes)
