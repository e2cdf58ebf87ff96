"""audit_events(filters=...): each filter on its own."""

import datetime as dt

import pytest
from django.utils import timezone

from sifra.accounts import services
from sifra.accounts.models import Partner, Role, Unit
from sifra.audit.models import AuditEvent
from sifra.audit.selectors import AuditFilter, audit_events, audit_object_types
from tests.conftest import PASSWORD


@pytest.fixture
def trail(org, users, unit_a):
    """Three events by the coordinator and one by the auditor, in this order."""
    coordinator = users["coordinator"]
    services.unit_create(
        organisation=org,
        acting_user=coordinator,
        name="Socialförvaltningen",
        kind=Unit.Kind.ADMINISTRATION,
        parent=unit_a,
    )
    services.partner_create(
        organisation=org,
        acting_user=coordinator,
        name="Arbetsförmedlingen",
        kind=Partner.Kind.STATE,
    )
    services.user_create(
        username="ny", password=PASSWORD, role=Role.COUNCIL, acting_user=coordinator
    )
    services.api_token_create(user=users["auditor"], name="Revision", acting_user=users["auditor"])


def kinds(filters=None):
    return [e.kind for e in audit_events(filters=filters)]


@pytest.mark.django_db
def test_without_filters_all_events_newest_first(trail):
    assert kinds() == ["token.created", "user.created", "partner.created", "unit.created"]


@pytest.mark.django_db
def test_filter_by_kind(trail):
    assert kinds(AuditFilter(kind="partner.created")) == ["partner.created"]


@pytest.mark.django_db
def test_filter_by_actor_username_in_any_case(trail):
    assert kinds(AuditFilter(actor=" REVISOR ")) == ["token.created"]
    assert kinds(AuditFilter(actor="nobody")) == []


@pytest.mark.django_db
def test_filter_by_object_type(trail):
    assert kinds(AuditFilter(object_type="accounts.unit")) == ["unit.created"]


@pytest.mark.django_db
def test_filter_by_text_in_the_object(trail):
    assert kinds(AuditFilter(text="förvaltning")) == ["unit.created"]


@pytest.mark.django_db
def test_filter_by_dates(trail):
    today = timezone.localdate()
    assert len(kinds(AuditFilter(date_from=today, date_to=today))) == 4
    assert kinds(AuditFilter(date_from=today + dt.timedelta(days=1))) == []
    assert kinds(AuditFilter(date_to=today - dt.timedelta(days=1))) == []


@pytest.mark.django_db
def test_filters_combine(trail):
    assert kinds(AuditFilter(actor="samordnare", object_type="accounts.user")) == ["user.created"]
    assert kinds(AuditFilter(actor="revisor", object_type="accounts.user")) == []


@pytest.mark.django_db
def test_the_object_types_that_occur_with_readable_names(trail):
    assert dict(audit_object_types()) == {
        "accounts.unit": "Unit",
        "accounts.partner": "External partner",
        "accounts.user": "User",
        "accounts.apitoken": "API token",
    }


@pytest.mark.django_db
def test_the_trail_is_empty_at_first(users):
    assert not AuditEvent.objects.exists()
    assert list(audit_events()) == []


@pytest.mark.django_db
def test_the_object_types_of_an_empty_trail_and_of_a_long_one(users):
    """The loose index scan gives SELECT DISTINCT's answer: nothing for an empty trail, each
    type once however many events it has."""
    assert audit_object_types() == []
    actor = users["coordinator"]
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=actor, kind="fund.created", object_type=t, object_id=str(n), object_repr="x"
        )
        for n in range(60)
        for t in ("funds.fund", "accounts.unit", "zzz.unknown")
    )
    labels = [label for label, _name in audit_object_types()]
    distinct = AuditEvent.objects.order_by().values_list("object_type", flat=True).distinct()
    assert sorted(labels) == sorted(distinct) == ["accounts.unit", "funds.fund", "zzz.unknown"]
