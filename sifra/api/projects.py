import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from sifra.accounts import permissions
from sifra.accounts.models import Partner, Unit
from sifra.api.funds import _balances
from sifra.api.schemas import BalancesOut, DbId, In, PageIn, kept, long_text, page_of, paged
from sifra.core.http import require
from sifra.core.text import LONG_TEXT
from sifra.funds.models import Fund
from sifra.funds.selectors import project_balances
from sifra.projects import services
from sifra.projects.models import Project
from sifra.projects.selectors import projects_visible

router = Router(tags=["projects"])


class ProjectIn(In):
    fund_id: int
    code: str = Field(..., max_length=30)
    title: str = Field(..., max_length=200)
    description: str = long_text()
    lead_unit_id: int
    unit_ids: list[int] = []
    partner_ids: list[int] = []
    decision_ref: str = Field("", max_length=100)
    start_date: dt.date | None = None
    end_date: dt.date | None = None


class ProjectPatch(In):
    code: str = kept(max_length=30)
    title: str = kept(max_length=200)
    description: str = kept(max_length=LONG_TEXT)
    lead_unit_id: int = kept()
    unit_ids: list[int] = kept()
    partner_ids: list[int] = kept()
    status: Project.Status = kept()
    decision_ref: str = kept(max_length=100)
    start_date: dt.date | None = None
    end_date: dt.date | None = None


class ProjectOut(Schema):
    id: int
    fund_id: int
    code: str
    title: str
    description: str
    status: str
    lead_unit_id: int
    unit_ids: list[int]
    partner_ids: list[int]
    decision_ref: str
    start_date: dt.date | None
    end_date: dt.date | None
    balances: BalancesOut


def _out(p: Project) -> dict[str, Any]:
    return {
        "id": p.pk,
        "fund_id": p.fund_id,
        "code": p.code,
        "title": p.title,
        "description": p.description,
        "status": p.status,
        "lead_unit_id": p.lead_unit_id,
        "unit_ids": [u.pk for u in p.units.all()],
        "partner_ids": [x.pk for x in p.partners.all()],
        "decision_ref": p.decision_ref,
        "start_date": p.start_date,
        "end_date": p.end_date,
        "balances": _balances(project_balances(project=p), None),
    }


def _relations(data: dict[str, Any]) -> dict[str, Any]:
    """Turn the payload's ids into objects; an unknown id is a 404."""
    if data.get("lead_unit_id") is not None:
        data["lead_unit"] = get_object_or_404(Unit, pk=data.pop("lead_unit_id"))
    data.pop("lead_unit_id", None)
    if "unit_ids" in data:
        ids = data.pop("unit_ids")
        data["units"] = None if ids is None else [get_object_or_404(Unit, pk=i) for i in ids]
    if "partner_ids" in data:
        ids = data.pop("partner_ids")
        data["partners"] = None if ids is None else [get_object_or_404(Partner, pk=i) for i in ids]
    return data


@router.get(
    "",
    response=paged(ProjectOut),
    summary="The projects you may see, in pages (`limit` from `offset` on)",
)
def list_projects(
    request: HttpRequest, page: Query[PageIn], fund_id: DbId | None = None
) -> dict[str, Any]:
    qs = projects_visible(user=request.user).prefetch_related("units", "partners")
    if fund_id is not None:
        qs = qs.filter(fund_id=fund_id)
    return page_of(qs, page, _out)


@router.get("/{project_id}", response=ProjectOut)
def get_project(request: HttpRequest, project_id: int) -> dict[str, Any]:
    project = get_object_or_404(Project, pk=project_id)
    require(permissions.can_view_project(request.user, project))
    return _out(project)


@router.post("", response={201: ProjectOut}, summary="Register a project (coordinator)")
def create_project(request: HttpRequest, payload: ProjectIn) -> Status:
    require(permissions.can_manage_projects(request.user))
    data = _relations(payload.dict())
    fund = get_object_or_404(Fund, pk=data.pop("fund_id"))
    return Status(201, _out(services.project_create(fund=fund, acting_user=request.user, **data)))


@router.patch("/{project_id}", response=ProjectOut)
def update_project(request: HttpRequest, project_id: int, payload: ProjectPatch) -> dict[str, Any]:
    require(permissions.can_manage_projects(request.user))
    project = get_object_or_404(Project, pk=project_id)
    data = _relations(payload.dict(exclude_unset=True))
    return _out(services.project_update(project=project, acting_user=request.user, **data))
