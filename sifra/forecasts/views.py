"""The forecast page of a fund: the policy form, the kept runs, and the chosen run's result."""

import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sifra.accounts import permissions
from sifra.core.http import require
from sifra.engine.forecast import DEFAULT_ITERATIONS, DEFAULT_YEARS
from sifra.forecasts.charts import forecast_fan_chart
from sifra.forecasts.forms import ForecastForm
from sifra.forecasts.models import ForecastRun
from sifra.forecasts.policy import policy_from_json
from sifra.forecasts.selectors import default_policy_values, forecast_run, forecast_runs
from sifra.forecasts.services import TooManyForecasts, forecast_request
from sifra.forecasts.text import pace_in_words
from sifra.funds.models import Fund


@login_required
@require_http_methods(["GET", "POST"])
def fund_forecast(request: HttpRequest, pk: int) -> HttpResponse:
    require(permissions.can_view_forecasts(request.user))
    fund = get_object_or_404(Fund, pk=pk)
    can_run = permissions.can_run_forecast(request.user)
    initial = {
        "years": DEFAULT_YEARS,
        "iterations": DEFAULT_ITERATIONS,
        "seed": 0,
        "topup_kind": "fixed",
        "repayment": True,
        **default_policy_values(fund),
    }
    form = ForecastForm(request.POST or None, initial=initial)
    if request.method == "POST":
        require(can_run)
        if form.is_valid():
            try:
                run = forecast_request(
                    fund=fund, policy=form.get_policy(), acting_user=request.user
                )
            except TooManyForecasts as exc:
                form.add_error(None, str(exc))
            else:
                return redirect("forecasts:run", run.pk)
    runs = forecast_runs(fund=fund)
    latest = runs.filter(status=ForecastRun.Status.DONE).first()
    return _page(request, fund, form, latest, runs, can_run)


@login_required
@require_GET
def run_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    require(permissions.can_view_forecasts(request.user))
    run = forecast_run(run_id=pk)
    can_run = permissions.can_run_forecast(request.user)
    policy = policy_from_json(run.policy)
    form = ForecastForm(initial=_form_values(policy, run.fund))
    return _page(request, run.fund, form, run, forecast_runs(fund=run.fund), can_run)


@login_required
@require_GET
def run_progress(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """The progress bar htmx polls every second; once the run is finished the whole page is
    reloaded to show it."""
    require(permissions.can_view_forecasts(request.user))
    run = forecast_run(run_id=pk)
    response = render(request, "forecasts/_progress.html", {"run": run})
    if run.finished:
        response["HX-Refresh"] = "true"
    return response


def _form_values(policy: Any, fund: Fund) -> dict[str, Any]:
    values: dict[str, Any] = {
        "years": policy.years,
        "iterations": policy.iterations,
        "seed": policy.seed,
        "repayment": policy.repayment,
        "floor": policy.floor_ore,
        **default_policy_values(fund),
    }
    if policy.new_grants_ore is not None:
        values["new_grants"] = policy.new_grants_ore
    if policy.tax_share is not None:
        values.update(
            topup_kind="tax",
            tax_share=round(policy.tax_share * 100, 3),
            tax_revenue=policy.tax_revenue_ore,
            growth=round(policy.growth * 100, 3),
        )
    else:
        values["topup_kind"] = "fixed"
        if policy.topup_ore is not None:
            values["topup"] = policy.topup_ore
    return values


def _page(
    request: HttpRequest,
    fund: Fund,
    form: ForecastForm,
    run: ForecastRun | None,
    runs: Any,
    can_run: bool,
) -> HttpResponse:
    result = run.result if run is not None and run.status == ForecastRun.Status.DONE else None
    context: dict[str, Any] = {
        "fund": fund,
        "form": form,
        "run": run,
        "runs": runs[:50],
        "can_run": can_run,
        "result": result,
    }
    if result:
        floor = result["policy"]["floor"]
        context.update(
            chart_with=forecast_fan_chart(result["years"], title=_("With repayment"), floor=floor),
            chart_without=forecast_fan_chart(
                result["without_repayment"]["years"], title=_("Without repayment"), floor=floor
            ),
            pace_words=pace_in_words(result),
            rows=list(zip(result["years"], result["without_repayment"]["years"], strict=True)),
        )
    return render(request, "forecasts/forecast.html", context)
