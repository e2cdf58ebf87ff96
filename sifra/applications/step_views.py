"""The steps after submission: return, send to the council, review, propose, decide. Each page
shows what the step rests on, and each button says what it does; committing money is confirmed
with the amount in words before anything is posted."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sifra.accounts import permissions
from sifra.applications import forms as f
from sifra.applications import services
from sifra.applications.models import Application, Review
from sifra.applications.rules import requested_total
from sifra.applications.selectors import decision_basis
from sifra.applications.views import _get
from sifra.core.forms import run_service
from sifra.core.http import require
from sifra.core.words import amount_in_words


def _action_page(
    request: HttpRequest,
    application: Application,
    form: Any,
    service: Any,
    done: str,
    page: dict[str, Any],
) -> HttpResponse:
    """The shape of every step's page: a form, a service, a message, back to the application.
    `page` holds the title, the button's words and what the page shows beside the form."""
    if (
        request.method == "POST"
        and form.is_valid()
        and run_service(
            form, service, application=application, acting_user=request.user, **form.cleaned_data
        )
    ):
        messages.success(request, done)
        return redirect("applications:detail", application.pk)
    return render(request, "applications/action.html", {"a": application, "form": form, **page})


@login_required
@require_http_methods(["GET", "POST"])
def application_return(request: HttpRequest, pk: int) -> HttpResponse:
    application = _get(request, pk)
    require(permissions.can_handle_applications(request.user))
    return _action_page(
        request,
        application,
        f.ReturnForm(request.POST or None),
        services.application_return,
        _("The application was returned to the applicant."),
        {"title": _("Return for completion"), "button": _("Return to the applicant")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_send_to_review(request: HttpRequest, pk: int) -> HttpResponse:
    application = _get(request, pk)
    require(permissions.can_handle_applications(request.user))
    assigned = application.reviews.values_list("reviewer", flat=True)
    form = f.AssignReviewersForm(request.POST or None, initial={"reviewers": list(assigned)})
    return _action_page(
        request,
        application,
        form,
        services.application_send_to_review,
        _("The application was sent to review."),
        {"title": _("Send to the scientific council"), "button": _("Send to the council")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_review(request: HttpRequest, pk: int) -> HttpResponse:
    application = _get(request, pk)
    require(permissions.can_review(request.user, application))
    review = get_object_or_404(Review, application=application, reviewer=request.user)
    form = f.ReviewForm(request.POST or None, instance=Review.objects.get(pk=review.pk))
    if request.method == "POST" and form.is_valid():
        submitted = run_service(
            form,
            services.review_submit,
            application=application,
            acting_user=request.user,
            **form.cleaned_data,
        )
        if submitted is not None:
            messages.success(request, _("Your review was submitted."))
            return redirect("applications:detail", application.pk)
    return render(
        request,
        "applications/action.html",
        {
            "a": application,
            "form": form,
            "title": _("Review"),
            "button": _("Submit the review"),
            "show_case": True,
            "money": decision_basis(application=application),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_recommend(request: HttpRequest, pk: int) -> HttpResponse:
    application = _get(request, pk)
    require(permissions.can_handle_applications(request.user))
    form = f.RecommendForm(request.POST or None, initial={"proposal": application.proposal})
    return _action_page(
        request,
        application,
        form,
        services.application_recommend,
        _("The proposal was recorded."),
        {
            "title": _("Proposal to the decision maker"),
            "button": _("Send the proposal to the decision maker"),
            "basis": decision_basis(application=application),
            "show_case": True,
        },
    )


def _decision_kwargs(d: dict[str, Any]) -> dict[str, Any]:
    return {
        "approve": d["outcome"] == "approve",
        "amount": d["amount"] or 0,
        "minute_ref": d["minute_ref"],
        "reason": d["reason"],
    }


def _confirm_page(request: HttpRequest, application: Application, form: Any) -> HttpResponse:
    d = form.cleaned_data
    amount = (d["amount"] or 0) if d["outcome"] == "approve" else 0
    return render(
        request,
        "applications/decision_confirm.html",
        {
            "a": application,
            "form": form,
            "approve": d["outcome"] == "approve",
            "amount": amount,
            "amount_words": amount_in_words(amount),
            "basis": decision_basis(application=application, amount=amount),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """The form, then the confirmation ("Approve 2 500 000 kr (two million five hundred
    thousand kronor)"), and only the confirmation's button records the decision and commits
    the money. "Change" on the confirmation brings the form back as it was filled in."""
    application = _get(request, pk)
    require(permissions.can_decide(request.user))
    initial = {"amount": requested_total(application), "decided_on": timezone.localdate()}
    form = f.DecisionForm(request.POST or None, initial=initial)
    if request.method == "POST" and "change" not in request.POST and form.is_valid():
        d = form.cleaned_data
        checked = run_service(form, _check, application=application, **_decision_kwargs(d))
        confirmed = request.POST.get("confirmed") == "yes"
        if checked and not confirmed:
            return _confirm_page(request, application, form)
        if checked:
            decision = run_service(
                form,
                services.decision_record,
                application=application,
                conditions=d["conditions"],
                decided_on=d["decided_on"],
                acting_user=request.user,
                **_decision_kwargs(d),
            )
            if decision:
                messages.success(request, _("The decision was recorded."))
                return redirect("applications:detail", application.pk)
    if form.is_bound and "change" in request.POST:
        form.errors.clear()  # back to the form as it was filled in, without complaints
    return render(
        request,
        "applications/action.html",
        {
            "a": application,
            "form": form,
            "title": _("Decision"),
            "button": _("Continue to confirm"),
            "basis": decision_basis(application=application),
            "show_case": True,
        },
    )


def _check(**kwargs: Any) -> bool:
    services.decision_validate(**kwargs)
    return True
