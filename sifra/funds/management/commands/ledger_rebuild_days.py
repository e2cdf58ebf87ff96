"""`sifra ledger_rebuild_days`: recompute the ledger's per-day totals from the entries (they are
derived: the entries are the truth). Each fund under its row lock, so postings wait."""

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from sifra.funds.days import days_rebuild
from sifra.funds.models import Fund


class Command(BaseCommand):
    help = "Recompute the ledger's per-day totals and its project totals by kind from its entries."

    def handle(self, *args: Any, **options: Any) -> None:
        for pk in Fund.objects.order_by("pk").values_list("pk", flat=True):
            with transaction.atomic(durable=True):
                fund = Fund.objects.select_for_update().get(pk=pk)
                rows = days_rebuild(fund=fund)
            self.stdout.write(f"{fund.name}: {rows} rows of day and project totals")
