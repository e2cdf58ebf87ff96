"""Vega-Lite charts built on the server with Altair: the page draws them with vega-embed, and a
PDF can turn the same specification into SVG."""

from typing import Any

from django.utils.translation import gettext as _

from sifra.core.charts import money_steps_chart


def fund_balance_chart(series: list[dict[str, Any]]) -> dict[str, Any]:
    """Capital and available money over time."""
    return money_steps_chart(
        series,
        [(_("Capital"), "capital", "#14532d"), (_("Available"), "available", "#0b4f8a")],
        title=_("Capital and available money"),
    )
