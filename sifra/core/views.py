import tomllib

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from sifra.accounts import permissions
from sifra.core.charts import case_cumulative_chart
from sifra.core.examples import example_case_text
from sifra.core.http import require
from sifra.engine import CaseError, calculate, load_case
from sifra.engine.limits import MAX_CASE_BYTES, MAX_ITERATIONS, TOO_BIG_FILE, check_run


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


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
    """Paste a case, see what the engine makes of it: the same engine as `sifra calc`."""
    require(permissions.can_calculate(request.user))
    form = CalcForm(request.POST or None, initial={"case": example_case_text()})
    result, case_errors = None, []
    if request.method == "POST" and form.is_valid():
        text, iterations = form.cleaned_data["case"], form.cleaned_data["iterations"]
        try:
            if len(text.encode()) > MAX_CASE_BYTES:
                raise CaseError([("case", TOO_BIG_FILE.format(limit=f"{MAX_CASE_BYTES:_}"))])
            case = load_case(tomllib.loads(text))
            check_run(case, iterations)
            result = calculate(case, iterations=iterations, seed=form.cleaned_data["seed"] or 0)
        except tomllib.TOMLDecodeError as exc:
            case_errors = [f"TOML: {exc}"]
        except CaseError as exc:
            case_errors = exc.lines()
    return render(
        request,
        "core/calc.html",
        {
            "form": form,
            "result": result,
            "case_errors": case_errors,
            "chart_spec": case_cumulative_chart(result) if result else None,
        },
    )
