from typing import Any

from django import forms
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from sifra.core.forms import MoneyField
from sifra.core.money import format_ore
from sifra.core.text import LONG_TEXT
from sifra.followup.charts import exact
from sifra.followup.models import ProgressReport, ProjectIndicator

# Indicator values are exact decimals typed the Swedish way (3,5), as the model stores them.
DECIMAL: dict[str, Any] = {"max_digits": 14, "decimal_places": 4, "localize": True}
NOT_NEGATIVE = MinValueValidator(0, message=_("The amount cannot be negative."))
SPACES = str.maketrans("", "", " \u00a0\u202f")


class NumberField(forms.DecimalField):
    """An exact decimal in the active language's format, with spaces between thousands
    allowed ('1 200,5'), as people write them."""

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return {**super().widget_attrs(widget), "inputmode": "decimal"}

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.translate(SPACES)
        return super().to_python(value)


class ScheduleForm(forms.Form):
    every_months = forms.IntegerField(
        label=_("A progress report every (months)"), min_value=1, max_value=24, initial=6
    )
    days_to_report = forms.IntegerField(
        label=_("Days to report after a period ends"), min_value=0, max_value=365, initial=30
    )
    final_days = forms.IntegerField(
        label=_("Days to the final report after the project ends"),
        min_value=0,
        max_value=730,
        initial=90,
    )


class IndicatorForm(forms.ModelForm):
    baseline = NumberField(label=_("Baseline"), **DECIMAL)
    target = NumberField(label=_("Target"), **DECIMAL)
    baseline_year = forms.IntegerField(label=_("Baseline year"), min_value=1900, max_value=2100)

    class Meta:
        model = ProjectIndicator
        fields = ["name", "unit", "baseline", "baseline_year", "target", "method", "frequency"]


class BudgetLineForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    description = forms.CharField(label=_("Item"), max_length=200)
    from_fund = MoneyField(label=_("From the fund"), required=False, validators=[NOT_NEGATIVE])
    own_contribution = MoneyField(
        label=_("Own contribution"), required=False, validators=[NOT_NEGATIVE]
    )

    def clean_from_fund(self) -> int:
        return self.cleaned_data.get("from_fund") or 0

    def clean_own_contribution(self) -> int:
        return self.cleaned_data.get("own_contribution") or 0


class ReportForm(forms.Form):
    """The report's figures: one exact decimal per indicator, one amount per budget line. A
    blank value is left as it was; submitting needs every indicator's value."""

    participants = forms.IntegerField(label=_("Participants reached"), min_value=0)
    narrative = forms.CharField(
        max_length=LONG_TEXT,
        label=_("Narrative"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What was done and learnt in the period. Describe groups, never individuals."),
    )

    def __init__(self, *args: Any, report: ProgressReport, **kwargs: Any) -> None:
        values = {v.indicator_id: exact(v.value) for v in report.values.all()}
        costs = {c.budget_line_id: c.amount for c in report.costs.all()}
        initial = {"participants": report.participants, "narrative": report.narrative}
        self.indicators = list(report.project.indicators.all())
        self.lines = list(report.project.budget_lines.all())
        for i in self.indicators:
            initial[self.value_name(i.pk)] = values.get(i.pk)
        for line in self.lines:
            initial[self.cost_name(line.pk)] = costs.get(line.pk)
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        for i in self.indicators:
            self.fields[self.value_name(i.pk)] = NumberField(
                label=f"{i.name} ({i.unit})", required=False, **DECIMAL
            )
        for line in self.lines:
            self.fields[self.cost_name(line.pk)] = MoneyField(
                label=_("Actual cost: %(line)s") % {"line": line},
                required=False,
                min_ore=0,
                help_text=_("In kronor; the budget is %(budget)s.")
                % {"budget": format_ore(line.total)},
            )

    @staticmethod
    def value_name(indicator_id: int) -> str:
        return f"value_{indicator_id}"

    @staticmethod
    def cost_name(line_id: int) -> str:
        return f"cost_{line_id}"

    def value_fields(self) -> list[forms.BoundField]:
        return [self[self.value_name(i.pk)] for i in self.indicators]

    def cost_fields(self) -> list[forms.BoundField]:
        return [self[self.cost_name(line.pk)] for line in self.lines]

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        values = {i.pk: d[self.value_name(i.pk)] for i in self.indicators}
        costs = {line.pk: d[self.cost_name(line.pk)] for line in self.lines}
        return {
            "participants": d["participants"],
            "narrative": d["narrative"],
            "values": {k: v for k, v in values.items() if v is not None},
            "costs": {k: v for k, v in costs.items() if v is not None},
        }

    def field_for(self, key: str) -> str | None:
        """The field a service error belongs to: `values.3` is value_3, `costs.7` cost_7."""
        prefix, _dot, pk = key.partition(".")
        name = {"values": "value_", "costs": "cost_"}.get(prefix, "") + pk if pk else key
        return name if name in self.fields else None


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What should be revised"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )
