"""The forecast as a readable table (`sifra forecast` without --json) and in words."""

from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from sifra.core.money import format_kronor_estimate


def _mkr(kronor: float | None) -> str:
    return "–" if kronor is None else f"{kronor / 1_000_000:,.1f}".replace(",", " ")


def pace_in_words(document: dict[str, Any]) -> str:
    """ "The fund can grant about 9 MSEK a year and still, with 90 % probability, stay above the
    floor", or why it cannot."""
    pace = document["sustainable_pace"]["new_grants_per_year"]
    if pace is None:
        return _(
            "Even without new grants the chance that the fund stays above the floor every year "
            "is below 90 %."
        )
    return _(
        "The fund can grant about %(amount)s a year and still, with 90 %% probability, stay "
        "above the floor."
    ) % {"amount": amount_in_words(pace)}


def amount_in_words(kronor: float) -> str:
    """About how much: millions with one decimal, else whole thousands of kronor."""
    if abs(kronor) >= 1_000_000:
        return _("%(amount)s MSEK") % {"amount": number_format(round(kronor / 1e6, 1), 1)}
    return format_kronor_estimate(round(kronor, -3))


def forecast_table(document: dict[str, Any]) -> str:
    start = document["start"]
    lines = [
        _("Forecast for %(fund)s from %(date)s, %(n)d iterations, seed %(seed)d")
        % {
            "fund": document["fund"]["name"],
            "date": start["date"],
            "n": document["meta"]["iterations"],
            "seed": document["meta"]["seed"],
        },
        _("Amounts in MSEK; P10 / P50 / P90 over the iterations."),
        "",
    ]
    year, capital, available = _("Year"), _("Capital P10"), _("Available P10")
    repaid, bare, floor = _("Repaid P50"), _("Without repayment P50"), _("Above the floor")
    header = (
        f"{year:>6} {capital:>12} {'P50':>9} {'P90':>9} {available:>14} {'P50':>9} {'P90':>9}"
        f" {repaid:>11} {bare:>22} {floor:>12}"
    )
    lines.append(header)
    without = document["without_repayment"]["years"]
    for row, bare in zip(document["years"], without, strict=True):
        c, a = row["capital"], row["available"]
        lines.append(
            f"{row['year']:>6} {_mkr(c['p10']):>12} {_mkr(c['p50']):>9} {_mkr(c['p90']):>9}"
            f" {_mkr(a['p10']):>14} {_mkr(a['p50']):>9} {_mkr(a['p90']):>9}"
            f" {_mkr(row['repayments']['p50']):>11} {_mkr(bare['available']['p50']):>22}"
            f" {row['p_above_floor'] * 100:>11.0f}%"
        )
    lines.append("")
    first = document["first_year_likely_below_zero"]
    if first is None:
        lines.append(_("Available money is not more likely than not below 0 in any year."))
    else:
        lines.append(
            _("From %(year)s available money is more likely than not below 0.") % {"year": first}
        )
    lines.append(pace_in_words(document))
    r = document["realisation"]
    lines.append(
        _("Realisation factor %(factor).2f (spread %(spread).2f) from %(n)d projects.")
        % {"factor": r["factor"], "spread": r["spread"], "n": r["projects"]}
    )
    return "\n".join(lines) + "\n"
