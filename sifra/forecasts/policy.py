"""A forecast policy as people give it (kronor, per cent) and as it is kept (JSON), turned into
the model's Policy; a bad value names its option."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from sifra.core.money import MoneyParseError, parse_kronor
from sifra.engine.forecast import (
    DEFAULT_ITERATIONS,
    DEFAULT_YEARS,
    MAX_CELLS,
    MAX_ITERATIONS,
    MAX_YEARS,
    Policy,
    PolicyError,
    check_policy,
)

MAX_SEED = 2**32 - 1
# The page and the API run at most this many iterations (the command line has the model's limit).
MAX_WORKER_ITERATIONS = 100_000


def _kronor(option: str, value: Any, *, negative: bool = False) -> int | None:
    if value is None or value == "":
        return None
    try:
        ore = parse_kronor(str(value))
    except MoneyParseError as exc:
        raise PolicyError(option, str(exc)) from None
    if ore < 0 and not negative:
        raise PolicyError(option, _("must be 0 or more"))
    return ore


def _percent(option: str, value: Any, low: Decimal, high: Decimal) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value).replace(",", ".").replace(" ", ""))
    except InvalidOperation:
        raise PolicyError(option, _("enter a number of per cent")) from None
    if not number.is_finite() or not low <= number <= high:
        raise PolicyError(
            option, _("must be between %(low)s and %(high)s %%") % {"low": low, "high": high}
        )
    return number


def _whole(option: str, value: Any, low: int, high: int, default: int) -> int:
    if value is None or value == "":
        return default
    try:
        number = int(str(value))
    except ValueError:
        raise PolicyError(option, _("enter a whole number")) from None
    if not low <= number <= high:
        raise PolicyError(
            option, _("must be between %(low)d and %(high)d") % {"low": low, "high": high}
        )
    return number


def build_policy(
    *,
    years: Any = None,
    iterations: Any = None,
    seed: Any = None,
    topup: Any = None,
    tax_share: Any = None,
    tax_revenue: Any = None,
    growth: Any = None,
    new_grants: Any = None,
    floor: Any = None,
    repayment: bool = True,
    max_iterations: int = MAX_ITERATIONS,
) -> Policy:
    """The policy from people's values: amounts in kronor, shares in per cent. Raises
    PolicyError naming the option (years, iterations, seed, topup, tax_share, tax_revenue,
    growth, new_grants, floor)."""
    topup_ore = _kronor("topup", topup)
    share = _percent("tax_share", tax_share, Decimal(0), Decimal(100))
    revenue = _kronor("tax_revenue", tax_revenue)
    rate = _percent("growth", growth, Decimal(-99), Decimal(100))
    if topup_ore is not None and share is not None:
        raise PolicyError("topup", _("give either a fixed top-up or a tax share, not both"))
    if share is None and (revenue is not None or rate is not None):
        raise PolicyError("tax_share", _("give the tax share with the tax revenue and growth"))
    if share is not None and not revenue:
        raise PolicyError("tax_revenue", _("give the tax revenue (above 0) with a tax share"))
    policy = Policy(
        years=_whole("years", years, 1, MAX_YEARS, DEFAULT_YEARS),
        iterations=_whole("iterations", iterations, 1, max_iterations, DEFAULT_ITERATIONS),
        seed=_whole("seed", seed, 0, MAX_SEED, 0),
        topup_ore=topup_ore,
        tax_share=None if share is None else float(share) / 100,
        tax_revenue_ore=revenue or 0,
        growth=0.0 if rate is None else float(rate) / 100,
        new_grants_ore=_kronor("new_grants", new_grants),
        floor_ore=_kronor("floor", floor, negative=True) or 0,
        repayment=bool(repayment),
    )
    if policy.iterations * (policy.years + 1) > MAX_CELLS:
        raise PolicyError(
            "iterations",
            _("iterations × (years + 1) can be at most %(limit)s")
            % {"limit": f"{MAX_CELLS:,}".replace(",", " ")},
        )
    check_policy(policy)
    return policy


def policy_to_json(policy: Policy) -> dict[str, Any]:
    return {
        "years": policy.years,
        "iterations": policy.iterations,
        "seed": policy.seed,
        "topup_ore": policy.topup_ore,
        "tax_share": policy.tax_share,
        "tax_revenue_ore": policy.tax_revenue_ore,
        "growth": policy.growth,
        "new_grants_ore": policy.new_grants_ore,
        "floor_ore": policy.floor_ore,
        "repayment": policy.repayment,
    }


def policy_from_json(data: dict[str, Any]) -> Policy:
    return Policy(**{k: data[k] for k in policy_to_json(Policy()) if k in data})
