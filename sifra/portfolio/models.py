"""What the portfolio keeps of each project's case, so that a page over 2 000 projects reads
one row per project instead of running the engine 2 000 times.

Derived, never entered (like the ledger's day totals): `case_summaries_refresh` computes it from
the project's case (the application's) and evaluations, and recomputes a row once the case or an
evaluation is newer than the row."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseSummary(models.Model):
    project = models.OneToOneField(
        "projects.Project",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="case_summary",
    )
    computed_at = models.DateTimeField()
    engine_version = models.CharField(max_length=20)
    # sha-256 of the case without names and years (summaries.numbers_key)
    case_digest = models.CharField(max_length=64, blank=True)
    # SEK in the case's price year, as the engine gives them; null without a valid case
    npv = models.FloatField(_("net present value, before"), null=True)
    p_npv_positive = models.FloatField(_("chance that NPV > 0"), null=True)
    # the municipality's forecast savings by calendar year: {"2026": 1234567.0, …} in SEK
    savings = models.JSONField(default=dict)
    expost_npv = models.FloatField(_("net present value, after"), null=True)
    expost_p_npv_positive = models.FloatField(null=True)

    class Meta:
        verbose_name = _("case summary")
        verbose_name_plural = _("case summaries")

    def __str__(self) -> str:
        return f"{self.project_id}: {self.npv}"


class CaseSavingYear(models.Model):
    """CaseSummary.savings as rows: the case's forecast municipal savings in one calendar year,
    in whole öre (the SEK figure × 100, rounded, as the portfolio compares it). Written with its
    summary, so that the fund's forecast against verified savings is two grouped reads instead
    of every summary's JSON read and summed in Python.

    `verified` says whether a verified saving of the project for that year stands (is not
    reversed): the realisation factor compares the forecast of those years only. It is kept by
    sifra.portfolio.summaries (when the rows are written, and when a saving is verified or
    reversed), so that the comparison is a filter, not a lookup of the savings per row."""

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    savings = models.BigIntegerField()
    verified = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "year"], name="case_saving_year_unique")
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.year}: {self.savings}"
