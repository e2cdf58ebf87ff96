"""Requesting a fund forecast (kept with its policy and seed, audited) and running it in the
task worker, step by step.

Writes during a run are single UPDATEs outside any transaction on purpose, as for calculations:
each progress step is committed at once, so the page or script polling the run sees it move."""

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sifra.accounts import permissions
from sifra.audit.models import AuditEvent
from sifra.audit.services import audit_record
from sifra.engine.forecast import Policy, check_policy
from sifra.forecasts.models import ForecastRun
from sifra.forecasts.policy import policy_from_json, policy_to_json
from sifra.funds.models import Fund

logger = logging.getLogger(__name__)

# Forecasts one person may have waiting or running at once.
MAX_UNFINISHED = 3
UNEXPECTED = gettext_noop("The forecast failed unexpectedly; the error has been logged.")


class TooManyForecasts(Exception):
    def __init__(self) -> None:
        super().__init__(
            _("You have %(count)d forecasts waiting or running; wait for one to finish.")
            % {"count": MAX_UNFINISHED}
        )


@transaction.atomic(durable=True)
def forecast_request(*, fund: Fund, policy: Policy, acting_user: Any) -> ForecastRun:
    """A new forecast of `fund` under `policy`, enqueued for the worker and audited. Raises
    PermissionDenied, TooManyForecasts, and PolicyError for a policy the model cannot run."""
    from sifra.forecasts.tasks import run_forecast  # tasks import this module

    if not permissions.can_run_forecast(acting_user):
        raise PermissionDenied(_("You may not run forecasts."))
    check_policy(policy)
    unfinished = (ForecastRun.Status.QUEUED, ForecastRun.Status.RUNNING)
    mine = ForecastRun.objects.filter(created_by=acting_user, status__in=unfinished)
    if mine.count() >= MAX_UNFINISHED:
        raise TooManyForecasts
    run = ForecastRun.objects.create(
        fund=fund,
        policy=policy_to_json(policy),
        seed=policy.seed,
        iterations=policy.iterations,
        years=policy.years,
        created_by=acting_user,
    )
    audit_record(
        acting_user=acting_user,
        kind=AuditEvent.Kind.FORECAST_REQUESTED,
        subject=fund,
        data={"forecast": str(run.pk), "policy": run.policy},
    )
    # in the same transaction: the worker's queue row exists exactly when the run does
    run_forecast.enqueue(str(run.pk))
    run.refresh_from_db()  # the immediate backend has already run it
    return run


def forecast_compute(*, run_id: str) -> None:
    """Compute a queued forecast, saving its progress as the projects are drawn."""
    from sifra.forecasts.selectors import forecast_document

    run = ForecastRun.objects.select_related("fund").get(pk=run_id)
    if run.finished:
        return  # a task run twice does not compute twice
    _update(run, status=ForecastRun.Status.RUNNING)
    shown = [run.progress]

    def report(share: float) -> None:
        percent = min(int(share * 100), 99)
        if percent > shown[0]:
            shown[0] = percent
            _update(run, progress=percent)

    try:
        result = forecast_document(run.fund, policy_from_json(run.policy), report=report)
    except Exception:
        logger.exception("forecast %s failed", run_id)
        _update(run, status=ForecastRun.Status.FAILED, finished_at=timezone.now(), error=UNEXPECTED)
        raise
    _update(
        run,
        status=ForecastRun.Status.DONE,
        finished_at=timezone.now(),
        result=result,
        progress=100,
    )


def _update(run: ForecastRun, **fields: Any) -> None:
    ForecastRun.objects.filter(pk=run.pk).update(**fields)
    for name, value in fields.items():
        setattr(run, name, value)
