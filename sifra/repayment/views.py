"""Pages for repayment: a project's agreement, savings and claims; what a unit owes the fund;
the fund-wide claims. Writes go through sifra.repayment.services; a refused write shows the
page again with the errors beside the fields (status 200)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sifra.accounts import permissions
from sifra.accounts.models import Unit
from sifra.core.charts import period_ends
from sifra.core.forms import run_service
from sifra.core.http import download_name, require
from sifra.core.pagination import KeyedPaginator
from sifra.projects.models import Project
from sifra.projects.selectors import projects_visible
from sifra.repayment import exports, selectors, services
from sifra.repayment import forms as f
from sifra.repayment.charts import repayment_chart
from sifra.repayment.models import Agreement, Claim, VerifiedSaving

# --- A project's repayment ----------------------------------------------------------------------


def _project(request: HttpRequest, pk: int) -> Project:
    project = get_object_or_404(Project.objects.select_related("fund", "lead_unit"), pk=pk)
    require(permissions.can_view_project(request.user, project))
    return project


def _agreement_initial(
    project: Project, agreement: Agreement | None, proposal: Any
) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    """The agreement's values, or for a new one: the cap granted, the repayment the application
    proposed (its model and share) and the proposed split."""
    if agreement is None:
        shares = [{"unit": u, "percent": p} for u, p in (proposal.shares if proposal else [])]
        return {"cap": services.granted(project) or None, **_applied_for(project)}, shares, []
    form = {
        "model": agreement.model,
        "share": agreement.share,
        "cap": agreement.cap or None,
        "due_months": agreement.due_months,
        "decision_ref": agreement.decision_ref,
        "notes": agreement.notes,
    }
    shares = [{"unit": s.unit, "percent": s.percent} for s in agreement.shares.all()]
    instalments = [{"year": i.year, "amount": i.amount} for i in agreement.instalments.all()]
    return form, shares, instalments


def _applied_for(project: Project) -> dict[str, Any]:
    """What the application proposed for repayment, to start the agreement from (issue 10:
    the proposed share was not carried into the agreement)."""
    application = getattr(project, "application", None)
    if application is None or not application.repayment_model:
        return {}
    found: dict[str, Any] = {"model": application.repayment_model}
    if application.repayment_share is not None:
        found["share"] = application.repayment_share
    return found


def _agreement_forms(
    request: HttpRequest, project: Project, agreement: Agreement | None, proposal: Any
) -> dict[str, Any]:
    data = request.POST if request.method == "POST" else None
    initial, shares, instalments = _agreement_initial(project, agreement, proposal)
    return {
        "agreement_form": f.AgreementForm(data, initial=initial, prefix="agreement"),
        "share_formset": f.row_formset(
            f.ShareFormSet, data, prefix="shares", initial=shares, blank=2
        ),
        "instalment_formset": f.row_formset(
            f.InstalmentFormSet, data, prefix="inst", initial=instalments, blank=3
        ),
    }


def _claim_rows(
    project: Project, manage: bool, bound: tuple[int, Any] | None
) -> list[tuple[Claim, Any]]:
    """Each claim with its payment form (the bound one for the claim just posted to)."""
    claims = selectors.claims_with_balances(Claim.objects.filter(project=project))
    rows = []
    for claim in claims.order_by("year", "unit__name", "id"):
        form = None
        if bound is not None and bound[0] == claim.pk:
            form = bound[1]
        elif manage and claim.outstanding > 0:  # type: ignore[attr-defined]
            form = f.PaymentForm(prefix=f"pay-{claim.pk}")
        rows.append((claim, form))
    return rows


def _project_page(
    request: HttpRequest,
    project: Project,
    *,
    agreement_forms: dict[str, Any] | None = None,
    saving_form: Any = None,
    payment: tuple[int, Any] | None = None,
) -> HttpResponse:
    manage = permissions.can_manage_repayment(request.user)
    agreement = Agreement.objects.filter(project=project).first()
    has_claims = Claim.objects.filter(project=project).exists()
    proposal = selectors.proposed_split(project)
    context: dict[str, Any] = {
        "project": project,
        "agreement": agreement,
        "granted": services.granted(project),
        "claimed": services.claimed(project),
        "proposal": proposal,
        "savings": project.verified_savings.select_related("unit", "verified_by", "reversed_by"),
        "claims": _claim_rows(project, manage, payment),
        "totals": selectors.claim_totals(
            selectors.claims_with_balances(Claim.objects.filter(project=project))
        ),
        "manage": manage,
        # a refused form is shown with its errors, even when claims came meanwhile
        "can_set_agreement": manage and (not has_claims or agreement_forms is not None),
        "open_agreement_form": agreement_forms is not None,
    }
    if manage:
        context["saving_form"] = saving_form or f.SavingForm(prefix="saving")
    if context["can_set_agreement"]:
        context.update(agreement_forms or _agreement_forms(request, project, agreement, proposal))
    return render(request, "repayment/project.html", context)


def _ran(result: object) -> bool:
    """run_service returns None when the service refused (its errors are on the form)."""
    return result is not None


@login_required
def project_repayment(request: HttpRequest, pk: int) -> HttpResponse:
    return _project_page(request, _project(request, pk))


@login_required
@require_POST
def agreement_set(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    require(permissions.can_manage_repayment(request.user))
    agreement = Agreement.objects.filter(project=project).first()
    forms_ = _agreement_forms(request, project, agreement, None)
    form = forms_["agreement_form"]
    shares, instalments = forms_["share_formset"], forms_["instalment_formset"]
    if form.is_valid() and shares.is_valid() and instalments.is_valid():
        d = form.cleaned_data
        done = run_service(
            form,
            services.agreement_set,
            project=project,
            model=d["model"],
            acting_user=request.user,
            shares=shares.shares(),
            share=d["share"],
            cap=d["cap"],
            instalments=instalments.instalments(),
            due_months=d["due_months"],
            decision_ref=d["decision_ref"],
            notes=d["notes"],
        )
        if done:
            messages.success(request, _("The repayment agreement was saved."))
            return redirect("repayment:project", project.pk)
    return _project_page(request, project, agreement_forms=forms_)


@login_required
@require_POST
def saving_verify(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    require(permissions.can_manage_repayment(request.user))
    form = f.SavingForm(request.POST, prefix="saving")
    if form.is_valid() and _ran(
        run_service(
            form,
            services.saving_verify,
            project=project,
            acting_user=request.user,
            **form.cleaned_data,
        )
    ):
        messages.success(request, _("The saving was recorded; its claims follow from it."))
        return redirect("repayment:project", project.pk)
    return _project_page(request, project, saving_form=form)


@login_required
def saving_reverse(request: HttpRequest, saving_pk: int) -> HttpResponse:
    """A confirmation page first (what will be reversed, and why); the reversal on POST."""
    saving = get_object_or_404(
        VerifiedSaving.objects.select_related("project__fund", "unit"), pk=saving_pk
    )
    require(permissions.can_view_project(request.user, saving.project))
    require(permissions.can_manage_repayment(request.user))
    form = f.SavingReversalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            services.saving_reverse,
            saving=saving,
            reason=form.cleaned_data["reason"],
            acting_user=request.user,
        )
        if done:
            messages.success(request, _("The saving was reversed; it can now be verified again."))
            return redirect("repayment:project", saving.project_id)
    claims = selectors.claims_annotated(saving.claims.all()).order_by("unit__name", "id")
    return render(
        request,
        "repayment/saving_reverse.html",
        {"saving": saving, "project": saving.project, "claims": claims, "form": form},
    )


@login_required
@require_POST
def claim_pay(request: HttpRequest, claim_pk: int) -> HttpResponse:
    claim = get_object_or_404(Claim.objects.select_related("project__fund", "unit"), pk=claim_pk)
    require(permissions.can_view_project(request.user, claim.project))
    require(permissions.can_manage_repayment(request.user))
    form = f.PaymentForm(request.POST, prefix=f"pay-{claim.pk}")
    if form.is_valid() and _ran(
        run_service(
            form, services.claim_pay, claim=claim, acting_user=request.user, **form.cleaned_data
        )
    ):
        messages.success(request, _("The payment was posted to the ledger."))
        return redirect("repayment:project", claim.project_id)
    for error in form.non_field_errors():
        # a reversed claim has no row, so no form to show its refusal beside
        messages.error(request, str(error))
    return _project_page(request, claim.project, payment=(claim.pk, form))


# --- What a unit owes ---------------------------------------------------------------------------


@login_required
def unit_debt(request: HttpRequest, unit_pk: int) -> HttpResponse:
    unit = get_object_or_404(Unit, pk=unit_pk)
    require(permissions.can_view_claims(request.user, unit))
    visible = set(projects_visible(user=request.user).values_list("pk", flat=True))
    return render(
        request,
        "repayment/unit.html",
        {"debt": selectors.unit_debt(unit=unit), "visible_projects": visible},
    )


# --- The fund's claims --------------------------------------------------------------------------


def _filtered_claims(request: HttpRequest) -> tuple[f.ClaimFilterForm, selectors.ClaimReport]:
    form = f.ClaimFilterForm(request.GET or None)
    fund, filters = None, selectors.ClaimFilter()
    if form.is_valid():
        d = form.cleaned_data
        fund = d["fund"]
        filters = selectors.ClaimFilter(
            unit=d["unit"], project=d["project"], overdue_only=d["overdue"]
        )
    return form, selectors.fund_claims(fund=fund, filters=filters)


CLAIMS_PAGE_SIZE = 50


@login_required
def claims(request: HttpRequest) -> HttpResponse:
    require(permissions.can_view_claims(request.user))
    form, report = _filtered_claims(request)
    fund = form.cleaned_data.get("fund") if form.is_bound and form.is_valid() else None
    series, period = period_ends(selectors.payment_series(fund=fund))
    paginator = KeyedPaginator(report.rows, CLAIMS_PAGE_SIZE)
    # the totals have counted the same rows: no second count with a subquery per claim
    paginator.count = report.totals.count  # type: ignore[misc]
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "repayment/claims.html",
        {
            "form": form,
            "report": report,
            "page": page,
            "series": series,
            "period": period,
            "chart_spec": repayment_chart(series) if series else None,
            "query": query.urlencode(),
        },
    )


@login_required
def claims_export(request: HttpRequest) -> HttpResponse:
    require(permissions.can_view_claims(request.user))
    _form, report = _filtered_claims(request)
    response = HttpResponse(exports.claims_csv(report.rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        content_disposition_header(True, f"{download_name(_('claims'))}.csv") or ""
    )
    return response
