"""The evaluation of a project's effect, and the scientific council's assessment of it."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from sifra.core.models import PersonalNumberFree


class Method(models.TextChoices):
    RCT = "rct", _("randomised controlled trial")
    QUASI = "quasi", _("quasi-experimental design")
    HISTORICAL = "historical", _("historical comparison")
    BEFORE_AFTER = "before_after", _("before and after")
    VERIFICATION = "verification", _("simple verification")


EFFECT_RANGE = [MinValueValidator(Decimal(-1)), MaxValueValidator(Decimal(1))]
EFFECT_HELP = _(
    "The absolute reduction of the share in the costly state, between −1 and 1, e.g. 0,18; "
    "negative where the intervention made things worse."
)


class Evaluation(PersonalNumberFree):
    free_text_fields = ("evaluator", "summary", "council_assessment")

    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="evaluations"
    )
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    outcome_index = models.PositiveSmallIntegerField(
        _("outcome in the case"),
        default=0,
        help_text=_("Which of the case's outcomes the estimate is for (the first is 0)."),
    )
    # Between −1 and 1: an underpowered or harmful result (an interval below 0, a negative
    # effect) must be recordable, or the case after the fact would understate the uncertainty.
    effect = models.DecimalField(
        _("estimated effect"),
        max_digits=7,
        decimal_places=5,
        validators=EFFECT_RANGE,
        help_text=EFFECT_HELP,
    )
    ci_low = models.DecimalField(
        _("95 % interval, low"), max_digits=7, decimal_places=5, validators=EFFECT_RANGE
    )
    ci_high = models.DecimalField(
        _("95 % interval, high"), max_digits=7, decimal_places=5, validators=EFFECT_RANGE
    )
    evaluator = models.CharField(_("evaluator"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    report = models.ForeignKey(
        "documents.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("evaluation report"),
    )
    council_assessment = models.TextField(_("the scientific council's assessment"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    assessed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ci_low__gte=-1, ci_high__lte=1),
                name="evaluation_interval_within_minus_one_and_one",
            ),
            models.CheckConstraint(
                condition=models.Q(ci_low__lte=models.F("effect"), effect__lte=models.F("ci_high")),
                name="evaluation_effect_inside_interval",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project.code}: {self.get_method_display()}"
