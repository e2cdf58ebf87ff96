"""Repayment: the agreement that says who pays back what, the savings an economist verified,
and the claims that follow, each posted to the ledger."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sifra.accounts.models import Unit
from sifra.core.models import PersonalNumberFree


class Model(models.TextChoices):
    SAVINGS_SHARE = "savings_share", _("a share of verified savings")
    FIXED = "fixed", _("fixed schedule")
    BUDGET_ADJUSTMENT = "budget_adjustment", _("budget adjustment")
    NONE = "none", _("none (grant)")


class Agreement(PersonalNumberFree):
    free_text_fields = ("decision_ref", "notes")

    project = models.OneToOneField(
        "projects.Project", on_delete=models.PROTECT, related_name="agreement"
    )
    model = models.CharField(_("repayment model"), max_length=20, choices=Model.choices)
    share = models.DecimalField(
        _("share of savings (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    cap = models.BigIntegerField(_("cap (öre)"), default=0)
    due_months = models.PositiveSmallIntegerField(
        _("months after the year's end until due"), default=6
    )
    decision_ref = models.CharField(_("decision reference"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("repayment agreement")
        verbose_name_plural = _("repayment agreements")

    def __str__(self) -> str:
        return f"{self.project.code}: {self.get_model_display()}"


class AgreementShare(models.Model):
    """Who repays, and how large a part of each claim."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="shares")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    percent = models.DecimalField(_("part (%)"), max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["-percent", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "unit"], name="share_unit_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.percent} %"


class Instalment(models.Model):
    """A fixed schedule's amount for one year."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="instalments")
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.BigIntegerField(_("amount (öre)"))

    class Meta:
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}: {self.amount}"


class EvidenceKind(models.TextChoices):
    REPORT = "report", _("a follow-up report")
    EVALUATION = "evaluation", _("an evaluation")
    FINANCE = "finance", _("a figure from the finance system")


class VerifiedSaving(PersonalNumberFree):
    free_text_fields = ("evidence", "reversal_reason")

    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="verified_savings"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("saving unit")
    )
    amount = models.BigIntegerField(_("verified saving (öre)"))
    evidence_kind = models.CharField(_("evidence"), max_length=20, choices=EvidenceKind.choices)
    evidence = models.TextField(_("what it rests on"))
    report = models.ForeignKey(
        "followup.ProgressReport",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    evaluation = models.ForeignKey(
        "evaluation.Evaluation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    document = models.ForeignKey(
        "documents.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField(auto_now_add=True)
    # A saving found wrong is reversed, never edited or deleted: its claims are reversed in the
    # ledger and its year and unit are free for a new verification.
    reversed_at = models.DateTimeField(_("reversed at"), null=True, blank=True)
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reversal_reason = models.TextField(_("reason for the correction"), blank=True)

    class Meta:
        verbose_name = _("verified saving")
        verbose_name_plural = _("verified savings")
        ordering = ["year", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="saving_positive"),
            models.UniqueConstraint(
                fields=["project", "year", "unit"],
                condition=models.Q(reversed_at__isnull=True),
                name="saving_year_unit_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.year} {self.unit_id}"


class Claim(models.Model):
    """What one unit owes the fund for one year, posted to the ledger as a claim."""

    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="claims")
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="claims", verbose_name=_("debtor")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.BigIntegerField(_("amount (öre)"))
    due_date = models.DateField(_("due"))
    saving = models.ForeignKey(
        VerifiedSaving, on_delete=models.PROTECT, null=True, blank=True, related_name="claims"
    )
    instalment = models.ForeignKey(
        Instalment, on_delete=models.PROTECT, null=True, blank=True, related_name="claims"
    )
    ledger_entry = models.OneToOneField(
        "funds.LedgerEntry", on_delete=models.PROTECT, related_name="claim"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Derived from the ledger, never entered (like funds.LedgerDay): what stands of the claim's
    # repayments and its write-offs (their entries not reversed), and whether the claim's own
    # entry was reversed. sifra.repayment.balances keeps them in step, in the transaction that
    # posts a payment or a reversal, so that a list of claims sums columns instead of running a
    # subquery per claim; the services' checks still read the ledger (claims_annotated).
    repaid_sum = models.BigIntegerField(default=0, editable=False)
    written_off_sum = models.BigIntegerField(default=0, editable=False)
    entry_reversed = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="claim_positive")
        ]

    def __str__(self) -> str:
        return f"{self.project.code} {self.unit} {self.year}"


class ClaimPayment(models.Model):
    """A repayment or a write-off against one claim; the ledger entry holds the money."""

    class Kind(models.TextChoices):
        REPAYMENT = "repayment", _("repayment")
        WRITE_OFF = "write_off", _("write-off")

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="payments")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    amount = models.BigIntegerField(_("amount (öre)"))
    ledger_entry = models.OneToOneField(
        "funds.LedgerEntry", on_delete=models.PROTECT, related_name="claim_payment"
    )
    # Derived from the ledger, never entered (see Claim.repaid_sum): the day of the payment's
    # entry, and whether that entry was reversed, kept by sifra.repayment.balances so that the
    # repayments chart groups the payments by day without joining every payment's entry.
    date = models.DateField(null=True, editable=False)
    entry_reversed = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount}"
