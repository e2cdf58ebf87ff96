"""Performance figures for the fund forecast (`make bench`):

- the demo fund's forecast, 10 000 iterations × 15 years, through the selector (target ≤ 1 s);
- the sustainable-pace search on the demo fund (target ≤ 10 s);
- a synthetic fund of 2 000 projects built directly as plain data for the pure model, 10 000
  iterations × 20 years (target ≤ 10 s, peak memory < 1 GB by tracemalloc).

Each is the median of several runs, printed beside a floor measured in the same run: drawing
the random numbers and summing one iterations × years matrix per project.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from sifra.engine import load_case
from sifra.engine.forecast import (
    ClaimIn,
    ForecastInput,
    History,
    Policy,
    ProjectIn,
    Realisation,
    SavingsShare,
    Start,
    forecast,
    simulate,
    sustainable_pace,
)

ITERATIONS = 10_000
DEMO_YEARS = 15
BIG_YEARS = 20
BIG_PROJECTS = 2_000
RUNS = 5
BIG_RUNS = 3
TARGET_DEMO_S = 1.0
TARGET_PACE_S = 10.0
TARGET_BIG_S = 10.0
TARGET_MEMORY = 1 << 30


CPU: list[float] = []  # the CPU seconds of the last median_s, beside its wall-clock seconds


def median_s(fn: Callable[[], Any], runs: int) -> float:
    """The median wall-clock seconds of `runs` calls; the median CPU seconds go to CPU[-1] (on a
    shared machine the CPU time says more about the code than the wall clock)."""
    times, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    CPU.append(statistics.median(cpu))
    return statistics.median(times)


def cpu() -> str:
    return f"(CPU {CPU[-1]:.3f} s)"


def floor_s(projects: int, iterations: int, years: int, runs: int) -> float:
    """The least any model can do: one iterations × years matrix of random numbers per project,
    drawn and summed."""

    def draw() -> None:
        rng = np.random.default_rng(0)
        total = np.zeros((iterations, years))
        for _ in range(projects):
            total += rng.standard_normal((iterations, years))

    return median_s(draw, runs)


def synthetic_case(i: int) -> dict[str, Any]:
    """A small case like the fund's: one cohort, one or two outcomes with uncertain effects,
    savings with a committee and with the region."""
    rng = np.random.default_rng(i)
    mode = float(rng.uniform(0.05, 0.25))
    outcomes = [
        {
            "name": "Placering undviks",
            "effect": {"dist": "pert", "low": 0.0, "mode": mode, "high": mode * 2},
            "duration": int(rng.integers(2, 6)),
            "drop_off": {"dist": "uniform", "low": 0.0, "high": 0.2},
            "unit_costs": {"soc": float(rng.integers(100, 500)) * 1_000, "reg": 50_000},
        }
    ]
    if i % 2:
        outcomes.append(
            {
                "name": "Arbete",
                "effect": {"dist": "triangular", "low": 0.0, "mode": 0.1, "high": 0.2},
                "kind": "once",
                "lag": 1,
                "unit_costs": {"soc": 80_000},
            }
        )
    return {
        "case": {
            "title": f"P{i}",
            "start_year": 2026 + int(rng.integers(-5, 10)),
            "horizon": 10,
            "discount_rate": 0.035,
        },
        "actors": [
            {"id": "soc", "name": "Socialnämnden", "sector": "kommun"},
            {"id": "reg", "name": "Regionen", "sector": "region"},
        ],
        "participants": {"entering": [float(rng.integers(20, 200))]},
        "outcomes": outcomes,
    }


def synthetic_input(projects: int = BIG_PROJECTS) -> ForecastInput:
    """A large municipality's twenty years: every project with an outstanding commitment spread
    over its budget years, a third on fixed schedules, half on savings shares drawn from their
    cases, and 5 000 open claims."""
    rng = np.random.default_rng(2026)
    items = []
    for i in range(projects):
        savings = None
        fixed: tuple[tuple[int, int], ...] = ()
        if i % 2 == 0:
            case = load_case(synthetic_case(i))
            savings = SavingsShare(
                share=0.5,
                room_ore=int(rng.integers(1, 50)) * 100_000_00,
                case=case,
                actors=("soc",),
                first_year=case.start_year + int(rng.integers(0, 3)),
            )
        elif i % 3 == 0:
            fixed = tuple((2027 + k, int(rng.integers(1, 10)) * 100_000_00) for k in range(4))
        start = 2026 + int(rng.integers(0, 3))
        items.append(
            ProjectIn(
                key=f"P{i}",
                outstanding_ore=int(rng.integers(0, 30)) * 100_000_00,
                disbursement_years=tuple((start + k, int(rng.integers(1, 5))) for k in range(3)),
                fixed=fixed,
                savings=savings,
            )
        )
    claims = tuple(
        ClaimIn(int(rng.integers(1, 1_000)) * 1_000_00, int(rng.integers(2020, 2035)))
        for _ in range(5_000)
    )
    return ForecastInput(
        base_year=2026,
        start=Start(2_000_000_000_00, 600_000_000_00, 300_000_000_00),
        projects=tuple(items),
        claims=claims,
        history=History(
            recent_grants_ore=(150_000_000_00,) * 3,
            disbursement_profile=(0.3, 0.4, 0.3),
            repayment_profile=(0.0, 0.0, 0.1, 0.15, 0.1, 0.05),
            repayment_spread=0.8,
            claims_paid_share=0.85,
        ),
        realisation=Realisation(0.7, 0.3),
        default_topup_ore=100_000_000_00,
    )


def verdict(seconds: float, target: float) -> str:
    return "PASS" if seconds <= target else "MISS"


def demo_figures() -> tuple[bool, list[str]]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment

    from sifra.forecasts.selectors import forecast_document, fund_forecast_input
    from sifra.funds.models import Fund

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("demo_data", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
        fund = Fund.objects.order_by("pk").first()
        assert fund is not None
        policy = Policy(years=DEMO_YEARS, iterations=ITERATIONS, seed=0)
        document = forecast_document(fund, policy)
        whole = median_s(lambda: forecast_document(fund, policy), RUNS)
        whole_cpu = cpu()
        data = fund_forecast_input(fund).data
        projects = len(data.projects)
        paths = simulate(data, policy)
        search = median_s(lambda: sustainable_pace(data, simulate(data, policy), policy), RUNS)
        search_cpu = cpu()
        search_only = median_s(lambda: sustainable_pace(data, paths, policy), RUNS)
        floor = floor_s(max(projects, 1), ITERATIONS, DEMO_YEARS, RUNS)
        floor_cpu = cpu()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    pace = document["sustainable_pace"]["new_grants_per_year"]
    lines = [
        f"demo fund ({projects} projects), {ITERATIONS} iterations × {DEMO_YEARS} years, "
        f"median of {RUNS}:",
        f"  forecast (selector, model, both scenarios, pace)  {whole:7.3f} s  "
        f"target ≤ {TARGET_DEMO_S} s {verdict(whole, TARGET_DEMO_S)} {whole_cpu}",
        f"  sustainable-pace search (draws + bisection)        {search:7.3f} s  "
        f"target ≤ {TARGET_PACE_S} s {verdict(search, TARGET_PACE_S)} {search_cpu}"
        f"  (bisection alone {search_only * 1000:.1f} ms)",
        f"  floor: {projects} matrices of {ITERATIONS} × {DEMO_YEARS} drawn and summed "
        f"{floor:7.3f} s {floor_cpu}",
        f"  pace found: {pace:,.0f} kr a year".replace(",", " ") if pace else "  pace: none",
    ]
    ok = whole <= TARGET_DEMO_S and search <= TARGET_PACE_S
    return ok, lines


def big_figures() -> tuple[bool, list[str]]:
    built = time.perf_counter()
    data = synthetic_input()
    built = time.perf_counter() - built
    policy = Policy(years=BIG_YEARS, iterations=ITERATIONS, seed=0)
    seconds = median_s(lambda: forecast(data, policy), BIG_RUNS)
    seconds_cpu = CPU[-1]
    tracemalloc.start()
    forecast(data, policy)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    floor = floor_s(BIG_PROJECTS, ITERATIONS, BIG_YEARS, BIG_RUNS)
    floor_cpu = CPU[-1]
    savers = sum(1 for p in data.projects if p.savings is not None)
    lines = [
        f"synthetic fund: {BIG_PROJECTS} projects ({savers} savings shares drawn from their "
        f"cases), {len(data.claims)} claims, {ITERATIONS} iterations × {BIG_YEARS} years "
        f"(input built in {built:.1f} s), median of {BIG_RUNS}:",
        f"  forecast (model, both scenarios, pace)  {seconds:7.3f} s  "
        f"target ≤ {TARGET_BIG_S} s {verdict(seconds, TARGET_BIG_S)}"
        f" (CPU {seconds_cpu:.3f} s, {seconds_cpu / floor_cpu:.2f} × the floor's CPU)",
        f"  peak memory (tracemalloc)               {peak / 2**20:7.1f} MB  target < 1024 MB "
        f"{'PASS' if peak < TARGET_MEMORY else 'MISS'}",
        f"  floor: {BIG_PROJECTS} matrices of {ITERATIONS} × {BIG_YEARS} drawn and summed "
        f"{floor:7.3f} s (CPU {floor_cpu:.3f} s)",
    ]
    return seconds <= TARGET_BIG_S and peak < TARGET_MEMORY, lines


def main() -> int:
    ok_big, big = big_figures()
    ok_demo, demo = demo_figures()
    print("\n".join(demo + big))
    return 0 if ok_big and ok_demo else 1


if __name__ == "__main__":
    sys.exit(main())
