"""The test command of one mutant: run only the tests that execute the mutated function.

cosmic-ray writes the mutant into the module on disk and runs this script (its `test-command`)
in the runner's copy of the repository. The script compares the module with the original source
kept in the coverage map (var/mutation/<pool>.map.json, built by run.py before the session),
finds the function that encloses the changed lines, and runs, fastest first and stopping at the
first failure, the tests whose run (setup included) executed a line of that function. A change
outside every function (module or class level) runs the whole pool, fastest first; a function
that no test of the pool executes has no test to fail, so the mutant survives without a run.

Exit status: pytest's (0 = the mutant survived, anything else = killed).
"""

from __future__ import annotations

import ast
import difflib
import json
import os
import subprocess
import sys


def changed_lines(original: str, mutated: str) -> set[int]:
    """1-based lines of `original` that the mutant changed."""
    lines: set[int] = set()
    matcher = difflib.SequenceMatcher(a=original.splitlines(), b=mutated.splitlines())
    for tag, i1, i2, _, _ in matcher.get_opcodes():
        if tag != "equal":
            lines.update(range(i1 + 1, max(i2, i1 + 1) + 1))
    return lines


def enclosing_function(tree: ast.Module, line: int) -> tuple[int, int] | None:
    """The innermost function (decorators included) around `line`, as a line range: a changed
    decorator, default or signature matters where the function is called, and a mutant that
    breaks the syntax is caught before (main)."""
    best: tuple[int, int] | None = None
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            start = min([node.lineno] + [d.lineno for d in node.decorator_list])
            end = node.end_lineno or node.lineno
            if start <= line <= end and (best is None or end - start < best[1] - best[0]):
                best = (start, end)
    return best


def select(module: str, pool: dict) -> list[str] | None:
    """The tests to run, fastest first; None for the whole pool."""
    entry = pool["modules"][module]
    original = entry["source"]
    with open(module, encoding="utf-8") as handle:
        mutated = handle.read()
    tree = ast.parse(original)
    covering: dict[str, list[str]] = entry["lines"]
    tests: set[str] = set()
    for line in changed_lines(original, mutated):
        span = enclosing_function(tree, line)
        if span is None:
            return None
        for number in range(span[0], span[1] + 1):
            tests.update(covering.get(str(number), ()))
    durations = pool["durations"]
    return sorted(tests, key=lambda t: (durations.get(t, 0.0), t))


def pytest_env(tree: str) -> dict[str, str]:
    """pytest's environment in the runner's copy: only the plugins named, one test database."""
    return {
        "PYTHONPATH": f"{tree}{os.pathsep}{os.path.join(tree, 'mutation')}",
        "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
        "SIFRA_MUTATION_TEST_DB": os.path.join(tree, "var", "mutation-test.sqlite3"),
    }


def main() -> int:
    module, map_path, pytest_args = sys.argv[1], sys.argv[2], sys.argv[3:]
    with open(map_path, encoding="utf-8") as handle:
        pool = json.load(handle)
    with open(module, encoding="utf-8") as handle:
        try:
            compile(handle.read(), module, "exec")
        except SyntaxError as error:
            # every test that imports the module fails; no need to find which
            print(f"the mutant does not compile: {error}")
            return 1
    tests = select(module, pool)
    if tests is None:
        durations = pool["durations"]
        args = sorted(durations, key=lambda t: (durations[t], t)) or pool["paths"]
        print(f"module-level change: the whole pool ({', '.join(pool['paths'])})")
    elif not tests:
        print("no test of the pool executes the mutated function")
        return 0
    else:
        args = tests
        print(f"{len(tests)} covering tests")
    sys.stdout.flush()
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *pytest_args]
    env = dict(os.environ, **pytest_env(os.getcwd()))
    return subprocess.call([*command, *args], env=env)


if __name__ == "__main__":
    sys.exit(main())
