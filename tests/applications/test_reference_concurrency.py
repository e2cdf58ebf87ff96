"""Application references are numbered under a lock: 20 applications started at the same
moment get 20 distinct references and no error (numbering by count + 1 collided on PostgreSQL).
Runs on both databases: on SQLite the IMMEDIATE transactions serialise the writers instead."""

import importlib
import threading

import pytest
from django.db import connection
from django.test import Client

from sifra.applications.models import Application

THREADS = 20


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_creation_numbers_every_application(funded, unit_a, users):
    barrier = threading.Barrier(THREADS)
    statuses: list[int] = []
    lock = threading.Lock()
    clients = []
    for _ in range(THREADS):
        client = Client(raise_request_exception=False)
        client.force_login(users["applicant"])
        clients.append(client)
    body = {"fund_id": funded.pk, "title": "Samtidigt", "lead_unit_id": unit_a.pk}

    def create(client: Client) -> None:
        try:
            barrier.wait(timeout=30)
            status = client.post("/api/applications", body, content_type="application/json")
        finally:
            connection.close()
        with lock:
            statuses.append(status.status_code)

    threads = [threading.Thread(target=create, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    assert statuses == [201] * THREADS
    references = list(Application.objects.values_list("reference", flat=True))
    assert len(references) == THREADS
    assert len(set(references)) == THREADS


def test_migration_starts_counters_after_existing_references(funded, unit_a, users):
    """Applications made before the counter existed keep their numbers; the next follows on."""
    from django.apps import apps
    from django.utils import timezone

    from sifra.applications import services
    from sifra.applications.models import ReferenceCounter

    migration = importlib.import_module("sifra.applications.migrations.0002_reference_counter")
    year = timezone.localdate().year
    for reference in (f"ANS-{year}-001", f"ANS-{year}-007", "ANS-2019-012", "OLD-1"):
        Application.objects.create(
            fund=funded,
            title="Äldre",
            lead_unit=unit_a,
            created_by=users["coordinator"],
            reference=reference,
        )
    migration.fill_counters(apps, None)

    assert dict(ReferenceCounter.objects.values_list("year", "last")) == {year: 7, 2019: 12}
    a = services.application_create(
        fund=funded, title="Ny", lead_unit=unit_a, acting_user=users["applicant"]
    )
    assert a.reference == f"ANS-{year}-008"
