import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Status

from sifra.accounts import permissions
from sifra.api.schemas import LONG_TEXT, Amount, In, kept, long_text, to_ore
from sifra.core.http import require
from sifra.followup import services
from sifra.followup.models import ProgressReport, ReportDue, ReportKind
from sifra.projects.models import Project
from sifra.projects.services import project_close

router = Router(tags=["follow-up"])


class IndicatorIn(In):
    name: str = Field(..., max_length=200)
    unit: str = Field(..., max_length=50)
    baseline: Decimal
    baseline_year: int
    target: Decimal
    method: str = Field("", max_length=300)
    frequency: str = Field("", max_length=100)


class BudgetLineIn(In):
    year: int
    description: str = Field(..., max_length=200)
    from_fund: Amount = "0"
    own_contribution: Amount = "0"


class ScheduleIn(In):
    every_months: int = Field(6, ge=1, le=24)
    days_to_report: int = Field(30, ge=0, le=365)
    final_days: int = Field(90, ge=0, le=365)


class ReportCreateIn(In):
    due_id: int | None = None
    kind: ReportKind = ReportKind.PROGRESS
    period_start: dt.date | None = None
    period_end: dt.date | None = None


class ReportPatch(In):
    participants: int | None = Field(None, ge=0)
    narrative: str = kept(max_length=LONG_TEXT)
    values: dict[int, Decimal] | None = Field(None, description="indicator id → actual value")
    costs: dict[int, Amount] | None = Field(None, description="budget line id → kronor")


class CommentIn(In):
    comment: str = Field(..., max_length=LONG_TEXT)


class CloseIn(In):
    outcome: Literal["implement", "stop"]
    note: str = long_text()


def _project(request: HttpRequest, project_id: int) -> Project:
    project = get_object_or_404(Project, pk=project_id)
    require(permissions.can_view_project(request.user, project))
    return project


def _report(request: HttpRequest, report_id: int) -> ProgressReport:
    report = get_object_or_404(ProgressReport.objects.select_related("project"), pk=report_id)
    require(permissions.can_view_project(request.user, report.project))
    return report


def _report_out(r: ProgressReport) -> dict[str, Any]:
    return {
        "id": r.pk,
        "project_id": r.project_id,
        "kind": r.kind,
        "status": r.status,
        "period_start": r.period_start,
        "period_end": r.period_end,
        "participants": r.participants,
        "narrative": r.narrative,
        "comment": r.comment,
        "values": {str(v.indicator_id): str(v.value) for v in r.values.all()},
        "costs_ore": {str(c.budget_line_id): c.amount for c in r.costs.all()},
    }


@router.get(
    "/projects/{project_id}/followup",
    summary="A project's indicators, budget, reporting schedule and reports",
)
def get_followup(request: HttpRequest, project_id: int) -> dict[str, Any]:
    p = _project(request, project_id)
    return {
        "indicators": [
            {
                "id": i.pk,
                "name": i.name,
                "unit": i.unit,
                "baseline": str(i.baseline),
                "baseline_year": i.baseline_year,
                "target": str(i.target),
            }
            for i in p.indicators.all()
        ],
        "budget_lines": [
            {
                "id": b.pk,
                "year": b.year,
                "description": b.description,
                "from_fund_ore": b.from_fund,
                "own_contribution_ore": b.own_contribution,
            }
            for b in p.budget_lines.all()
        ],
        "dues": [
            {
                "id": d.pk,
                "kind": d.kind,
                "period_start": d.period_start,
                "period_end": d.period_end,
                "due_date": d.due_date,
                "report_id": getattr(getattr(d, "report", None), "pk", None),
            }
            for d in p.dues.all()
        ],
        "reports": [_report_out(r) for r in p.reports.all()],
    }


@router.post("/projects/{project_id}/schedule", summary="Set the reporting schedule")
def set_schedule(
    request: HttpRequest, project_id: int, payload: ScheduleIn
) -> list[dict[str, Any]]:
    dues = services.schedule_set(
        project=_project(request, project_id), acting_user=request.user, **payload.dict()
    )
    return [{"kind": d.kind, "due_date": d.due_date, "period_end": d.period_end} for d in dues]


@router.post("/projects/{project_id}/indicators", response={201: dict})
def add_indicator(request: HttpRequest, project_id: int, payload: IndicatorIn) -> Status:
    i = services.indicator_add(
        project=_project(request, project_id), acting_user=request.user, **payload.dict()
    )
    return Status(201, {"id": i.pk, "name": i.name})


@router.post("/projects/{project_id}/budget-lines", response={201: dict})
def add_budget_line(request: HttpRequest, project_id: int, payload: BudgetLineIn) -> Status:
    project = _project(request, project_id)
    require(permissions.can_manage_projects(request.user))  # before the amounts are read
    data = payload.dict()
    data["from_fund"] = to_ore("from_fund", data["from_fund"]) or 0
    data["own_contribution"] = to_ore("own_contribution", data["own_contribution"]) or 0
    b = services.budget_line_add(project=project, acting_user=request.user, **data)
    return Status(201, {"id": b.pk, "description": b.description})


@router.post("/projects/{project_id}/reports", response={201: dict}, summary="Start a report")
def create_report(request: HttpRequest, project_id: int, payload: ReportCreateIn) -> Status:
    project = _project(request, project_id)
    due = (
        get_object_or_404(ReportDue, pk=payload.due_id, project=project) if payload.due_id else None
    )
    report = services.report_create(
        project=project,
        acting_user=request.user,
        due=due,
        kind=payload.kind,
        period_start=payload.period_start,
        period_end=payload.period_end,
    )
    return Status(201, _report_out(report))


@router.get("/reports/{report_id}")
def get_report(request: HttpRequest, report_id: int) -> dict[str, Any]:
    return _report_out(_report(request, report_id))


@router.patch("/reports/{report_id}", summary="Save a draft report (exact values, costs in kr)")
def update_report(request: HttpRequest, report_id: int, payload: ReportPatch) -> dict[str, Any]:
    report = _report(request, report_id)
    require(permissions.can_report(request.user, report.project))  # before the amounts are read
    data = payload.dict(exclude_unset=True)
    if data.get("costs") is not None:
        data["costs"] = {k: to_ore(f"costs.{k}", v) or 0 for k, v in data["costs"].items()}
    report = services.report_update(report=report, acting_user=request.user, **data)
    return _report_out(report)


@router.post("/reports/{report_id}/submit")
def submit_report(request: HttpRequest, report_id: int) -> dict[str, Any]:
    return _report_out(
        services.report_submit(report=_report(request, report_id), acting_user=request.user)
    )


@router.post("/reports/{report_id}/return", summary="Return for revision (coordinator)")
def return_report(request: HttpRequest, report_id: int, payload: CommentIn) -> dict[str, Any]:
    return _report_out(
        services.report_return(
            report=_report(request, report_id), comment=payload.comment, acting_user=request.user
        )
    )


@router.post("/reports/{report_id}/approve", summary="Approve (coordinator)")
def approve_report(request: HttpRequest, report_id: int) -> dict[str, Any]:
    return _report_out(
        services.report_approve(report=_report(request, report_id), acting_user=request.user)
    )


@router.post(
    "/projects/{project_id}/close",
    summary="Close the project: outcome, note, unused commitment released",
)
def close_project(request: HttpRequest, project_id: int, payload: CloseIn) -> dict[str, Any]:
    p = project_close(
        project=_project(request, project_id),
        outcome=payload.outcome,
        note=payload.note,
        acting_user=request.user,
    )
    return {"id": p.pk, "status": p.status, "outcome": p.outcome, "closed_at": p.closed_at}
