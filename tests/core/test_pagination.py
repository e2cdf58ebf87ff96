"""KeyedPaginator gives the pages Django's Paginator gives, in the same order, reading the
page's keys first: the same rows, with their joins, for every page of a filtered, ordered list."""

import datetime as dt

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sifra.core.pagination import KeyedPaginator
from sifra.funds import services
from sifra.funds.models import LedgerEntry


@pytest.fixture
def ledger(fund, coordinator):
    for n in range(23):
        services.ledger_entry_post(
            fund=fund,
            kind="deposit",
            amount=100 + n % 4,  # an order with ties, broken by the number
            text=f"Insättning {n}",
            date=dt.date(2026, 1, 1 + n),
            project=None,
            acting_user=coordinator,
        )
    return LedgerEntry.objects.filter(fund=fund).select_related("posted_by")


@pytest.mark.parametrize("orphans", [0, 3])
@pytest.mark.parametrize("order", [("number",), ("-amount", "number"), ("text", "-number")])
def test_every_page_is_the_paginators(ledger, order, orphans):
    qs = ledger.filter(amount__gte=101).order_by(*order)
    plain, keyed = Paginator(qs, 5, orphans=orphans), KeyedPaginator(qs, 5, orphans=orphans)
    assert keyed.num_pages == plain.num_pages > 2
    for number in plain.page_range:
        expected = [e.number for e in plain.page(number)]
        assert [e.number for e in keyed.page(number)] == expected
        assert len(expected) > 0


def test_a_page_is_two_reads_and_its_rows_carry_their_joins(ledger, coordinator):
    page = KeyedPaginator(ledger.order_by("number"), 10).page(2)
    with CaptureQueriesContext(connection) as queries:
        page = KeyedPaginator(ledger.order_by("number"), 10).page(2)
        names = [e.posted_by.username for e in page]  # no query per row
    assert len(queries) == 3  # the count, the keys, the rows
    assert names == [coordinator.username] * 10
    assert [e.number for e in page] == list(range(11, 21))
