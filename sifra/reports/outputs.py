"""The annual report as a file: the PDF (WeasyPrint, the chart as SVG through vl-convert, as
the decision memo) and the Excel workbook, with Swedish file names."""

import copy
from typing import Any

import vl_convert
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import get_language

from sifra.applications.memo import PDF_CHART_CONFIG, PDF_CHART_WIDTH, render_pdf
from sifra.reports.charts import year_chart
from sifra.reports.data import AnnualReport
from sifra.reports.excel import report_xlsx

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def filename(report: AnnualReport, extension: str) -> str:
    """'arsrapport-social-investeringsfond-2025.pdf': Swedish in every language, in ASCII so
    that every mail program and file system keeps it."""
    return f"arsrapport-{slugify(report.fund_name) or report.fund_id}-{report.year}.{extension}"


def report_context(report: AnnualReport) -> dict[str, Any]:
    return {"report": report, "chart_spec": year_chart(report)}


def chart_svg(spec: dict[str, Any]) -> str:
    """The page's chart as SVG for print, as the decision memo draws it, with the months named
    in the active language too (the chart's axis is dates)."""
    fixed = {**copy.deepcopy(spec), "width": PDF_CHART_WIDTH}
    swedish = (get_language() or "sv").startswith("sv")
    return vl_convert.vegalite_to_svg(
        fixed,
        config=PDF_CHART_CONFIG,
        format_locale="sv-SE" if swedish else "en-US",
        time_format_locale="sv-SE" if swedish else "en-US",
        allowed_base_urls=[],
    )


def report_pdf(report: AnnualReport, request: HttpRequest | None = None) -> bytes:
    context = report_context(report)
    context["chart_svg"] = chart_svg(context["chart_spec"])
    html = render_to_string("reports/annual_pdf.html", context, request=request)
    return render_pdf(html)


def download(report: AnnualReport, extension: str, request: HttpRequest | None = None) -> Any:
    """The PDF or the workbook as an attachment."""
    if extension == "pdf":
        response = HttpResponse(report_pdf(report, request), content_type=PDF)
    else:
        response = HttpResponse(report_xlsx(report), content_type=XLSX)
    disposition = content_disposition_header(True, filename(report, extension))
    response["Content-Disposition"] = disposition or ""
    return response
