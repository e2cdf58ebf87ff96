"""Risk: the Monte Carlo distribution of the results, and the tornado of one input at a time."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from sifra.engine.case import Case, Num
from sifra.engine.distributions import percentile, sample
from sifra.engine.finance import payback
from sifra.engine.model import Values, benefit_flows, cost_flows, discount_factors

DEFAULT_ITERATIONS = 10_000
CHUNK = 20_000  # iterations computed together: bounds memory at about 30 arrays of years × CHUNK
TORNADO_PERCENTILES = (0.10, 0.90)
_LOWEST_RATE = -0.99  # a drawn discount rate at or below −1 would make the discounting explode


def bounded(values: np.ndarray, num: Num) -> np.ndarray:
    """Draws of `num` clipped to what it can be: shares to [0, 1] (a signed share to [−1, 1]),
    counts at 0."""
    if num.bound == "share":
        return np.clip(values, 0.0, 1.0, out=values)
    if num.bound == "signed_share":
        return np.clip(values, -1.0, 1.0, out=values)
    if num.bound == "count":
        return np.maximum(values, 0.0, out=values)
    if num.bound == "rate":
        return np.maximum(values, _LOWEST_RATE, out=values)
    return values


def npv_rows(case: Case, values: Values, rows: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(npv, bcr, payback_years) for each row; bcr and payback NaN where undefined."""
    costs = cost_flows(case, values, rows, by_actor=False)[:, :, 0]
    benefits = benefit_flows(case, values, rows, by_actor=False)[:, :, 0]
    factors = discount_factors(case, values)
    pv_costs = (costs * factors).sum(axis=0)
    pv_benefits = (benefits * factors).sum(axis=0)
    bcr = np.divide(pv_benefits, pv_costs, out=np.full(rows, np.nan), where=pv_costs != 0)
    return pv_benefits - pv_costs, bcr, payback(benefits - costs)


def simulate(
    case: Case,
    iterations: int,
    seed: int,
    chunk: int = CHUNK,
    done: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Monte Carlo over every uncertain input, drawn independently per iteration, in chunks;
    `done(iterations so far)` after each chunk, for a worker that reports progress."""
    rng = np.random.default_rng(seed)
    uncertain = case.uncertain()
    npv, bcr, years = (np.empty(iterations) for _ in range(3))
    for start in range(0, iterations, chunk):
        rows = min(chunk, iterations - start)
        draws = {n.path: bounded(sample(n.dist, rng, rows), n) for n in uncertain if n.dist}
        # with nothing uncertain every iteration is the same: compute one and spread it
        part = npv_rows(case, draws, rows if uncertain else 1)
        for target, result in zip((npv, bcr, years), part, strict=True):
            target[start : start + rows] = result
        if done is not None:
            done(start + rows)
    return summary(iterations, seed, npv, bcr, years)


def summary(
    iterations: int, seed: int, npv: np.ndarray, bcr: np.ndarray, years: np.ndarray
) -> dict[str, Any]:
    p5, p10, p50, p90, p95 = np.percentile(npv, [5, 10, 50, 90, 95])
    return {
        "iterations": iterations,
        "seed": seed,
        "p_npv_positive": float(np.mean(npv > 0)),
        "npv": {
            "mean": float(npv.mean()),
            "sd": float(npv.std()),
            "p5": p5,
            "p10": p10,
            "p50": p50,
            "p90": p90,
            "p95": p95,
        },
        "bcr": _bcr_summary(bcr[np.isfinite(bcr)]),
        "payback_years": {
            "p50": payback_median(years),
            "share_reached": float(np.mean(~np.isnan(years))),
        },
    }


def payback_median(years: np.ndarray) -> float | None:
    """The median payback over all iterations, one that never pays back (NaN) counting as later
    than any that does: None where fewer than half pay back, never the median of only those
    that did. Where exactly half do, the two middle values are a payback and "never": the
    lower one is taken, the latest time by which half have paid back."""
    ordered = np.sort(np.where(np.isnan(years), np.inf, years))
    lower, upper = ordered[(ordered.size - 1) // 2], ordered[ordered.size // 2]
    if not np.isfinite(lower):
        return None
    return float((lower + upper) / 2) if np.isfinite(upper) else float(lower)


def _bcr_summary(bcr: np.ndarray) -> dict[str, float | None]:
    if not bcr.size:
        return {"mean": None, "p5": None, "p50": None, "p95": None}
    p5, p50, p95 = np.percentile(bcr, [5, 50, 95])
    return {"mean": float(bcr.mean()), "p5": p5, "p50": p50, "p95": p95}


def tornado(case: Case) -> list[dict[str, Any]]:
    """Each uncertain input alone at its 10th and 90th percentile, the others at base: the NPV
    at each (`low`, `high` name the input's percentile), widest swing first. All variants are
    computed as rows of one vectorised run."""
    uncertain = [(n, n.dist) for n in case.uncertain() if n.dist]
    rows = 2 * len(uncertain)
    values = {}
    for i, (num, dist) in enumerate(uncertain):
        column = np.full(rows, num.base)
        column[2 * i : 2 * i + 2] = [percentile(dist, p) for p in TORNADO_PERCENTILES]
        values[num.path] = bounded(column, num)
    npv = npv_rows(case, values, rows)[0] if rows else np.empty(0)
    bars = [
        {"parameter": n.path, "low": float(npv[2 * i]), "high": float(npv[2 * i + 1])}
        for i, (n, _) in enumerate(uncertain)
    ]
    return sorted(bars, key=lambda bar: -abs(bar["high"] - bar["low"]))
