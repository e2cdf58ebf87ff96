"""What the fund publishes: a decided grant the coordinator has made public, with a summary
written for the public. Everything else on the public page and in the 360Giving feed is read
from the project, the ledger, the follow-up and the evaluation when it is shown."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sifra.core.models import PersonalNumberFree
from sifra.core.text import LONG_TEXT


class Publication(PersonalNumberFree):
    """A project's public record. Withdrawn, it stays (with its grant reference, so that the
    360Giving identifier is the same if it is published again) but appears nowhere."""

    free_text_fields = ("summary", "grant_ref")

    project = models.OneToOneField(
        "projects.Project",
        on_delete=models.PROTECT,
        related_name="publication",
        verbose_name=_("project"),
    )
    summary = models.TextField(_("public summary"), max_length=LONG_TEXT)
    # The local part of the 360Giving grant identifier, fixed at the first publication: a
    # published identifier must never change, even if the project's reference does.
    grant_ref = models.CharField(_("grant reference"), max_length=60, unique=True)
    is_public = models.BooleanField(_("published"), default=True)
    published_at = models.DateTimeField(_("published"))
    updated_at = models.DateTimeField(_("last changed"))
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["project__code"]

    def __str__(self) -> str:
        return f"{self.grant_ref} ({'public' if self.is_public else 'withdrawn'})"
