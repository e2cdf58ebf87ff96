"""Starting a calculation in the task worker and running it there, step by step.

Writes during a run are single UPDATEs outside any transaction on purpose: each progress step
is committed at once, so the page or script polling the calculation sees it move."""

import hashlib
import json
import logging
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sifra.calculations.models import Calculation
from sifra.core.personnummer import guard_personal_numbers
from sifra.engine import CaseError, load_case
from sifra.engine.limits import check_run
from sifra.engine.progress import calculate_with_progress

logger = logging.getLogger(__name__)

# About 0.2 s of engine time (limits.py's work units are about a nanosecond): a run of at most
# this much work is computed inside the request; anything more goes to the task worker.
INLINE_WORK = 200_000_000
# Calculations one person may have waiting or running at once, so one user cannot fill the queue.
MAX_UNFINISHED = 5
UNEXPECTED = gettext_noop("The calculation failed unexpectedly; the error has been logged.")


class TooManyCalculations(Exception):
    """The person already has MAX_UNFINISHED calculations waiting or running."""

    def __init__(self) -> None:
        super().__init__(
            _("You have %(count)d calculations waiting or running; wait for one to finish.")
            % {"count": MAX_UNFINISHED}
        )


def run_digest(case: dict[str, Any], iterations: int | None, seed: int) -> str:
    text = json.dumps([case, iterations, seed], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


@transaction.atomic(durable=True)
def calculation_start(
    *, case: dict[str, Any], iterations: int | None, seed: int, acting_user: Any
) -> Calculation:
    """The person's calculation of this run: the one already kept or under way, or a new one
    enqueued for the worker. Raises TooManyCalculations, and ValidationError (field `case`) for
    a personal identity number in the case's texts: the case is kept."""
    from sifra.calculations.tasks import run_calculation  # tasks import this module

    guard_personal_numbers({"case": " ".join(_texts(case))})
    digest = run_digest(case, iterations, seed)
    mine = Calculation.objects.filter(created_by=acting_user)
    kept = mine.filter(digest=digest).exclude(status=Calculation.Status.FAILED).first()
    if kept is not None:
        return kept
    unfinished = (Calculation.Status.QUEUED, Calculation.Status.RUNNING)
    if mine.filter(status__in=unfinished).count() >= MAX_UNFINISHED:
        raise TooManyCalculations
    calculation = Calculation.objects.create(
        created_by=acting_user, case=case, iterations=iterations, seed=seed, digest=digest
    )
    # in the same transaction: the worker's queue row exists exactly when the calculation does
    run_calculation.enqueue(str(calculation.pk))
    calculation.refresh_from_db()  # the immediate backend has already run it
    return calculation


def calculation_run(*, calculation_id: str) -> None:
    """Compute a queued calculation, saving its progress after each Monte Carlo chunk. A case
    the engine refuses (it may have been valid under other limits) ends as failed with the
    engine's messages by field."""
    calculation = Calculation.objects.get(pk=calculation_id)
    if calculation.finished:
        return  # a task run twice does not compute twice
    _update(calculation, status=Calculation.Status.RUNNING)
    try:
        result = _compute(calculation)
    except CaseError as exc:
        _finish(calculation, Calculation.Status.FAILED, errors=field_errors(exc))
    except Exception:
        logger.exception("calculation %s failed", calculation_id)
        _finish(calculation, Calculation.Status.FAILED, errors={"__all__": [_(UNEXPECTED)]})
        raise
    else:
        _finish(calculation, Calculation.Status.DONE, result=result, progress=100)


def _compute(calculation: Calculation) -> dict[str, Any]:
    parsed = load_case(calculation.case)
    check_run(parsed, calculation.iterations)
    shown = [calculation.progress]

    def report(share: float) -> None:
        percent = min(int(share * 100), 99)
        if percent > shown[0]:
            shown[0] = percent
            _update(calculation, progress=percent)

    return calculate_with_progress(
        parsed, iterations=calculation.iterations, seed=calculation.seed, report=report
    )


def _update(calculation: Calculation, **fields: Any) -> None:
    Calculation.objects.filter(pk=calculation.pk).update(**fields)
    for name, value in fields.items():
        setattr(calculation, name, value)


def _finish(calculation: Calculation, status: str, **fields: Any) -> None:
    _update(calculation, status=status, finished_at=timezone.now(), **fields)


def _texts(value: Any) -> list[str]:
    """Every string in a case document, keys included."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for k, v in value.items() for text in (*_texts(k), *_texts(v))]
    if isinstance(value, list):
        return [text for item in value for text in _texts(item)]
    return []


def field_errors(exc: CaseError) -> dict[str, list[str]]:
    """The engine's problems as the API shows them: messages by field path."""
    errors: dict[str, list[str]] = {}
    for path, message in exc.errors:
        errors.setdefault(path or "__all__", []).append(message)
    return errors
