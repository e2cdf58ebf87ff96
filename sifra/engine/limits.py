"""How large a case may be and how much work one calculation may take.

The engine's cost grows with the years, the costs and the outcomes times the cohorts, run once per
Monte Carlo iteration (and per tornado row). Without bounds one small request could hold a server
for minutes, so a case is bounded in size when it is read (`parse.load_case`) and a run in work
(`check_run`) before anything is computed. A work unit is about one nanosecond on one core of a
current server: MAX_WORK keeps any single calculation within a few seconds.
"""

from __future__ import annotations

from sifra.engine.case import Case
from sifra.engine.errors import CaseError
from sifra.engine.montecarlo import DEFAULT_ITERATIONS

MAX_CASE_BYTES = 256 * 1024  # a TOML or JSON case document; real cases are a few kilobytes
MAX_HORIZON = 100
MAX_ACTORS = 50
MAX_COSTS = 200
MAX_OUTCOMES = 100
MAX_YEARS = MAX_HORIZON  # entries of a list by year (amounts, participants entering)
MAX_UNCERTAIN = 200
MAX_ITERATIONS = 1_000_000
MAX_WORK = 3_000_000_000
# Every run pays Python's per-row overhead (a few microseconds for each cost-year and cohort of
# an outcome) for the base case, the tornado and each chunk, whatever the iterations: counted
# as this many iterations.
FIXED_RUNS = 1_500
# The largest case must still run the default Monte Carlo within MAX_WORK (a test checks).
MAX_CASE_SIZE = 250_000

TOO_LARGE = (
    "is too large to compute: its size (horizon × (20 + 10 × costs + 4 × outcomes × cohorts) "
    "+ 200 × uncertain inputs + 1000) is {size}, at most {limit}"
)
TOO_MANY = "must have at most {limit} {what}, got {count}"
TOO_BIG_FILE = "the document is larger than the limit of {limit} bytes"
TOO_MANY_ITERATIONS = "must be at most {limit}, got {value}"
OVER_WORK = (
    "must be at most {allowed} for this case: iterations × the case's size ({size}) must stay "
    "within the work limit of {limit} (a few seconds)"
)


def case_size(case: Case) -> int:
    """The work of one iteration in units: the yearly arrays the engine fills, plus the draws.
    The weights are measured: each outcome adds a year-long array per cohort (memory-bound at
    about 4 ns an element), each cost a Python step per year."""
    cohorts = min(len(case.entering), case.horizon)
    structure = case.horizon * (20 + 10 * len(case.costs) + 4 * len(case.outcomes) * cohorts)
    return structure + 200 * len(case.uncertain()) + 1000


def effective_iterations(case: Case, iterations: int | None) -> int:
    """The Monte Carlo iterations `calculate` will run: the default when the case is uncertain."""
    if iterations is not None:
        return iterations
    return DEFAULT_ITERATIONS if case.uncertain() else 0


def work(case: Case, iterations: int | None) -> int:
    """The work units of `calculate(case, iterations=…)`: the iterations, the tornado's two rows
    per uncertain input and FIXED_RUNS for the base case, each costing `case_size`."""
    runs = effective_iterations(case, iterations) + 2 * len(case.uncertain()) + FIXED_RUNS
    return runs * case_size(case)


def check_run(case: Case, iterations: int | None) -> None:
    """Raise CaseError (field `iterations`) when the run exceeds MAX_ITERATIONS or MAX_WORK."""
    runs = effective_iterations(case, iterations)
    if runs > MAX_ITERATIONS:
        message = TOO_MANY_ITERATIONS.format(limit=f"{MAX_ITERATIONS:_}", value=f"{runs:_}")
        raise CaseError([("iterations", message)])
    if work(case, iterations) > MAX_WORK:
        size = case_size(case)
        allowed = max(MAX_WORK // size - 2 * len(case.uncertain()) - FIXED_RUNS, 0)
        message = OVER_WORK.format(allowed=f"{allowed:_}", size=f"{size:_}", limit=f"{MAX_WORK:_}")
        raise CaseError([("iterations", message)])
