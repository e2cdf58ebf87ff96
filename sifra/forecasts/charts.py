"""The forecast's fan chart: the P10–P90 band and the P50 line of capital and available money,
as Vega-Lite via Altair (the conventions of sifra/core/charts.py)."""

from typing import Any

import altair as alt
from django.utils.translation import gettext as _

from sifra.core.charts import money_axis, spec_of

COLOURS = ["#14532d", "#0b4f8a"]


def forecast_fan_chart(
    years: list[dict[str, Any]], *, title: str, floor: float = 0.0
) -> dict[str, Any]:
    capital, available = _("Capital"), _("Available")
    labels = [capital, available]
    rows = [
        {
            "year": row["year"],
            "series": label,
            "p10": row[key]["p10"],
            "p50": row[key]["p50"],
            "p90": row[key]["p90"],
        }
        for row in years
        for label, key in ((capital, "capital"), (available, "available"))
    ]
    colour = alt.Color(
        "series:N",
        title=None,
        legend=alt.Legend(orient="top"),
        scale=alt.Scale(domain=labels, range=COLOURS),
    )
    x = alt.X("year:O", title=_("Year"), axis=alt.Axis(labelAngle=0))
    base = alt.Chart(alt.Data(values=rows))
    band = base.mark_area(opacity=0.2).encode(
        x=x,
        y=alt.Y("p10:Q", title=_("Kronor"), axis=money_axis()),
        y2="p90:Q",
        color=colour,
    )
    line = base.mark_line(point=True, strokeWidth=2).encode(
        x=x,
        y="p50:Q",
        color=colour,
        strokeDash=alt.StrokeDash("series:N", legend=None),
        tooltip=[
            alt.Tooltip("year:O", title=_("Year")),
            alt.Tooltip("series:N", title=""),
            alt.Tooltip("p10:Q", title="P10", format=",.0f"),
            alt.Tooltip("p50:Q", title="P50", format=",.0f"),
            alt.Tooltip("p90:Q", title="P90", format=",.0f"),
        ],
    )
    rule = (
        alt.Chart(alt.Data(values=[{"floor": floor}]))
        .mark_rule(color="#b91c1c", strokeDash=[4, 4])
        .encode(y="floor:Q")
    )
    return spec_of((band + line + rule).properties(width="container", height=280, title=title))
