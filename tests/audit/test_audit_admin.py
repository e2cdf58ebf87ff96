"""Django's admin shows the audit trail but cannot change it."""

import pytest
from django.urls import reverse

from sifra.accounts import services
from sifra.accounts.models import Partner, User
from sifra.audit.models import AuditEvent


@pytest.fixture
def admin_client_(client_as, db):
    return client_as(User.objects.create_superuser("admin", password="x-Admin-2026!"))


@pytest.fixture
def event(org, coordinator):
    services.partner_create(
        organisation=org, acting_user=coordinator, name="Regionen", kind=Partner.Kind.REGION
    )
    return AuditEvent.objects.get()


@pytest.mark.django_db
def test_the_admin_lists_and_shows_events(admin_client_, event):
    assert admin_client_.get(reverse("admin:audit_auditevent_changelist")).status_code == 200
    response = admin_client_.get(reverse("admin:audit_auditevent_change", args=[event.pk]))
    assert response.status_code == 200
    assert 'name="kind"' not in response.content.decode()


@pytest.mark.django_db
def test_the_admin_cannot_add_change_or_delete_events(admin_client_, event):
    assert admin_client_.get(reverse("admin:audit_auditevent_add")).status_code == 403
    assert (
        admin_client_.post(
            reverse("admin:audit_auditevent_change", args=[event.pk]), {"kind": "x"}
        ).status_code
        == 403
    )
    assert (
        admin_client_.post(
            reverse("admin:audit_auditevent_delete", args=[event.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    event.refresh_from_db()
    assert event.kind == AuditEvent.Kind.PARTNER_CREATED
