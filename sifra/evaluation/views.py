"""Pages for a project's end: evaluations and the case after the fact, its documents, closing.

They keep working for closed and evaluated projects: the figures stay readable."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sifra.accounts import permissions
from sifra.core.forms import run_service
from sifra.core.http import require
from sifra.documents.models import Document
from sifra.documents.services import document_upload
from sifra.evaluation import forms as f
from sifra.evaluation import services
from sifra.evaluation.charts import expost_chart
from sifra.evaluation.expost import project_comparison
from sifra.evaluation.models import Evaluation
from sifra.followup.models import ReportKind, ReportStatus
from sifra.funds.selectors import project_balances
from sifra.projects.models import Project
from sifra.projects.services import ALREADY_CLOSED, project_close


def _project(request: HttpRequest, pk: int) -> Project:
    project = get_object_or_404(Project.objects.select_related("fund", "lead_unit"), pk=pk)
    require(permissions.can_view_project(request.user, project))
    return project


# document_upload's field names and the evaluation form's.
UPLOAD_FIELDS = {"file": "report_file", "title": "report_title"}


def _outcome_names(project: Project) -> list[str]:
    case = getattr(getattr(project, "application", None), "case", None) or {}
    outcomes = case.get("outcomes", [])
    return [str(o.get("name") or "") for o in outcomes] if isinstance(outcomes, list) else []


# --- Evaluations and the case after the fact ----------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def project_evaluation(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    can_record = permissions.can_record_evaluation(request.user)
    outcomes = _outcome_names(project)
    form = f.EvaluationForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        outcomes=outcomes,
    )
    if request.method == "POST":
        require(can_record)
        if form.is_valid() and _record(request, project, form):
            messages.success(request, _("The evaluation was recorded."))
            return redirect("evaluation:project", project.pk)
    comparison = project_comparison(project=project)
    return render(
        request,
        "evaluation/project.html",
        {
            "project": project,
            "evaluations": project.evaluations.select_related("report", "assessed_by"),
            "outcomes": outcomes,
            "form": form if can_record else None,
            "can_assess": permissions.can_assess_evaluation(request.user),
            "assessment_form": f.AssessmentForm(),
            "comparison": comparison,
            "chart_spec": (
                expost_chart(comparison.ex_ante, comparison.ex_post) if comparison else None
            ),
        },
    )


def _record(request: HttpRequest, project: Project, form: f.EvaluationForm) -> bool:
    """Check the evaluation, then store its report, then record it: a refused evaluation leaves
    no file behind, and a refused file records nothing."""
    d = form.cleaned_data
    fields: dict[str, Any] = {
        "project": project,
        "method": d["method"],
        "effect": d["effect"],
        "ci_low": d["ci_low"],
        "ci_high": d["ci_high"],
        "evaluator": d["evaluator"],
        "outcome_index": d["outcome_index"],
    }
    if run_service(form, services.evaluation_validate, **fields) is None:
        return False
    report = None
    if d.get("report_file"):
        try:
            report = document_upload(
                project=project,
                title=d["report_title"],
                upload=d["report_file"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            for key, errors in exc.message_dict.items():
                form.add_error(UPLOAD_FIELDS.get(key), errors)
            return False
    evaluation = run_service(
        form,
        services.evaluation_record,
        summary=d["summary"],
        report=report,
        acting_user=request.user,
        **fields,
    )
    return evaluation is not None


@login_required
@require_POST
def evaluation_assess(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = get_object_or_404(Evaluation.objects.select_related("project"), pk=pk)
    require(permissions.can_view_project(request.user, evaluation.project))
    require(permissions.can_assess_evaluation(request.user))
    form = f.AssessmentForm(request.POST)
    if form.is_valid():
        try:
            services.evaluation_assess(
                evaluation=evaluation,
                assessment=form.cleaned_data["assessment"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
        else:
            messages.success(request, _("The assessment was saved."))
    else:
        messages.error(request, _("Write the council's assessment."))
    return redirect("evaluation:project", evaluation.project_id)


# --- Documents -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def project_documents(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    can_upload = permissions.can_upload(request.user, project)
    form = f.DocumentForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST":
        require(can_upload)
        if form.is_valid():
            document = run_service(
                form,
                document_upload,
                project=project,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
                acting_user=request.user,
            )
            if document:
                messages.success(request, _("The document was uploaded."))
                return redirect("evaluation:documents", project.pk)
    return render(
        request,
        "evaluation/documents.html",
        {
            "project": project,
            "documents": project.documents.select_related("uploaded_by"),
            "form": form if can_upload else None,
        },
    )


@login_required
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    """The file, only to those who may see its project; always as an attachment under its
    original name and never sniffed, so an uploaded file cannot run as a page of this site."""
    document = get_object_or_404(Document.objects.select_related("project"), pk=pk)
    require(permissions.can_view_project(request.user, document.project))
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Closing ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def project_close_page(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    can_close = permissions.can_manage_projects(request.user) and project.closed_at is None
    form = f.CloseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        require(permissions.can_manage_projects(request.user))
        if project.closed_at is not None:  # a second click, or another tab
            messages.info(request, str(ALREADY_CLOSED))
            return redirect("evaluation:close", project.pk)
        if form.is_valid():
            closed = run_service(
                form,
                project_close,
                project=project,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
                acting_user=request.user,
            )
            if closed:
                messages.success(request, _("The project was closed."))
                return redirect("evaluation:close", project.pk)
    final = project.reports.filter(kind=ReportKind.FINAL).order_by("-period_end", "-pk").first()
    return render(
        request,
        "evaluation/close.html",
        {
            "project": project,
            "form": form if can_close else None,
            "release": project_balances(project=project).committed,
            "final_report": final,
            "final_approved": project.reports.filter(
                kind=ReportKind.FINAL, status=ReportStatus.APPROVED
            ).exists(),
        },
    )
