from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sifra.accounts import permissions
from sifra.core.forms import run_service
from sifra.core.http import require
from sifra.core.pagination import KeyedPaginator
from sifra.funds.selectors import ledger_entries, project_balances, projects_with_balances
from sifra.projects import services
from sifra.projects.forms import ProjectForm
from sifra.projects.models import Project
from sifra.projects.selectors import projects_visible

PAGE_SIZE = 50


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    projects = projects_with_balances(projects_visible(user=request.user))
    page = KeyedPaginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "projects/project_list.html",
        {
            "page": page,
            "projects": page.object_list,
            "can_create": permissions.can_manage_projects(request.user),
        },
    )


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(Project.objects.select_related("fund", "lead_unit"), pk=pk)
    require(permissions.can_view_project(request.user, project))
    entries = ledger_entries(fund=project.fund, user=request.user).filter(project=project)
    balances = project_balances(project=project)
    return render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            "balances": balances,
            "entries": entries,
            "can_edit": permissions.can_manage_projects(request.user),
            "can_post": permissions.can_post_any(request.user),
            # Paying out needs an open project with money committed to it: a closed one has none.
            "can_disburse": permissions.can_post(request.user, "disbursement")
            and project.status in (Project.Status.ACTIVE, Project.Status.REPORTING)
            and balances.committed > 0,
            "application": getattr(project, "application", None),
        },
    )


def _save_kwargs(form: ProjectForm) -> dict:
    data = dict(form.cleaned_data)
    data.pop("fund", None)
    return data


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request: HttpRequest) -> HttpResponse:
    require(permissions.can_manage_projects(request.user))
    form = ProjectForm(request.POST or None, initial={"fund": request.GET.get("fund")})
    if request.method == "POST" and form.is_valid():
        project = run_service(
            form,
            services.project_create,
            fund=form.cleaned_data["fund"],
            acting_user=request.user,
            **_save_kwargs(form),
        )
        if project:
            messages.success(request, _("The project was registered."))
            return redirect("projects:detail", project.pk)
    return render(request, "projects/project_form.html", {"form": form, "project": None})


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require(permissions.can_manage_projects(request.user))
    project = get_object_or_404(Project, pk=pk)
    form = ProjectForm(request.POST or None, instance=Project.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form,
            services.project_update,
            project=project,
            acting_user=request.user,
            **_save_kwargs(form),
        )
        if saved:
            messages.success(request, _("The project was saved."))
            return redirect("projects:detail", project.pk)
    return render(request, "projects/project_form.html", {"form": form, "project": project})
