"""The demo's dates in order. The services stamp `created_at`, `submitted_at` and the reviews'
times with the moment the demo is built; an application decided in December 2025 would then look
submitted after its decision. This pass dates each step before the next: received, submitted two
weeks later, sent to the council a week after that, reviewed three weeks before the decision (or,
for an application still under way, in the last weeks before today)."""

import datetime as dt

from django.utils import timezone

from sifra.applications.models import Application, ApplicationVersion, Review


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def order_the_dates() -> None:
    today = timezone.localdate()
    for application in Application.objects.select_related("decision").order_by("pk"):
        decision = getattr(application, "decision", None)
        if decision is not None:
            received = timezone.localdate(application.created_at)
            end = decision.decided_on
        else:
            received, end = today - dt.timedelta(days=28), today
        submitted = min(received + dt.timedelta(days=14), end - dt.timedelta(days=7))
        submitted = max(submitted, received)
        assigned = min(submitted + dt.timedelta(days=7), end)
        reviewed = max(assigned, end - dt.timedelta(days=21))
        Application.objects.filter(pk=application.pk).update(
            created_at=_at(received, 9),
            submitted_at=_at(submitted) if application.submitted_at else None,
        )
        for version in ApplicationVersion.objects.filter(application=application).order_by(
            "number"
        ):
            ApplicationVersion.objects.filter(pk=version.pk).update(
                submitted_at=_at(submitted, 10 + min(version.number, 8))
            )
        if decision is not None:
            type(decision).objects.filter(pk=decision.pk).update(created_at=_at(end, 15))
        Review.objects.filter(application=application).update(assigned_at=_at(assigned))
        Review.objects.filter(application=application, submitted_at__isnull=False).update(
            submitted_at=_at(reviewed, 14)
        )
