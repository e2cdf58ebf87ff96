"""Present values, payback and internal rate of return of yearly flows."""

from __future__ import annotations

import numpy as np

# The IRR is searched on x = 1 / (1 + r), where the net present value is a polynomial; this grid
# covers r from −0.99 to 10^6, dense enough that two roots rarely share one interval.
_IRR_GRID = np.geomspace(1e-6, 100.0, 4001)
_BISECTIONS = 80


def payback(net: np.ndarray) -> np.ndarray:
    """Fractional years until the case has paid back for good, per column of `net` (years ×
    rows). Flows are spread evenly over each year, so the cumulative net N is linear inside a
    year. With k the last year where N(k) < 0, it crosses 0 for the last time inside year
    t* = k + 1, at t* + (−N(k)) / net(t*). The last crossing, not the first: an empty year 0 or
    a dip after a first crossing must not make a losing case look paid back. NaN where N is
    still negative at the end or every flow is 0; 0 where N never goes below 0."""
    cumulative = np.cumsum(net, axis=0)
    negative = cumulative < 0
    years = net.shape[0]
    # the last negative year, counted from the end; −1 where N is never negative
    last = np.where(negative.any(axis=0), years - 1 - negative[::-1].argmax(axis=0), -1)
    rows = np.arange(net.shape[1])
    after = np.minimum(last + 1, years - 1)
    before = cumulative[np.maximum(last, 0), rows]
    step = net[after, rows]
    # where N is never negative, last + 1 = 0 and the part stays 0: the payback is 0
    part = np.divide(-before, step, out=np.zeros(before.shape), where=(last >= 0) & (step != 0))
    result = last + 1 + part
    undefined = negative[-1] | ~net.any(axis=0)
    return np.where(undefined, np.nan, result)


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
