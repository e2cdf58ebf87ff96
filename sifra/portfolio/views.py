"""The portfolio and who paid and who saved: thin views over sifra.portfolio.selectors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from sifra.accounts import permissions
from sifra.core.http import require
from sifra.core.pagination import KeyedPaginator
from sifra.funds.models import Fund
from sifra.portfolio import selectors
from sifra.portfolio.charts import matrix_chart, realisation_chart
from sifra.portfolio.exports import portfolio_xlsx
from sifra.portfolio.forms import MatrixForm, PortfolioFilterForm
from sifra.portfolio.summaries import stale_count
from sifra.portfolio.tasks import refresh_case_summaries

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _fund(request: HttpRequest, pk: int) -> Fund:
    require(permissions.can_view_portfolio(request.user))
    return get_object_or_404(Fund, pk=pk)


def _filtered(request: HttpRequest, fund: Fund) -> tuple[PortfolioFilterForm, object]:
    form = PortfolioFilterForm(
        request.GET or None,
        units=selectors.portfolio_units(fund=fund),
        years=selectors.portfolio_years(fund=fund),
    )
    return form, selectors.portfolio_projects(fund=fund, filters=form.to_filter())


@login_required
@require_safe
def portfolio(request: HttpRequest, pk: int) -> HttpResponse:
    fund = _fund(request, pk)
    form, projects = _filtered(request, fund)
    money = selectors.with_money(projects)  # type: ignore[arg-type]
    page = KeyedPaginator(money, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors.rows_of(list(page.object_list))
    # the paginator has counted the filtered projects already
    totals = selectors.portfolio_totals(projects, count=page.paginator.count)  # type: ignore[arg-type]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "portfolio/portfolio.html",
        {
            "fund": fund,
            "form": form,
            "page": page,
            "rows": rows,
            "totals": totals,
            "chart_spec": realisation_chart(totals.by_year) if totals.by_year else None,
            "stale": stale_count(fund=fund),
            "can_refresh": permissions.can_refresh_portfolio(request.user),
            "query": query.urlencode(),
        },
    )


@login_required
@require_safe
def portfolio_export(request: HttpRequest, pk: int) -> HttpResponse:
    fund = _fund(request, pk)
    _form, projects = _filtered(request, fund)
    rows = selectors.rows_of(list(selectors.with_money(projects)))  # type: ignore[arg-type]
    totals = selectors.portfolio_totals(projects)  # type: ignore[arg-type]
    body = portfolio_xlsx(rows, totals, title=f"{fund.name} – {_('Portfolio')}")
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="sifra-portfolio-{fund.pk}.xlsx"'
    return response


@login_required
@require_POST
def portfolio_refresh(request: HttpRequest, pk: int) -> HttpResponse:
    fund = _fund(request, pk)
    require(permissions.can_refresh_portfolio(request.user))
    refresh_case_summaries.enqueue(fund.pk)
    messages.success(request, _("The cases' figures are being computed; reload in a while."))
    return redirect("portfolio:portfolio", fund.pk)


@login_required
@require_safe
def matrix(request: HttpRequest, pk: int) -> HttpResponse:
    fund = _fund(request, pk)
    form = MatrixForm(request.GET or None, years=selectors.saving_years(fund=fund))
    measure, year = form.values()
    m = selectors.payer_saver(fund=fund, year=year)
    return render(
        request,
        "portfolio/matrix.html",
        {
            "fund": fund,
            "form": form,
            "measure": measure,
            "year": year,
            "matrix": m,
            "rows": m.rows(),
            "columns": m.column_totals(),
            "chart_spec": matrix_chart(m, measure) if m.payers and m.savers else None,
        },
    )
