"""The audit trail: one row per change, written by the service that made it, in the same
transaction. Rows are never changed or deleted (a database trigger refuses it as well)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    pass


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):  # type: ignore[no-untyped-def]
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only")

    def delete(self):  # type: ignore[no-untyped-def]
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise AppendOnlyError(f"{type(self).__name__} rows are append-only")


class AuditEvent(AppendOnlyModel):
    class Kind(models.TextChoices):
        USER_CREATED = "user.created", _("user created")
        USER_UPDATED = "user.updated", _("user changed")
        UNIT_CREATED = "unit.created", _("unit created")
        UNIT_UPDATED = "unit.updated", _("unit changed")
        PARTNER_CREATED = "partner.created", _("partner created")
        PARTNER_UPDATED = "partner.updated", _("partner changed")
        ORGANISATION_UPDATED = "organisation.updated", _("organisation changed")
        TOKEN_CREATED = "token.created", _("API token created")
        TOKEN_REVOKED = "token.revoked", _("API token revoked")
        FUND_CREATED = "fund.created", _("fund created")
        FUND_UPDATED = "fund.updated", _("fund changed")
        FISCAL_YEAR_CLOSED = "fund.year_closed", _("fiscal year closed")
        PROJECT_CREATED = "project.created", _("project created")
        PROJECT_UPDATED = "project.updated", _("project changed")
        LEDGER_POSTED = "ledger.posted", _("ledger entry posted")
        LEDGER_REVERSED = "ledger.reversed", _("ledger entry reversed")
        APPLICATION_CREATED = "application.created", _("application created")
        APPLICATION_UPDATED = "application.updated", _("application changed")
        APPLICATION_STATUS = "application.status", _("application moved on")
        REVIEW_SUBMITTED = "review.submitted", _("review submitted")
        REPORT_CHANGED = "report.changed", _("report changed")
        REPORT_REMINDED = "report.reminded", _("reminder sent")
        EVALUATION_CHANGED = "evaluation.changed", _("evaluation recorded")
        AGREEMENT_CHANGED = "agreement.changed", _("repayment agreement changed")
        SAVING_VERIFIED = "saving.verified", _("saving verified")
        SAVING_REVERSED = "saving.reversed", _("verified saving reversed")
        CLAIM_PAID = "claim.paid", _("claim repaid or written off")
        DOCUMENT_UPLOADED = "document.uploaded", _("document uploaded")
        PROJECT_CLOSED = "project.closed", _("project closed")
        PUBLICATION_CREATED = "publication.created", _("grant published as open data")
        PUBLICATION_WITHDRAWN = "publication.withdrawn", _("grant withdrawn from open data")
        ACCOUNT_MAPPING_CREATED = "accounting.mapping_created", _("account mapping created")
        ACCOUNT_MAPPING_UPDATED = "accounting.mapping_updated", _("account mapping changed")
        FORECAST_REQUESTED = "forecast.requested", _("fund forecast requested")

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    kind = models.CharField(_("event"), max_length=40, choices=Kind.choices, db_index=True)
    object_type = models.CharField(_("object type"), max_length=60)
    object_id = models.CharField(_("object id"), max_length=40)
    object_repr = models.CharField(_("object"), max_length=300)
    data = models.JSONField(_("details"), default=dict)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.kind} {self.object_repr}"
