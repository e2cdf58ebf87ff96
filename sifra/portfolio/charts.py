"""The portfolio's charts as Vega-Lite (Altair): the cases' forecast savings against the verified
savings per year, and the payer × saver heatmap."""

from typing import Any

import altair as alt
from django.utils.translation import gettext as _

from sifra.core.charts import money_axis, money_expr, with_rows
from sifra.core.money import ore_to_kronor
from sifra.portfolio.selectors import Matrix


def realisation_chart(by_year: list[dict[str, Any]]) -> dict[str, Any]:
    """Per year, the cases' forecast municipal savings and the savings verified, for the same
    projects and years: the bars' ratio is the realisation factor."""
    forecast, verified = _("Forecast in the cases"), _("Verified savings")
    rows = [
        {"year": str(r["year"]), "series": name, "kronor": float(ore_to_kronor(r[key]))}
        for r in by_year
        for name, key in ((forecast, "forecast"), (verified, "verified"))
    ]
    chart = (
        alt.Chart(alt.NamedData(name="years"))
        .mark_bar()
        .encode(
            x=alt.X("year:O", title=_("Year"), axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("series:N", sort=[forecast, verified]),
            y=alt.Y("kronor:Q", title=_("Kronor"), axis=money_axis()),
            color=alt.Color(
                "series:N",
                title=None,
                legend=alt.Legend(orient="top"),
                scale=alt.Scale(domain=[forecast, verified], range=["#9ca3af", "#14532d"]),
            ),
            tooltip=[
                alt.Tooltip("year:O", title=_("Year")),
                alt.Tooltip("series:N", title=""),
                alt.Tooltip("kronor:Q", title=_("Kronor"), format=",.0f"),
            ],
        )
    )
    return with_rows(chart.properties(width="container", height=280), {"years": rows})


def matrix_chart(matrix: Matrix, measure: str) -> dict[str, Any]:
    """A heatmap: who spent the fund's money (rows) against who saved or repaid (columns)."""
    cells = matrix.saved if measure == "saved" else matrix.repaid
    payer, saver = _("Paid (lead unit)"), _("Saved") if measure == "saved" else _("Repaid")
    rows = [
        {
            "payer": p.name,
            "saver": s.name,
            "kronor": float(ore_to_kronor(cells.get((p.pk, s.pk), 0))),
        }
        for p in matrix.payers
        for s in matrix.savers
    ]
    base = alt.Chart(alt.NamedData(name="cells")).encode(
        x=alt.X("saver:N", title=saver, sort=[s.name for s in matrix.savers]),
        y=alt.Y("payer:N", title=payer, sort=[p.name for p in matrix.payers]),
    )
    heat = base.mark_rect().encode(
        color=alt.Color(
            "kronor:Q", title=_("Kronor"), scale=alt.Scale(scheme="greens"), legend=alt.Legend()
        ),
        tooltip=[
            alt.Tooltip("payer:N", title=payer),
            alt.Tooltip("saver:N", title=saver),
            alt.Tooltip("kronor:Q", title=_("Kronor"), format=",.0f"),
        ],
    )
    text = (
        base.transform_calculate(label=money_expr("datum.kronor"))
        .mark_text(fontSize=11)
        .encode(
            text=alt.Text("label:N"),
            color=alt.value("#0b0c0c"),
        )
    )
    layered = (heat + text).properties(width="container", height=40 * len(matrix.payers) + 60)
    return with_rows(layered, {"cells": rows})
