"""`sifra export FORMAT ...`: data that leaves the building. Each format is a subcommand whose
arguments and work live with the app that owns the data."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sifra.opendata.cli import add_360giving_arguments, run_360giving

FORMATS = {"360giving": (add_360giving_arguments, run_360giving)}


class Command(BaseCommand):
    help = "Export data: `sifra export 360giving FUND_ID [--csv] > FILE`."

    def add_arguments(self, parser: CommandParser) -> None:
        formats = parser.add_subparsers(dest="format", required=True, metavar="FORMAT")
        add_360giving_arguments(
            formats.add_parser("360giving", help="published grants as 360Giving JSON or CSV")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        _add, run = FORMATS[options["format"]]
        run(options, self.stdout)
