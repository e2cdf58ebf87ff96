"""Mutation testing of the modules that decide money and numbers: `make mutate`.

    python mutation/run.py                    every module of mutation/modules/*.toml
    python mutation/run.py finance model      some of them (names of the .toml files)
    python mutation/run.py --report           only print the scores of the last sessions
    python mutation/run.py --survivors model  run again only the last session's survivors (after
                                              new tests; the module must be unchanged)
    ... --survivors model --pool tests/x.py   the same against only the new tests: a killed
                                              mutant stays killed, so this is enough

For each module: a fresh copy of the worktree in var/mutation/tree (cosmic-ray writes each mutant
into the file on disk; the copy keeps your worktree untouched while it runs), a coverage map of
the module's test pool (which test executes which line), a cosmic-ray session
(var/mutation/<name>.sqlite) with the operators of mutation/common.toml, then one mutant after
another, each running only the tests that execute the mutated function (mutation/testcmd.py).
It prints the score per module and every surviving mutant; survivors listed in
mutation/EQUIVALENT.md are counted as equivalent, and those of its section "Killed on
PostgreSQL" as killed there (by a test marked `postgres`, which a session on SQLite deselects).
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import testcmd
import toml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = ROOT / "var" / "mutation"
TREE = WORK / "tree"
COPIED = ["sifra", "tests", "config", "examples", "mutation", "pyproject.toml", "manage.py"]
PYTHON = sys.executable
# pytest loads only the plugins a module's config names (its `pytest` list): the entry-point
# plugins of the dev extra (schemathesis, playwright, ...) cost seconds of every mutant's run
PLUGINS = {"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
REUSE_MAP = False
BIN = Path(PYTHON).parent


def configs(names: list[str]) -> list[Path]:
    found = sorted((HERE / "modules").glob("*.toml"))
    if not names:
        return found
    by_name = {p.stem: p for p in found}
    unknown = [n for n in names if n not in by_name]
    if unknown:
        sys.exit(f"unknown module(s) {unknown}; known: {sorted(by_name)}")
    return [by_name[n] for n in names]


def copy_tree() -> None:
    """The runner works on a copy, so a mutant on disk never meets your editor or your tests."""
    TREE.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".hypothesis")
    for name in COPIED:
        source, target = ROOT / name, TREE / name
        if target.is_dir():
            shutil.rmtree(target)
        if source.is_dir():
            shutil.copytree(source, target, ignore=ignore)
        else:
            shutil.copy2(source, target)


def load(path: Path) -> dict:
    common = tomllib.loads((HERE / "common.toml").read_text())
    own = tomllib.loads(path.read_text())
    merged = dict(common["cosmic-ray"], **own["cosmic-ray"])
    return {"cosmic-ray": merged, "sifra": own["sifra"]}


def build_map(tests: list[str], modules: list[str], pytest_args: list[str]) -> Path:
    """Run the pool once under coverage with a context per test; keep line → tests and each
    test's duration, for every module that shares the pool."""
    key = hashlib.sha256(json.dumps([tests, modules]).encode()).hexdigest()[:12]
    out = WORK / f"map-{key}.json"
    if REUSE_MAP:
        for found in sorted(WORK.glob("map-*.json"), key=lambda p: p.stat().st_mtime):
            data = json.loads(found.read_text())
            if data["paths"] != tests or not set(modules) <= set(data["modules"]):
                continue
            for module in modules:
                # a comment edited since (a pragma) keeps the lines; the mutants' diff is taken
                # against the source as it is now
                entry = data["modules"][module]
                source = (TREE / module).read_text(encoding="utf-8")
                if source.count("\n") != entry["source"].count("\n"):
                    break
                entry["source"] = source
            else:
                found.write_text(json.dumps(data))
                print(f"  coverage map of {' '.join(tests)}: the last one, {found.name}")
                return found
    data_file = WORK / f"map-{key}.coverage"
    print(f"  coverage map of {' '.join(tests)} ...", flush=True)
    (TREE / "var" / "mutation-test.sqlite3").unlink(missing_ok=True)
    env = dict(os.environ, COVERAGE_FILE=str(data_file)) | testcmd.pytest_env(str(TREE))
    # directories, not dotted names: a dotted source makes coverage import it too early
    covs = [f"--cov={d}" for d in sorted({str(Path(m).parent) for m in modules})]
    command = [PYTHON, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "pytest_cov.plugin"]
    command += [*pytest_args, "--cov-context=test", "--cov-report=", "--durations=0"]
    command += ["--durations-min=0", *covs, *tests]
    run = subprocess.run(command, cwd=TREE, env=env, capture_output=True, text=True)
    if run.returncode != 0:
        print(run.stdout[-5000:], run.stderr[-5000:])
        sys.exit("the pool fails without any mutant: fix the tests first")
    durations: dict[str, float] = {}
    for line in run.stdout.splitlines():
        match = re.match(r"\s*([\d.]+)s (setup|call|teardown)\s+(\S.*)$", line)
        if match:
            durations[match[3]] = durations.get(match[3], 0.0) + float(match[1])

    import coverage

    data = coverage.CoverageData(basename=str(data_file))
    data.read()
    result: dict = {"paths": tests, "durations": durations, "modules": {}}
    for module in modules:
        path = str(TREE / module)
        lines: dict[str, list[str]] = {}
        for number, contexts in (data.contexts_by_lineno(path) or {}).items():
            names = {c.rsplit("|", 1)[0] for c in contexts if c}
            if names:
                lines[str(number)] = sorted(names)
        source = (TREE / module).read_text(encoding="utf-8")
        result["modules"][module] = {"source": source, "lines": lines}
    out.write_text(json.dumps(result))
    return out


def skip_annotations(session: Path, module: str) -> int:
    """Mark as filtered the mutants inside annotations of a module that has `from __future__
    import annotations`: Python never evaluates them there (`float | None` → `float & None`
    cannot change behaviour; mypy checks them). Elsewhere they run at import and stay in."""
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import WorkerOutcome, WorkResult

    tree = ast.parse((TREE / module).read_text(encoding="utf-8"))
    lazy = any(
        isinstance(n, ast.ImportFrom)
        and n.module == "__future__"
        and any(a.name == "annotations" for a in n.names)
        for n in tree.body
    )
    if not lazy:
        return 0
    spans = []
    for node in ast.walk(tree):
        notes = []
        if isinstance(node, ast.arg | ast.AnnAssign) and node.annotation is not None:
            notes.append(node.annotation)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.returns is not None:
            notes.append(node.returns)
        spans += [
            ((n.lineno, n.col_offset), (n.end_lineno, n.end_col_offset))
            for n in notes
            if n.end_lineno is not None and n.end_col_offset is not None
        ]
    skipped = 0
    with use_db(str(session), WorkDB.Mode.open) as db:
        for item in list(db.pending_work_items):
            start = tuple(item.mutations[0].start_pos)
            if any(a <= start < b for a, b in spans):
                result = WorkResult(output="annotation", worker_outcome=WorkerOutcome.SKIPPED)
                db.set_result(item.job_id, result)
                skipped += 1
    return skipped


POSTGRES_SECTION = "## Killed on PostgreSQL"


def equivalents() -> tuple[set[str], set[str]]:
    """Keys of the mutants that mutation/EQUIVALENT.md explains: the equivalent ones, and those
    of its section "Killed on PostgreSQL" (a test marked `postgres` kills them; the sessions run
    on SQLite, where that test is deselected)."""
    text = (HERE / "EQUIVALENT.md").read_text(encoding="utf-8")
    postgres = ""
    if POSTGRES_SECTION in text:
        head, _, rest = text.partition(POSTGRES_SECTION)
        postgres, _, tail = rest.partition("\n## ")
        text = head + tail
    pattern = r"^- `([^`]+ \| [^`]+ \| [^`]+)`"
    found = [set(re.findall(pattern, t, flags=re.MULTILINE)) for t in (text, postgres)]
    return found[0], found[1]


def key(module: str, operator: str, diff: str) -> str:
    lines = diff.splitlines()
    added = [x[1:].strip() for x in lines if x.startswith("+") and not x.startswith("+++")]
    removed = [x[1:].strip() for x in lines if x.startswith("-") and not x.startswith("---")]
    if operator.endswith("/RemoveCall") and removed:
        return f"{module} | {operator} | {removed[0]} (dropped)"
    return f"{module} | {operator} | {added[0] if added else '(removed)'}"


def summarise(name: str, module: str, session: Path, seconds: float | None) -> dict:
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import TestOutcome, WorkerOutcome

    known, on_postgres = equivalents()
    counts = {"mutants": 0, "killed": 0, "survived": 0, "equivalent": 0, "postgres": 0}
    counts["skipped"] = 0
    survivors = []
    timeouts: list[tuple[int, str]] = []
    with use_db(str(session), WorkDB.Mode.open) as db:
        pending = db.num_work_items - db.num_results
        for item, result in db.completed_work_items:
            if result.worker_outcome == WorkerOutcome.SKIPPED:
                counts["skipped"] += 1
                continue
            counts["mutants"] += 1
            if result.test_outcome == TestOutcome.SURVIVED:
                counts["survived"] += 1
                mutation = item.mutations[0]
                k = key(module, mutation.operator_name, result.diff or "")
                if k in known:
                    counts["equivalent"] += 1
                elif k in on_postgres:
                    counts["postgres"] += 1
                else:
                    survivors.append((mutation.start_pos[0], k))
            else:
                counts["killed"] += 1
                if result.output == "timeout":
                    # cosmic-ray counts a run past the timeout as killed (a mutant that loops
                    # for ever); listed, because on a busy machine a survivor may time out too
                    mutation = item.mutations[0]
                    k = key(module, mutation.operator_name, result.diff or "")
                    timeouts.append((mutation.start_pos[0], k))
    scored = counts["killed"] + counts["survived"]
    raw = 100.0 * counts["killed"] / scored if scored else 100.0
    real = counts["killed"] + counts["equivalent"] + counts["postgres"]
    adjusted = 100.0 * real / scored if scored else 100.0
    took = f", {seconds:.0f} s" if seconds is not None else ""
    print(
        f"\n{name} ({module}): {raw:.1f} % raw, {adjusted:.1f} % without the equivalent ones "
        f"and those killed on PostgreSQL — "
        f"{counts['mutants']} mutants, {counts['killed']} killed, {counts['survived']} survived "
        f"({counts['equivalent']} equivalent, {counts['postgres']} killed on PostgreSQL), "
        f"{counts['skipped']} filtered{took}" + (f", {pending} NOT RUN" if pending else "")
    )
    for line, k in sorted(survivors):
        print(f"  survived, line {line}: - `{k}`")
    for line, k in sorted(timeouts):
        print(f"  killed by the timeout, line {line}: - `{k}`")
    return dict(counts, name=name, raw=raw, adjusted=adjusted, seconds=seconds)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", help="names of mutation/modules/*.toml")
    parser.add_argument("--report", action="store_true", help="print the last sessions' scores")
    parser.add_argument(
        "--pool",
        nargs="+",
        help="with --survivors: only these tests (the new ones), not the module's whole pool",
    )
    parser.add_argument(
        "--survivors",
        action="store_true",
        help="run only the last session's surviving mutants again (tests added, module unchanged)",
    )
    parser.add_argument(
        "--reuse-map",
        action="store_true",
        help="take the last coverage map of the pool instead of building it (tests unchanged)",
    )
    args = parser.parse_args()
    global REUSE_MAP
    REUSE_MAP = args.reuse_map
    WORK.mkdir(parents=True, exist_ok=True)
    chosen = [(p.stem, load(p)) for p in configs(args.modules)]
    rows = []
    maps: dict[str, Path] = {}
    if not args.report:
        copy_tree()
    for name, config in chosen:
        module = config["cosmic-ray"]["module-path"]
        session = WORK / f"{name}.sqlite"
        if args.report:
            if session.exists():
                rows.append(summarise(name, module, session, None))
            continue
        print(f"\n=== {name}: {module}", flush=True)
        started = time.monotonic()
        if args.pool:
            if not args.survivors:
                sys.exit("--pool only with --survivors: a full session runs the whole pool")
            config["sifra"]["tests"] = args.pool
        tests = config["sifra"]["tests"]
        pool = json.dumps(tests)
        if pool not in maps:
            sharing = [
                c["cosmic-ray"]["module-path"] for _, c in chosen if c["sifra"]["tests"] == tests
            ]
            maps[pool] = build_map(tests, sharing, config["sifra"]["pytest"])
        map_path = maps[pool]
        cr = config["cosmic-ray"]
        pytest = " ".join(config["sifra"]["pytest"])
        cr["test-command"] = cr["test-command"].format(
            python=PYTHON, module=module, map=map_path, pytest=pytest
        )
        resolved = WORK / f"{name}.toml"
        resolved.write_text(toml.dumps({"cosmic-ray": cr}))
        source = (ROOT / module).read_text(encoding="utf-8")
        kept = WORK / f"{name}.source.py"
        exec_step = [PYTHON, str(TREE / "mutation" / "cr.py"), "exec", str(resolved), str(session)]
        if args.survivors:
            # killed stays killed when tests are only added; the mutants' positions hold only
            # for the source they were made from
            if not session.exists() or kept.read_text(encoding="utf-8") != source:
                sys.exit(f"{name}: no session of this source to take the survivors from")
            with sqlite3.connect(session) as db:
                survived = "test_outcome IN ('SURVIVED', 'survived')"
                db.execute(f"DELETE FROM work_results WHERE {survived}")
            steps = [exec_step]
        else:
            session.unlink(missing_ok=True)
            kept.write_text(source, encoding="utf-8")
            steps = [
                [PYTHON, str(TREE / "mutation" / "cr.py"), "init", str(resolved), str(session)],
                [str(BIN / "cr-filter-operators"), str(session), str(resolved)],
                [str(BIN / "cr-filter-pragma"), str(session)],
                exec_step,
            ]
        for step in steps:
            if step is exec_step:
                skip_annotations(session, module)
            env = dict(os.environ, PYTHONPATH=str(TREE)) | PLUGINS
            subprocess.run(step, cwd=TREE, check=True, env=env)
        rows.append(summarise(name, module, session, time.monotonic() - started))
    if rows:
        print(
            "\nmodule                 mutants  killed  survived  equivalent  on PostgreSQL"
            "  raw score  explained"
        )
        for r in rows:
            print(
                f"{r['name']:<22} {r['mutants']:>7} {r['killed']:>7} {r['survived']:>9} "
                f"{r['equivalent']:>11} {r['postgres']:>14}  {r['raw']:>8.1f} %"
                f"  {r['adjusted']:>7.1f} %"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
