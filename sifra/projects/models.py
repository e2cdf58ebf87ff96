from django.db import models
from django.utils.translation import gettext_lazy as _

from sifra.accounts.models import Partner, Unit
from sifra.core.models import PersonalNumberFree


class Project(PersonalNumberFree):
    """Funded preventive work. The ledger's commitments, disbursements and claims belong to one.

    Later an approved application becomes a project; a coordinator can also register one
    directly (work decided before the fund used Sifra)."""

    free_text_fields = ("code", "title", "description", "decision_ref", "closing_note")

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        REPORTING = "reporting", _("reporting")
        CLOSED = "closed", _("closed")
        EVALUATED = "evaluated", _("evaluated")

    fund = models.ForeignKey(
        "funds.Fund", on_delete=models.PROTECT, related_name="projects", verbose_name=_("fund")
    )
    code = models.CharField(_("reference"), max_length=30)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    lead_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="led_projects", verbose_name=_("lead unit")
    )
    units = models.ManyToManyField(
        Unit, related_name="projects", verbose_name=_("participating units")
    )
    partners = models.ManyToManyField(
        Partner, blank=True, related_name="projects", verbose_name=_("external partners")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    decision_ref = models.CharField(_("decision reference"), max_length=100, blank=True)
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(
        _("after the project"),
        max_length=20,
        blank=True,
        choices=[("implement", _("brought into ordinary operations")), ("stop", _("stopped"))],
    )
    closing_note = models.TextField(_("closing decision"), blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["fund", "code"], name="project_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"
