"""The fund's money coming back: repayments and write-offs over time, built with Altair like
sifra.funds.charts."""

from typing import Any

import altair as alt
from django.utils.translation import gettext as _

from sifra.core.money import ore_to_kronor


def repayment_chart(series: list[dict[str, Any]]) -> dict[str, Any]:
    """Running totals of repayments and write-offs, as step lines (they change on posting days)."""
    repaid, written_off = _("Repaid"), _("Written off")
    rows = [
        {"date": p["date"].isoformat(), "series": name, "kronor": float(ore_to_kronor(p[key]))}
        for p in series
        for name, key in ((repaid, "repaid"), (written_off, "written_off"))
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
                scale=alt.Scale(domain=[repaid, written_off], range=["#14532d", "#9a3412"]),
                legend=alt.Legend(orient="top"),
            ),
            strokeDash=alt.StrokeDash("series:N", legend=None),
            tooltip=[
                alt.Tooltip("date:T", title=_("Date")),
                alt.Tooltip("series:N", title=_("Series")),
                alt.Tooltip("kronor:Q", title=_("Kronor"), format=",.0f"),
            ],
        )
        .properties(width="container", height=260, title=_("Repaid and written off, in all"))
    )
    return chart.to_dict()
