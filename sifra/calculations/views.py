import tomllib
import uuid
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from sifra.accounts import permissions
from sifra.calculations.models import Calculation
from sifra.calculations.selectors import calculation_of
from sifra.calculations.services import INLINE_WORK, TooManyCalculations, calculation_start
from sifra.core.charts import case_cumulative_chart
from sifra.core.examples import example_case_for_page
from sifra.core.http import require
from sifra.engine import CaseError, calculate, load_case
from sifra.engine.limits import MAX_CASE_BYTES, MAX_ITERATIONS, TOO_BIG_FILE, check_run, work


@login_required
@require_GET
def progress(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """A calculation's progress: the fragment htmx polls every second until it is finished, or,
    without JavaScript, a page that reloads itself until then."""
    calculation = calculation_of(request.user, pk)
    fragment = request.headers.get("HX-Request") == "true"
    template = "calculations/_progress.html" if fragment else "calculations/progress.html"
    return render(request, template, {"calculation": calculation})


class CalcForm(forms.Form):
    case = forms.CharField(
        label=_("Case (TOML)"),
        widget=forms.Textarea(attrs={"rows": 24}),
        max_length=MAX_CASE_BYTES,
        help_text=_("The case file format is described in the README."),
    )
    iterations = forms.IntegerField(
        label=_("Monte Carlo iterations"), required=False, min_value=100, max_value=MAX_ITERATIONS
    )
    seed = forms.IntegerField(label=_("Seed"), initial=0, min_value=0, required=False)


@login_required
@require_http_methods(["GET", "POST"])
def calc_page(request: HttpRequest) -> HttpResponse:
    """Paste a case, see what the engine makes of it: the same engine as `sifra calc`. A run
    too heavy for the request goes to the task worker; the page then shows its progress, and
    the same run submitted again once it is done shows its kept result."""
    require(permissions.can_calculate(request.user))
    form = CalcForm(request.POST or None, initial={"case": example_case_for_page()})
    result, calculation, case_errors = None, None, []
    if request.method == "POST" and form.is_valid():
        try:
            result, calculation = _run(request, form.cleaned_data)
        except tomllib.TOMLDecodeError as exc:
            case_errors = [f"TOML: {exc}"]
        except CaseError as exc:
            case_errors = exc.lines()
        except TooManyCalculations as exc:
            case_errors = [str(exc)]
        except ValidationError as exc:
            case_errors = exc.messages
    return render(
        request,
        "calculations/calc.html",
        {
            "form": form,
            "result": result,
            "calculation": calculation,
            "case_errors": case_errors,
            "chart_spec": case_cumulative_chart(result) if result else None,
        },
    )


def _run(request: HttpRequest, data: dict[str, Any]) -> tuple[Any, Calculation | None]:
    """(the result, or None while the worker computes it; the worker's calculation, if any)."""
    text, iterations, seed = data["case"], data["iterations"], data["seed"] or 0
    if len(text.encode()) > MAX_CASE_BYTES:
        raise CaseError([("case", TOO_BIG_FILE.format(limit=f"{MAX_CASE_BYTES:_}"))])
    raw = tomllib.loads(text)
    case = load_case(raw)
    check_run(case, iterations)
    if work(case, iterations) <= INLINE_WORK:
        return calculate(case, iterations=iterations, seed=seed), None
    calculation = calculation_start(
        case=raw, iterations=iterations, seed=seed, acting_user=request.user
    )
    return (calculation.result if calculation.status == "done" else None), calculation
