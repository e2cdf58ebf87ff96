from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sifra.core.forms import LongModelChoiceField, MoneyField, limited_formfield
from sifra.funds.models import EntryKind, Fund
from sifra.projects.models import Project


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(format="%Y-%m-%d", **kwargs)


class FundForm(forms.ModelForm):
    annual_topup = MoneyField(label=_("Planned yearly top-up"), required=False, min_ore=0)
    target_capital = MoneyField(label=_("Target capital"), required=False, min_ore=0)

    class Meta:
        model = Fund
        formfield_callback = limited_formfield
        fields = [
            "name",
            "description",
            "rules",
            "rules_decision_ref",
            "established_on",
            "annual_topup",
            "target_capital",
            "is_active",
        ]
        widgets = {"established_on": DateInput()}

    def clean_annual_topup(self) -> int:
        return self.cleaned_data.get("annual_topup") or 0

    def clean_target_capital(self) -> int:
        return self.cleaned_data.get("target_capital") or 0


class EntryForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"))
    amount = MoneyField(label=_("Amount"), min_ore=1)
    date = forms.DateField(label=_("Date"), widget=DateInput())
    project = forms.ModelChoiceField(
        label=_("Project"), queryset=Project.objects.none(), required=False
    )
    text = forms.CharField(
        label=_("Text"),
        max_length=300,
        help_text=_("What the entry is for; for a write-off, the reason."),
    )
    decision_ref = forms.CharField(
        label=_("Decision reference"),
        max_length=100,
        required=False,
        help_text=_("For example KS § 123/2026."),
    )

    def __init__(self, *args, fund: Fund, kinds: set[str], **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [c for c in EntryKind.choices if c[0] in kinds]  # type: ignore[attr-defined]
        self.fields["project"].queryset = fund.projects.order_by("code")  # type: ignore[attr-defined]
        self.fields["date"].initial = timezone.localdate()


class ReverseForm(forms.Form):
    text = forms.CharField(label=_("Reason for the correction"), max_length=300)
    date = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)


class LedgerFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    project = LongModelChoiceField(
        label=_("Project"), queryset=Project.objects.none(), required=False, lookup="code"
    )
    fiscal_year = forms.IntegerField(
        label=_("Fiscal year"), required=False, min_value=1900, max_value=2200
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())
    text = forms.CharField(label=_("Text contains"), required=False, max_length=100)

    def __init__(self, *args, projects, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All")), *EntryKind.choices]
        self.fields["project"].queryset = projects
        self.fields["project"].make_long()


class BalanceDateForm(forms.Form):
    at = forms.DateField(label=_("Balances at"), required=False, widget=DateInput())


class ClosingForm(forms.Form):
    year = forms.IntegerField(label=_("Fiscal year"), min_value=2000, max_value=2200)
    decided_on = forms.DateField(
        label=_("Annual accounts decided on"), widget=DateInput(), initial=timezone.localdate
    )
    decision_ref = forms.CharField(
        label=_("Decision reference"),
        max_length=100,
        help_text=_("For example KF § 45/2026."),
    )
