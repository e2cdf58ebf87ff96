"""Limits before work: a case bounded in size when read and a run bounded in work, each refusal
naming the limit, through the engine, the command line and the API."""

import copy
import json
import tomllib
from pathlib import Path
from typing import Any

import pytest

from sifra.engine import CaseError, load_case
from sifra.engine.cli import calc_main
from sifra.engine.limits import (
    FIXED_RUNS,
    MAX_ACTORS,
    MAX_CASE_BYTES,
    MAX_CASE_SIZE,
    MAX_COSTS,
    MAX_HORIZON,
    MAX_ITERATIONS,
    MAX_OUTCOMES,
    MAX_UNCERTAIN,
    MAX_WORK,
    TOO_BIG_FILE,
    TOO_MANY,
    case_size,
    check_run,
    work,
)
from sifra.engine.montecarlo import DEFAULT_ITERATIONS

CONTRACT = Path(__file__).resolve().parent / "data" / "contract-example.toml"
VALID = tomllib.loads(CONTRACT.read_text())
UNIFORM = {"dist": "uniform", "low": 5, "high": 15}


def heavy(horizon: int, outcomes: int, actors: int = 10, costs: int = 5) -> dict[str, Any]:
    """The issue's denial of service: every cohort and outcome uncertain, effects all horizon."""
    ids = [f"a{i}" for i in range(actors)]
    pert = {"dist": "pert", "low": 0.1, "mode": 0.2, "high": 0.3}
    return {
        "case": {"title": "big", "start_year": 2026, "horizon": horizon, "discount_rate": 0.035},
        "actors": [{"id": i, "name": i, "sector": "kommun"} for i in ids],
        "costs": [
            {"name": f"c{j}", "actor": ids[j % actors], "amounts": [1000.0] * horizon}
            for j in range(costs)
        ],
        "participants": {"entering": [UNIFORM] * horizon},
        "outcomes": [
            {"name": f"o{k}", "effect": pert, "duration": horizon, "unit_costs": {"a0": 1000}}
            for k in range(outcomes)
        ],
    }


def errors_of(doc: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(CaseError) as caught:
        load_case(doc)
    return caught.value.errors


def with_items(section: str, count: int) -> dict[str, Any]:
    doc = copy.deepcopy(VALID)
    given = doc[section]
    extra = [copy.deepcopy(given[0]) for _ in range(count - len(given))]
    if section == "actors":
        for i, actor in enumerate(extra):
            actor["id"] = f"x{i}"
    doc[section] = given + extra
    return doc


SECTIONS = [
    ("actors", MAX_ACTORS, "actors"),
    ("costs", MAX_COSTS, "costs"),
    ("outcomes", MAX_OUTCOMES, "outcomes"),
]


@pytest.mark.parametrize(("section", "limit", "what"), SECTIONS)
def test_a_section_longer_than_its_limit_is_refused_by_name(section, limit, what):
    load_case(with_items(section, limit))  # at the limit: accepted
    over = TOO_MANY.format(limit=limit, what=what, count=limit + 1)
    assert (section, over) in errors_of(with_items(section, limit + 1))


def test_the_horizon_and_lists_by_year_are_bounded():
    doc = copy.deepcopy(VALID)
    doc["case"]["horizon"] = MAX_HORIZON + 1
    doc["costs"][0]["amounts"] = [1] * (MAX_HORIZON + 1)
    doc["participants"]["entering"] = [1] * (MAX_HORIZON + 1)
    errors = errors_of(doc)
    assert ("case.horizon", f"must be at most {MAX_HORIZON}, got {MAX_HORIZON + 1}") in errors
    years = TOO_MANY.format(limit=MAX_HORIZON, what="years", count=MAX_HORIZON + 1)
    assert ("costs[0].amounts", years) in errors
    assert ("participants.entering", years) in errors


def test_uncertain_inputs_are_bounded():
    doc = copy.deepcopy(VALID)
    doc["case"]["horizon"] = MAX_HORIZON
    doc["costs"] = [{"name": f"c{i}", "actor": "von", "amounts": [UNIFORM] * 50} for i in range(5)]
    (error,) = errors_of(doc)
    assert error == ("case", TOO_MANY.format(limit=MAX_UNCERTAIN, what=_uncertain(), count=250))


def _uncertain() -> str:
    return "uncertain inputs (distributions)"


def test_the_issues_case_is_refused_before_any_work():
    errors = dict(errors_of(heavy(horizon=200, outcomes=20)))
    assert errors["case.horizon"] == "must be at most 100, got 200"


def test_a_case_too_large_to_compute_names_its_size_and_the_limit():
    (path, message) = errors_of(heavy(horizon=100, outcomes=20))[0]
    assert path == "case"
    assert message.startswith("is too large to compute: its size (horizon × (20 + 10 × costs")
    assert message.endswith(f"at most {MAX_CASE_SIZE:_}")


def test_every_accepted_case_runs_the_default_monte_carlo_within_the_work_limit():
    assert (DEFAULT_ITERATIONS + 2 * MAX_UNCERTAIN + FIXED_RUNS) * MAX_CASE_SIZE <= MAX_WORK
    big = load_case(heavy(horizon=100, outcomes=5))  # close to the size limit
    assert case_size(big) > MAX_CASE_SIZE * 0.8
    check_run(big, None)


def test_iterations_are_bounded_by_count_and_by_work():
    small = load_case(VALID)
    check_run(small, MAX_ITERATIONS)
    with pytest.raises(CaseError) as caught:
        check_run(small, MAX_ITERATIONS + 1)
    assert caught.value.errors == [("iterations", "must be at most 1_000_000, got 1_000_001")]
    big = load_case(heavy(horizon=100, outcomes=5))
    with pytest.raises(CaseError) as caught:
        check_run(big, 200_000)
    ((path, message),) = caught.value.errors
    assert path == "iterations" and "work limit of 3_000_000_000" in message
    allowed = int(message.split()[4].replace("_", ""))
    assert work(big, allowed) <= MAX_WORK < work(big, allowed + 1)


def test_a_case_file_over_the_byte_limit_is_not_read(tmp_path, capsys):
    path = tmp_path / "big.json"
    path.write_text(json.dumps(VALID) + " " * MAX_CASE_BYTES)
    assert calc_main([str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert f"{path}: {TOO_BIG_FILE.format(limit=f'{MAX_CASE_BYTES:_}')}" in err


def test_the_command_line_refuses_a_run_over_the_work_limit(tmp_path, capsys):
    path = tmp_path / "big.json"
    path.write_text(json.dumps(heavy(horizon=100, outcomes=5)))
    assert calc_main([str(path), "--json", "--iterations", "200000"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("iterations: must be at most ")
    assert "work limit" in err


def test_the_command_line_refuses_more_iterations_than_the_limit(capsys):
    assert calc_main([str(CONTRACT), "--iterations", str(MAX_ITERATIONS + 1)]) == 2
    assert "must be at least 1 and at most 1000000" in capsys.readouterr().err


def test_a_nul_character_in_a_text_is_refused():
    doc = copy.deepcopy(VALID)
    doc["case"]["title"] = "Fall\x00prevention"
    assert errors_of(doc) == [("case.title", "must not contain NUL characters")]


def test_a_lone_surrogate_in_a_text_is_refused():
    doc = copy.deepcopy(VALID)
    doc["actors"][0]["name"] = json.loads('"Omsorg \\ud800"')
    assert errors_of(doc) == [
        ("actors[0].name", "must be Unicode text (it holds a lone surrogate)")
    ]
