from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sifra.accounts import permissions
from sifra.applications import forms as f
from sifra.applications import services
from sifra.applications.models import Application, RuleSet, Status
from sifra.applications.rules import check_rules, own_total, requested_total
from sifra.applications.selectors import applications_visible, case_result, version_diff
from sifra.core.charts import case_cumulative_chart
from sifra.core.forms import run_service
from sifra.core.http import require
from sifra.funds.models import Fund


def _get(request: HttpRequest, pk: int) -> Application:
    application = get_object_or_404(
        Application.objects.select_related("fund", "lead_unit", "project"), pk=pk
    )
    require(permissions.can_view_application(request.user, application))
    return application


@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    applications = applications_visible(user=request.user)
    if status in Status.values:
        applications = applications.filter(status=status)
    return render(
        request,
        "applications/application_list.html",
        {
            "applications": applications,
            "status": status,
            "statuses": Status.choices,
            "can_create": permissions.can_create_application(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_create(request: HttpRequest) -> HttpResponse:
    require(permissions.can_create_application(request.user))
    form = f.ApplicationCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        application = run_service(
            form, services.application_create, acting_user=request.user, **form.cleaned_data
        )
        if application:
            return redirect("applications:edit", application.pk)
    return render(request, "applications/application_create.html", {"form": form})


def _actions(user: Any, a: Application) -> dict[str, bool]:
    handler = permissions.can_handle_applications(user)
    return {
        "edit": permissions.can_edit_application(user, a),
        "submit": permissions.can_edit_application(user, a),
        "withdraw": a.status in services.WITHDRAWABLE
        and permissions.can_withdraw_application(user, a),
        "return": handler and a.status in (Status.SUBMITTED, Status.IN_REVIEW),
        "send_to_review": handler and a.status in (Status.SUBMITTED, Status.IN_REVIEW),
        "review": a.status == Status.IN_REVIEW and permissions.can_review(user, a),
        "recommend": handler and a.status == Status.IN_REVIEW,
        "decide": permissions.can_decide(user)
        and a.status in (Status.RECOMMENDED, Status.NOT_RECOMMENDED),
        "see_reviews": permissions.can_see_reviews(user, a),
    }


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = _get(request, pk)
    result = case_result(application.case)
    return render(
        request,
        "applications/application_detail.html",
        {
            "a": application,
            "checks": check_rules(application),
            "requested": requested_total(application),
            "own": own_total(application),
            "result": result,
            "chart_spec": case_cumulative_chart(result) if result else None,
            "actions": _actions(request.user, application),
            "reviews": application.reviews.select_related("reviewer"),
            "versions": application.versions.select_related("submitted_by"),
            "decision": getattr(application, "decision", None),
        },
    )


@login_required
def checklist(request: HttpRequest, pk: int) -> HttpResponse:
    application = _get(request, pk)
    return render(request, "applications/_checklist.html", {"checks": check_rules(application)})


@login_required
@require_POST
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = _get(request, pk)
    require(permissions.can_withdraw_application(request.user, application))
    try:
        services.application_withdraw(application=application, acting_user=request.user)
        messages.success(request, _("The application was withdrawn."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("applications:detail", application.pk)


@login_required
def version_compare(request: HttpRequest, pk: int) -> HttpResponse:
    application = _get(request, pk)
    versions = {v.number: v for v in application.versions.all()}
    try:
        a, b = int(request.GET.get("a", 0)), int(request.GET.get("b", 0))
        older, newer = versions[a], versions[b]
    except (KeyError, ValueError):
        raise Http404 from None
    return render(
        request,
        "applications/version_compare.html",
        {
            "a": application,
            "older": older,
            "newer": newer,
            "rows": version_diff(older, newer),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def rules_edit(request: HttpRequest, fund_pk: int) -> HttpResponse:
    fund = get_object_or_404(Fund, pk=fund_pk)
    require(permissions.can_manage_funds(request.user))
    rules = RuleSet.objects.filter(fund=fund).first() or RuleSet(fund=fund)
    form = f.RuleSetForm(request.POST or None, instance=rules)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items()}
        if run_service(
            form, services.rule_set_update, fund=fund, acting_user=request.user, **fields
        ):
            messages.success(request, _("The rules were saved."))
            return redirect("funds:detail", fund.pk)
    return render(request, "applications/rules_form.html", {"form": form, "fund": fund})
