"""Probability distributions an uncertain number in a case may follow.

Every function here works on whole arrays: a Monte Carlo chunk draws all its iterations of one
input in a single call.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

# The parameters each distribution needs, in the order the messages list them.
PARAMETERS: dict[str, tuple[str, ...]] = {
    "normal": ("mean", "sd"),
    "lognormal": ("mean", "sd"),
    "uniform": ("low", "high"),
    "triangular": ("low", "mode", "high"),
    "pert": ("low", "mode", "high"),
}

# Beta-PERT's weight on the mode.
PERT_LAMBDA = 4.0

_STANDARD_NORMAL = NormalDist()


@dataclass(frozen=True)
class Distribution:
    """One of the distributions in PARAMETERS; unused parameters stay 0."""

    name: str
    mean: float = 0.0
    sd: float = 0.0
    low: float = 0.0
    mode: float = 0.0
    high: float = 0.0

    @property
    def centre(self) -> float:
        """The base-case value when the case gives no `base`."""
        if self.name in ("normal", "lognormal"):
            return self.mean
        if self.name == "uniform":
            return (self.low + self.high) / 2
        return self.mode

    @property
    def is_point(self) -> bool:
        """A zero-width distribution: every draw is the same number."""
        if self.name in ("normal", "lognormal"):
            return self.sd == 0
        return self.low == self.high


def _lognormal_mu_sigma(mean: float, sd: float) -> tuple[float, float]:
    # mean and sd are those of the value itself, not of its logarithm
    sigma2 = math.log1p((sd / mean) ** 2)
    return math.log(mean) - sigma2 / 2, math.sqrt(sigma2)


def _pert_alpha_beta(d: Distribution) -> tuple[float, float]:
    width = d.high - d.low
    alpha = 1 + PERT_LAMBDA * (d.mode - d.low) / width
    beta = 1 + PERT_LAMBDA * (d.high - d.mode) / width
    return alpha, beta


def sample(d: Distribution, rng: np.random.Generator, size: int) -> np.ndarray:
    """`size` independent draws of `d` from `rng`."""
    if d.is_point:
        return np.full(size, d.centre, dtype=np.float64)
    if d.name == "normal":
        return rng.normal(d.mean, d.sd, size)
    if d.name == "lognormal":
        mu, sigma = _lognormal_mu_sigma(d.mean, d.sd)
        return rng.lognormal(mu, sigma, size)
    if d.name == "uniform":
        return rng.uniform(d.low, d.high, size)
    if d.name == "triangular":
        return rng.triangular(d.low, d.mode, d.high, size)
    alpha, beta = _pert_alpha_beta(d)
    return d.low + (d.high - d.low) * rng.beta(alpha, beta, size)


def percentile(d: Distribution, p: float) -> float:
    """The value below which a share `p` of the draws fall (the inverse distribution function)."""
    if d.is_point:
        return d.centre
    if d.name == "normal":
        return d.mean + d.sd * _STANDARD_NORMAL.inv_cdf(p)
    if d.name == "lognormal":
        mu, sigma = _lognormal_mu_sigma(d.mean, d.sd)
        return math.exp(mu + sigma * _STANDARD_NORMAL.inv_cdf(p))
    if d.name == "uniform":
        return d.low + p * (d.high - d.low)
    if d.name == "triangular":
        return _triangular_percentile(d, p)
    return d.low + (d.high - d.low) * _beta_percentile(*_pert_alpha_beta(d), p)


def _triangular_percentile(d: Distribution, p: float) -> float:
    width = d.high - d.low
    split = (d.mode - d.low) / width
    if p <= split:
        return d.low + math.sqrt(p * width * (d.mode - d.low))
    return d.high - math.sqrt((1 - p) * width * (d.high - d.mode))


def _beta_percentile(alpha: float, beta: float, p: float) -> float:
    # PERT's alpha and beta are at least 1, so the density is bounded and a fine trapezoid grid
    # gives the distribution function to about 1e-8 without needing scipy.
    x = np.linspace(0.0, 1.0, 20_001)
    density = x ** (alpha - 1) * (1 - x) ** (beta - 1)
    cdf = np.concatenate(([0.0], np.cumsum((density[1:] + density[:-1]) / 2)))
    return float(np.interp(p, cdf / cdf[-1], x))
