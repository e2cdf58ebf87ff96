"""Charts of an investment case's results (the engine's document), as Vega-Lite via Altair."""

from typing import Any

import altair as alt
from django.utils.translation import get_language
from django.utils.translation import gettext as _

# d3-format and d3-time-format locales. Vega-Lite reads them from the spec's `config.locale`;
# the page's charts.js and the PDFs' vl-convert both use these, so a chart reads the same on the
# screen and on paper: months "jan … dec", thousands with a space, comma decimals in Swedish.
NUMBER_LOCALES: dict[str, dict[str, Any]] = {
    "sv": {
        "decimal": ",",
        "thousands": "\u00a0",
        "grouping": [3],
        "currency": ["", "\u00a0kr"],
        "minus": "\u2212",
    },
    "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["SEK\u00a0", ""]},
}
TIME_LOCALES: dict[str, dict[str, Any]] = {
    "sv": {
        "dateTime": "%A den %d %B %Y %X",
        "date": "%Y-%m-%d",
        "time": "%H:%M:%S",
        "periods": ["fm", "em"],
        "days": ["söndag", "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag"],
        "shortDays": ["sön", "mån", "tis", "ons", "tor", "fre", "lör"],
        "months": [
            "januari",
            "februari",
            "mars",
            "april",
            "maj",
            "juni",
            "juli",
            "augusti",
            "september",
            "oktober",
            "november",
            "december",
        ],
        "shortMonths": [
            "jan",
            "feb",
            "mar",
            "apr",
            "maj",
            "jun",
            "jul",
            "aug",
            "sep",
            "okt",
            "nov",
            "dec",
        ],
    },
    "en": {
        "dateTime": "%a %e %b %Y %X",
        "date": "%Y-%m-%d",
        "time": "%H:%M:%S",
        "periods": ["AM", "PM"],
        "days": ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
        "shortDays": ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
        "months": [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
        "shortMonths": [
            "Jan",
            "Feb",
            "Mar",
            "Apr",
            "May",
            "Jun",
            "Jul",
            "Aug",
            "Sep",
            "Oct",
            "Nov",
            "Dec",
        ],
    },
}
# Dates on a time axis: the month with its year, so a chart over years never shows a bare "feb".
DATE_AXIS_FORMAT = "%b %Y"


def chart_locale(language: str | None = None) -> dict[str, Any]:
    """The Vega-Lite `config.locale` of the active language (Swedish unless English)."""
    lang = "en" if (language or get_language() or "sv").startswith("en") else "sv"
    return {"number": NUMBER_LOCALES[lang], "time": TIME_LOCALES[lang]}


def money_expr(value: str = "datum.value") -> str:
    """A Vega expression that writes an amount of kronor the way a Swedish budget is read:
    "120 mnkr", "500 tkr", "750 kr", with the locale's separators (not d3's SI "120M")."""
    million, thousand, krona = _("mnkr"), _("tkr"), _("kr")
    return (
        f"abs({value}) >= 1e6 ? format({value} / 1e6, ',.1~f') + ' {million}' : "
        f"abs({value}) >= 1e3 ? format({value} / 1e3, ',.0f') + ' {thousand}' : "
        f"format({value}, ',.0f') + ' {krona}'"
    )


def money_axis(**kwargs: Any) -> alt.Axis:
    """An axis of kronor labelled by money_expr."""
    return alt.Axis(labelExpr=money_expr(), **kwargs)


def case_cumulative_chart(result: dict[str, Any]) -> dict[str, Any]:
    """The cumulative net per year, undiscounted and discounted: where it crosses zero is the
    payback."""
    plain, discounted = _("Cumulative net"), _("Cumulative net, discounted")
    rows = [
        {"year": y["year"], "series": name, "kronor": y[key]}
        for y in result["years"]
        for name, key in ((plain, "cumulative_net"), (discounted, "cumulative_discounted_net"))
    ]
    lines = (
        alt.Chart(alt.Data(values=rows))
        .mark_line(point=True)
        .encode(
            x=alt.X("year:O", title=_("Year"), axis=alt.Axis(labelAngle=0)),
            y=alt.Y("kronor:Q", title=_("Kronor"), axis=money_axis()),
            color=alt.Color(
                "series:N",
                title=None,
                legend=alt.Legend(orient="top"),
                scale=alt.Scale(range=["#14532d", "#0b4f8a"]),
            ),
            strokeDash=alt.StrokeDash("series:N", legend=None),
            tooltip=[
                alt.Tooltip("year:O", title=_("Year")),
                alt.Tooltip("series:N", title=""),
                alt.Tooltip("kronor:Q", title=_("Kronor"), format=",.0f"),
            ],
        )
    )
    zero = alt.Chart(alt.Data(values=[{"zero": 0}])).mark_rule(color="#4a4a4a").encode(y="zero:Q")
    return spec_of((lines + zero).properties(width="container", height=280))


# More points than this and a chart (and its table) shows the totals at the end of each
# month, or quarter, or year: twenty years of daily postings stay readable, and fast to draw.
SERIES_POINTS = 120
PERIODS = ("day", "month", "quarter", "year")


def _period(day: Any, period: str) -> tuple[int, ...]:
    if period == "month":
        return (day.year, day.month)
    if period == "quarter":
        return (day.year, (day.month - 1) // 3)
    return (day.year,) if period == "year" else (day.toordinal(),)


def period_ends(series: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], str]:
    """The last point of each day, month, quarter or year of a running series (points with a
    `date`), the finest that has at most SERIES_POINTS points; and which it is."""
    for period in PERIODS:
        last: dict[tuple[int, ...], dict[str, Any]] = {}
        for point in series:
            last[_period(point["date"], period)] = point
        if len(last) <= SERIES_POINTS or period == "year":
            return list(last.values()), period
    raise AssertionError("unreachable")


def spec_of(chart: alt.TopLevelMixin) -> dict[str, Any]:
    """The chart's Vega-Lite specification; validated against the schema where
    settings.SIFRA_VALIDATE_CHARTS says so (in the tests, for every chart they build)."""
    from django.conf import settings

    return chart.to_dict(validate=settings.SIFRA_VALIDATE_CHARTS)


def with_rows(chart: alt.TopLevelMixin, rows: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """The chart's specification with its data rows added afterwards as named datasets:
    Altair validates every row against the schema, which for a few hundred points takes longer
    than the rest of a page. The rows are plain numbers and strings built here."""
    spec = spec_of(chart)
    spec["datasets"] = {**spec.get("datasets", {}), **rows}
    return spec


def money_steps_chart(
    points: list[dict[str, Any]],
    series: list[tuple[str, str, str]],
    *,
    title: str,
    height: int = 300,
) -> dict[str, Any]:
    """Running money totals as step lines (they change on posting days). `points` have a
    `date` and öre amounts; `series` is (label, key in the points, colour) per line."""
    from sifra.core.money import ore_to_kronor

    labels = [label for label, _key, _colour in series]
    rows = [
        {"date": p["date"].isoformat(), "series": label, "kronor": float(ore_to_kronor(p[key]))}
        for p in points
        for label, key, _colour in series
    ]
    chart = (
        alt.Chart(alt.NamedData(name="points"))
        .mark_line(interpolate="step-after", point=True, strokeWidth=2)
        .encode(
            x=alt.X("date:T", title=_("Date"), axis=alt.Axis(format=DATE_AXIS_FORMAT)),
            y=alt.Y("kronor:Q", title=_("Kronor"), axis=money_axis()),
            color=alt.Color(
                "series:N",
                title=None,
                legend=alt.Legend(orient="top"),
                scale=alt.Scale(domain=labels, range=[colour for _l, _k, colour in series]),
            ),
            strokeDash=alt.StrokeDash("series:N", legend=None),
            tooltip=[
                alt.Tooltip("date:T", title=_("Date")),
                alt.Tooltip("series:N", title=_("Balance")),
                alt.Tooltip("kronor:Q", title=_("Kronor"), format=",.0f"),
            ],
        )
    )
    return with_rows(
        chart.properties(width="container", height=height, title=title), {"points": rows}
    )
