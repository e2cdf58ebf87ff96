"""Vega-Lite charts built on the server with Altair: the page draws them with vega-embed, and a
PDF can turn the same specification into SVG."""

from typing import Any

import altair as alt
from django.utils.translation import gettext as _

from sifra.core.money import ore_to_kronor


def fund_balance_chart(series: list[dict[str, Any]]) -> dict[str, Any]:
    """Capital and available money over time, as step lines (balances change on posting days)."""
    capital, available = _("Capital"), _("Available")
    rows = [
        {"date": p["date"].isoformat(), "series": name, "kronor": float(ore_to_kronor(p[key]))}
        for p in series
        for name, key in ((capital, "capital"), (available, "available"))
    ]
    chart = (
        alt.Chart(alt.Data(values=rows))
        .mark_line(interpolate="step-after", point=True, strokeWidth=2)
        .encode(
            x=alt.X("date:T", title=_("Date")),
            y=alt.Y("kronor:Q", title=_("Kronor"), axis=alt.Axis(format="~s")),
            color=alt.Color(
                "series:N",
                title=None,
                scale=alt.Scale(domain=[capital, available], range=["#14532d", "#0b4f8a"]),
                legend=alt.Legend(orient="top"),
            ),
            strokeDash=alt.StrokeDash("series:N", legend=None),
            tooltip=[
                alt.Tooltip("date:T", title=_("Date")),
                alt.Tooltip("series:N", title=_("Balance")),
                alt.Tooltip("kronor:Q", title=_("Kronor"), format=",.0f"),
            ],
        )
        .properties(width="container", height=300, title=_("Capital and available money"))
    )
    return chart.to_dict()
