"""Performance figures for the calculation engine (`make bench`).

The reference case: horizon 30 years, 10 annual outcomes with drop-off, 3 actors, 5 entering
cohorts, and every effect, unit cost and drop-off uncertain (50 uncertain inputs). Engine time
is `calculate` on an already parsed case: base case, Monte Carlo and tornado. The million-
iteration run happens in a child process so its peak memory is its own.
"""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import time
from typing import Any

from sifra.engine import Case, calculate, load_case

TARGETS = {"100k_seconds": 0.5, "1m_seconds": 5.0, "1m_peak_mb": 1024.0, "deterministic_ms": 5.0}
_DISTRIBUTIONS = ("pert", "lognormal", "normal")


def reference_case() -> dict[str, Any]:
    actors = [{"id": a, "name": a.title(), "sector": s} for a, s in _ACTORS]
    return {
        "case": {"title": "Referens", "start_year": 2026, "horizon": 30, "discount_rate": 0.035},
        "actors": actors,
        "costs": [
            {"name": "Insats", "actor": "kommun", "amounts": [4_000_000] * 5},
            {"name": "Material", "actor": "region", "per_participant": 3_000},
        ],
        "participants": {"entering": [200, 220, 240, 260, 280]},
        "outcomes": [_outcome(i) for i in range(10)],
    }


_ACTORS = (("kommun", "kommun"), ("region", "region"), ("stat", "stat"))


def _outcome(i: int) -> dict[str, Any]:
    mode = 0.02 + 0.01 * (i % 4)
    return {
        "name": f"Utfall {i}",
        "effect": {"dist": "pert", "low": mode / 2, "mode": mode, "high": mode * 2},
        "kind": "annual",
        "lag": i % 3,
        "duration": 8 + 2 * (i % 5),
        "drop_off": {"dist": "uniform", "low": 0.05, "high": 0.25},
        "deadweight": 0.1,
        "unit_costs": {a: _unit_cost(i, j) for j, (a, _) in enumerate(_ACTORS)},
    }


def _unit_cost(i: int, j: int) -> dict[str, Any]:
    mean = 50_000 + 10_000 * ((i + j) % 7)
    if (i + j) % 2:
        return {"dist": "lognormal", "mean": mean, "sd": mean / 4}
    return {"dist": "normal", "mean": mean, "sd": mean / 5}


def fixed_case() -> dict[str, Any]:
    """The reference case with every distribution replaced by its base value."""
    case = reference_case()
    for outcome in case["outcomes"]:
        outcome["effect"] = outcome["effect"]["mode"]
        outcome["drop_off"] = 0.15
        outcome["unit_costs"] = {a: uc["mean"] for a, uc in outcome["unit_costs"].items()}
    return case


def _median_seconds(run: Any, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


def child(iterations: int) -> None:
    """Run once and report time and peak memory growth over the parsed case (in this process)."""
    case = load_case(reference_case())
    calculate(case, iterations=1000)  # warm up imports and caches
    before = _rss_mb()
    start = time.perf_counter()
    calculate(case, iterations=iterations)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_growth_mb": peak - before}))


def million() -> dict[str, float]:
    command = [sys.executable, __file__, "--child", "1000000"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return json.loads(output)


def verdict(value: float, target: float) -> str:
    return "PASS" if value <= target else "FAIL"


def main() -> int:
    case: Case = load_case(reference_case())
    print(
        "Reference case: 30 years, 10 annual outcomes with drop-off, 3 actors, 5 cohorts, "
        f"{len(case.uncertain())} uncertain inputs"
    )
    fixed = load_case(fixed_case())
    det = _median_seconds(lambda: calculate(fixed), 200) * 1000
    parse = _median_seconds(lambda: calculate(fixed_case()), 200) * 1000
    hundred = _median_seconds(lambda: calculate(case, iterations=100_000), 5)
    big = million()
    rows = [
        ("deterministic case (ms, median of 200)", det, TARGETS["deterministic_ms"]),
        ("100,000 iterations (s, median of 5)", hundred, TARGETS["100k_seconds"]),
        ("1,000,000 iterations (s)", big["seconds"], TARGETS["1m_seconds"]),
        ("1,000,000 iterations peak memory (MB)", big["peak_growth_mb"], TARGETS["1m_peak_mb"]),
    ]
    for label, value, target in rows:
        print(f"{label:<42} {value:10.3f}  target ≤ {target:<7g} {verdict(value, target)}")
    print(f"{'deterministic with parsing a dict (ms)':<42} {parse:10.3f}")
    print(f"{'iterations per second (100k run)':<42} {100_000 / hundred:10,.0f}")
    print(f"{'iterations per second (1M run)':<42} {1_000_000 / big['seconds']:10,.0f}")
    return 0 if all(v <= t for _, v, t in rows) else 1


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        child(int(sys.argv[2]))
    else:
        sys.exit(main())
