"""`sifra export 360giving FUND_ID [--csv] > FILE`: the fund's published grants as a 360Giving
grant package (JSON) or as 360Giving's CSV. The `export` command dispatches here; its other
formats live with their own apps."""

import argparse
from typing import Any, Protocol

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from sifra.funds.models import Fund
from sifra.opendata.threesixty import grant_package, grants_csv, package_json, published_grants


class Writer(Protocol):
    """A management command's stdout or any text stream."""

    def write(self, msg: str, /) -> Any: ...


def add_360giving_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("fund_id", type=int, help="the fund whose published grants to export")
    parser.add_argument(
        "--csv", action="store_true", help="360Giving's CSV instead of a JSON grant package"
    )


def open_data(fund_id: int, *, as_csv: bool) -> str:
    """The export's text; CommandError where there is no such fund or nothing published."""
    fund = Fund.objects.select_related("organisation").filter(pk=fund_id).first()
    if fund is None:
        raise CommandError(_("There is no fund %(id)s.") % {"id": fund_id})
    grants = published_grants(fund)
    if not grants:
        raise CommandError(_("Nothing from the fund %(id)s is published.") % {"id": fund_id})
    return grants_csv(grants) if as_csv else package_json(grant_package(fund, grants))


def run_360giving(options: dict[str, Any], stdout: Writer) -> None:
    stdout.write(open_data(options["fund_id"], as_csv=options["csv"]))
