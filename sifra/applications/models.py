"""Applications to a fund: the fund's rules, the application with its sections, budget,
indicators and investment case, the versions kept at each submission, the scientific council's
reviews and the decision."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from sifra.accounts.models import Partner, Unit
from sifra.core.models import PersonalNumberFree


class RuleSet(models.Model):
    """A fund's rules (regelverk) for applications. Each rule is off when empty/False, and
    either blocks submission or only warns."""

    fund = models.OneToOneField("funds.Fund", on_delete=models.CASCADE, related_name="rule_set")
    max_amount = models.BigIntegerField(_("largest amount (öre)"), null=True, blank=True)
    max_amount_blocking = models.BooleanField(_("blocking"), default=True)
    max_duration_months = models.PositiveSmallIntegerField(
        _("longest duration (months)"), null=True, blank=True
    )
    max_duration_blocking = models.BooleanField(_("blocking"), default=True)
    min_units = models.PositiveSmallIntegerField(
        _("least number of participating units"), null=True, blank=True
    )
    min_units_blocking = models.BooleanField(_("blocking"), default=True)
    min_own_share = models.DecimalField(
        _("least own contribution (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    min_own_share_blocking = models.BooleanField(_("blocking"), default=False)
    require_followup_plan = models.BooleanField(_("economic follow-up plan required"), default=True)
    require_followup_plan_blocking = models.BooleanField(_("blocking"), default=True)
    require_evaluation_plan = models.BooleanField(_("evaluation plan required"), default=True)
    require_evaluation_plan_blocking = models.BooleanField(_("blocking"), default=True)
    require_case = models.BooleanField(_("investment case required"), default=True)
    require_case_blocking = models.BooleanField(_("blocking"), default=False)
    # The reporting plan proposed to every project the fund grants (the coordinator can change
    # a project's plan afterwards): progress reports every so many months, each due some days
    # after its period, and a final report after the project's end.
    report_every_months = models.PositiveSmallIntegerField(
        _("a progress report every (months)"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
    )
    report_days = models.PositiveSmallIntegerField(
        _("days to report after a period ends"),
        default=30,
        validators=[MaxValueValidator(365)],
    )
    final_report_days = models.PositiveSmallIntegerField(
        _("days to the final report after the project ends"),
        default=90,
        validators=[MaxValueValidator(730)],
    )

    class Meta:
        verbose_name = _("application rules")
        verbose_name_plural = _("application rules")

    def __str__(self) -> str:
        return str(self.fund)


class ReferenceCounter(models.Model):
    """The last reference number given out per year: the row is locked while an application is
    created, so two applications started at once never get the same reference."""

    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    RETURNED = "returned", _("returned for completion")
    IN_REVIEW = "in_review", _("in review")
    RECOMMENDED = "recommended", _("recommended")
    NOT_RECOMMENDED = "not_recommended", _("not recommended")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn")


class EvidenceLevel(models.TextChoices):
    SYSTEMATIC = "systematic", _("systematic review or meta-analysis")
    RCT = "rct", _("randomised trials")
    QUASI = "quasi", _("quasi-experimental studies")
    OBSERVATIONAL = "observational", _("observational studies")
    PRACTICE = "practice", _("proven experience")
    NONE = "none", _("no documented evidence")


class RepaymentModel(models.TextChoices):
    SAVINGS_SHARE = "savings_share", _("a share of verified savings")
    FIXED = "fixed", _("fixed schedule")
    BUDGET_ADJUSTMENT = "budget_adjustment", _("budget adjustment")
    NONE = "none", _("none (grant)")


# The free-text sections of an application, in the order the form shows them.
TEXT_SECTIONS = (
    "summary",
    "problem",
    "target_group",
    "intervention",
    "activities",
    "outputs",
    "outcomes",
    "impact",
    "evidence",
    "followup_plan",
    "evaluation_plan",
    "risks",
    "repayment_notes",
)


END_BEFORE_START = _("The end date must be after the start date.")
SHARE_OUT_OF_RANGE = _("The share of savings repaid must be between 0 and 100 %.")


class Application(PersonalNumberFree):
    free_text_fields = ("title", *TEXT_SECTIONS, "coordinator_comment", "proposal")

    fund = models.ForeignKey(
        "funds.Fund", on_delete=models.PROTECT, related_name="applications", verbose_name=_("fund")
    )
    reference = models.CharField(_("reference"), max_length=30, unique=True)
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    lead_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="led_applications",
        verbose_name=_("applying unit"),
    )
    units = models.ManyToManyField(
        Unit, blank=True, related_name="applications", verbose_name=_("participating units")
    )
    partners = models.ManyToManyField(
        Partner, blank=True, related_name="applications", verbose_name=_("external partners")
    )
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)

    summary = models.TextField(_("summary"), blank=True)
    problem = models.TextField(_("the problem"), blank=True)
    target_group = models.TextField(
        _("target group"), blank=True, help_text=_("Describe groups, never individuals.")
    )
    intervention = models.TextField(_("the intervention"), blank=True)
    activities = models.TextField(_("activities"), blank=True)
    outputs = models.TextField(_("outputs"), blank=True)
    outcomes = models.TextField(_("outcomes"), blank=True)
    impact = models.TextField(_("impact"), blank=True)
    evidence = models.TextField(_("evidence and references"), blank=True)
    evidence_level = models.CharField(
        _("evidence level"), max_length=20, choices=EvidenceLevel.choices, blank=True
    )
    followup_plan = models.TextField(_("economic follow-up plan"), blank=True)
    evaluation_plan = models.TextField(_("evaluation plan"), blank=True)
    risks = models.TextField(_("risks"), blank=True)
    repayment_model = models.CharField(
        _("proposed repayment"), max_length=20, choices=RepaymentModel.choices, blank=True
    )
    repayment_share = models.DecimalField(
        _("share of savings repaid (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    repayment_units = models.ManyToManyField(
        Unit, blank=True, related_name="repaying_applications", verbose_name=_("who repays")
    )
    repayment_notes = models.TextField(_("repayment, more"), blank=True)
    case = models.JSONField(_("investment case"), null=True, blank=True)

    coordinator_comment = models.TextField(_("coordinator's comments"), blank=True)
    proposal = models.TextField(_("coordinator's proposal"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    project = models.OneToOneField(
        "projects.Project",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="application",
    )

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at"]
        # the work queues read applications by status (a handful among thousands decided)
        indexes = [models.Index(fields=["status", "created_at"], name="application_status")]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def clean(self) -> None:
        """The dates in order and the share a percentage: the forms, the API and the services
        all reach this through full_clean."""
        super().clean()
        errors = {}
        if self.start_date and self.end_date and self.end_date <= self.start_date:
            errors["end_date"] = str(END_BEFORE_START)
        share = self.repayment_share
        if share is not None and not Decimal(0) <= share <= Decimal(100):
            errors["repayment_share"] = str(SHARE_OUT_OF_RANGE)
        if errors:
            raise ValidationError(errors)


class BudgetLine(PersonalNumberFree):
    """Money per year and payer: what is asked of the fund and what the payer puts in itself."""

    free_text_fields = ("description",)

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="budget_lines"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    description = models.CharField(_("item"), max_length=200)
    payer_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("payer (unit)")
    )
    payer_partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("payer (partner)"),
    )
    requested = models.BigIntegerField(_("from the fund (öre)"), default=0)
    own_contribution = models.BigIntegerField(_("own contribution (öre)"), default=0)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["year", "id"]

    def __str__(self) -> str:
        return f"{self.year} {self.description}"

    @property
    def payer(self) -> Unit | Partner | None:
        return self.payer_unit or self.payer_partner


class Indicator(PersonalNumberFree):
    free_text_fields = ("name", "unit", "method", "frequency")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="indicators"
    )
    name = models.CharField(_("indicator"), max_length=200)
    unit = models.CharField(_("unit of measurement"), max_length=50)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=4)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"))
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=4)
    method = models.CharField(_("measurement method"), max_length=300)
    frequency = models.CharField(_("frequency"), max_length=100)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class ApplicationVersion(models.Model):
    """The application as it was submitted, every time it was: reviewers compare versions."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    content = models.JSONField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application", "number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.application.reference} v{self.number}"


# What a review's score means, shown beside the number wherever a score is given or read.
SCORE_WORDS = {
    1: _("very weak"),
    2: _("weak"),
    3: _("acceptable"),
    4: _("good"),
    5: _("very good"),
}


class Review(PersonalNumberFree):
    free_text_fields = ("conditions", "comments")

    class Recommendation(models.TextChoices):
        APPROVE = "approve", _("approve")
        CONDITIONS = "conditions", _("approve with conditions")
        REJECT = "reject", _("reject")

    SCORES = [(i, str(i)) for i in range(1, 6)]

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="reviews",
        verbose_name=_("reviewer"),
    )
    evidence_strength = models.PositiveSmallIntegerField(
        _("strength of evidence (1–5)"), choices=SCORES, null=True
    )
    evaluation_quality = models.PositiveSmallIntegerField(
        _("quality of the evaluation design (1–5)"), choices=SCORES, null=True
    )
    case_realism = models.PositiveSmallIntegerField(
        _("realism of the investment case (1–5)"), choices=SCORES, null=True
    )
    recommendation = models.CharField(
        _("recommendation"), max_length=20, choices=Recommendation.choices, blank=True
    )
    conditions = models.TextField(_("conditions"), blank=True)
    comments = models.TextField(_("comments"), blank=True)
    assigned_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["assigned_at"]
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="review_unique")
        ]

    def __str__(self) -> str:
        return f"{self.application.reference}: {self.reviewer}"

    @staticmethod
    def score_text(score: int | None) -> str:
        """A score with its meaning, "4 – good"; "–" when there is none."""
        return "–" if score is None else f"{score} – {SCORE_WORDS.get(score, '')}"

    @property
    def evidence_strength_text(self) -> str:
        return self.score_text(self.evidence_strength)

    @property
    def evaluation_quality_text(self) -> str:
        return self.score_text(self.evaluation_quality)

    @property
    def case_realism_text(self) -> str:
        return self.score_text(self.case_realism)


class Decision(PersonalNumberFree):
    free_text_fields = ("conditions", "reason", "minute_ref")

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="decision"
    )
    outcome = models.CharField(_("decision"), max_length=20, choices=Outcome.choices)
    amount = models.BigIntegerField(_("approved amount (öre)"), default=0)
    conditions = models.TextField(_("conditions"), blank=True)
    reason = models.TextField(_("reason"), blank=True)
    minute_ref = models.CharField(_("minute reference"), max_length=100)
    decided_on = models.DateField(_("decided on"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return f"{self.application.reference}: {self.outcome}"
