"""Open data: the published grants as 360Giving JSON and CSV and the public page's projects, for
anyone and without a token; and publishing or withdrawing a grant, for the coordinator."""

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from sifra.accounts import permissions
from sifra.api.schemas import DbId, In, kronor, long_text
from sifra.core.http import require
from sifra.funds.models import Fund
from sifra.opendata import services
from sifra.opendata.models import Publication
from sifra.opendata.selectors import PublicProject, funds_with_publications, public_projects
from sifra.opendata.threesixty import (
    grant_package,
    grant_prefix,
    grants_csv,
    package_json,
    published_grants,
)
from sifra.projects.models import Project

router = Router(tags=["open data"])


class OpenFundOut(Schema):
    id: int
    name: str
    organisation: str
    json_url: str
    csv_url: str


class IndicatorOut(Schema):
    name: str
    unit: str
    baseline: Decimal
    baseline_year: int
    target: Decimal
    latest: Decimal | None
    latest_period_end: dt.date | None


class EvaluationOut(Schema):
    method: str
    method_label: str
    effect: Decimal
    ci_low: Decimal
    ci_high: Decimal


class PublicProjectOut(Schema):
    id: int
    fund_id: int
    grant_id: str
    title: str
    summary: str
    committees: list[str]
    start_date: dt.date | None
    end_date: dt.date | None
    amount_awarded_ore: int
    amount_awarded: str
    award_date: dt.date
    disbursed_ore: int
    disbursed: str
    repaid_ore: int
    repaid: str
    indicators: list[IndicatorOut]
    evaluation: EvaluationOut | None


def _public_out(p: PublicProject) -> dict[str, Any]:
    project, e = p.project, p.evaluation
    return {
        "id": project.pk,
        "fund_id": project.fund_id,
        "grant_id": f"{grant_prefix(project.fund.organisation)}-{p.publication.grant_ref}",
        "title": project.title,
        "summary": p.publication.summary,
        "committees": p.committees,
        "start_date": project.start_date,
        "end_date": project.end_date,
        "amount_awarded_ore": p.facts.amount_awarded,
        "amount_awarded": kronor(p.facts.amount_awarded),
        "award_date": p.facts.award_date,
        "disbursed_ore": p.disbursed,
        "disbursed": kronor(p.disbursed),
        "repaid_ore": p.repaid,
        "repaid": kronor(p.repaid),
        "indicators": [
            {
                "name": row.indicator.name,
                "unit": row.indicator.unit,
                "baseline": row.baseline,
                "baseline_year": row.indicator.baseline_year,
                "target": row.target,
                "latest": row.latest,
                "latest_period_end": row.latest_period_end,
            }
            for row in p.indicators
        ],
        "evaluation": None
        if e is None
        else {
            "method": e.method,
            "method_label": e.get_method_display(),
            "effect": e.effect,
            "ci_low": e.ci_low,
            "ci_high": e.ci_high,
        },
    }


@router.get(
    "/open-data/funds",
    response=list[OpenFundOut],
    auth=None,
    summary="The funds with published grants, and where their 360Giving data is (no token)",
)
def open_funds(request: HttpRequest) -> list[dict[str, Any]]:
    out = []
    for fund in funds_with_publications().select_related("organisation"):
        url = reverse("api:opendata_360giving", args=[fund.pk])
        out.append(
            {
                "id": fund.pk,
                "name": fund.name,
                "organisation": fund.organisation.name,
                "json_url": url,
                "csv_url": f"{url}?format=csv",
            }
        )
    return out


@router.get(
    "/open-data/funds/{fund_id}/360giving",
    response={200: None},
    auth=None,
    url_name="opendata_360giving",
    summary="The fund's published grants as a 360Giving grant package (JSON) or CSV (no token)",
)
def open_data_360giving(
    request: HttpRequest, fund_id: int, format: Literal["json", "csv"] = "json"
) -> HttpResponse:
    fund = get_object_or_404(Fund.objects.select_related("organisation"), pk=fund_id)
    grants = published_grants(fund)
    if not grants:
        raise HttpError(404, _("Nothing from this fund is published."))
    if format == "csv":
        response = HttpResponse(grants_csv(grants), content_type="text/csv; charset=utf-8")
    else:
        body = package_json(grant_package(fund, grants))
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="360giving-fund-{fund.pk}.{format}"'
    return response


@router.get(
    "/open-data/projects",
    response=list[PublicProjectOut],
    auth=None,
    summary="The published projects as the public page shows them (no token)",
)
def open_projects(request: HttpRequest, fund_id: DbId | None = None) -> list[dict[str, Any]]:
    fund = get_object_or_404(Fund, pk=fund_id) if fund_id is not None else None
    return [_public_out(p) for p in public_projects(fund=fund)]


class PublicationIn(In):
    summary: str = long_text(...)


class PublicationOut(Schema):
    project_id: int
    grant_id: str
    summary: str
    is_public: bool
    published_at: dt.datetime
    updated_at: dt.datetime
    withdrawn_at: dt.datetime | None


def _publication_out(p: Publication) -> dict[str, Any]:
    return {
        "project_id": p.project_id,
        "grant_id": f"{grant_prefix(p.project.fund.organisation)}-{p.grant_ref}",
        "summary": p.summary,
        "is_public": p.is_public,
        "published_at": p.published_at,
        "updated_at": p.updated_at,
        "withdrawn_at": p.withdrawn_at,
    }


def _project(request: HttpRequest, project_id: int) -> Project:
    project = get_object_or_404(Project.objects.select_related("fund__organisation"), pk=project_id)
    require(permissions.can_view_project(request.user, project))
    return project


@router.get(
    "/projects/{project_id}/publication",
    response=PublicationOut,
    summary="Whether and how the project is published as open data",
)
def get_publication(request: HttpRequest, project_id: int) -> dict[str, Any]:
    project = _project(request, project_id)
    return _publication_out(get_object_or_404(Publication, project=project))


@router.put(
    "/projects/{project_id}/publication",
    response=PublicationOut,
    summary="Publish a decided grant as open data, or change its public summary (coordinator)",
)
def publish(request: HttpRequest, project_id: int, payload: PublicationIn) -> dict[str, Any]:
    require(permissions.can_publish(request.user))
    project = _project(request, project_id)
    publication = services.publication_create(
        project=project, summary=payload.summary, acting_user=request.user
    )
    return _publication_out(publication)


@router.delete(
    "/projects/{project_id}/publication",
    response=PublicationOut,
    summary="Withdraw the project from the open data (coordinator); its record is kept",
)
def withdraw(request: HttpRequest, project_id: int) -> dict[str, Any]:
    require(permissions.can_publish(request.user))
    project = _project(request, project_id)
    publication = services.publication_withdraw(project=project, acting_user=request.user)
    return _publication_out(publication)
