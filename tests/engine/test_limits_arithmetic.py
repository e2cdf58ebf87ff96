"""The limits' arithmetic on small cases worked out by hand, and each limit at its documented
number (README, "Size limits"): at the limit accepted, one over refused with a message naming it.
"""

from pathlib import Path
from typing import Any

import pytest

from sifra.engine import CaseError, load_case
from sifra.engine.case import Case, Num, Outcome
from sifra.engine.limits import case_size, check_run, effective_iterations, work

UNIFORM = {"dist": "uniform", "low": 5, "high": 15}
ACTOR = [{"id": "a", "name": "A", "sector": "kommun"}]


def doc(
    horizon: int,
    costs: int = 0,
    outcomes: int = 0,
    entering: int = 0,
    uncertain: int = 0,
    actors: int = 1,
) -> dict[str, Any]:
    """A case of known counts: `uncertain` of the first cost's amounts are distributions."""
    ids = ["a", *(f"x{i}" for i in range(1, actors))]
    costs_ = [{"actor": "a", "amounts": [1.0]} for _ in range(costs)]
    if uncertain:
        costs_[0]["amounts"] = [UNIFORM] * uncertain
    return {
        "case": {"title": "L", "start_year": 2026, "horizon": horizon, "discount_rate": 0.0},
        "actors": [{"id": i, "name": i, "sector": "kommun"} for i in ids],
        "costs": costs_,
        "participants": {"entering": [1] * entering},
        "outcomes": [
            {"effect": 0.1, "duration": 1, "unit_costs": {"a": 1}} for _ in range(outcomes)
        ],
    }


def refusal(raw: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(CaseError) as caught:
        load_case(raw)
    return caught.value.errors


@pytest.mark.parametrize(
    ("counts", "size"),
    [
        # horizon × 20 + 1 000
        ({"horizon": 1}, 1_020),
        ({"horizon": 50}, 2_000),
        # + horizon × 10 × costs: 3 × (20 + 20) + 1 000
        ({"horizon": 3, "costs": 2}, 1_120),
        # + horizon × 4 × outcomes × cohorts, the cohorts cut at the horizon (5 entering, 3 years):
        # 3 × (20 + 4 × 1 × 3) + 1 000
        ({"horizon": 3, "outcomes": 1, "entering": 5}, 1_096),
        # cohorts fewer than the years: 5 × (20 + 4 × 3 × 2) + 1 000
        ({"horizon": 5, "outcomes": 3, "entering": 2}, 1_220),
        # all of it, and 200 an uncertain input: 3 × (20 + 20 + 4 × 2 × 3) + 200 × 4 + 1 000
        ({"horizon": 3, "costs": 2, "outcomes": 2, "entering": 5, "uncertain": 4}, 1_992),
    ],
)
def test_case_size(counts: dict[str, int], size: int) -> None:
    assert case_size(load_case(doc(**counts))) == size


def test_the_effective_iterations() -> None:
    certain = load_case(doc(horizon=2, costs=1))
    uncertain = load_case(doc(horizon=2, costs=1, uncertain=1))
    assert effective_iterations(certain, None) == 0
    assert effective_iterations(uncertain, None) == 10_000
    assert effective_iterations(certain, 7) == 7
    assert effective_iterations(uncertain, 7) == 7


def test_work() -> None:
    # size 50 × (20 + 20) + 1 000 = 3 000
    certain = load_case(doc(horizon=50, costs=2))
    assert work(certain, None) == 1_500 * 3_000
    assert work(certain, 5) == 1_505 * 3_000
    # one uncertain amount: size 3 200, and the default 10 000 iterations, 2 tornado rows and
    # the fixed 1 500
    uncertain = load_case(doc(horizon=50, costs=2, uncertain=1))
    assert work(uncertain, None) == 11_502 * 3_200
    # three uncertain amounts: 6 tornado rows, size 3 600
    three = load_case(doc(horizon=50, costs=2, uncertain=3))
    assert work(three, 100) == 1_606 * 3_600


def test_a_run_of_exactly_the_work_limit_runs_and_one_iteration_more_is_refused() -> None:
    # size 3 000: (998 500 + 1 500) × 3 000 = 3 000 000 000 exactly
    certain = load_case(doc(horizon=50, costs=2))
    check_run(certain, 998_500)
    with pytest.raises(CaseError) as caught:
        check_run(certain, 998_501)
    assert caught.value.errors == [
        (
            "iterations",
            "must be at most 998_500 for this case: iterations × the case's size (3_000) must "
            "stay within the work limit of 3_000_000_000 (a few seconds)",
        )
    ]


def test_the_allowed_iterations_leave_room_for_the_tornado() -> None:
    # size 3 200; 3e9 / 3 200 = 937 500 runs, less 2 tornado rows and the fixed 1 500
    uncertain = load_case(doc(horizon=50, costs=2, uncertain=1))
    check_run(uncertain, 935_998)
    with pytest.raises(CaseError) as caught:
        check_run(uncertain, 935_999)
    ((path, message),) = caught.value.errors
    assert path == "iterations"
    assert message.startswith("must be at most 935_998 for this case: ")
    assert "(3_200)" in message


def test_the_iteration_count_is_checked_before_the_work() -> None:
    small = load_case(doc(horizon=1))  # size 1 020: 1 000 000 iterations are within the work
    check_run(small, 1_000_000)
    with pytest.raises(CaseError) as caught:
        check_run(small, 1_000_001)
    assert caught.value.errors == [("iterations", "must be at most 1_000_000, got 1_000_001")]


def _oversized_case() -> Case:
    """A case no document could give (parse refuses it): 50 outcomes × 100 cohorts × 100 years,
    size 100 × (20 + 4 × 50 × 100) + 1 000 = 2 003 000, more than 3e9 / 1 500."""
    zero = Num("zero", 0.0)
    outcome = Outcome(
        name="o",
        kind="annual",
        lag=0,
        duration=1,
        effect=(Num("effect", 0.1),),
        drop_off=zero,
        adjustments=(zero, zero, zero),
        unit_costs=(),
    )
    return Case(
        title="too big",
        start_year=2026,
        price_year=2026,
        horizon=100,
        discount_rate=zero,
        actors=(),
        costs=(),
        entering=tuple(Num(f"p{i}", 1.0) for i in range(100)),
        outcomes=(outcome,) * 50,
    )


def test_a_case_whose_base_case_alone_is_over_the_limit_allows_no_iterations() -> None:
    # 3e9 // 2 003 000 = 1 497 runs, fewer than the fixed 1 500: at most 0, not −3
    case = _oversized_case()
    assert case_size(case) == 2_003_000
    with pytest.raises(CaseError) as caught:
        check_run(case, 1)
    ((_, message),) = caught.value.errors
    assert message.startswith("must be at most 0 for this case: ")
    assert "(2_003_000)" in message


@pytest.mark.parametrize(
    ("section", "limit"),
    [("actors", 50), ("costs", 200), ("outcomes", 100)],
)
def test_each_section_at_its_documented_limit(section: str, limit: int) -> None:
    counts = {"horizon": 1, "entering": 1, section: limit}
    load_case(doc(**counts))
    counts[section] = limit + 1
    assert (section, f"must have at most {limit} {section}, got {limit + 1}") in refusal(
        doc(**counts)
    )


def test_the_horizon_at_its_documented_limit() -> None:
    load_case(doc(horizon=100))
    errors = refusal(doc(horizon=101))
    assert ("case.horizon", "must be at most 100, got 101") in errors


def test_the_uncertain_inputs_at_their_documented_limit() -> None:
    raw = doc(horizon=100, costs=2)
    raw["costs"][0]["amounts"] = [UNIFORM] * 100
    raw["costs"][1]["amounts"] = [UNIFORM] * 100
    load_case(raw)  # 200 uncertain inputs
    raw["participants"]["entering"] = [UNIFORM]
    assert refusal(raw) == [
        ("case", "must have at most 200 uncertain inputs (distributions), got 201")
    ]


def test_a_case_of_exactly_the_largest_size_is_accepted() -> None:
    # 100 × (20 + 10 × 1 + 4 × 41 × 15) + 1 000 = 100 × 2 490 + 1 000 = 250 000
    raw = doc(horizon=100, costs=1, outcomes=41, entering=15)
    assert case_size(load_case(raw)) == 250_000
    # one uncertain input more: 250 200
    raw["costs"][0]["amounts"] = [UNIFORM]
    ((path, message),) = refusal(raw)
    assert path == "case"
    assert message.endswith("is 250_200, at most 250_000")


def test_a_document_of_exactly_the_byte_limit_is_read(tmp_path: Path) -> None:
    # 256 KiB = 262 144 bytes; JSON allows any amount of whitespace after the document
    body = '{"case": {"title": "B", "start_year": 2026, "horizon": 1, "discount_rate": 0}, '
    body += '"actors": [{"id": "a", "name": "A", "sector": "kommun"}]}'
    path = tmp_path / "case.json"
    path.write_text(body + " " * (262_144 - len(body)))
    assert load_case(path).horizon == 1
    path.write_text(body + " " * (262_145 - len(body)))
    with pytest.raises(CaseError) as caught:
        load_case(path)
    assert caught.value.errors == [
        (str(path), "the document is larger than the limit of 262_144 bytes")
    ]
