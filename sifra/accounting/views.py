from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sifra.accounting import chart, export, selectors, services
from sifra.accounting.forms import AccountMappingForm
from sifra.accounts import permissions
from sifra.core.forms import run_service
from sifra.core.http import require
from sifra.funds.models import EntryKind, Fund
from sifra.funds.selectors import fund_closings


def _fund(request: HttpRequest, pk: int) -> Fund:
    fund = get_object_or_404(Fund, pk=pk)
    require(permissions.can_export_accounts(request.user))
    return fund


@login_required
@require_http_methods(["GET", "POST"])
def mapping(request: HttpRequest, pk: int) -> HttpResponse:
    """The fund's accounts and the SIE files per year; the coordinator changes the accounts."""
    fund = _fund(request, pk)
    can_edit = permissions.can_manage_account_mapping(request.user)
    if request.method == "POST":
        require(can_edit)
    services.account_mapping_ensure(fund=fund)
    accounts = selectors.fund_accounts(fund=fund)
    form = AccountMappingForm(request.POST or None, accounts=accounts)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            services.account_mapping_update,
            fund=fund,
            accounts=form.accounts(),
            acting_user=request.user,
        )
        if done is not None:
            messages.success(request, _("The accounts were saved."))
            return redirect("accounting:mapping", fund.pk)
    return render(
        request,
        "accounting/mapping.html",
        {
            "fund": fund,
            "form": form,
            "can_edit": can_edit,
            "accounts": accounts,
            "postings": _postings(accounts),
            "years": _years(fund),
        },
    )


def _postings(accounts: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"kind": KIND_LABELS[kind], "pairs": [(accounts[d], accounts[c]) for d, c in pairs]}
        for kind, pairs in chart.POSTINGS.items()
    ]


KIND_LABELS = dict(EntryKind.choices)


def _years(fund: Fund) -> list[dict[str, Any]]:
    first = selectors.first_year(fund=fund)
    if first is None:
        return []
    closed = {c.year: c for c in fund_closings(fund=fund)}
    this_year = timezone.localdate().year
    return [{"year": y, "closing": closed.get(y)} for y in range(this_year, first - 1, -1)]


@login_required
def sie_download(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    fund = _fund(request, pk)
    try:
        export.check_year(fund=fund, year=year, today=timezone.localdate())
    except ValidationError:
        raise Http404 from None
    services.account_mapping_ensure(fund=fund)
    body = export.sie_bytes(fund=fund, year=year)
    response = HttpResponse(body, content_type="text/plain; charset=IBM437")
    name = export.sie_filename(fund=fund, year=year)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
