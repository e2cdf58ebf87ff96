"""The investment case of an application: edited as rows (or as TOML), computed by the engine
as the applicant types without saving, saved only through services.application_case_set, and
exported and imported as the engine's case file. Those who may see but not edit the
application see the case and its results read-only."""

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sifra.accounts import permissions
from sifra.applications import case_forms as cf
from sifra.applications.case_text import case_toml
from sifra.applications.models import Application
from sifra.applications.selectors import PAGE_ITERATIONS, case_needs_worker, case_result
from sifra.applications.services import application_case_set
from sifra.calculations.selectors import calculation_under_way
from sifra.calculations.services import TooManyCalculations, calculation_start
from sifra.core.charts import case_cumulative_chart
from sifra.core.http import download_name, require

ROW_SECTIONS = ("actors", "costs", "outcomes")
Editor = cf.RowEditor | cf.TomlEditor


def _get(request: HttpRequest, pk: int) -> Application:
    application = get_object_or_404(Application.objects.select_related("fund", "lead_unit"), pk=pk)
    require(permissions.can_view_application(request.user, application))
    return application


@login_required
@require_http_methods(["GET", "POST"])
def case_page(request: HttpRequest, pk: int) -> HttpResponse:
    """GET shows the case; POST saves it (action=save), computes it without saving
    (action=calculate, for browsers without JavaScript), hands a Monte Carlo too heavy for the
    page to the task worker (action=montecarlo) or adds an empty row (action=add-…)."""
    application = _get(request, pk)
    if request.method == "GET":
        editor, notice = _stored_editor(application, request.GET.get("mode"))
        return _render(request, application, editor, application.case, notice=notice)
    require(permissions.can_edit_application(request.user, application))
    action, data = request.POST.get("action", "save"), request.POST
    if action.removeprefix("add-") in ROW_SECTIONS:
        data = cf.with_extra_row(data, action.removeprefix("add-"))
    editor = _posted_editor(data)
    case = editor.clean_case()
    if case is not None and action == "save" and _save(request, application, editor, case):
        messages.success(request, _("The investment case was saved."))
        return redirect(_case_url(application, editor.mode))
    start = case is not None and action == "montecarlo"
    return _render(request, application, editor, case, posted=True, start=start)


@login_required
@require_POST
def case_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The results partial for what the form holds now; nothing is saved (htmx, as one types)."""
    application = _get(request, pk)
    require(permissions.can_edit_application(request.user, application))
    editor = _posted_editor(request.POST)
    case = editor.clean_case()
    context = {"a": application, "can_edit": True, **_results(request, editor, case, True)}
    return render(request, "applications/_case_results.html", context)


@login_required
@require_GET
def case_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The stored case as the engine's file: ?format=toml (the default) or ?format=json."""
    application = _get(request, pk)
    fmt = request.GET.get("format", "toml")
    if not application.case or fmt not in ("toml", "json"):
        raise Http404
    if fmt == "json":
        body = json.dumps(application.case, ensure_ascii=False, indent=2) + "\n"
    else:
        body = case_toml(application.case)
    response = HttpResponse(body, content_type=f"application/{fmt}; charset=utf-8")
    response["Content-Disposition"] = (
        content_disposition_header(True, f"{download_name(_('case'), application.reference)}.{fmt}")
        or ""
    )
    return response


@login_required
@require_POST
def case_import(request: HttpRequest, pk: int) -> HttpResponse:
    """A case file uploaded or pasted replaces the case once the engine accepts it."""
    application = _get(request, pk)
    require(permissions.can_edit_application(request.user, application))
    form = cf.CaseImportForm(request.POST, request.FILES, prefix="import")
    if form.is_valid():
        try:
            application_case_set(
                application=application, case=form.cleaned_data["case"], acting_user=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("The investment case was imported."))
            return redirect(_case_url(application, None))
    editor, notice = _stored_editor(application, None)
    return _render(request, application, editor, application.case, notice=notice, import_form=form)


# --- Helpers --------------------------------------------------------------------------------------


def _stored_editor(application: Application, mode: str | None) -> tuple[Editor, str | None]:
    """The rows for the stored case, unless TOML is asked for or the rows cannot show it all
    (then the reason, for the page)."""
    case = application.case or _starter_case(application)
    notice = None
    if mode != "toml":
        try:
            return cf.RowEditor(initial=cf.case_to_initial(case)), None
        except cf.Unrepresentable as exc:
            notice = exc.reason
    return cf.TomlEditor(initial={"text": case_toml(case)}), notice


def _posted_editor(data: Any) -> Editor:
    return cf.TomlEditor(data) if data.get("mode") == "toml" else cf.RowEditor(data)


def _save(
    request: HttpRequest, application: Application, editor: Editor, case: dict[str, Any]
) -> bool:
    try:
        application_case_set(application=application, case=case, acting_user=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            editor.add_problem(message)
        return False
    return True


def _case_url(application: Application, mode: str | None) -> str:
    url = reverse("applications:case", args=[application.pk])
    return f"{url}?mode=toml" if mode == "toml" else url


def _render(
    request: HttpRequest,
    application: Application,
    editor: Editor,
    case: dict[str, Any] | None,
    *,
    notice: str | None = None,
    import_form: cf.CaseImportForm | None = None,
    posted: bool = False,
    start: bool = False,
) -> HttpResponse:
    return render(
        request,
        "applications/case_edit.html",
        {
            "a": application,
            "editor": editor,
            "can_edit": permissions.can_edit_application(request.user, application),
            "has_case": bool(application.case),
            "notice": notice,
            "import_form": import_form or cf.CaseImportForm(prefix="import"),
            **_results(request, editor, case, posted, start=start),
        },
    )


def _results(
    request: HttpRequest,
    editor: Editor,
    case: dict[str, Any] | None,
    posted: bool,
    *,
    start: bool = False,
) -> dict[str, Any]:
    """The results partial's context: the engine's document, the chart and the actors by
    name, or the problems that keep the case from being computed; for a Monte Carlo too heavy
    for the page, its calculation in the worker (started when `start`)."""
    run = _worker_run(request, case, start) if case else {}
    result = case_result(case) if case else None  # after the start: the immediate backend is done
    if result is None:
        return {"result": None, "errors": editor.error_list() if posted else []}
    names = {a["id"]: a.get("name") or a["id"] for a in case["actors"]}  # type: ignore[index]
    return {
        "result": result,
        "errors": [],
        "chart_spec": case_cumulative_chart(result),
        "actor_rows": [{"name": names.get(k, k), **v} for k, v in result["by_actor"].items()],
        **(run if result["monte_carlo"] is None else {}),
    }


def _worker_run(request: HttpRequest, case: dict[str, Any], start: bool) -> dict[str, Any]:
    """What the page says of a Monte Carlo too heavy to run in the request: the calculation
    under way, or that it can be started (or why it cannot)."""
    if not case_needs_worker(case):
        return {}
    run: dict[str, Any] = {"iterations": PAGE_ITERATIONS, "calculation": None, "refused": None}
    try:
        if start:
            run["calculation"] = calculation_start(
                case=case, iterations=PAGE_ITERATIONS, seed=0, acting_user=request.user
            )
        else:
            run["calculation"] = calculation_under_way(request.user, case, PAGE_ITERATIONS, 0)
    except TooManyCalculations as exc:
        run["refused"] = str(exc)
    except ValidationError as exc:
        run["refused"] = " ".join(exc.messages)
    return {"worker_run": run}


def _starter_case(application: Application) -> dict[str, Any]:
    """A first case to fill in: this year, ten years at 3.5 %, and the application's units and
    partners as actors."""
    year = (application.start_date or timezone.localdate()).year
    head = {
        "title": application.title,
        "start_year": year,
        "horizon": 10,
        "discount_rate": 0.035,
        "price_year": year,
    }
    return {"case": head, "actors": _suggested_actors(application)}


def _short_id(name: str) -> str:
    """'Vård- och omsorgsnämnden' → 'vard-och': a slug cut at a word, at most 20 characters."""
    slug = slugify(name)
    if len(slug) > 20:
        slug = slug[:21].rsplit("-", 1)[0][:20]
    return slug or "actor"


def _suggested_actors(application: Application) -> list[dict[str, str]]:
    units = [
        application.lead_unit,
        *application.units.exclude(pk=application.lead_unit_id).order_by("name"),
    ]
    parties = [(u, u.code, "kommun") for u in units] + [
        (p, "", p.sector) for p in application.partners.order_by("name")
    ]
    actors: list[dict[str, str]] = []
    for party, code, sector in parties:
        base = _short_id(code or party.name)
        ident, n = base, 2
        while any(a["id"] == ident for a in actors):
            ident, n = f"{base}-{n}", n + 1
        actors.append({"id": ident, "name": party.name, "sector": sector})
    return actors
