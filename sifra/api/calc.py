"""The engine over HTTP. A run small enough answers at once with the engine's document, as
`sifra calc --json` prints it; a heavier one (limits.work above INLINE_WORK) is handed to the
task worker and answered 202 with the calculation to poll at GET /api/calc/{id}."""

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from ninja import Body, Query, Router, Schema, Status
from ninja.errors import HttpError

from sifra.accounts import permissions
from sifra.calculations.models import Calculation
from sifra.calculations.selectors import calculation_of
from sifra.calculations.services import (
    INLINE_WORK,
    TooManyCalculations,
    calculation_start,
    field_errors,
)
from sifra.core.http import require
from sifra.engine import CaseError, calculate, load_case
from sifra.engine.limits import MAX_CASE_BYTES, MAX_ITERATIONS, TOO_BIG_FILE, check_run, work

router = Router(tags=["calculation"])
MAX_SEED = 2**32 - 1
TOO_MANY_ANSWER = {
    "description": "Five of your calculations are already waiting or running",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}},
}


class CalculationOut(Schema):
    id: uuid.UUID
    status: str
    progress: int
    created_at: dt.datetime
    finished_at: dt.datetime | None
    iterations: int | None
    seed: int
    url: str
    result: dict[str, Any] | None
    errors: dict[str, list[str]]


@router.post(
    "",
    response={200: dict[str, Any], 202: CalculationOut},
    summary="Run the engine on a case: the body is the JSON form of a case file",
    openapi_extra={"responses": {"429": TOO_MANY_ANSWER}},
)
def run_calc(
    request: HttpRequest,
    case: dict[str, Any] = Body(...),
    iterations: int | None = Query(None, ge=1, le=MAX_ITERATIONS),
    seed: int = Query(0, ge=0, le=MAX_SEED),
) -> Status[Any]:
    """200 with exactly the document `sifra calc --json` prints, or, for a run heavier than
    about 0.2 s, 202 with a calculation to poll at its `url` until `status` is `done` (then
    `result` is that document) or `failed`. Validation errors are 400 with the case's field path
    as the key; a case or run over the limits names the limit."""
    require(permissions.can_calculate(request.user))
    if len(request.body) > MAX_CASE_BYTES:
        raise ValidationError({"case": [TOO_BIG_FILE.format(limit=f"{MAX_CASE_BYTES:_}")]})
    try:
        parsed = load_case(case)
        check_run(parsed, iterations)
    except CaseError as exc:
        raise ValidationError(field_errors(exc)) from None
    if work(parsed, iterations) <= INLINE_WORK:
        return Status(200, calculate(parsed, iterations=iterations, seed=seed))
    try:
        started = calculation_start(
            case=case, iterations=iterations, seed=seed, acting_user=request.user
        )
    except TooManyCalculations as exc:
        raise HttpError(429, str(exc)) from None
    return Status(202, _out(started))


@router.get(
    "/{calculation_id}",
    response=CalculationOut,
    summary="A calculation handed to the worker: its status, progress (0–100) and result",
)
def get_calc(request: HttpRequest, calculation_id: uuid.UUID) -> dict[str, Any]:
    require(permissions.can_calculate(request.user))
    return _out(calculation_of(request.user, calculation_id))


def _out(calculation: Calculation) -> dict[str, Any]:
    return {
        "id": calculation.id,
        "status": calculation.status,
        "progress": calculation.progress,
        "created_at": calculation.created_at,
        "finished_at": calculation.finished_at,
        "iterations": calculation.iterations,
        "seed": calculation.seed,
        "url": reverse("api:get_calc", args=[calculation.id]),
        "result": calculation.result,
        "errors": calculation.errors,
    }
