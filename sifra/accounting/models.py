"""A fund's accounts in the municipality's chart of accounts: one account per role of
sifra.accounting.chart (cash, claims, the earmarked equity, grants, repayments). Editable by the
coordinator; every change is in the audit trail."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from sifra.accounting import chart
from sifra.core.models import PersonalNumberFree
from sifra.funds.models import Fund

ACCOUNT_NUMBER = RegexValidator(
    r"^[0-9]{3,6}$", _("An account number is 3 to 6 digits, for example 1930.")
)


class FundAccount(PersonalNumberFree):
    free_text_fields = ("name",)

    class Role(models.TextChoices):
        CASH = chart.CASH, _("cash (group account)")
        CLAIMS = chart.CLAIMS, _("repayment claims")
        AVAILABLE = chart.AVAILABLE, _("earmarked equity, available")
        COMMITTED = chart.COMMITTED, _("earmarked equity, committed")
        CLAIMS_OFFSET = chart.CLAIMS_OFFSET, _("unpaid claims, offset")
        GRANTS = chart.GRANTS, _("grants paid (cost)")
        REPAYMENTS = chart.REPAYMENTS, _("repayments (income)")

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="accounts")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    number = models.CharField(_("account"), max_length=6, validators=[ACCOUNT_NUMBER])
    name = models.CharField(_("account name"), max_length=100)

    class Meta:
        verbose_name = _("fund account")
        verbose_name_plural = _("fund accounts")
        ordering = ["fund", "number"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "role"], name="fund_account_role_unique"),
            models.UniqueConstraint(fields=["fund", "number"], name="fund_account_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.fund_id}: {self.number} {self.name}"
