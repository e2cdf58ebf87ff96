"""PostgreSQL's TRUNCATE passes row triggers by; a statement trigger refuses it on the ledger and
the audit trail, unless the database was let through on purpose (as the test databases are)."""

import pytest
from django.db import DatabaseError, connection, transaction

from sifra.audit.models import AuditEvent
from sifra.funds.models import LedgerEntry

pytestmark = pytest.mark.postgres


@pytest.mark.django_db
@pytest.mark.parametrize("model", [LedgerEntry, AuditEvent])
def test_truncate_is_refused(model, funded):
    table = model._meta.db_table
    before = model.objects.count()
    assert before > 0
    refused = pytest.raises(DatabaseError, match="append-only: TRUNCATE refused")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending foreign-key checks
        cursor.execute("SET LOCAL sifra.allow_truncate = off")
        cursor.execute(f"TRUNCATE {table} CASCADE")
    assert model.objects.count() == before


@pytest.mark.django_db
def test_the_test_database_is_let_through_and_says_so():
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('sifra.allow_truncate', true)")
        assert cursor.fetchone()[0] == "on"
