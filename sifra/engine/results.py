"""The result document of a case: what `calculate` returns and `sifra calc --json` prints."""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from sifra.engine.case import Case
from sifra.engine.finance import irr, payback
from sifra.engine.model import benefit_flows, cost_flows, discount_factors
from sifra.engine.montecarlo import DEFAULT_ITERATIONS, simulate, tornado
from sifra.engine.parse import load_case

ENGINE_VERSION = "1.0.0"
MAX_ITERATIONS = 10_000_000  # the per-iteration results are kept: 240 MB at this many


def calculate(
    case: str | Path | Mapping[str, Any] | Case, *, iterations: int | None = None, seed: int = 0
) -> dict[str, Any]:
    """Every result of a case. `case` is a path to a TOML or JSON file, a dict of the same shape,
    or a parsed Case. Monte Carlo runs when `iterations` is given or the case has an uncertain
    input; raises CaseError for a bad case and ValueError for bad iterations or seed."""
    parsed = case if isinstance(case, Case) else load_case(case)
    _check_run(iterations, seed)
    # overflow in an absurd case turns into null results, not warnings on stderr
    with np.errstate(all="ignore"):
        return _calculate(parsed, iterations, seed)


def _calculate(parsed: Case, iterations: int | None, seed: int) -> dict[str, Any]:
    document = deterministic(parsed)
    risky = bool(parsed.uncertain())
    if iterations is None and risky:
        iterations = DEFAULT_ITERATIONS
    document["monte_carlo"] = None if iterations is None else simulate(parsed, iterations, seed)
    document["tornado"] = tornado(parsed) if iterations is not None else None
    document["meta"] = meta(parsed)
    return clean(document)


def _check_run(iterations: int | None, seed: int) -> None:
    if iterations is not None and not 1 <= iterations <= MAX_ITERATIONS:
        raise ValueError(f"iterations must be between 1 and {MAX_ITERATIONS}, got {iterations}")
    if seed < 0:
        raise ValueError(f"seed must be at least 0, got {seed}")


def deterministic(case: Case) -> dict[str, Any]:
    """The base case: every number at its base value."""
    costs = cost_flows(case, {}, 1, by_actor=True)[:, 0, :]
    benefits = benefit_flows(case, {}, 1, by_actor=True)[:, 0, :]
    factors = discount_factors(case, {})[:, 0]
    pv_costs, pv_benefits = float(factors @ costs.sum(1)), float(factors @ benefits.sum(1))
    net = benefits.sum(1) - costs.sum(1)
    npv = pv_benefits - pv_costs
    return {
        "npv": npv,
        "pv_costs": pv_costs,
        "pv_benefits": pv_benefits,
        "bcr": _ratio(pv_benefits, pv_costs),
        "roi": _ratio(npv, pv_costs),
        "irr": irr(net),
        "payback_years": payback(net[:, None])[0],
        "discounted_payback_years": payback((net * factors)[:, None])[0],
        "break_even_effect_scale": _ratio(pv_costs, pv_benefits),
        "by_actor": by_actor(case, costs, benefits, factors),
        "years": years(case, costs.sum(1), benefits.sum(1), factors),
    }


def _ratio(numerator: float, denominator: float) -> float | None:
    return None if denominator == 0 else numerator / denominator


def by_actor(
    case: Case, costs: np.ndarray, benefits: np.ndarray, factors: np.ndarray
) -> dict[str, dict[str, float]]:
    pv_costs, pv_benefits = factors @ costs, factors @ benefits
    return {
        actor.id: {
            "pv_costs": float(pv_costs[i]),
            "pv_benefits": float(pv_benefits[i]),
            "npv": float(pv_benefits[i] - pv_costs[i]),
        }
        for i, actor in enumerate(case.actors)
    }


def years(
    case: Case, costs: np.ndarray, benefits: np.ndarray, factors: np.ndarray
) -> list[dict[str, Any]]:
    net = benefits - costs
    columns = {
        "costs": costs,
        "benefits": benefits,
        "net": net,
        "cumulative_net": np.cumsum(net),
        "discounted_net": net * factors,
        "cumulative_discounted_net": np.cumsum(net * factors),
    }
    return [
        {"t": t, "year": case.start_year + t, **{k: float(v[t]) for k, v in columns.items()}}
        for t in range(case.horizon)
    ]


def meta(case: Case) -> dict[str, Any]:
    return {
        "engine_version": ENGINE_VERSION,
        "currency": "SEK",
        "price_year": case.price_year,
        "discount_rate": case.discount_rate.base,
        "horizon": case.horizon,
    }


def clean(value: Any) -> Any:
    """Plain JSON types all the way down; a NaN or infinity (undefined) becomes null."""
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean(v) for v in value]
    if isinstance(value, bool | int | str) or value is None:
        return value
    number = float(value)
    return number if math.isfinite(number) else None
