"""`calculate` in steps that report their progress, for the task worker, and the base case alone,
for a page that must answer at once.

The Monte Carlo is `montecarlo.simulate` itself, reporting after each chunk, so the document is
exactly what `calculate` returns for the same case, iterations and seed (a test holds the two
together).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from sifra.engine import montecarlo
from sifra.engine.case import Case
from sifra.engine.limits import effective_iterations
from sifra.engine.montecarlo import tornado
from sifra.engine.results import clean, deterministic, meta

Report = Callable[[float], None]


def calculate_with_progress(
    case: Case, *, iterations: int | None, seed: int, report: Report
) -> dict[str, Any]:
    """What `calculate(case, iterations=…, seed=…)` returns; `report(share done)` after the base
    case and after each Monte Carlo chunk."""
    runs = effective_iterations(case, iterations)
    with np.errstate(all="ignore"):
        document = deterministic(case)
        report(0.02)
        simulated = iterations is not None or runs > 0
        document["monte_carlo"] = simulate(case, runs, seed, report) if simulated else None
        document["tornado"] = tornado(case) if simulated else None
        document["meta"] = meta(case)
    report(1.0)
    return clean(document)


def calculate_base(case: Case) -> dict[str, Any]:
    """The base case only, every number at its base value: no Monte Carlo and no tornado."""
    with np.errstate(all="ignore"):
        document = deterministic(case)
        document.update(monte_carlo=None, tornado=None, meta=meta(case))
    return clean(document)


def simulate(case: Case, iterations: int, seed: int, report: Report) -> dict[str, Any]:
    """montecarlo.simulate, reporting after each chunk (2 % to 98 % of the whole)."""
    return montecarlo.simulate(
        case, iterations, seed, done=lambda n: report(0.02 + 0.96 * n / iterations)
    )
