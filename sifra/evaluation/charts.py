"""The ex-ante and the ex-post case in one chart, as Vega-Lite via Altair."""

from typing import Any

import altair as alt
from django.utils.translation import gettext as _

from sifra.core.charts import money_axis, spec_of


def expost_chart(ex_ante: dict[str, Any], ex_post: dict[str, Any]) -> dict[str, Any]:
    """Both cumulative nets per year: how the case looks after the fact against the promise.
    Where a line crosses zero is that case's payback."""
    before, after = _("Before (ex ante)"), _("After the fact (ex post)")
    rows = [
        {"year": y["year"], "series": name, "kronor": y["cumulative_net"]}
        for name, result in ((before, ex_ante), (after, ex_post))
        for y in result["years"]
    ]
    lines = (
        alt.Chart(alt.Data(values=rows))
        .mark_line(point=True)
        .encode(
            x=alt.X("year:O", title=_("Year"), axis=alt.Axis(labelAngle=0)),
            y=alt.Y("kronor:Q", title=_("Cumulative net (kronor)"), axis=money_axis()),
            color=alt.Color(
                "series:N",
                title=None,
                sort=[before, after],
                legend=alt.Legend(orient="top"),
                scale=alt.Scale(domain=[before, after], range=["#4a4a4a", "#0b4f8a"]),
            ),
            strokeDash=alt.StrokeDash(
                "series:N",
                sort=[before, after],
                scale=alt.Scale(domain=[before, after], range=[[6, 4], [1, 0]]),
                legend=None,
            ),
            tooltip=[
                alt.Tooltip("year:O", title=_("Year")),
                alt.Tooltip("series:N", title=""),
                alt.Tooltip("kronor:Q", title=_("Kronor"), format=",.0f"),
            ],
        )
    )
    zero = alt.Chart(alt.Data(values=[{"zero": 0}])).mark_rule(color="#4a4a4a").encode(y="zero:Q")
    return spec_of((lines + zero).properties(width="container", height=280))
