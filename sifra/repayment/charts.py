"""The fund's money coming back: repayments and write-offs over time."""

from typing import Any

from django.utils.translation import gettext as _

from sifra.core.charts import money_steps_chart


def repayment_chart(series: list[dict[str, Any]]) -> dict[str, Any]:
    """Running totals of repayments and write-offs."""
    return money_steps_chart(
        series,
        [(_("Repaid"), "repaid", "#14532d"), (_("Written off"), "written_off", "#9a3412")],
        title=_("Repaid and written off, in all"),
        height=260,
    )
