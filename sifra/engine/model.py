"""The case's money flows, vectorised over rows (Monte Carlo iterations or tornado variants).

Arrays are time-major, shaped (years, rows, columns): each year's slice is contiguous, which
keeps the cohort sums below fast. A column is an actor, or the whole case when `by_actor` is
false. `values` maps the field path of an uncertain number to its per-row values; every other
number takes its base value, and broadcasting spreads it over the rows.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from sifra.engine.case import Case, Num, Outcome

Value = float | np.ndarray
Values = Mapping[str, np.ndarray]


def value(num: Num, values: Values) -> Value:
    return values.get(num.path, num.base)


def cohorts(case: Case, values: Values) -> list[tuple[int, Value]]:
    """(entry year, participants) for each cohort entering inside the horizon and not surely 0."""
    entering = case.entering[: case.horizon]
    return [(e, value(n, values)) for e, n in enumerate(entering) if n.base or n.path in values]


def cost_flows(case: Case, values: Values, rows: int, by_actor: bool) -> np.ndarray:
    out = np.zeros((case.horizon, rows, len(case.actors) if by_actor else 1))
    column = case.actor_index()
    entering = cohorts(case, values)
    for cost in case.costs:
        c = column[cost.actor] if by_actor else 0
        for t, amount in enumerate(cost.amounts[: case.horizon]):
            out[t, :, c] += value(amount, values)
        if cost.per_participant is not None:
            each = value(cost.per_participant, values)
            for e, count in entering:
                out[e, :, c] += each * count
    return out


def benefit_flows(case: Case, values: Values, rows: int, by_actor: bool) -> np.ndarray:
    out = np.zeros((case.horizon, rows, len(case.actors) if by_actor else 1))
    entering = cohorts(case, values)
    for outcome in case.outcomes:
        volume = avoided_volume(outcome, entering, values, case.horizon)
        if volume is None:
            continue
        scale = effect(outcome, values) * adjustment(outcome, values)
        for c, unit_cost in unit_cost_columns(case, outcome, values, by_actor):
            out[:, :, c] += volume * (scale * unit_cost)
    return out


def effect(outcome: Outcome, values: Values) -> Value:
    """The effect, or baseline × relative_effect."""
    product: Value = 1.0
    for part in outcome.effect:
        product = product * value(part, values)
    return product


def adjustment(outcome: Outcome, values: Values) -> Value:
    """The share of the effect that is this intervention's own: after deadweight, displacement
    and attribution."""
    kept: Value = 1.0
    for share in outcome.adjustments:
        kept = kept * (1.0 - value(share, values))
    return kept


def unit_cost_columns(
    case: Case, outcome: Outcome, values: Values, by_actor: bool
) -> list[tuple[int, Value]]:
    if by_actor:
        column = case.actor_index()
        return [(column[a], value(n, values)) for a, n in outcome.unit_costs]
    # the whole case is one column: one multiplication per outcome instead of one per actor
    total: Value = 0.0
    for _, n in outcome.unit_costs:
        total = total + value(n, values)
    return [(0, total)]


def avoided_volume(
    outcome: Outcome, entering: list[tuple[int, Value]], values: Values, horizon: int
) -> np.ndarray | None:
    """Participant-years (or events, for a once outcome) avoided per unit of effect, by year:
    Σe entering[e] × profile(t − e), with the profile's zeros before the lag never touched."""
    span = min(outcome.duration, horizon - outcome.lag)
    if span <= 0 or not entering:
        return None
    profile = effect_profile(outcome, values, span)
    width = max(profile.shape[1], *(np.size(count) for _, count in entering))
    volume = np.zeros((horizon, width))
    for e, count in entering:
        start = e + outcome.lag
        rows = min(span, horizon - start)
        if rows > 0:
            volume[start : start + rows] += profile[:rows] * count
    return volume


def effect_profile(outcome: Outcome, values: Values, span: int) -> np.ndarray:
    """(1 − drop_off)^j for the j-th year of the effect, shaped (span, 1 or rows)."""
    if outcome.kind == "once":
        return np.ones((1, 1))
    keep = 1.0 - np.atleast_1d(np.asarray(value(outcome.drop_off, values), dtype=np.float64))
    profile = np.empty((span, keep.size))
    profile[0] = 1.0
    # year by year rather than np.cumprod(axis=0), which is several times slower on wide rows
    for j in range(1, span):
        np.multiply(profile[j - 1], keep, out=profile[j])
    return profile


def discount_factors(case: Case, values: Values) -> np.ndarray:
    """1 / (1 + r)^t, shaped (horizon, 1 or rows): year 0 is not discounted."""
    rate = np.atleast_1d(np.asarray(value(case.discount_rate, values), dtype=np.float64))
    years = np.arange(case.horizon, dtype=np.float64)[:, None]
    return (1.0 + rate)[None, :] ** -years
