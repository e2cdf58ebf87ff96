from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sifra.core.forms import MoneyField
from sifra.engine.forecast import DEFAULT_ITERATIONS, DEFAULT_YEARS, MAX_YEARS, Policy, PolicyError
from sifra.forecasts.policy import MAX_SEED, MAX_WORKER_ITERATIONS, build_policy


class ForecastForm(forms.Form):
    years = forms.IntegerField(
        label=_("Years"), min_value=1, max_value=MAX_YEARS, initial=DEFAULT_YEARS
    )
    iterations = forms.IntegerField(
        label=_("Iterations"),
        min_value=100,
        max_value=MAX_WORKER_ITERATIONS,
        initial=DEFAULT_ITERATIONS,
    )
    seed = forms.IntegerField(label=_("Seed"), min_value=0, max_value=MAX_SEED, initial=0)
    topup_kind = forms.ChoiceField(
        label=_("Top-ups"),
        choices=[("fixed", _("a fixed sum a year")), ("tax", _("a share of the tax revenue"))],
        widget=forms.RadioSelect,
        initial="fixed",
    )
    topup = MoneyField(label=_("Top-up a year"), min_ore=0, required=False)
    tax_share = forms.DecimalField(
        label=_("Share of the tax revenue (%)"),
        min_value=0,
        max_value=100,
        decimal_places=3,
        required=False,
    )
    tax_revenue = MoneyField(label=_("Tax revenue this year"), min_ore=0, required=False)
    growth = forms.DecimalField(
        label=_("Growth of the tax revenue (% a year)"),
        min_value=-99,
        max_value=100,
        decimal_places=3,
        required=False,
    )
    new_grants = MoneyField(
        label=_("New grants a year"),
        min_ore=0,
        help_text=_("Prefilled with the average of the last three years."),
    )
    floor = MoneyField(
        label=_("Floor for available money"),
        help_text=_("The forecast gives the chance that available money stays at or above it."),
    )
    repayment = forms.BooleanField(label=_("Projects repay the fund"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        tax = data.get("topup_kind") == "tax"
        try:
            self.policy = build_policy(
                years=data["years"],
                iterations=data["iterations"],
                seed=data["seed"],
                topup=None if tax else _kronor(data.get("topup")),
                tax_share=data.get("tax_share") if tax else None,
                tax_revenue=_kronor(data.get("tax_revenue")) if tax else None,
                growth=data.get("growth") if tax else None,
                new_grants=_kronor(data.get("new_grants")),
                floor=_kronor(data.get("floor")),
                repayment=data.get("repayment", False),
                max_iterations=MAX_WORKER_ITERATIONS,
            )
        except PolicyError as exc:
            self.add_error(exc.option if exc.option in self.fields else None, exc.message)
        return data

    def get_policy(self) -> Policy:
        return self.policy


def _kronor(ore: int | None) -> str | None:
    """Öre back to the kronor text build_policy reads."""
    if ore is None:
        return None
    sign = "-" if ore < 0 else ""
    return f"{sign}{abs(ore) // 100}.{abs(ore) % 100:02d}"
