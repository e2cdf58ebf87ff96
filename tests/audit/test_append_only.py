"""Audit events are never changed or deleted: not through the model, not through a queryset, not
with raw SQL (a database trigger)."""

import pytest
from django.db import DatabaseError, connection, transaction

from sifra.accounts import services
from sifra.accounts.models import Partner
from sifra.audit.models import AppendOnlyError, AuditEvent


@pytest.fixture
def event(org, coordinator):
    services.partner_create(
        organisation=org, acting_user=coordinator, name="Regionen", kind=Partner.Kind.REGION
    )
    return AuditEvent.objects.get(kind=AuditEvent.Kind.PARTNER_CREATED)


@pytest.mark.django_db
def test_an_event_cannot_be_saved_again(event):
    event.kind = "x"
    with pytest.raises(AppendOnlyError):
        event.save()
    event.refresh_from_db()
    assert event.kind == AuditEvent.Kind.PARTNER_CREATED


@pytest.mark.django_db
def test_an_event_cannot_be_deleted(event):
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db
def test_events_cannot_be_updated_or_deleted_in_bulk(event):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(kind="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).kind == AuditEvent.Kind.PARTNER_CREATED


@pytest.mark.django_db
def test_the_database_refuses_an_update_in_raw_sql(event):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET kind='x'")
    assert AuditEvent.objects.get(pk=event.pk).kind == AuditEvent.Kind.PARTNER_CREATED


@pytest.mark.django_db
def test_a_delete_in_raw_sql_or_in_bulk_is_refused(event):
    """PostgreSQL refuses in the database; on SQLite (no DELETE trigger, because Django's test
    runner empties its tables with DELETE) the ORM's guard is the barrier."""
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditevent")
    else:
        with pytest.raises(AppendOnlyError):
            AuditEvent.objects.all().delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()
