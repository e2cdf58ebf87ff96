"""The demo tells one story in order: nothing is decided before it was submitted, reviewed
before it was sent to the council, or numbered in another year than it arrived."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from sifra.applications.models import Application

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("demo_data", stdout=io.StringIO())


def test_every_application_steps_forward_in_time(demo):
    today = timezone.localdate()
    checked = 0
    for a in Application.objects.prefetch_related("reviews", "versions"):
        created = timezone.localdate(a.created_at)
        assert created <= today, a.reference
        assert a.reference.startswith(f"ANS-{created.year}-"), (a.reference, created)
        if a.submitted_at:
            submitted = timezone.localdate(a.submitted_at)
            assert created <= submitted, (a.reference, created, submitted)
            for v in a.versions.all():
                assert created <= timezone.localdate(v.submitted_at) <= today
        for r in a.reviews.all():
            assert a.submitted_at and a.submitted_at <= r.assigned_at, a.reference
            if r.submitted_at:
                assert r.assigned_at <= r.submitted_at, a.reference
        if hasattr(a, "decision"):
            decided = a.decision.decided_on
            assert a.submitted_at and timezone.localdate(a.submitted_at) < decided, a.reference
            for r in a.reviews.all():
                assert r.submitted_at and timezone.localdate(r.submitted_at) <= decided
            checked += 1
    assert checked >= 3  # the demo has approved and rejected applications


def test_a_received_date_in_the_future_is_refused(users, fund, unit_a):
    import datetime as dt

    from django.core.exceptions import ValidationError

    from sifra.applications.services import application_create

    with pytest.raises(ValidationError) as exc:
        application_create(
            fund=fund,
            title="Senare",
            lead_unit=unit_a,
            acting_user=users["coordinator"],
            received_on=timezone.localdate() + dt.timedelta(days=1),
        )
    assert "received_on" in exc.value.message_dict
    a = application_create(
        fund=fund,
        title="På papper",
        lead_unit=unit_a,
        acting_user=users["coordinator"],
        received_on=dt.date(2024, 3, 5),
    )
    assert a.reference == "ANS-2024-001"
    a.refresh_from_db()
    assert timezone.localdate(a.created_at) == dt.date(2024, 3, 5)
