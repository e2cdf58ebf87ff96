from decimal import Decimal
from typing import Annotated, Any

from django.http import FileResponse, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy
from ninja import Field, File, Form, Router, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from pydantic import AfterValidator

from sifra.accounts import permissions
from sifra.api.schemas import In, long_text, refuse_nul
from sifra.core.http import require
from sifra.documents.models import Document
from sifra.documents.services import document_upload
from sifra.evaluation import services
from sifra.evaluation.expost import project_comparison
from sifra.evaluation.models import Evaluation, Method
from sifra.projects.models import Project

router = Router(tags=["evaluation"])
FILE_MISSING = gettext_lazy(
    "The document's file is missing; ask the coordinator to upload it again."
)
DocumentTitle = Annotated[str, Field(max_length=200), AfterValidator(refuse_nul)]


class EvaluationIn(In):
    method: Method
    effect: Decimal
    ci_low: Decimal
    ci_high: Decimal
    evaluator: str = Field(..., max_length=200)
    summary: str = long_text()
    outcome_index: int = 0
    report_document_id: int | None = None


class AssessmentIn(In):
    assessment: str = long_text(...)


def _project(request: HttpRequest, project_id: int) -> Project:
    project = get_object_or_404(Project, pk=project_id)
    require(permissions.can_view_project(request.user, project))
    return project


def _evaluation_out(e: Evaluation) -> dict[str, Any]:
    return {
        "id": e.pk,
        "project_id": e.project_id,
        "method": e.method,
        "effect": str(e.effect),
        "ci_low": str(e.ci_low),
        "ci_high": str(e.ci_high),
        "evaluator": e.evaluator,
        "summary": e.summary,
        "outcome_index": e.outcome_index,
        "report_document_id": e.report_id,
        "council_assessment": e.council_assessment,
        "assessed_at": e.assessed_at,
    }


def _document_out(d: Document) -> dict[str, Any]:
    return {
        "id": d.pk,
        "title": d.title,
        "name": d.original_name,
        "size": d.size,
        "content_type": d.content_type,
        "sha256": d.sha256,
        "uploaded_at": d.uploaded_at,
    }


@router.get("/projects/{project_id}/evaluations")
def list_evaluations(request: HttpRequest, project_id: int) -> list[dict[str, Any]]:
    return [_evaluation_out(e) for e in _project(request, project_id).evaluations.all()]


@router.post(
    "/projects/{project_id}/evaluations",
    response={201: dict},
    summary="Record an evaluation (coordinator, economist)",
)
def record_evaluation(request: HttpRequest, project_id: int, payload: EvaluationIn) -> Status:
    project = _project(request, project_id)
    data = payload.dict()
    doc_id = data.pop("report_document_id")
    report = get_object_or_404(Document, pk=doc_id, project=project) if doc_id else None
    evaluation = services.evaluation_record(
        project=project, acting_user=request.user, report=report, **data
    )
    return Status(201, _evaluation_out(evaluation))


@router.post(
    "/evaluations/{evaluation_id}/assessment",
    summary="The scientific council's assessment of an evaluation",
)
def assess(request: HttpRequest, evaluation_id: int, payload: AssessmentIn) -> dict[str, Any]:
    evaluation = get_object_or_404(Evaluation.objects.select_related("project"), pk=evaluation_id)
    require(permissions.can_view_project(request.user, evaluation.project))
    evaluation = services.evaluation_assess(
        evaluation=evaluation, assessment=payload.assessment, acting_user=request.user
    )
    return _evaluation_out(evaluation)


@router.get(
    "/projects/{project_id}/expost",
    summary="The ex-ante and ex-post cases side by side (null without a case)",
)
def expost(request: HttpRequest, project_id: int) -> dict[str, Any] | None:
    comparison = project_comparison(project=_project(request, project_id))
    if comparison is None:
        return None
    return {"ex_ante": comparison.ex_ante, "ex_post": comparison.ex_post, "notes": comparison.notes}


@router.get("/projects/{project_id}/documents", tags=["documents"])
def list_documents(request: HttpRequest, project_id: int) -> list[dict[str, Any]]:
    return [_document_out(d) for d in _project(request, project_id).documents.all()]


@router.post(
    "/projects/{project_id}/documents",
    response={201: dict},
    tags=["documents"],
    summary="Upload a PDF, Word, Excel or image file (multipart: title, file)",
)
def upload(
    request: HttpRequest, project_id: int, title: Form[DocumentTitle], file: File[UploadedFile]
) -> Status:
    document = document_upload(
        project=_project(request, project_id), title=title, upload=file, acting_user=request.user
    )
    return Status(201, _document_out(document))


@router.get(
    "/documents/{document_id}",
    tags=["documents"],
    response={200: None},
    summary="Download a document (only for those who may see its project)",
)
def download(request: HttpRequest, document_id: int) -> FileResponse:
    document = get_object_or_404(Document.objects.select_related("project"), pk=document_id)
    require(permissions.can_view_project(request.user, document.project))
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise HttpError(404, str(FILE_MISSING)) from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
