"""`sifra portfolio_rebuild_marks`: set every forecast year's `verified` mark from the verified
savings (they are derived: the savings are the truth). Each fund under its row lock, so that
verifying or reversing a saving waits; prints how many marks were out of step."""

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from sifra.funds.models import Fund
from sifra.portfolio.models import CaseSavingYear
from sifra.portfolio.summaries import saving_year_problems, saving_years_mark


class Command(BaseCommand):
    help = "Set the portfolio's forecast years' verified marks from the verified savings."

    def handle(self, *args: Any, **options: Any) -> None:
        for pk in Fund.objects.order_by("pk").values_list("pk", flat=True):
            with transaction.atomic(durable=True):
                fund = Fund.objects.select_for_update().get(pk=pk)
                rows = CaseSavingYear.objects.filter(project__fund=fund)
                wrong = len(saving_year_problems(rows=rows))
                saving_years_mark(rows=rows)
            self.stdout.write(f"{fund.name}: {wrong} forecast years set from the verified savings")
