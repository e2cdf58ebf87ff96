"""`sifra report annual FUND_ID --year YYYY [--pdf FILE] [--xlsx FILE]`: the annual fund report
as a PDF and/or an Excel workbook, or as JSON on stdout when neither file is asked for. A file
named `-` is written to stdout. A fund or year that does not exist exits with status 2 and a
message naming the option."""

import json
import sys
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from sifra.funds.models import Fund
from sifra.reports import outputs
from sifra.reports.data import as_json
from sifra.reports.excel import report_xlsx
from sifra.reports.selectors import build_annual_report


class Command(BaseCommand):
    help = "Reports of a fund: `annual` writes the annual fund report of a fiscal year."

    def add_arguments(self, parser: CommandParser) -> None:
        kinds = parser.add_subparsers(dest="kind", required=True, parser_class=CommandParser)
        annual = kinds.add_parser("annual", help="The annual fund report (årsrapport).")
        annual.add_argument("fund_id", metavar="FUND_ID", type=int, help="The fund's id.")
        annual.add_argument("--year", type=int, required=True, help="The fiscal year.")
        annual.add_argument("--pdf", metavar="FILE", help="Write the report as PDF to FILE.")
        annual.add_argument("--xlsx", metavar="FILE", help="Write the workbook to FILE.")
        annual.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="The report's language (default: %(default)s).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        fund = Fund.objects.filter(pk=options["fund_id"]).first()
        if fund is None:
            raise CommandError(f"FUND_ID: no fund has the id {options['fund_id']}.", returncode=2)
        with translation.override(options["language"]):
            try:
                report = build_annual_report(fund=fund, year=options["year"])
            except ValidationError as exc:
                raise CommandError(f"--year: {exc.messages[0]}", returncode=2) from None
            if options["pdf"]:
                self._write("--pdf", options["pdf"], outputs.report_pdf(report))
            if options["xlsx"]:
                self._write("--xlsx", options["xlsx"], report_xlsx(report))
            if not (options["pdf"] or options["xlsx"]):
                text = json.dumps(as_json(report), ensure_ascii=False, indent=2)
                self.stdout.write(text)

    def _write(self, option: str, name: str, content: bytes) -> None:
        if name == "-":
            sys.stdout.buffer.write(content)
            sys.stdout.buffer.flush()
            return
        try:
            with open(name, "wb") as out:
                out.write(content)
        except OSError as exc:
            raise CommandError(f"{option}: {name}: {exc.strerror}", returncode=2) from None
        self.stderr.write(f"{name}: {len(content)} bytes")
