"""A validated investment case: frozen dataclasses, built by `parse.parse_case`.

Every number that may be uncertain is a `Num`, which knows its field path (for messages and the
tornado), its base-case value and, when uncertain, its distribution.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sifra.engine.distributions import Distribution

# How draws of a number are bounded: shares to [0, 1], counts at 0, a discount rate above −1;
# a signed share (a measured effect, which may be harmful) to [−1, 1].
Bound = Literal["share", "signed_share", "count", "rate", "free"]

SECTORS = ("kommun", "region", "stat", "individ", "ovrigt")


@dataclass(frozen=True)
class Num:
    path: str
    base: float
    bound: Bound = "free"
    dist: Distribution | None = None

    @property
    def uncertain(self) -> bool:
        return self.dist is not None


@dataclass(frozen=True)
class Actor:
    id: str
    name: str
    sector: str


@dataclass(frozen=True)
class Cost:
    name: str
    actor: str
    amounts: tuple[Num, ...] = ()
    per_participant: Num | None = None


@dataclass(frozen=True)
class Outcome:
    name: str
    kind: Literal["annual", "once"]
    lag: int
    duration: int  # 1 for a once outcome
    effect: tuple[Num, ...]  # (effect,) or (baseline, relative_effect): their product
    drop_off: Num
    adjustments: tuple[Num, Num, Num]  # deadweight, displacement, attribution
    unit_costs: tuple[tuple[str, Num], ...]


@dataclass(frozen=True)
class Case:
    title: str
    start_year: int
    price_year: int
    horizon: int
    discount_rate: Num
    actors: tuple[Actor, ...]
    costs: tuple[Cost, ...]
    entering: tuple[Num, ...]
    outcomes: tuple[Outcome, ...]

    def numbers(self) -> list[Num]:
        """Every number of the case, in document order."""
        found = [self.discount_rate, *self.entering]
        for cost in self.costs:
            found += [*cost.amounts, *([cost.per_participant] if cost.per_participant else [])]
        for o in self.outcomes:
            found += [*o.effect, o.drop_off, *o.adjustments, *(n for _, n in o.unit_costs)]
        return found

    def uncertain(self) -> list[Num]:
        return [n for n in self.numbers() if n.uncertain]

    def actor_index(self) -> dict[str, int]:
        return {a.id: i for i, a in enumerate(self.actors)}
