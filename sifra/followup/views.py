"""Follow-up pages: a project's indicators, costs and reporting schedule; a report from draft to
approval; and an overview of what is due."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sifra.accounts import permissions
from sifra.accounts.models import Role
from sifra.core.forms import run_service
from sifra.core.http import require
from sifra.followup import charts, services
from sifra.followup.forms import (
    BudgetLineForm,
    IndicatorForm,
    ReportForm,
    ReturnForm,
    ScheduleForm,
)
from sifra.followup.models import ProgressReport, ReportDue, ReportStatus
from sifra.projects.models import Project
from sifra.projects.selectors import projects_visible

EDITABLE = (ReportStatus.DRAFT, ReportStatus.RETURNED)


def _project(request: HttpRequest, pk: int) -> Project:
    project = get_object_or_404(Project.objects.select_related("fund", "lead_unit"), pk=pk)
    require(permissions.can_view_project(request.user, project))
    return project


def _report(request: HttpRequest, pk: int) -> ProgressReport:
    report = get_object_or_404(
        ProgressReport.objects.select_related("project", "project__fund", "created_by"), pk=pk
    )
    require(permissions.can_view_project(request.user, report.project))
    return report


# --- Overview ----------------------------------------------------------------------------------


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    projects = projects_visible(user=request.user)
    show_later = permissions.has_role(request.user, Role.APPLICANT)
    return render(
        request,
        "followup/overview.html",
        {
            "dues": charts.dues_overview(projects=projects, later=show_later),
            "awaiting": charts.reports_awaiting_approval(projects=projects),
            "soon_days": charts.SOON_DAYS,
            "show_later": show_later,
            "can_approve": permissions.can_approve_reports(request.user),
        },
    )


# --- A project's follow-up ---------------------------------------------------------------------


def _fund_plan(project: Project) -> dict[str, int]:
    """The fund's reporting plan, which the schedule form starts from."""
    from sifra.applications.models import RuleSet

    rules = RuleSet.objects.filter(fund_id=project.fund_id).first() or RuleSet()
    return {
        "every_months": rules.report_every_months,
        "days_to_report": rules.report_days,
        "final_days": rules.final_report_days,
    }


def _project_page(
    request: HttpRequest, project: Project, *, status: int = 200, **forms: Any
) -> HttpResponse:
    indicators = charts.indicator_rows(project=project)
    costs = charts.cost_rows(project=project)
    manage = permissions.can_manage_projects(request.user)
    if manage:
        forms.setdefault("schedule_form", ScheduleForm(initial=_fund_plan(project)))
        forms.setdefault("indicator_form", IndicatorForm())
        forms.setdefault("budget_form", BudgetLineForm())
    return render(
        request,
        "followup/project.html",
        {
            "project": project,
            "indicators": [
                {
                    "row": row,
                    "spec": charts.indicator_chart(row) if row.points else None,
                    "spec_id": f"indicator-spec-{row.indicator.pk}",
                }
                for row in indicators
            ],
            "costs": costs,
            "cost_totals": charts.cost_totals(costs),
            "cost_spec": charts.cost_chart(costs) if costs else None,
            "dues": charts.dues_with_state(charts.project_dues(project=project)),
            "unscheduled": [
                (r, charts.DUE_STATES[r.status]) for r in project.reports.filter(due__isnull=True)
            ],
            "can_report": permissions.can_report(request.user, project),
            "can_manage": manage,
            "has_application": hasattr(project, "application"),
            **forms,
        },
        status=status,
    )


@login_required
def project_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _project_page(request, _project(request, pk))


def _project_action(
    request: HttpRequest, pk: int, name: str, form: Any, service: Any, done: str
) -> HttpResponse:
    """The shape of the coordinator's forms on the project page: a form, a service, a message,
    back to the page; or the page again with the form's errors."""
    project = _project(request, pk)
    require(permissions.can_manage_projects(request.user))
    if form.is_valid():
        saved = run_service(
            form, service, project=project, acting_user=request.user, **form.cleaned_data
        )
        if saved is not None:
            messages.success(request, done)
            return redirect("followup:project", project.pk)
    return _project_page(request, project, **{name: form})


@login_required
@require_POST
def schedule_set(request: HttpRequest, pk: int) -> HttpResponse:
    form = ScheduleForm(request.POST)
    done = _("The reporting schedule was set.")
    return _project_action(request, pk, "schedule_form", form, services.schedule_set, done)


@login_required
@require_POST
def indicator_add(request: HttpRequest, pk: int) -> HttpResponse:
    form = IndicatorForm(request.POST)
    done = _("The indicator was added.")
    return _project_action(request, pk, "indicator_form", form, services.indicator_add, done)


@login_required
@require_POST
def budget_line_add(request: HttpRequest, pk: int) -> HttpResponse:
    form = BudgetLineForm(request.POST)
    done = _("The budget line was added.")
    return _project_action(request, pk, "budget_form", form, services.budget_line_add, done)


@login_required
@require_POST
def report_write(request: HttpRequest, pk: int, due_pk: int) -> HttpResponse:
    """Start the report for a due, or open the one already started."""
    project = _project(request, pk)
    require(permissions.can_report(request.user, project))
    due = get_object_or_404(ReportDue.objects.select_related("report"), pk=due_pk, project=project)
    existing = getattr(due, "report", None)
    if existing is not None:
        return redirect("followup:report", existing.pk)
    try:
        report = services.report_create(project=project, due=due, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("followup:project", project.pk)
    return redirect("followup:report", report.pk)


# --- A report ----------------------------------------------------------------------------------


def _report_page(
    request: HttpRequest, report: ProgressReport, *, status: int = 200, **forms: Any
) -> HttpResponse:
    user, project = request.user, report.project
    can_edit = report.status in EDITABLE and permissions.can_report(user, project)
    can_decide = report.status == ReportStatus.SUBMITTED and permissions.can_approve_reports(user)
    if can_edit:
        forms.setdefault("form", ReportForm(report=report))
    elif "form" in forms:  # the report moved on meanwhile: say why the form is gone
        for error in forms.pop("form").non_field_errors():
            messages.error(request, error)
    if can_decide:
        forms.setdefault("return_form", ReturnForm())
    values = {v.indicator_id: charts.exact(v.value) for v in report.values.all()}
    costs = {c.budget_line_id: c.amount for c in report.costs.all()}
    return render(
        request,
        "followup/report.html",
        {
            "report": report,
            "status_label": charts.DUE_STATES[report.status],
            "project": project,
            "values": [
                (i, charts.exact(i.baseline), charts.exact(i.target), values.get(i.pk))
                for i in project.indicators.all()
            ],
            "costs": [(line, costs.get(line.pk)) for line in project.budget_lines.all()],
            "can_edit": can_edit,
            "can_decide": can_decide,
            **forms,
        },
        status=status,
    )


def _add_service_errors(form: ReportForm, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for key, errors in exc.message_dict.items():
        form.add_error(form.field_for(key), errors)


@login_required
@require_http_methods(["GET", "POST"])
def report_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The report; its edit form posts here, and "Save and submit" submits it as well."""
    report = _report(request, pk)
    if request.method == "GET":
        return _report_page(request, report)
    require(permissions.can_report(request.user, report.project))
    form = ReportForm(request.POST, report=report)
    if not form.is_valid():
        return _report_page(request, report, form=form)
    try:
        report = services.report_update(
            report=report, acting_user=request.user, **form.service_kwargs()
        )
        if "submit" in request.POST:
            report = services.report_submit(report=report, acting_user=request.user)
    except ValidationError as exc:
        _add_service_errors(form, exc)
        report.refresh_from_db()
        return _report_page(request, report, form=form)
    if report.status == ReportStatus.SUBMITTED:
        messages.success(request, _("The report was submitted for approval."))
    else:
        messages.success(request, _("The report was saved."))
    return redirect("followup:report", report.pk)


@login_required
@require_POST
def report_approve(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    require(permissions.can_approve_reports(request.user))
    try:
        services.report_approve(report=report, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _report_page(request, report)
    messages.success(request, _("The report was approved."))
    return redirect("followup:report", report.pk)


@login_required
@require_POST
def report_return(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    require(permissions.can_approve_reports(request.user))
    form = ReturnForm(request.POST)
    if form.is_valid():
        comment = form.cleaned_data["comment"]
        returned = run_service(
            form, services.report_return, report=report, acting_user=request.user, comment=comment
        )
        if returned is not None:
            messages.success(request, _("The report was returned for revision."))
            return redirect("followup:report", report.pk)
    return _report_page(request, report, return_form=form)
