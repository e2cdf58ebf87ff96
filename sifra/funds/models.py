"""A fund and its append-only ledger. Amounts are whole öre (BigIntegerField): sums are exact
on SQLite and PostgreSQL alike."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sifra.accounts.models import Organisation
from sifra.audit.models import AppendOnlyModel
from sifra.core.models import PersonalNumberFree
from sifra.core.text import RULES_TEXT


class Fund(PersonalNumberFree):
    free_text_fields = ("name", "description", "rules", "rules_decision_ref")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="funds")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("purpose"), blank=True)
    rules = models.TextField(
        _("rules (regelverk)"),
        blank=True,
        max_length=RULES_TEXT,
        help_text=_("What is eligible, how projects report, how savings are computed and repaid."),
    )
    rules_decision_ref = models.CharField(_("rules adopted by"), max_length=100, blank=True)
    established_on = models.DateField(_("established"), null=True, blank=True)
    annual_topup = models.BigIntegerField(
        _("planned yearly top-up (öre)"), default=0, help_text=_("The capital added each year.")
    )
    target_capital = models.BigIntegerField(_("target capital (öre)"), default=0)
    is_active = models.BooleanField(_("open for applications"), default=True)

    class Meta:
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class EntryKind(models.TextChoices):
    DEPOSIT = "deposit", _("deposit")
    COMMITMENT = "commitment", _("commitment")
    RELEASE = "release", _("release of commitment")
    DISBURSEMENT = "disbursement", _("disbursement")
    CLAIM = "claim", _("repayment claim")
    REPAYMENT = "repayment", _("repayment")
    WRITE_OFF = "write_off", _("write-off of claim")
    REVERSAL = "reversal", _("reversal")


class LedgerEntry(PersonalNumberFree, AppendOnlyModel):
    """One posting. The d_* columns hold its effect on the three balances, so that every
    balance, at any date, is one SUM; a reversal holds the negated effect of what it reverses."""

    free_text_fields = ("text", "decision_ref")

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="entries")
    number = models.PositiveIntegerField(_("no."))
    kind = models.CharField(_("kind"), max_length=20, choices=EntryKind.choices)
    amount = models.BigIntegerField(_("amount (öre)"))
    date = models.DateField(_("date"))
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    text = models.CharField(_("text"), max_length=300)
    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("project"),
    )
    decision_ref = models.CharField(_("decision reference"), max_length=100, blank=True)
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("reverses"),
    )
    d_capital = models.BigIntegerField(default=0)
    d_committed = models.BigIntegerField(default=0)
    d_claims = models.BigIntegerField(default=0)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    posted_at = models.DateTimeField(_("posted"), auto_now_add=True)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["fund", "number"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "number"], name="entry_number_unique"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="entry_amount_positive"),
        ]
        indexes = [
            models.Index(fields=["fund", "date"]),
            # covers the portfolio's sums by project and kind: read from the index alone
            models.Index(
                fields=["project", "kind", "amount", "d_claims"], name="entry_project_kind_sums"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fund_id}:{self.number} {self.kind}"


class LedgerDay(models.Model):
    """Derived from the ledger, never entered: the sum of one day's entries, so that the rules
    at every date read one row per day instead of every entry. A row without a project holds the
    whole fund's day (all its entries); a row with a project holds that project's entries only.
    The posting service keeps it in step in the same transaction; `sifra ledger_rebuild_days`
    recomputes it from the entries."""

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="days")
    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    date = models.DateField()
    d_capital = models.BigIntegerField(default=0)
    d_committed = models.BigIntegerField(default=0)
    d_claims = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "date"],
                condition=models.Q(project__isnull=True),
                name="ledger_day_fund_unique",
            ),
            models.UniqueConstraint(
                fields=["project", "date"],
                condition=models.Q(project__isnull=False),
                name="ledger_day_project_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fund_id}/{self.project_id or '-'} {self.date}"


class ProjectKindTotal(models.Model):
    """Derived from the ledger, never entered: what stands of one project's entries of one kind,
    the entries that were not reversed summed (a reversal subtracts what it reverses from that
    entry's kind), so that the portfolio reads one row per project and kind instead of every
    entry. The posting service keeps it in step in the same transaction, beside LedgerDay;
    `sifra ledger_rebuild_days` recomputes both from the entries."""

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=EntryKind.choices)
    amount = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "kind"], name="project_kind_total_unique")
        ]
        indexes = [models.Index(fields=["fund", "kind", "project", "amount"])]

    def __str__(self) -> str:
        return f"{self.project_id} {self.kind} {self.amount}"


class FiscalYearClosing(PersonalNumberFree, AppendOnlyModel):
    """A closed fiscal year (bokslut): from here on no entry is dated in it or before it, and
    its closing balances (at 31 December) are kept as they were. Never reopened in the app."""

    free_text_fields = ("decision_ref",)

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="closings")
    year = models.PositiveSmallIntegerField(_("fiscal year"))
    decided_on = models.DateField(_("decided on"))
    decision_ref = models.CharField(_("decision reference"), max_length=100)
    capital = models.BigIntegerField(_("capital (öre)"))
    committed = models.BigIntegerField(_("committed (öre)"))
    claims = models.BigIntegerField(_("claims (öre)"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed"), auto_now_add=True)

    class Meta:
        verbose_name = _("closed fiscal year")
        verbose_name_plural = _("closed fiscal years")
        ordering = ["fund", "year"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "year"], name="closing_year_unique"),
        ]

    @property
    def available(self) -> int:
        return self.capital - self.committed

    def __str__(self) -> str:
        return f"{self.fund_id}: {self.year}"
