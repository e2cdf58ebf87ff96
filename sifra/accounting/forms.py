from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sifra.accounting import chart
from sifra.accounting.models import FundAccount
from sifra.accounting.sie import Account

KIND_LABELS = {
    "T": _("asset"),
    "S": _("equity"),
    "K": _("cost"),
    "I": _("income"),
}


class AccountMappingForm(forms.Form):
    """An account number and name for every role of sifra.accounting.chart."""

    def __init__(self, *args: Any, accounts: dict[str, Account], **kwargs: Any) -> None:
        initial: dict[str, str] = {}
        for key, account in accounts.items():
            initial[f"{key}_number"] = account.number
            initial[f"{key}_name"] = account.name
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        for role in chart.ROLES:
            self.fields[f"{role.key}_number"] = forms.CharField(
                label=_("Account number"), max_length=6
            )
            self.fields[f"{role.key}_name"] = forms.CharField(
                label=_("Account name"), max_length=100
            )

    def accounts(self) -> dict[str, tuple[str, str]]:
        d = self.cleaned_data
        return {r: (d[f"{r}_number"], d[f"{r}_name"]) for r in chart.ROLE_KEYS}

    def fieldsets(self) -> list[dict[str, Any]]:
        labels = dict(FundAccount.Role.choices)
        return [
            {
                "role": role.key,
                "legend": labels[role.key],
                "kind": KIND_LABELS[role.kind],
                "classes": role.classes,
                "number": self[f"{role.key}_number"],
                "name": self[f"{role.key}_name"],
                "fields": [self[f"{role.key}_number"], self[f"{role.key}_name"]],
            }
            for role in chart.ROLES
        ]
