"""The task the worker (`sifra db_worker`) runs for a calculation too heavy for a web request."""

from django_tasks import task

from sifra.calculations.services import calculation_run


@task()
def run_calculation(calculation_id: str) -> str:
    calculation_run(calculation_id=calculation_id)
    return calculation_id
