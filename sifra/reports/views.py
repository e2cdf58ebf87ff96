"""The annual fund report as a page, a PDF and an Excel workbook, and the list of the fund's
years; for the coordinator, the decision maker, the economist and the auditor."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from sifra.accounts import permissions
from sifra.core.http import require
from sifra.funds.models import Fund
from sifra.funds.selectors import fund_closings
from sifra.reports import outputs, selectors
from sifra.reports.data import AnnualReport


def _report(request: HttpRequest, fund_id: int, year: int) -> AnnualReport:
    fund = get_object_or_404(Fund.objects.select_related("organisation"), pk=fund_id)
    require(permissions.can_view_annual_report(request.user))
    try:
        return selectors.annual_report(fund=fund, year=year, user=request.user)
    except ValidationError as exc:
        raise Http404(exc.messages[0]) from None


@login_required
@require_GET
def annual_index(request: HttpRequest, fund_id: int) -> HttpResponse:
    fund = get_object_or_404(Fund, pk=fund_id)
    require(permissions.can_view_annual_report(request.user))
    closed = {c.year: c for c in fund_closings(fund=fund)}
    years = [(y, closed.get(y)) for y in reversed(selectors.report_years(fund=fund))]
    return render(request, "reports/annual_index.html", {"fund": fund, "years": years})


@login_required
@require_GET
def annual(request: HttpRequest, fund_id: int, year: int) -> HttpResponse:
    report = _report(request, fund_id, year)
    return render(request, "reports/annual.html", outputs.report_context(report))


@login_required
@require_GET
def annual_file(request: HttpRequest, fund_id: int, year: int, extension: str) -> HttpResponse:
    report = _report(request, fund_id, year)
    return outputs.download(report, extension, request)
