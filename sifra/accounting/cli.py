"""`sifra export sie FUND_ID --year YYYY > FILE.se`: the fund's ledger for a fiscal year as a
SIE 4 file on standard output (bytes in code page 437, as the format wants them).

Kept as two functions so that the one `export` command can carry several formats: it adds
`add_sie_arguments` to its `sie` subparser and calls `run_sie`. A bad fund or year exits with
status 2 and names the option on standard error, printing nothing on standard output."""

import argparse
from typing import Any, BinaryIO

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils import timezone

from sifra.accounting import export, services
from sifra.funds.models import Fund

USAGE_ERROR = 2


def add_sie_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("fund_id", metavar="FUND_ID", help="the fund's id (see /api/funds)")
    parser.add_argument("--year", required=True, metavar="YYYY", help="the fiscal year")


def _year(text: Any) -> int:
    try:
        year = int(str(text))
    except ValueError:
        raise CommandError(f"--year: not a year: {text!r}", returncode=USAGE_ERROR) from None
    if not 1000 <= year <= 9999:
        raise CommandError(f"--year: not a year: {text!r}", returncode=USAGE_ERROR)
    return year


def _fund(text: Any) -> Fund:
    fund = Fund.objects.filter(pk=int(text)).first() if str(text).isdigit() else None
    if fund is None:
        raise CommandError(f"FUND_ID: no fund with id {text!r}", returncode=USAGE_ERROR)
    return fund


def run_sie(options: dict[str, Any], stdout: BinaryIO) -> None:
    """Write the file to `stdout` (a binary stream); errors as CommandError, status 2."""
    fund = _fund(options["fund_id"])
    year = _year(options["year"])
    try:
        export.check_year(fund=fund, year=year, today=timezone.localdate())
    except ValidationError as exc:
        raise CommandError(f"--year: {' '.join(exc.messages)}", returncode=USAGE_ERROR) from None
    services.account_mapping_ensure(fund=fund)
    stdout.write(export.sie_bytes(fund=fund, year=year))
    stdout.flush()
