"""Reading and validating a case (TOML, JSON or a dict) into a `Case`.

Validation collects every problem before giving up, so a user fixes a case in one round; each
message names the field path the way the tornado and the docs do (`outcomes[0].effect`).
"""

from __future__ import annotations

import json
import math
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sifra.engine.case import SECTORS, Actor, Bound, Case, Cost, Num, Outcome
from sifra.engine.distributions import PARAMETERS, Distribution
from sifra.engine.errors import CaseError

MAX_HORIZON = 200  # keeps a mistyped horizon from allocating gigabytes

_MISSING: Any = object()
_SHARES = ("deadweight", "displacement", "attribution")
_KEYS = {
    "": {"case", "actors", "costs", "participants", "outcomes"},
    "case": {"title", "start_year", "horizon", "discount_rate", "price_year"},
    "actor": {"id", "name", "sector"},
    "cost": {"name", "actor", "amounts", "per_participant"},
    "participants": {"entering"},
    "outcome": {
        *("name", "effect", "baseline", "relative_effect", "kind", "lag", "duration"),
        *("drop_off", *_SHARES, "unit_costs"),
    },
}


def load_case(source: str | Path | Mapping[str, Any], *, signed_effects: bool = False) -> Case:
    """A validated case from a file path (TOML, or JSON by its suffix) or a dict of that shape.
    With `signed_effects` an outcome's `effect` may lie between −1 and 1: a case after the fact
    carries a measured effect, which may be harmful (negative) or its interval reach below 0."""
    raw = source if isinstance(source, Mapping) else read_document(Path(source))
    return _Reader(signed_effects=signed_effects).case(raw)


def read_document(path: Path) -> dict[str, Any]:
    where = str(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise CaseError([(where, f"cannot read the file: {exc.strerror or exc}")]) from None
    except UnicodeDecodeError:
        raise CaseError([(where, "the file is not UTF-8 text")]) from None
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else tomllib.loads(text)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
        kind = "JSON" if path.suffix.lower() == ".json" else "TOML"
        raise CaseError([(where, f"not valid {kind}: {exc}")]) from None
    if not isinstance(data, dict):
        raise CaseError([(where, f"the document must be a table of sections, got {_a(data)}")])
    return data


def _show(value: Any) -> str:
    """A value as the user typed it, for messages."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return repr(value) if isinstance(value, float | int) else _a(value)


def _a(value: Any) -> str:
    """The kind of a value, with an article, for type errors."""
    if isinstance(value, bool) or value is None:
        return "null" if value is None else _show(value)
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, str):
        return f"a string ({_show(value)})"
    return f"{_show(value)}" if isinstance(value, int | float) else type(value).__name__


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


class _Reader:
    def __init__(self, signed_effects: bool = False) -> None:
        self.errors: list[tuple[str, str]] = []
        self.effect_bound: Bound = "signed_share" if signed_effects else "share"

    def error(self, path: str, message: str) -> None:
        self.errors.append((path, message))

    # --- the document --------------------------------------------------------------------

    def case(self, raw: Mapping[str, Any]) -> Case:
        self.known_keys(raw, "", _KEYS[""])
        header = self.header(self.table(raw.get("case", _MISSING), "case", _KEYS["case"]))
        actors = self.actors(raw.get("actors", _MISSING))
        # every id typed, valid or not, so one bad actor does not make each reference an error
        ids = _typed_ids(raw.get("actors"))
        costs = self.items(raw.get("costs", []), "costs", lambda r, p: self.cost(r, p, ids))
        outcomes = self.items(
            raw.get("outcomes", []), "outcomes", lambda r, p: self.outcome(r, p, ids)
        )
        entering = self.participants(raw.get("participants", _MISSING), costs, outcomes)
        if self.errors or header is None:
            raise CaseError(self.errors)
        return Case(**header, actors=actors, costs=costs, entering=entering, outcomes=outcomes)

    def header(self, head: Mapping[str, Any] | None) -> dict[str, Any] | None:
        if head is None:
            return None
        start = self.integer(self.get(head, "start_year", "case"), "case.start_year")
        price = head.get("price_year", start)
        return {
            "title": self.text(head.get("title", ""), "case.title"),
            "start_year": start,
            "price_year": self.integer(price, "case.price_year"),
            "horizon": self.integer(
                self.get(head, "horizon", "case"), "case.horizon", 1, MAX_HORIZON
            ),
            "discount_rate": self.number(
                self.get(head, "discount_rate", "case"), "case.discount_rate", "rate"
            ),
        }

    def actors(self, raw: Any) -> tuple[Actor, ...]:
        if raw is _MISSING:
            self.error("actors", "is required: at least one actor who pays or gains")
            return ()
        actors = self.items(raw, "actors", self.actor)
        seen: set[str] = set()
        for i, item in enumerate(raw if isinstance(raw, list) else []):
            ident = item.get("id") if isinstance(item, Mapping) else None
            if isinstance(ident, str) and ident in seen:
                self.error(f"actors[{i}].id", f"duplicate actor id {_show(ident)}")
            if isinstance(ident, str):
                seen.add(ident)
        if isinstance(raw, list) and not raw:
            self.error("actors", "must name at least one actor")
        return actors

    def actor(self, raw: Any, path: str) -> Actor | None:
        t = self.table(raw, path, _KEYS["actor"])
        if t is None:
            return None
        ident = self.text(self.get(t, "id", path), f"{path}.id", nonempty=True)
        sector = self.text(self.get(t, "sector", path), f"{path}.sector")
        if sector is not None and sector not in SECTORS:
            choices = ", ".join(SECTORS[:-1]) + f" or {SECTORS[-1]}"
            self.error(f"{path}.sector", f"unknown sector {_show(sector)} (use {choices})")
        name = self.text(t.get("name", ident or ""), f"{path}.name")
        if ident is None or sector not in SECTORS or name is None:
            return None
        return Actor(id=ident, name=name, sector=sector)

    def cost(self, raw: Any, path: str, ids: set[str]) -> Cost | None:
        t = self.table(raw, path, _KEYS["cost"])
        if t is None:
            return None
        actor = self.actor_ref(self.get(t, "actor", path), f"{path}.actor", ids)
        name = self.text(t.get("name", ""), f"{path}.name")
        has_amounts, has_pp = "amounts" in t, "per_participant" in t
        if has_amounts == has_pp:
            both = "not both" if has_amounts else "one is required"
            self.error(path, f"give either amounts or per_participant ({both})")
            return None
        if has_pp:
            pp = self.number(t["per_participant"], f"{path}.per_participant", "free")
            amounts: tuple[Num, ...] = ()
        else:
            pp = None
            amounts = self.items(t["amounts"], f"{path}.amounts", self.free_number)
        if actor is None or name is None or (has_pp and pp is None):
            return None
        return Cost(name=name, actor=actor, amounts=amounts, per_participant=pp)

    def participants(
        self, raw: Any, costs: tuple[Cost, ...], outcomes: tuple[Outcome, ...]
    ) -> tuple[Num, ...]:
        needed = bool(outcomes) or any(c.per_participant for c in costs)
        if raw is _MISSING:
            if needed:
                self.error(
                    "participants.entering",
                    "is required when there are outcomes or per-participant costs",
                )
            return ()
        t = self.table(raw, "participants", _KEYS["participants"])
        if t is None:
            return ()
        entering = self.get(t, "entering", "participants")
        return self.items(
            entering, "participants.entering", lambda r, p: self.number(r, p, "count")
        )

    def outcome(self, raw: Any, path: str, ids: set[str]) -> Outcome | None:
        t = self.table(raw, path, _KEYS["outcome"])
        if t is None:
            return None
        kind = t.get("kind", "annual")
        if kind not in ("annual", "once"):
            self.error(f"{path}.kind", f'must be "annual" or "once", got {_show(kind)}')
        lag = self.integer(t.get("lag", 0), f"{path}.lag", 0, MAX_HORIZON)
        duration = self.duration(t, path, kind)
        parts = {
            "name": self.text(t.get("name", ""), f"{path}.name"),
            "effect": self.effect(t, path),
            "drop_off": self.number(t.get("drop_off", 0), f"{path}.drop_off", "share"),
            "adjustments": tuple(self.number(t.get(k, 0), f"{path}.{k}", "share") for k in _SHARES),
            "unit_costs": self.unit_costs(
                self.get(t, "unit_costs", path), f"{path}.unit_costs", ids
            ),
        }
        if kind not in ("annual", "once") or None in (lag, duration) or _has_none(parts):
            return None
        return Outcome(kind=kind, lag=lag, duration=duration, **parts)  # type: ignore[arg-type]

    def duration(self, t: Mapping[str, Any], path: str, kind: Any) -> int | None:
        if kind != "annual":
            return 1  # a once outcome happens in one year; a duration given is ignored
        return self.integer(self.get(t, "duration", path), f"{path}.duration", 1, MAX_HORIZON)

    def effect(self, t: Mapping[str, Any], path: str) -> tuple[Num, ...] | None:
        has_effect = "effect" in t
        split = [k for k in ("baseline", "relative_effect") if k in t]
        if has_effect and split:
            self.error(path, "give either effect or baseline and relative_effect, not both")
            return None
        if has_effect:
            effect = self.number(t["effect"], f"{path}.effect", self.effect_bound)
            return None if effect is None else (effect,)
        if not split:
            self.error(f"{path}.effect", "is required (or baseline and relative_effect)")
            return None
        for key in {"baseline", "relative_effect"} - set(split):
            self.error(f"{path}.{key}", f"is required together with {split[0]}")
        nums = tuple(self.number(t[k], f"{path}.{k}", "share") for k in split)
        return None if len(nums) < 2 or None in nums else nums  # type: ignore[return-value]

    def unit_costs(self, raw: Any, path: str, ids: set[str]) -> tuple[tuple[str, Num], ...] | None:
        if raw is _MISSING:
            return None
        if not isinstance(raw, Mapping):
            self.error(path, f"must be a table of SEK per actor id, got {_a(raw)}")
            return None
        if not raw:
            self.error(path, "must name at least one actor")
        pairs = []
        for key, value in raw.items():
            actor = self.actor_ref(key, f"{path}.{key}", ids)
            number = self.number(value, f"{path}.{key}", "free")
            if actor is not None and number is not None:
                pairs.append((actor, number))
        return tuple(pairs) if len(pairs) == len(raw) else None

    # --- building blocks -----------------------------------------------------------------

    def get(self, table: Mapping[str, Any], key: str, prefix: str) -> Any:
        if key not in table:
            self.error(f"{prefix}.{key}", "is required")
            return _MISSING
        return table[key]

    def known_keys(self, table: Mapping[str, Any], prefix: str, allowed: set[str]) -> None:
        for key in table:
            if key not in allowed:
                self.error(f"{prefix}.{key}" if prefix else str(key), "unknown field")

    def table(self, raw: Any, path: str, allowed: set[str]) -> Mapping[str, Any] | None:
        if raw is _MISSING:
            self.error(path, "is required")
            return None
        if not isinstance(raw, Mapping):
            self.error(path, f"must be a table, got {_a(raw)}")
            return None
        self.known_keys(raw, path, allowed)
        return raw

    def items(self, raw: Any, path: str, read: Any) -> tuple[Any, ...]:
        """Each element of a list read by `read(element, path)`; the failures left out."""
        if raw is _MISSING:
            return ()
        if not isinstance(raw, list | tuple):
            self.error(path, f"must be a list, got {_a(raw)}")
            return ()
        read_all = [read(item, f"{path}[{i}]") for i, item in enumerate(raw)]
        return tuple(item for item in read_all if item is not None)

    def text(self, raw: Any, path: str, nonempty: bool = False) -> str | None:
        if raw is _MISSING:
            return None
        if not isinstance(raw, str):
            self.error(path, f"must be a string, got {_a(raw)}")
            return None
        if nonempty and not raw.strip():
            self.error(path, "must not be empty")
            return None
        return raw

    def actor_ref(self, raw: Any, path: str, ids: set[str]) -> str | None:
        name = self.text(raw, path)
        if name is not None and name not in ids:
            self.error(path, f"unknown actor {_show(name)}")
            return None
        return name

    def integer(
        self, raw: Any, path: str, low: int | None = None, high: int | None = None
    ) -> int | None:
        if raw is _MISSING:
            return None
        if isinstance(raw, Mapping):
            self.error(path, "must be a fixed whole number, not a distribution")
            return None
        if not _is_number(raw) or not math.isfinite(raw) or raw != int(raw):
            self.error(path, f"must be a whole number, got {_a(raw)}")
            return None
        return self.in_range(int(raw), path, low, high)

    def in_range(self, value: int, path: str, low: int | None, high: int | None) -> int | None:
        if low is not None and value < low:
            self.error(path, f"must be at least {low}, got {value}")
            return None
        if high is not None and value > high:
            self.error(path, f"must be at most {high}, got {value}")
            return None
        return value

    def plain(self, raw: Any, path: str) -> float | None:
        """A fixed number: an int or float, finite, and not a bool."""
        if raw is _MISSING:
            return None
        if not _is_number(raw):
            self.error(path, f"must be a number, got {_a(raw)}")
            return None
        if isinstance(raw, int) and abs(raw) > 1e300:
            self.error(path, "must be a finite number, got a number too large to compute with")
            return None
        if not math.isfinite(raw):
            self.error(path, f"must be a finite number, got {_show(raw)}")
            return None
        return float(raw)

    def free_number(self, raw: Any, path: str) -> Num | None:
        return self.number(raw, path, "free")

    def number(self, raw: Any, path: str, bound: Bound) -> Num | None:
        """A number that may be uncertain: a plain number or a distribution table."""
        if raw is _MISSING:
            return None
        if isinstance(raw, Mapping):
            return self.uncertain(raw, path, bound)
        if not _is_number(raw):
            self.error(path, f"must be a number or a distribution, got {_a(raw)}")
            return None
        value = self.plain(raw, path)
        if value is None or not self.within(value, path, bound):
            return None
        return Num(path=path, base=value, bound=bound)

    def within(self, value: float, path: str, bound: Bound) -> bool:
        problem = {
            "share": "must be between 0 and 1" if not 0 <= value <= 1 else "",
            "signed_share": "must be between -1 and 1" if not -1 <= value <= 1 else "",
            "count": "must be at least 0" if value < 0 else "",
            "rate": "must be greater than -1" if value <= -1 else "",
            "free": "",
        }[bound]
        if problem:
            self.error(path, f"{problem}, got {_show(value)}")
        return not problem

    def uncertain(self, raw: Mapping[str, Any], path: str, bound: Bound) -> Num | None:
        dist = self.distribution(raw, path)
        if dist is None:
            return None
        base = self.plain(raw["base"], f"{path}.base") if "base" in raw else dist.centre
        if base is None or not self.within(base, f"{path}.base" if "base" in raw else path, bound):
            return None
        return Num(path=path, base=base, bound=bound, dist=dist)

    def distribution(self, raw: Mapping[str, Any], path: str) -> Distribution | None:
        name = self.get(raw, "dist", path)
        if name is _MISSING:
            return None
        if name not in PARAMETERS:
            choices = "normal, lognormal, uniform, triangular or pert"
            self.error(f"{path}.dist", f"unknown distribution {_show(name)} (use {choices})")
            return None
        needed = PARAMETERS[name]
        self.known_keys(raw, path, {"dist", "base", *needed})
        values = {k: self.plain(self.get(raw, k, path), f"{path}.{k}") for k in needed}
        if None in values.values():
            return None
        dist = Distribution(name, **values)  # type: ignore[arg-type]
        return dist if self.sound(dist, path) else None

    def sound(self, d: Distribution, path: str) -> bool:
        before = len(self.errors)
        if d.name in ("normal", "lognormal") and d.sd < 0:
            self.error(f"{path}.sd", f"must be at least 0, got {_show(d.sd)}")
        if d.name == "lognormal" and d.mean <= 0:
            self.error(
                f"{path}.mean", f"must be greater than 0 for a lognormal, got {_show(d.mean)}"
            )
        if d.name not in ("normal", "lognormal") and d.low > d.high:
            self.error(f"{path}.low", f"must not exceed high ({_show(d.low)} > {_show(d.high)})")
        elif d.name in ("triangular", "pert") and not d.low <= d.mode <= d.high:
            self.error(f"{path}.mode", f"must lie between low and high, got {_show(d.mode)}")
        return len(self.errors) == before


def _typed_ids(raw: Any) -> set[str]:
    items = raw if isinstance(raw, list) else []
    return {a["id"] for a in items if isinstance(a, Mapping) and isinstance(a.get("id"), str)}


def _has_none(parts: Mapping[str, Any]) -> bool:
    return any(v is None or (isinstance(v, tuple) and None in v) for v in parts.values())
