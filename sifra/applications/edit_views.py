"""Writing an application, the GOV.UK way: a task list of its sections with the state of each,
one page per section (saved as one types), a check-your-answers page, then the submission and
its confirmation."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sifra.accounts import permissions
from sifra.applications import forms as f
from sifra.applications import services
from sifra.applications.models import Application, Status
from sifra.applications.rules import blocking_failures, check_rules, own_total, requested_total
from sifra.applications.sections import (
    ALL,
    BY_KEY,
    CASE,
    SECTIONS,
    Section,
    answers,
    next_section,
    task_list,
)
from sifra.applications.selectors import case_result
from sifra.applications.views import _get
from sifra.core.http import require
from sifra.core.templatetags.sifra_forms import SummaryError, summary_errors

# Empty rows offered at most, however often "Add a row" is pressed without JavaScript.
MAX_BLANK_ROWS = 20


def _editable(request: HttpRequest, pk: int) -> Application:
    application = _get(request, pk)
    require(permissions.can_edit_application(request.user, application))
    return application


def _blank_rows(request: HttpRequest, name: str, default: int) -> int:
    try:
        return max(1, min(MAX_BLANK_ROWS, int(request.GET.get(name, default))))
    except ValueError:
        return default


def _forms(request: HttpRequest, a: Application, section: Section) -> dict[str, Any]:
    data = request.POST if request.method == "POST" else None
    form = f.section_form(section.fields)(data, instance=a)
    if not permissions.can_change_application_units(request.user, a):
        for name in ("units", "repayment_units"):  # shown, kept as they are
            if name in form.fields:
                form.fields[name].disabled = True
    found: dict[str, Any] = {"form": form, "budget": None, "indicators": None}
    # A posted row is compared with nothing: compared with the saved rows, a row that the
    # autosave already stored would look unchanged and be dropped on the next save.
    if section.has_budget:
        budget = f.BudgetFormSet(
            data, prefix="budget", initial=None if data else f.budget_initial(a)
        )
        budget.extra = _blank_rows(request, "budget_rows", 1)
        found["budget"] = budget
    if section.has_indicators:
        indicators = f.IndicatorFormSet(
            data, prefix="ind", initial=None if data else f.indicator_initial(a)
        )
        indicators.extra = _blank_rows(request, "ind_rows", 1)
        found["indicators"] = indicators
    return found


def _valid(forms: dict[str, Any]) -> bool:
    return all(x.is_valid() for x in forms.values() if x is not None)


def _save(request: HttpRequest, a: Application, forms: dict[str, Any]) -> bool:
    if not _valid(forms):
        return False
    d = dict(forms["form"].cleaned_data)
    relations = {k: list(d.pop(k)) for k in ("units", "partners", "repayment_units") if k in d}
    budget, indicators = forms["budget"], forms["indicators"]
    try:
        services.application_update(
            application=a,
            acting_user=request.user,
            budget=budget.rows() if budget is not None else None,
            indicators=indicators.rows() if indicators is not None else None,
            **relations,
            **d,
        )
    except ValidationError as exc:
        _errors_to_forms(exc, forms)
        return False
    return True


def _errors_to_forms(exc: ValidationError, forms: dict[str, Any]) -> None:
    """Service errors name fields like `summary` or `budget[2].requested`: put each where the
    applicant will see it."""
    form = forms["form"]
    for key, errors in exc.message_dict.items():
        name = key.split("].")[-1] if "[" in key else key
        target = (
            forms["budget"]
            if key.startswith("budget")
            else forms["indicators"]
            if key.startswith("indicators")
            else None
        )
        if target is None:
            form.add_error(name if name in form.fields else None, errors)
        else:
            index = int(key[key.index("[") + 1 : key.index("]")])
            rows = [r for r in target.forms if r.cleaned_data and not r.cleaned_data.get("DELETE")]
            rows[index].add_error(name if name in rows[index].fields else None, errors)


def _after_save(request: HttpRequest, a: Application, section: Section) -> HttpResponse:
    """Where the applicant goes after saving: another empty row on the same page, the next
    section, or back to the task list."""
    add = request.POST.get("add_row")
    if add in ("budget", "ind"):
        forms = {"budget": "budget", "ind": "ind"}
        blanks = int(request.POST.get(f"{forms[add]}_blank", 0) or 0) + 1
        url = reverse("applications:section", args=[a.pk, section.key])
        return redirect(f"{url}?{add}_rows={min(blanks, MAX_BLANK_ROWS)}#{add}-table")
    messages.success(request, _("The section was saved."))
    following = next_section(section)
    if "continue" in request.POST and following is not None:
        if following.key == CASE:
            return redirect("applications:case", a.pk)
        return redirect("applications:section", a.pk, following.key)
    if "continue" in request.POST and following is None and section.key != ALL:
        return redirect("applications:check", a.pk)
    return redirect("applications:edit", a.pk)


def _updated(a: Application) -> float:
    """The server's version of the application, as the autosave script compares it."""
    stamp = Application.objects.values_list("updated_at", flat=True).get(pk=a.pk)
    return stamp.timestamp()


def _section_page(
    request: HttpRequest, a: Application, section: Section, forms: dict[str, Any]
) -> HttpResponse:
    saved = request.method == "POST" and _save(request, a, forms)
    if request.headers.get("HX-Request"):
        return render(
            request,
            "applications/_autosave_status.html",
            {
                "saved": saved,
                "errors": summary_errors(forms["form"], forms["budget"], forms["indicators"]),
                "now": timezone.localtime(),
                "updated": _updated(a) if saved else None,
            },
        )
    if saved:
        if section.key == ALL and "submit" in request.POST:
            return redirect("applications:check", a.pk)
        return _after_save(request, a, section)
    return render(
        request,
        "applications/application_section.html",
        {
            "a": a,
            "section": section,
            "next": next_section(section),
            "checks": check_rules(a),
            "server_updated": a.updated_at.timestamp(),
            **forms,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The task list. A POST of the whole form (every section at once, as scripts and the
    one-page form send it) is saved as the "all" section."""
    application = _editable(request, pk)
    if request.method == "POST":
        section = BY_KEY[ALL]
        return _section_page(request, application, section, _forms(request, application, section))
    return render(
        request,
        "applications/application_tasks.html",
        {
            "a": application,
            "tasks": task_list(application),
            "checks": check_rules(application),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_section(request: HttpRequest, pk: int, section: str) -> HttpResponse:
    application = _editable(request, pk)
    part = BY_KEY.get(section)
    if part is None or part.key == CASE:
        raise Http404
    return _section_page(request, application, part, _forms(request, application, part))


# --- Check your answers, submit, confirmation ------------------------------------------------


def _section_urls(a: Application) -> dict[str, str]:
    urls = {s.key: reverse("applications:section", args=[a.pk, s.key]) for s in SECTIONS}
    urls[CASE] = reverse("applications:case", args=[a.pk])
    return urls


# Where each rule of the fund is put right.
RULE_SECTION = {
    "budget": ("budget", "#id_budget-0-requested"),
    "max_amount": ("budget", "#id_budget-0-requested"),
    "min_own_share": ("budget", "#id_budget-0-own_contribution"),
    "max_duration": ("about", "#id_end_date"),
    "min_units": ("about", "#id_units"),
    "followup_plan": ("plans", "#id_followup_plan"),
    "evaluation_plan": ("plans", "#id_evaluation_plan"),
    "case": (CASE, ""),
}


def _rule_errors(a: Application, extra: list[str]) -> list[SummaryError]:
    urls = _section_urls(a)
    found = []
    for check in blocking_failures(check_rules(a)):
        section, anchor = RULE_SECTION.get(check.code, ("about", ""))
        text = f"{check.label}: {check.message}" if check.message else str(check.label)
        found.append(SummaryError(text, urls[section] + anchor))
    return found + [SummaryError(m, "") for m in extra]


def _check_page(
    request: HttpRequest, a: Application, errors: list[SummaryError], status: int = 200
) -> HttpResponse:
    labels = {name: field.label for name, field in f.ApplicationForm().fields.items()}
    urls = _section_urls(a)
    parts = [
        {"section": s, "url": urls[s.key], "answers": answers(a, s, labels)}
        for s in SECTIONS
        if s.fields
    ]
    result = case_result(a.case)
    return render(
        request,
        "applications/application_check.html",
        {
            "a": a,
            "parts": parts,
            "urls": urls,
            "requested": requested_total(a),
            "own": own_total(a),
            "result": result,
            "checks": check_rules(a),
            "summary_errors": errors,
        },
        status=status,
    )


@login_required
@require_GET
def application_check(request: HttpRequest, pk: int) -> HttpResponse:
    application = _editable(request, pk)
    return _check_page(request, application, [])


@login_required
@require_POST
def application_submit(request: HttpRequest, pk: int) -> HttpResponse:
    application = _get(request, pk)
    require(permissions.can_edit_application(request.user, application))
    try:
        services.application_submit(application=application, acting_user=request.user)
    except ValidationError as exc:
        # The rules that block, each linked to where it is put right; other refusals as text.
        extra = [] if blocking_failures(check_rules(application)) else exc.messages
        return _check_page(request, application, _rule_errors(application, extra))
    return redirect("applications:submitted", application.pk)


@login_required
@require_GET
def application_submitted(request: HttpRequest, pk: int) -> HttpResponse:
    application = _get(request, pk)
    if application.status in (Status.DRAFT, Status.RETURNED) or not application.submitted_at:
        return redirect("applications:detail", application.pk)
    return render(
        request,
        "applications/application_submitted.html",
        {"a": application, "version": application.versions.count()},
    )
