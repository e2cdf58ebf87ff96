"""`sifra export FORMAT ...`: documents that leave the building. Each format is a subcommand
whose arguments and run function live in its app (sifra.accounting.cli for `sie`)."""

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sifra.accounting.cli import add_sie_arguments, run_sie


class Command(BaseCommand):
    help = "Export a fund's data: `export sie FUND_ID --year YYYY > FILE.se`."

    def add_arguments(self, parser: CommandParser) -> None:
        formats = parser.add_subparsers(dest="format", required=True, metavar="FORMAT")
        sie = formats.add_parser("sie", help="the ledger of a fiscal year as SIE 4 (code page 437)")
        add_sie_arguments(sie)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["format"] == "sie":
            run_sie(options, _binary(self.stdout))


def _binary(stream: Any) -> Any:
    """The bytes go to the real standard output, past Django's text wrapper; a test that gives
    a stream of its own (with a buffer or binary) gets them there."""
    target = getattr(stream, "_out", stream)
    if target is sys.stdout:
        return sys.stdout.buffer
    return getattr(target, "buffer", target)
