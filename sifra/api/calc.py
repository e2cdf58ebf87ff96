from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Body, Query, Router

from sifra.accounts import permissions
from sifra.core.http import require
from sifra.engine import CaseError, calculate, load_case
from sifra.engine.limits import MAX_CASE_BYTES, MAX_ITERATIONS, TOO_BIG_FILE, check_run

router = Router(tags=["calculation"])
MAX_SEED = 2**32 - 1


@router.post("", summary="Run the engine on a case: the body is the JSON form of a case file")
def run_calc(
    request: HttpRequest,
    case: dict[str, Any] = Body(...),
    iterations: int | None = Query(None, ge=1, le=MAX_ITERATIONS),
    seed: int = Query(0, ge=0, le=MAX_SEED),
) -> dict[str, Any]:
    """Returns exactly the document `sifra calc --json` prints. Validation errors are 400 with
    the case's field path as the key; a case or run over the limits names the limit."""
    require(permissions.can_calculate(request.user))
    if len(request.body) > MAX_CASE_BYTES:
        raise ValidationError({"case": [TOO_BIG_FILE.format(limit=f"{MAX_CASE_BYTES:_}")]})
    try:
        parsed = load_case(case)
        check_run(parsed, iterations)
        return calculate(parsed, iterations=iterations, seed=seed)
    except CaseError as exc:
        raise ValidationError(_field_errors(exc)) from None


def _field_errors(exc: CaseError) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for path, message in exc.errors:
        errors.setdefault(path or "__all__", []).append(message)
    return errors
