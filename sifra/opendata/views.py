"""The public open-data page (no login) and the coordinator's page to publish a grant."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sifra.accounts import permissions
from sifra.core.forms import run_service
from sifra.core.http import first_error, require
from sifra.opendata import services
from sifra.opendata.forms import PublicationForm
from sifra.opendata.models import Publication
from sifra.opendata.selectors import (
    funds_with_publications,
    grant_facts,
    public_project,
    public_projects,
)
from sifra.opendata.threesixty import grant_prefix
from sifra.projects.models import Project


def public(request: HttpRequest) -> HttpResponse:
    """Every published project, by fund, with the fund's 360Giving downloads."""
    funds = [(fund, public_projects(fund=fund)) for fund in funds_with_publications()]
    return render(request, "opendata/public.html", {"funds": [f for f in funds if f[1]]})


def public_project_page(request: HttpRequest, pk: int) -> HttpResponse:
    publication = get_object_or_404(
        Publication.objects.select_related("project__fund__organisation", "project__lead_unit"),
        project_id=pk,
        is_public=True,
    )
    shown = public_project(publication)
    if shown is None:
        raise Http404
    return render(request, "opendata/project.html", {"p": shown})


def _project(request: HttpRequest, pk: int) -> Project:
    require(permissions.can_publish(request.user))
    return get_object_or_404(Project.objects.select_related("fund__organisation"), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def publication(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    current = Publication.objects.filter(project=project).first()
    initial = {"summary": current.summary if current else project.description}
    form = PublicationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form,
            services.publication_create,
            project=project,
            summary=form.cleaned_data["summary"],
            acting_user=request.user,
        )
        if saved:
            messages.success(request, _("The grant is published as open data."))
            return redirect("opendata:publication", project.pk)
    context = {
        "project": project,
        "publication": current,
        "grant_id": f"{grant_prefix(project.fund.organisation)}-{current.grant_ref}"
        if current
        else None,
        "decided": grant_facts(project) is not None,
        "form": form,
    }
    return render(request, "opendata/publication.html", context)


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    try:
        services.publication_withdraw(project=project, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, first_error(exc))
    else:
        messages.success(request, _("The grant is withdrawn from the open data."))
    return redirect("opendata:publication", project.pk)
