"""Present values, payback and internal rate of return of yearly flows."""

from __future__ import annotations

import numpy as np

# The IRR is searched on x = 1 / (1 + r), where the net present value is a polynomial; this grid
# covers r from −0.99 to 10^6, dense enough that two roots rarely share one interval.
_IRR_GRID = np.geomspace(1e-6, 100.0, 4001)
_BISECTIONS = 80


def payback(net: np.ndarray) -> np.ndarray:
    """Fractional years until the cumulative net first reaches 0, per column of `net` (years ×
    rows); NaN where it never does. Flows are spread evenly over each year, so inside the year
    t* it is reached at t* + (−N(t*−1)) / net(t*), with N(−1) = 0."""
    cumulative = np.cumsum(net, axis=0)
    reached = cumulative >= 0
    first = reached.argmax(axis=0)
    rows = np.arange(net.shape[1])
    before = np.where(first > 0, cumulative[first - 1, rows], 0.0)
    step = net[first, rows]
    part = np.divide(-before, step, out=np.zeros_like(before), where=before != 0)
    return np.where(reached.any(axis=0), first + part, np.nan)


def irr(net: np.ndarray) -> float | None:
    """The rate r > −1 at which the flows' net present value is 0; the one closest to 0 when
    there are several; None when there is none (no sign change of the NPV in r)."""
    if not np.any(net):
        return None
    coefficients = net[::-1]
    npv = np.polyval(coefficients, _IRR_GRID)
    roots = list(_IRR_GRID[npv == 0])
    crossing = np.flatnonzero(npv[:-1] * npv[1:] < 0)
    if crossing.size:
        roots += list(_bisect(coefficients, _IRR_GRID[crossing], _IRR_GRID[crossing + 1]))
    if not roots:
        return None
    rates = 1.0 / np.asarray(roots) - 1.0
    return float(rates[np.argmin(np.abs(rates))])


def _bisect(coefficients: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Bisection on every bracket at once: the polynomial changes sign between low and high."""
    sign_low = np.sign(np.polyval(coefficients, low))
    for _ in range(_BISECTIONS):
        middle = (low + high) / 2
        same = np.sign(np.polyval(coefficients, middle)) == sign_low
        low = np.where(same, middle, low)
        high = np.where(same, high, middle)
    return (low + high) / 2
