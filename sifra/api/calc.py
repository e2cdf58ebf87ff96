from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Body, Router

from sifra.accounts import permissions
from sifra.core.http import require
from sifra.engine import CaseError, calculate

router = Router(tags=["calculation"])
MAX_API_ITERATIONS = 200_000


@router.post("", summary="Run the engine on a case: the body is the JSON form of a case file")
def run_calc(
    request: HttpRequest,
    case: dict[str, Any] = Body(...),
    iterations: int | None = None,
    seed: int = 0,
) -> dict[str, Any]:
    """Returns exactly the document `sifra calc --json` prints. Validation errors are 400 with
    the case's field path as the key."""
    require(permissions.can_calculate(request.user))
    if iterations is not None and not 1 <= iterations <= MAX_API_ITERATIONS:
        raise ValidationError({"iterations": f"must be between 1 and {MAX_API_ITERATIONS}"})
    try:
        return calculate(case, iterations=iterations, seed=seed)
    except CaseError as exc:
        raise ValidationError(_field_errors(exc)) from None


def _field_errors(exc: CaseError) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for path, message in exc.errors:
        errors.setdefault(path or "__all__", []).append(message)
    return errors
