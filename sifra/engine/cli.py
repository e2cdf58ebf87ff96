"""`sifra calc CASE [--json] [--iterations N] [--seed S]`: the engine on the command line.

Exit status 0 with the result on stdout; 2 for a bad case or bad options, or a case or run over
the limits in limits.py, with the problems on stderr and nothing on stdout.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable

from sifra.engine.errors import CaseError
from sifra.engine.limits import MAX_ITERATIONS, check_run
from sifra.engine.parse import load_case
from sifra.engine.results import calculate
from sifra.engine.text import summary

BAD_CASE = 2


def _whole(low: int, high: int | None = None) -> Callable[[str], int]:
    """An argparse type: a whole number in [low, high]."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a whole number, got {text!r}") from None
        if value < low or (high is not None and value > high):
            upper = f" and at most {high}" if high is not None else ""
            raise argparse.ArgumentTypeError(f"must be at least {low}{upper}, got {value}")
        return value

    return parse


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sifra calc",
        description="Beräkna en samhällsekonomisk investeringskalkyl (TOML eller JSON).",
    )
    parser.add_argument("case", metavar="CASE", help="kalkylfil, .toml eller .json")
    parser.add_argument("--json", action="store_true", help="skriv resultatet som JSON")
    parser.add_argument(
        "--iterations",
        type=_whole(1, MAX_ITERATIONS),
        help="antal Monte Carlo-iterationer (standard 10 000 när kalkylen har osäkra indata)",
    )
    parser.add_argument("--seed", type=_whole(0), default=0, help="slumpfrö (standard 0)")
    return parser


def calc_main(argv: list[str]) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse has already explained itself on stderr
        return exc.code if isinstance(exc.code, int) else BAD_CASE
    try:
        case = load_case(args.case)
        check_run(case, args.iterations)
        result = calculate(case, iterations=args.iterations, seed=args.seed)
    except CaseError as exc:
        print("\n".join(exc.lines()), file=sys.stderr)
        return BAD_CASE
    if args.json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=1, allow_nan=False) + "\n")
    else:
        sys.stdout.write(summary(case, result))
    return 0
