"""Every kind of bad case, through the command line: exit 2, nothing on stdout, the field named."""

import copy
import json
import subprocess
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sifra.engine import CaseError, calculate
from sifra.engine.cli import calc_main

CONTRACT = Path(__file__).resolve().parent / "data" / "contract-example.toml"
VALID = tomllib.loads(CONTRACT.read_text())
SIFRA = Path(sys.executable).parent / "sifra"


def normal(**extra: Any) -> dict[str, Any]:
    return {"dist": "normal", "mean": 0.04, "sd": 0.01, **extra}


def put(path: str, value: Any) -> Callable[[dict], None]:
    """A change to the valid case: set the dotted `path` (list indexes as numbers) to `value`."""

    def change(doc: dict) -> None:
        *parents, last = [int(p) if p.isdigit() else p for p in path.split(".")]
        for key in parents:
            doc = doc[key]
        doc[last] = value

    return change


def drop(path: str) -> Callable[[dict], None]:
    def change(doc: dict) -> None:
        *parents, last = [int(p) if p.isdigit() else p for p in path.split(".")]
        for key in parents:
            doc = doc[key]
        del doc[last]

    return change


BAD: list[tuple[Callable[[dict], None], str]] = [
    (drop("case.horizon"), "case.horizon: is required"),
    (drop("case"), "case: is required"),
    (drop("actors"), "actors: is required"),
    (put("actors", []), "actors: must name at least one actor"),
    (put("case.horizon", 0), "case.horizon: must be at least 1, got 0"),
    (put("case.horizon", -3), "case.horizon: must be at least 1, got -3"),
    (put("case.horizon", True), "case.horizon: must be a whole number, got true"),
    (put("case.horizon", 2.5), "case.horizon: must be a whole number, got 2.5"),
    (
        put("case.horizon", normal()),
        "case.horizon: must be a fixed whole number, not a distribution",
    ),
    (
        put("case.start_year", "2026"),
        'case.start_year: must be a whole number, got a string ("2026")',
    ),
    (put("case.discount_rate", -1.5), "case.discount_rate: must be greater than -1, got -1.5"),
    (put("case.discount_rate", "3,5 %"), "case.discount_rate: must be a number or a distribution"),
    (put("case.discount_rate", float("nan")), "case.discount_rate: must be a finite number"),
    (put("costs.0.amounts.0", 10**400), "costs[0].amounts[0]: must be a finite number"),
    (put("case.titel", "x"), "case.titel: unknown field"),
    (put("extra", {}), "extra: unknown field"),
    (put("actors.1.id", "von"), 'actors[1].id: duplicate actor id "von"'),
    (put("actors.0.sector", "kommunen"), 'actors[0].sector: unknown sector "kommunen"'),
    (drop("actors.0.id"), "actors[0].id: is required"),
    (put("actors.0", "von"), 'actors[0]: must be a table, got a string ("von")'),
    (put("costs.0.actor", "kf"), 'costs[0].actor: unknown actor "kf"'),
    (put("costs.0.amout", [1]), "costs[0].amout: unknown field"),
    (
        put("costs.0.per_participant", 5),
        "costs[0]: give either amounts or per_participant (not both)",
    ),
    (drop("costs.1.per_participant"), "costs[1]: give either amounts or per_participant (one is"),
    (put("costs.0.amounts", 5), "costs[0].amounts: must be a list, got 5"),
    (
        put("costs.0.amounts.1", "1 200 000"),
        "costs[0].amounts[1]: must be a number or a distribution",
    ),
    (
        put("costs.0.amounts.1", False),
        "costs[0].amounts[1]: must be a number or a distribution, got false",
    ),
    (
        put("participants.entering.0", -300),
        "participants.entering[0]: must be at least 0, got -300",
    ),
    (drop("participants"), "participants.entering: is required when there are outcomes"),
    (put("outcomes.0.effect", 1.7), "outcomes[0].effect: must be between 0 and 1, got 1.7"),
    (
        put("outcomes.0.effect", True),
        "outcomes[0].effect: must be a number or a distribution, got true",
    ),
    (put("outcomes.0.drop_off", -0.1), "outcomes[0].drop_off: must be between 0 and 1, got -0.1"),
    (put("outcomes.0.deadweight", 2), "outcomes[0].deadweight: must be between 0 and 1, got 2"),
    (put("outcomes.0.displacement", 1.5), "outcomes[0].displacement: must be between 0 and 1"),
    (put("outcomes.1.attribution", -1), "outcomes[1].attribution: must be between 0 and 1"),
    (put("outcomes.1.baseline", 1.2), "outcomes[1].baseline: must be between 0 and 1, got 1.2"),
    (put("outcomes.1.relative_effect", 3), "outcomes[1].relative_effect: must be between 0 and 1"),
    (
        put("outcomes.1.unit_costs.regionen", 1),
        'outcomes[1].unit_costs.regionen: unknown actor "regionen"',
    ),
    (
        put("outcomes.1.unit_costs", 5),
        "outcomes[1].unit_costs: must be a table of SEK per actor id",
    ),
    (put("outcomes.1.unit_costs", {}), "outcomes[1].unit_costs: must name at least one actor"),
    (drop("outcomes.1.unit_costs"), "outcomes[1].unit_costs: is required"),
    (
        put("outcomes.0.kind", "yearly"),
        'outcomes[0].kind: must be "annual" or "once", got "yearly"',
    ),
    (drop("outcomes.0.duration"), "outcomes[0].duration: is required"),
    (put("outcomes.0.duration", 0), "outcomes[0].duration: must be at least 1, got 0"),
    (put("outcomes.0.duration", normal()), "outcomes[0].duration: must be a fixed whole number"),
    (put("outcomes.0.lag", -1), "outcomes[0].lag: must be at least 0, got -1"),
    (put("outcomes.0.lag", normal()), "outcomes[0].lag: must be a fixed whole number"),
    (
        put("outcomes.1.effect", 0.1),
        "outcomes[1]: give either effect or baseline and relative_effect",
    ),
    (drop("outcomes.1.relative_effect"), "outcomes[1].relative_effect: is required together with"),
    (
        drop("outcomes.0.effect"),
        "outcomes[0].effect: is required (or baseline and relative_effect)",
    ),
    (put("outcomes.0.effect", {"mean": 0.1}), "outcomes[0].effect.dist: is required"),
    (
        put("outcomes.0.effect", normal(dist="gamma")),
        'outcomes[0].effect.dist: unknown distribution "gamma"',
    ),
    (
        put("outcomes.0.effect", {"dist": "normal", "mean": 0.1}),
        "outcomes[0].effect.sd: is required",
    ),
    (
        put("outcomes.0.effect", normal(sd=-0.01)),
        "outcomes[0].effect.sd: must be at least 0, got -0.01",
    ),
    (put("outcomes.0.effect", normal(sdd=1)), "outcomes[0].effect.sdd: unknown field"),
    (
        put("outcomes.0.effect", normal(mean="x")),
        "outcomes[0].effect.mean: must be a number, got a string",
    ),
    (
        put("outcomes.0.effect", normal(base=1.5)),
        "outcomes[0].effect.base: must be between 0 and 1, got 1.5",
    ),
    (
        put("outcomes.0.effect", normal(mean=1.5)),
        "outcomes[0].effect: must be between 0 and 1, got 1.5",
    ),
    (
        put("outcomes.0.effect", {"dist": "uniform", "low": 0.3, "high": 0.1}),
        "outcomes[0].effect.low: must not exceed high (0.3 > 0.1)",
    ),
    (
        put("outcomes.0.effect", {"dist": "pert", "low": 0.1, "mode": 0.5, "high": 0.3}),
        "outcomes[0].effect.mode: must lie between low and high, got 0.5",
    ),
    (
        put("outcomes.0.unit_costs.von", {"dist": "lognormal", "mean": 0, "sd": 1}),
        "outcomes[0].unit_costs.von.mean: must be greater than 0 for a lognormal",
    ),
]


@pytest.fixture
def write(tmp_path: Path) -> Callable[[dict], str]:
    def write(doc: dict) -> str:
        path = tmp_path / "case.json"
        path.write_text(json.dumps(doc))
        return str(path)

    return write


@pytest.mark.parametrize(("change", "message"), BAD, ids=[m.split(":")[0] for _, m in BAD])
def test_a_bad_case_exits_2_naming_the_field(
    change: Callable[[dict], None], message: str, write: Callable[[dict], str], capsys: Any
) -> None:
    doc = copy.deepcopy(VALID)
    change(doc)
    assert calc_main([write(doc)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert message in err
    assert "Traceback" not in err


def test_every_problem_is_reported_at_once(write: Callable[[dict], str], capsys: Any) -> None:
    doc = copy.deepcopy(VALID)
    doc["case"]["horizon"] = 0
    doc["outcomes"][0]["effect"] = 1.7
    doc["outcomes"][1]["unit_costs"]["region2"] = 5
    assert calc_main([write(doc), "--json"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "case.horizon: must be at least 1, got 0",
        "outcomes[0].effect: must be between 0 and 1, got 1.7",
        'outcomes[1].unit_costs.region2: unknown actor "region2"',
    ]


def test_calculate_raises_case_error_with_field_paths() -> None:
    doc = copy.deepcopy(VALID)
    doc["outcomes"][0]["effect"] = 1.7
    with pytest.raises(CaseError) as caught:
        calculate(doc)
    assert caught.value.errors == [("outcomes[0].effect", "must be between 0 and 1, got 1.7")]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("case.toml", "[case\nhorizon = 3", "not valid TOML"),
        ("case.json", '{"case": ', "not valid JSON"),
        ("case.json", "[1, 2]", "the document must be a table of sections, got a list"),
        ("case.toml", b"\xff\xfe", "the file is not UTF-8 text"),
    ],
)
def test_an_unreadable_document_exits_2(
    tmp_path: Path, name: str, content: str | bytes, message: str, capsys: Any
) -> None:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    assert calc_main([str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and f"{path}: {message}" in err


def test_a_missing_file_exits_2(tmp_path: Path, capsys: Any) -> None:
    assert calc_main([str(tmp_path / "nothing.toml")]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "nothing.toml: cannot read the file" in err


@pytest.mark.parametrize(
    "options",
    [["--iterations", "0"], ["--iterations", "-5"], ["--iterations", "many"], ["--seed", "-1"], []],
)
def test_bad_options_exit_2(options: list[str], capsys: Any) -> None:
    argv = [str(CONTRACT), *options] if options else []
    assert calc_main(argv) == 2
    out, err = capsys.readouterr()
    assert out == "" and "usage: sifra calc" in err


def run_sifra(*args: str) -> subprocess.CompletedProcess[str]:
    assert SIFRA.exists(), "the sifra console script is missing: run make install"
    return subprocess.run([str(SIFRA), "calc", *args], capture_output=True, text=True, timeout=60)


def test_the_console_script_reports_a_bad_share(write: Callable[[dict], str]) -> None:
    doc = copy.deepcopy(VALID)
    doc["outcomes"][0]["effect"] = 1.7
    done = run_sifra(write(doc), "--json")
    assert (done.returncode, done.stdout) == (2, "")
    assert "outcomes[0].effect: must be between 0 and 1, got 1.7" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_console_script_reports_an_unknown_actor(write: Callable[[dict], str]) -> None:
    doc = copy.deepcopy(VALID)
    doc["outcomes"][1]["unit_costs"]["regionen"] = 1
    done = run_sifra(write(doc))
    assert (done.returncode, done.stdout) == (2, "")
    assert 'outcomes[1].unit_costs.regionen: unknown actor "regionen"' in done.stderr


def test_the_console_script_rejects_bad_iterations() -> None:
    done = run_sifra(str(CONTRACT), "--iterations", "0")
    assert (done.returncode, done.stdout) == (2, "")
    assert "--iterations" in done.stderr
