"""Concurrent commitments cannot together overdraw the fund: the fund row is locked (PostgreSQL)
or the write transaction is taken at BEGIN (SQLite, IMMEDIATE), so the rule is checked on
balances no other posting can change underneath."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from sifra.funds.models import LedgerEntry
from sifra.funds.selectors import fund_balances
from sifra.funds.services import ledger_entry_post

MSEK = 100_000_000
THREADS = 24


@pytest.mark.django_db(transaction=True)
def test_concurrent_commitments_never_exceed_available(funded, project, coordinator):
    barrier = threading.Barrier(THREADS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def commit() -> None:
        try:
            barrier.wait(timeout=30)
            ledger_entry_post(
                fund=funded,
                kind="commitment",
                amount=1 * MSEK,
                text="Samtidigt",
                date=dt.date(2026, 2, 1),
                project=project,
                acting_user=coordinator,
            )
            result = "accepted"
        except ValidationError:
            result = "refused"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=commit) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    assert len(outcomes) == THREADS
    assert outcomes.count("accepted") == 10  # the fund holds 10 MSEK
    assert outcomes.count("refused") == THREADS - 10
    assert fund_balances(fund=funded).available == 0
    numbers = list(LedgerEntry.objects.filter(fund=funded).values_list("number", flat=True))
    assert sorted(numbers) == list(range(1, 12))
