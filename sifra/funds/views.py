import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sifra.accounts import permissions
from sifra.accounts.models import Organisation
from sifra.core.charts import period_ends
from sifra.core.forms import run_service
from sifra.core.http import download_name, require
from sifra.core.pagination import KeyedPaginator
from sifra.funds import exports, selectors, services
from sifra.funds.charts import fund_balance_chart
from sifra.funds.forms import (
    BalanceDateForm,
    ClosingForm,
    EntryForm,
    FundForm,
    LedgerFilterForm,
    ReverseForm,
)
from sifra.funds.models import Fund, LedgerEntry
from sifra.projects.selectors import projects_visible

LEDGER_PAGE_SIZE = 50


@login_required
def fund_list(request: HttpRequest) -> HttpResponse:
    funds = selectors.funds_balances(selectors.funds_visible(user=request.user))
    return render(
        request,
        "funds/fund_list.html",
        {
            "funds": funds,
            "can_create": permissions.can_manage_funds(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def fund_create(request: HttpRequest) -> HttpResponse:
    require(permissions.can_manage_funds(request.user))
    form = FundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items()}
        fund = run_service(
            form,
            services.fund_create,
            organisation=Organisation.current(),
            acting_user=request.user,
            **fields,
        )
        if fund:
            messages.success(request, _("The fund was created."))
            return redirect("funds:detail", fund.pk)
    return render(request, "funds/fund_form.html", {"form": form, "fund": None})


@login_required
@require_http_methods(["GET", "POST"])
def fund_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require(permissions.can_manage_funds(request.user))
    fund = get_object_or_404(Fund, pk=pk)
    form = FundForm(request.POST or None, instance=Fund.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.changed_data}
        if run_service(form, services.fund_update, fund=fund, acting_user=request.user, **fields):
            messages.success(request, _("The fund was saved."))
            return redirect("funds:detail", fund.pk)
    return render(request, "funds/fund_form.html", {"form": form, "fund": fund})


def _filtered_entries(
    request: HttpRequest, fund: Fund
) -> tuple[LedgerFilterForm, QuerySet[LedgerEntry]]:
    form = LedgerFilterForm(
        request.GET or None, projects=projects_visible(user=request.user, fund=fund)
    )
    f = selectors.LedgerFilter()
    if form.is_valid():
        d = form.cleaned_data
        f = selectors.LedgerFilter(
            kind=d["kind"] or "",
            project_id=d["project"].pk if d["project"] else None,
            fiscal_year=d["fiscal_year"],
            date_from=d["date_from"],
            date_to=d["date_to"],
            text=d["text"] or "",
        )
    return form, selectors.ledger_entries(fund=fund, user=request.user, filters=f)


@login_required
def fund_detail(request: HttpRequest, pk: int) -> HttpResponse:
    fund = get_object_or_404(Fund, pk=pk)
    require(permissions.can_view_fund(request.user, fund))
    date_form = BalanceDateForm(request.GET or None)
    at = date_form.cleaned_data["at"] if date_form.is_valid() else None
    filter_form, entries = _filtered_entries(request, fund)
    page = KeyedPaginator(entries, LEDGER_PAGE_SIZE).get_page(request.GET.get("page"))
    series, period = period_ends(selectors.fund_balance_series(fund=fund))
    closings = list(selectors.fund_closings(fund=fund))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "funds/fund_detail.html",
        {
            "fund": fund,
            "balances": selectors.fund_balances(fund=fund, at=at),
            "at": at,
            "date_form": date_form,
            "filter_form": filter_form,
            "entries": page.object_list,
            "page": page,
            "page_query": query.urlencode(),
            "series": series,
            "period": period,
            "chart_spec": fund_balance_chart(series) if series else None,
            "can_post": permissions.can_post_any(request.user),
            # A reversal needs the right to post the reversed entry's kind (services say so too).
            "reversible_kinds": permissions.posting_kinds(request.user),
            "can_edit": permissions.can_manage_funds(request.user),
            "can_report": permissions.can_view_annual_report(request.user),
            "can_export_accounts": permissions.can_export_accounts(request.user),
            "can_forecast": permissions.can_view_forecasts(request.user),
            "can_portfolio": permissions.can_view_portfolio(request.user),
            "closings": closings,
            "open_from": closings[len(closings) - 1].year + 1 if closings else _first_year(fund),
            "query": request.GET.urlencode(),
        },
    )


def _first_year(fund: Fund) -> int:
    return selectors.next_closable_year(fund=fund) or timezone.localdate().year


@login_required
@require_http_methods(["GET", "POST"])
def entry_create(request: HttpRequest, pk: int) -> HttpResponse:
    fund = get_object_or_404(Fund, pk=pk)
    require(permissions.can_post_any(request.user))
    kinds = permissions.posting_kinds(request.user)
    form = EntryForm(
        request.POST or None,
        fund=fund,
        kinds=kinds,
        initial={"kind": request.GET.get("kind", ""), "project": request.GET.get("project")},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        entry = run_service(
            form,
            services.ledger_entry_post,
            fund=fund,
            kind=d["kind"],
            amount=d["amount"],
            date=d["date"],
            text=d["text"],
            project=d["project"],
            decision_ref=d["decision_ref"],
            acting_user=request.user,
        )
        if entry:
            messages.success(
                request, _("Entry no. %(number)s was posted.") % {"number": entry.number}
            )
            return redirect("funds:detail", fund.pk)
    return render(request, "funds/entry_form.html", {"form": form, "fund": fund})


@login_required
@require_http_methods(["GET", "POST"])
def entry_reverse(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    entry = get_object_or_404(
        LedgerEntry.objects.select_related("fund", "project"), fund_id=pk, number=number
    )
    require(permissions.can_post(request.user, entry.kind))
    form = ReverseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reversal = run_service(
            form,
            services.ledger_entry_reverse,
            entry=entry,
            text=form.cleaned_data["text"],
            date=form.cleaned_data["date"],
            acting_user=request.user,
        )
        if reversal:
            messages.success(request, _("Entry no. %(number)s was reversed.") % {"number": number})
            return redirect("funds:detail", pk)
    return render(request, "funds/entry_reverse.html", {"form": form, "entry": entry})


@login_required
def ledger_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    fund = get_object_or_404(Fund, pk=pk)
    require(permissions.can_view_fund(request.user, fund) and fmt in ("csv", "xlsx"))
    _form, entries = _filtered_entries(request, fund)
    name = download_name(_("ledger"), fund.name)
    if fmt == "csv":
        response = HttpResponse(exports.ledger_csv(entries), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            exports.ledger_xlsx(entries, title=f"{fund.name} – {_('Ledger')}"),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def closing_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Close a fiscal year in two steps: the form, then a page that shows the balances to be
    kept and asks to confirm, since a closed year cannot be reopened."""
    fund = get_object_or_404(Fund, pk=pk)
    require(permissions.can_manage_funds(request.user))
    form = ClosingForm(
        request.POST or None, initial={"year": selectors.next_closable_year(fund=fund)}
    )
    if request.method == "POST" and form.is_valid():
        args = {k: form.cleaned_data[k] for k in ("year", "decided_on", "decision_ref")}
        if request.POST.get("confirmed") != "yes":
            if run_service(form, services.fiscal_year_check, fund=fund, **args):
                return _closing_confirm(request, fund, form)
        elif closing := run_service(
            form, services.fiscal_year_close, fund=fund, acting_user=request.user, **args
        ):
            message = _("The fiscal year %(year)s was closed.") % {"year": closing.year}
            messages.success(request, message)
            return redirect("funds:detail", fund.pk)
    return render(request, "funds/closing_form.html", {"form": form, "fund": fund})


def _closing_confirm(request: HttpRequest, fund: Fund, form: ClosingForm) -> HttpResponse:
    year = form.cleaned_data["year"]
    return render(
        request,
        "funds/closing_confirm.html",
        {
            "fund": fund,
            "form": form,
            "year": year,
            "balances": selectors.fund_balances(fund=fund, at=dt.date(year, 12, 31)),
        },
    )
