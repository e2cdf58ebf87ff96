"""`sifra export FORMAT ...`: data that leaves the building. Each format is a subcommand whose
arguments and work live with the app that owns the data: `sie` (the ledger of a fiscal year for
the accounting system, sifra.accounting) and `360giving` (published grants, sifra.opendata)."""

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sifra.accounting.cli import add_sie_arguments, run_sie
from sifra.opendata.cli import add_360giving_arguments, run_360giving


class Command(BaseCommand):
    help = (
        "Export a fund's data: `export sie FUND_ID --year YYYY > FILE.se` or "
        "`export 360giving FUND_ID [--csv] > FILE`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        formats = parser.add_subparsers(dest="format", required=True, metavar="FORMAT")
        add_sie_arguments(
            formats.add_parser("sie", help="the ledger of a fiscal year as SIE 4 (code page 437)")
        )
        add_360giving_arguments(
            formats.add_parser("360giving", help="published grants as 360Giving JSON or CSV")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["format"] == "sie":
            run_sie(options, _binary(self.stdout))  # SIE 4 is bytes in code page 437
        else:
            run_360giving(options, self.stdout)


def _binary(stream: Any) -> Any:
    """The bytes go to the real standard output, past Django's text wrapper; a test that gives
    a stream of its own (with a buffer or binary) gets them there."""
    target = getattr(stream, "_out", stream)
    if target is sys.stdout:
        return sys.stdout.buffer
    return getattr(target, "buffer", target)
