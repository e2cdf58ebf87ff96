"""Follow-up of a project: its indicators and budget (copied from the application at approval,
or entered for a registered project), the reporting schedule with due dates and reminders, and
the progress and final reports with indicator values and actual costs."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sifra.core.models import PersonalNumberFree


class ProjectIndicator(PersonalNumberFree):
    free_text_fields = ("name", "unit", "method", "frequency")

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="indicators"
    )
    name = models.CharField(_("indicator"), max_length=200)
    unit = models.CharField(_("unit of measurement"), max_length=50)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=4)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"))
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=4)
    method = models.CharField(_("measurement method"), max_length=300, blank=True)
    frequency = models.CharField(_("frequency"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class ProjectBudgetLine(PersonalNumberFree):
    free_text_fields = ("description",)

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="budget_lines"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    description = models.CharField(_("item"), max_length=200)
    from_fund = models.BigIntegerField(_("from the fund (öre)"), default=0)
    own_contribution = models.BigIntegerField(_("own contribution (öre)"), default=0)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["year", "id"]

    def __str__(self) -> str:
        return f"{self.year} {self.description}"

    @property
    def total(self) -> int:
        return self.from_fund + self.own_contribution


class ReportKind(models.TextChoices):
    PROGRESS = "progress", _("progress report")
    FINAL = "final", _("final report")


class ReportDue(models.Model):
    """One report the project owes, by a date."""

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="dues")
    kind = models.CharField(_("kind"), max_length=20, choices=ReportKind.choices)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    due_date = models.DateField(_("due"))
    reminded_before_at = models.DateTimeField(null=True, blank=True)
    reminded_overdue_at = models.DateTimeField(null=True, blank=True)
    # Derived, never entered: whether its report is handed in (submitted or approved), kept by
    # the report services when a report moves, so that the open dues among a large fund's tens
    # of thousands are read by an index instead of checking every due's report.
    handed_in = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("report due")
        verbose_name_plural = _("reports due")
        ordering = ["due_date"]
        indexes = [models.Index(fields=["handed_in", "due_date"], name="report_due_open")]

    def __str__(self) -> str:
        return f"{self.project.code} {self.kind} {self.due_date}"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    RETURNED = "returned", _("returned for revision")
    APPROVED = "approved", _("approved")


# A report in these states is handed in: its due is no longer open.
HANDED_IN = (ReportStatus.SUBMITTED, ReportStatus.APPROVED)


class ProgressReport(PersonalNumberFree):
    free_text_fields = ("narrative", "comment")

    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="reports"
    )
    due = models.OneToOneField(
        ReportDue, on_delete=models.PROTECT, null=True, blank=True, related_name="report"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ReportKind.choices)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    participants = models.PositiveIntegerField(_("participants reached"), default=0)
    narrative = models.TextField(_("narrative"), blank=True)
    comment = models.TextField(_("comments on return"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["period_end", "id"]
        # the work queues read reports by status (the few submitted or returned among thousands)
        indexes = [models.Index(fields=["status", "period_end", "id"], name="report_status")]

    def __str__(self) -> str:
        return f"{self.project.code} {self.get_kind_display()} {self.period_end:%Y-%m-%d}"


class IndicatorValue(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(ProjectIndicator, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(_("actual"), max_digits=14, decimal_places=4)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="indicator_value_unique")
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.value}"


class CostActual(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="costs")
    budget_line = models.ForeignKey(ProjectBudgetLine, on_delete=models.PROTECT, related_name="+")
    amount = models.BigIntegerField(_("actual cost (öre)"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "budget_line"], name="cost_actual_unique"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="cost_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.budget_line_id}: {self.amount}"
