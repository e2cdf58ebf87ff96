"""The fund forecast over HTTP: POST starts one in the task worker (202, with the run to poll),
GET answers its status, progress and, once done, the document `sifra forecast --json` prints."""

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from sifra.accounts import permissions
from sifra.api.schemas import Amount, In
from sifra.core.http import require
from sifra.engine.forecast import MAX_YEARS, PolicyError
from sifra.forecasts.models import ForecastRun
from sifra.forecasts.policy import MAX_SEED, MAX_WORKER_ITERATIONS, build_policy
from sifra.forecasts.selectors import forecast_run
from sifra.forecasts.services import TooManyForecasts, forecast_request
from sifra.funds.models import Fund

router = Router(tags=["forecasts"])
TOO_MANY_ANSWER = {
    "description": "Three of your forecasts are already waiting or running",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}},
}


class ForecastIn(In):
    """The policy. Amounts in kronor; leave `topup` out for the fund's planned top-up, or give
    `tax_share` (per cent) with `tax_revenue` and `growth` (per cent a year) instead; leave
    `new_grants` out for the average of the last three years."""

    years: int = Field(15, ge=1, le=MAX_YEARS)
    iterations: int = Field(10_000, ge=1, le=MAX_WORKER_ITERATIONS)
    seed: int = Field(0, ge=0, le=MAX_SEED)
    topup: Amount | None = None
    tax_share: Decimal | None = Field(None, ge=0, le=100)
    tax_revenue: Amount | None = None
    growth: Decimal | None = Field(None, ge=-99, le=100)
    new_grants: Amount | None = None
    floor: Amount | None = None
    repayment: bool = True


class ForecastOut(Schema):
    id: uuid.UUID
    fund_id: int
    status: str
    progress: int
    created_at: dt.datetime
    created_by: str
    finished_at: dt.datetime | None
    iterations: int
    years: int
    seed: int
    policy: dict[str, Any]
    url: str
    result: dict[str, Any] | None


@router.post(
    "funds/{fund_id}/forecasts",
    response={202: ForecastOut},
    summary="Start a forecast of the fund in the task worker",
    openapi_extra={"responses": {"429": TOO_MANY_ANSWER}},
)
def start_forecast(request: HttpRequest, fund_id: int, payload: ForecastIn) -> Status[Any]:
    """202 with the run to poll at its `url` until `status` is `done` (then `result` is the
    document `sifra forecast --json` prints) or `failed`. A bad policy is 400 naming the field."""
    require(permissions.can_run_forecast(request.user))
    fund = get_object_or_404(Fund, pk=fund_id)
    try:
        policy = build_policy(
            years=payload.years,
            iterations=payload.iterations,
            seed=payload.seed,
            topup=payload.topup,
            tax_share=payload.tax_share,
            tax_revenue=payload.tax_revenue,
            growth=payload.growth,
            new_grants=payload.new_grants,
            floor=payload.floor,
            repayment=payload.repayment,
            max_iterations=MAX_WORKER_ITERATIONS,
        )
    except PolicyError as exc:
        raise ValidationError({exc.option: [exc.message]}) from None
    try:
        run = forecast_request(fund=fund, policy=policy, acting_user=request.user)
    except TooManyForecasts as exc:
        raise HttpError(429, str(exc)) from None
    return Status(202, _out(run))


@router.get(
    "forecasts/{run_id}",
    response=ForecastOut,
    summary="A fund forecast: its status, progress (0–100), policy and result",
)
def get_forecast(request: HttpRequest, run_id: uuid.UUID) -> dict[str, Any]:
    require(permissions.can_view_forecasts(request.user))
    return _out(forecast_run(run_id=run_id))


def _out(run: ForecastRun) -> dict[str, Any]:
    return {
        "id": run.id,
        "fund_id": run.fund_id,
        "status": run.status,
        "progress": run.progress,
        "created_at": run.created_at,
        "created_by": run.created_by.username,
        "finished_at": run.finished_at,
        "iterations": run.iterations,
        "years": run.years,
        "seed": run.seed,
        "policy": run.policy,
        "url": reverse("api:get_forecast", args=[run.id]),
        "result": run.result,
    }
