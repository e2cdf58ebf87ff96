"""The task the worker (`sifra db_worker`) runs for a fund forecast."""

from django_tasks import task

from sifra.forecasts.services import forecast_compute


@task()
def run_forecast(run_id: str) -> str:
    forecast_compute(run_id=run_id)
    return run_id
