import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Calculation(models.Model):
    """One run of the engine on a case through the task worker; its result is kept so that a
    page or a script can show it later and the same run is not computed twice."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    # a random id: the polling URL reveals nothing about other people's calculations
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="calculations"
    )
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    case = models.JSONField(_("case"))
    iterations = models.PositiveIntegerField(_("iterations"), null=True, blank=True)
    seed = models.PositiveBigIntegerField(_("seed"), default=0)
    # sha-256 of the case, iterations and seed: the same run is found and shown again
    digest = models.CharField(max_length=64, db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (per cent)"), default=0)
    result = models.JSONField(null=True, blank=True)
    errors = models.JSONField(default=dict, blank=True)  # field path → messages, when failed
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calculation")
        verbose_name_plural = _("calculations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.id} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
