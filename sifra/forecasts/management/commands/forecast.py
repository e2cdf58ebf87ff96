"""`sifra forecast FUND_ID [--years Y] [--iterations N] [--seed S] [--topup KRONOR | --tax-share
PCT --tax-revenue KRONOR --growth PCT] [--new-grants KRONOR] [--floor KRONOR] [--no-repayment]
[--json]`: will the fund keep revolving? Exit status 2 for a bad policy, naming the option."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sifra.engine.forecast import PolicyError
from sifra.forecasts.policy import build_policy
from sifra.forecasts.selectors import forecast_document
from sifra.forecasts.text import forecast_table
from sifra.funds.models import Fund

BAD_POLICY = 2
OPTIONS = {
    "years": "--years",
    "iterations": "--iterations",
    "seed": "--seed",
    "topup": "--topup",
    "tax_share": "--tax-share",
    "tax_revenue": "--tax-revenue",
    "growth": "--growth",
    "new_grants": "--new-grants",
    "floor": "--floor",
}


class Command(BaseCommand):
    help = "Prognos för fonden: kapital och tillgängliga medel år för år (Monte Carlo)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("fund_id", metavar="FUND_ID", help="fondens id")
        parser.add_argument("--years", help="antal år (standard 15)")
        parser.add_argument("--iterations", help="antal iterationer (standard 10 000)")
        parser.add_argument("--seed", help="slumpfrö (standard 0)")
        parser.add_argument("--topup", metavar="KRONOR", help="tillskott per år i kronor")
        parser.add_argument("--tax-share", metavar="PCT", help="andel av skatteintäkterna, %%")
        parser.add_argument("--tax-revenue", metavar="KRONOR", help="skatteintäkter i år, kronor")
        parser.add_argument("--growth", metavar="PCT", help="skatteintäkternas tillväxt, %% per år")
        parser.add_argument(
            "--new-grants",
            metavar="KRONOR",
            help="nya beviljanden per år (standard: snittet av de tre senaste åren)",
        )
        parser.add_argument("--floor", metavar="KRONOR", help="golv för tillgängliga medel")
        parser.add_argument("--no-repayment", action="store_true", help="utan återbetalning")
        parser.add_argument("--json", action="store_true", help="skriv resultatet som JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        fund = self._fund(options["fund_id"])
        try:
            policy = build_policy(
                years=options["years"],
                iterations=options["iterations"],
                seed=options["seed"],
                topup=options["topup"],
                tax_share=options["tax_share"],
                tax_revenue=options["tax_revenue"],
                growth=options["growth"],
                new_grants=options["new_grants"],
                floor=options["floor"],
                repayment=not options["no_repayment"],
            )
        except PolicyError as exc:
            self._fail(f"{OPTIONS.get(exc.option, exc.option)}: {exc.message}")
        document = forecast_document(fund, policy)
        if options["json"]:
            text = json.dumps(document, ensure_ascii=False, indent=1, allow_nan=False)
            self.stdout.write(text)
        else:
            self.stdout.write(forecast_table(document))

    def _fund(self, text: str) -> Fund:
        fund = Fund.objects.filter(pk=int(text)).first() if text.isdigit() else None
        if fund is None:
            self._fail(f"FUND_ID: no fund with id {text!r}")
        assert fund is not None
        return fund

    def _fail(self, message: str) -> None:
        self.stderr.write(message)
        raise SystemExit(BAD_POLICY)
