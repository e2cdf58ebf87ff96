"""The decision memo (beslutsunderlag): what the decision maker reads before deciding, as a page
and as a PDF. Both are drawn from the one context built here, so they cannot disagree."""

import copy
from dataclasses import dataclass
from itertools import groupby
from typing import Any

import vl_convert
import weasyprint

from sifra.accounts import permissions
from sifra.applications.models import Application, BudgetLine, Review
from sifra.applications.rules import check_rules, own_total, requested_total
from sifra.applications.selectors import case_result
from sifra.core.charts import case_cumulative_chart, chart_locale

# vl-convert cannot resolve width "container": the PDF's chart is drawn this wide (px), which
# fits A4's text column when scaled to it.
PDF_CHART_WIDTH = 600
# Measure text in the font WeasyPrint draws it with, or legend entries overlap; years read
# across, as in a table.
PDF_CHART_CONFIG = {"font": "DejaVu Sans", "axisX": {"labelAngle": 0}}


@dataclass(frozen=True)
class BudgetYear:
    year: int
    lines: list[BudgetLine]
    requested: int
    own: int


@dataclass(frozen=True)
class PayerTotal:
    payer: str
    requested: int
    own: int


def memo_context(*, application: Application, user: Any) -> dict[str, Any]:
    """Everything the memo shows. Reviews are left out unless `user` may see them."""
    result = case_result(application.case)
    lines = list(application.budget_lines.select_related("payer_unit", "payer_partner"))
    requested, own = requested_total(application), own_total(application)
    show_reviews = permissions.can_see_reviews(user, application)
    return {
        "application": application,
        "units": _units(application),
        "partners": list(application.partners.all()),
        "repayment_units": list(application.repayment_units.all()),
        "budget_years": _budget_years(lines),
        "budget_payers": _budget_payers(lines),
        "requested_total": requested,
        "own_total": own,
        "own_share": own / (requested + own) if requested + own else None,
        "indicators": list(application.indicators.all()),
        "checks": check_rules(application),
        "result": result,
        "actor_rows": _actor_rows(application.case, result),
        "chart_spec": case_cumulative_chart(result) if result else None,
        "show_reviews": show_reviews,
        "reviews": _submitted_reviews(application) if show_reviews else [],
        "pending_reviews": _pending_reviews(application) if show_reviews else 0,
        "decision": getattr(application, "decision", None),
    }


def _units(application: Application) -> list[Any]:
    """The applying unit first, then the others taking part."""
    others = application.units.exclude(pk=application.lead_unit_id)
    return [application.lead_unit, *others]


def _budget_years(lines: list[BudgetLine]) -> list[BudgetYear]:
    years = []
    for year, group in groupby(sorted(lines, key=lambda b: (b.year, b.pk)), key=lambda b: b.year):
        rows = list(group)
        years.append(
            BudgetYear(
                year, rows, sum(b.requested for b in rows), sum(b.own_contribution for b in rows)
            )
        )
    return years


def _budget_payers(lines: list[BudgetLine]) -> list[PayerTotal]:
    totals: dict[str, list[int]] = {}
    for line in lines:
        pair = totals.setdefault(str(line.payer or ""), [0, 0])
        pair[0] += line.requested
        pair[1] += line.own_contribution
    return [PayerTotal(payer, r, o) for payer, (r, o) in sorted(totals.items())]


def _actor_rows(
    case: dict[str, Any] | None, result: dict[str, Any] | None
) -> list[tuple[str, dict[str, float]]]:
    """Who pays and who gains, by the actors' names rather than the case's ids."""
    if not result:
        return []
    actors = (case or {}).get("actors") or []
    names = {a["id"]: a.get("name") or a["id"] for a in actors if isinstance(a, dict) and "id" in a}
    return [(names.get(key, key), figures) for key, figures in result["by_actor"].items()]


def _submitted_reviews(application: Application) -> list[Review]:
    return list(application.reviews.filter(submitted_at__isnull=False).select_related("reviewer"))


def _pending_reviews(application: Application) -> int:
    return application.reviews.filter(submitted_at__isnull=True).count()


# --- The PDF --------------------------------------------------------------------------------


def chart_svg(spec: dict[str, Any] | None) -> str:
    """The page's Vega-Lite chart as SVG for print, drawn from a copy of the same spec with a
    fixed width. Numbers follow the active language; no data may be fetched from anywhere."""
    if not spec:
        return ""
    fixed = copy.deepcopy(spec)
    fixed["width"] = PDF_CHART_WIDTH
    locale = chart_locale()
    return vl_convert.vegalite_to_svg(
        fixed,
        config=PDF_CHART_CONFIG,
        format_locale=locale["number"],
        time_format_locale=locale["time"],
        allowed_base_urls=[],
    )


def _no_fetching(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """The memo's HTML is self-contained; WeasyPrint gets nothing from the network or disk."""
    if url.startswith("data:"):
        return weasyprint.default_url_fetcher(url, *args, **kwargs)
    raise ValueError(f"the memo may not fetch {url}")


def render_pdf(html: str) -> bytes:
    return weasyprint.HTML(string=html, url_fetcher=_no_fetching).write_pdf()
