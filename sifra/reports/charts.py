"""The annual report's chart: capital and available money through the year."""

from typing import Any

from django.utils.translation import gettext as _

from sifra.core.charts import money_steps_chart
from sifra.reports.data import AnnualReport


def year_chart(report: AnnualReport) -> dict[str, Any]:
    return money_steps_chart(
        report.series,
        [(_("Capital"), "capital", "#14532d"), (_("Available"), "available", "#0b4f8a")],
        title=_("Capital and available money in %(year)s") % {"year": report.year},
        height=240,
    )
