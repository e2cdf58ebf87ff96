"""`sifra claims_rebuild_balances`: recompute the claims' kept balances and their payments' kept
days and reversal marks from the ledger (they are derived: the entries are the truth). Each
fund under its row lock, so payments and reversals wait; prints how many were out of step."""

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from sifra.funds.models import Fund
from sifra.repayment.balances import claim_balances_rebuild
from sifra.repayment.models import Claim


class Command(BaseCommand):
    help = "Recompute the claims' kept balances from the ledger."

    def handle(self, *args: Any, **options: Any) -> None:
        for pk in Fund.objects.order_by("pk").values_list("pk", flat=True):
            with transaction.atomic(durable=True):
                fund = Fund.objects.select_for_update().get(pk=pk)
                wrong = claim_balances_rebuild(claims=Claim.objects.filter(project__fund=fund))
            self.stdout.write(f"{fund.name}: {wrong} claims and payments set from the ledger")
