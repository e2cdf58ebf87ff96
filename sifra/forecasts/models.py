import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ForecastRun(models.Model):
    """One forecast of a fund, run by the task worker and kept with its policy, seed and
    result, so that a decision memo can cite it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    fund = models.ForeignKey(
        "funds.Fund", on_delete=models.PROTECT, related_name="forecasts", verbose_name=_("fund")
    )
    policy = models.JSONField(_("policy"))
    seed = models.PositiveBigIntegerField(_("seed"), default=0)
    iterations = models.PositiveIntegerField(_("iterations"))
    years = models.PositiveSmallIntegerField(_("years"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("run by"),
    )
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (per cent)"), default=0)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("fund forecast")
        verbose_name_plural = _("fund forecasts")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.fund_id} {self.created_at:%Y-%m-%d %H:%M} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
