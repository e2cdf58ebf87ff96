"""The task the worker runs to bring a fund's case summaries up to date."""

from django_tasks import task

from sifra.funds.models import Fund
from sifra.portfolio.summaries import case_summaries_refresh


@task()
def refresh_case_summaries(fund_id: int) -> int:
    return case_summaries_refresh(fund=Fund.objects.get(pk=fund_id))
