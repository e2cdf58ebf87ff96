from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sifra.accounts.models import Unit
from sifra.core.forms import LongModelChoiceField, MoneyField
from sifra.core.text import LONG_TEXT
from sifra.funds.forms import DateInput
from sifra.funds.models import Fund
from sifra.projects.models import Project
from sifra.repayment.models import ClaimPayment, EvidenceKind, Model

DUPLICATE_UNIT = _("Name each unit only once.")
DUPLICATE_YEAR = _("Give each year only once.")
REASON_NEEDED = _("Give the reason for the write-off.")


def _units() -> Any:
    return Unit.objects.filter(is_active=True).order_by("name")


class AgreementForm(forms.Form):
    model = forms.ChoiceField(label=_("Repayment model"), choices=Model.choices)
    share = forms.DecimalField(
        label=_("Share of verified savings (%)"),
        required=False,
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=Decimal(100),
        localize=True,
        help_text=_("For a share of savings: how much of each verified saving is repaid."),
    )
    cap = MoneyField(
        label=_("Cap"),
        required=False,
        min_ore=1,
        help_text=_("In kronor. Empty: the amount granted. A fixed schedule's cap is its sum."),
    )
    due_months = forms.IntegerField(
        label=_("Months after the year's end until due"), min_value=0, max_value=36, initial=6
    )
    decision_ref = forms.CharField(label=_("Decision reference"), max_length=100, required=False)
    notes = forms.CharField(
        max_length=LONG_TEXT,
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ShareForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit that repays"), queryset=Unit.objects.none())
    percent = forms.DecimalField(
        label=_("Part (%)"),
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=Decimal(100),
        localize=True,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units()  # type: ignore[attr-defined]


class InstalmentForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    amount = MoneyField(label=_("Amount"), min_ore=1, help_text="")


class _RowsFormSet(forms.BaseFormSet):
    """Filled-in rows only; a key (unit, year) may appear once. Every row is an extra row, so
    that a proposed or saved row can be cleared like any other."""

    key = ""
    duplicate_message: Any = ""

    def initial_form_count(self) -> int:
        return 0

    def filled(self) -> list[dict[str, Any]]:
        return [f.cleaned_data for f in self.forms if f.cleaned_data]

    def clean(self) -> None:
        if any(self.errors):
            return
        keys = [row[self.key] for row in self.filled()]
        if len(keys) != len(set(keys)):
            raise forms.ValidationError(self.duplicate_message)


class _ShareRows(_RowsFormSet):
    key = "unit"
    duplicate_message = DUPLICATE_UNIT

    def shares(self) -> list[tuple[Unit, Decimal]]:
        return [(row["unit"], row["percent"]) for row in self.filled()]


class _InstalmentRows(_RowsFormSet):
    key = "year"
    duplicate_message = DUPLICATE_YEAR

    def instalments(self) -> list[tuple[int, int]]:
        return [(row["year"], row["amount"]) for row in self.filled()]


ShareFormSet = forms.formset_factory(ShareForm, formset=_ShareRows, max_num=20)
InstalmentFormSet = forms.formset_factory(InstalmentForm, formset=_InstalmentRows, max_num=30)


def row_formset(
    formset: type[forms.BaseFormSet],
    data: Any,
    *,
    prefix: str,
    initial: list[dict[str, Any]],
    blank: int,
) -> Any:
    """Bound to what was posted, or showing `initial` and `blank` empty rows."""
    if data is not None:
        return formset(data, prefix=prefix)
    rows = formset(initial=initial, prefix=prefix)
    rows.extra = len(initial) + blank
    return rows


class SavingForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    unit = forms.ModelChoiceField(label=_("Saving unit"), queryset=Unit.objects.none())
    amount = MoneyField(label=_("Verified saving"), min_ore=1)
    evidence_kind = forms.ChoiceField(label=_("Evidence"), choices=EvidenceKind.choices)
    evidence = forms.CharField(
        max_length=LONG_TEXT,
        label=_("What it rests on"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The report, evaluation or figure from the finance system, and where."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units()  # type: ignore[attr-defined]


class SavingReversalForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the saving reversed?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For example: the figure from the finance system was wrong. Then verify it again."
        ),
    )


class PaymentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=ClaimPayment.Kind.choices,
        initial=ClaimPayment.Kind.REPAYMENT,
    )
    amount = MoneyField(label=_("Amount"), min_ore=1)
    date = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        required=False,
        help_text=_("Required for a write-off."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == ClaimPayment.Kind.WRITE_OFF and not data.get("reason", "").strip():
            self.add_error("reason", REASON_NEEDED)
        return data


class ClaimFilterForm(forms.Form):
    fund = forms.ModelChoiceField(
        label=_("Fund"), queryset=Fund.objects.order_by("name"), required=False
    )
    unit = forms.ModelChoiceField(
        label=_("Debtor"), queryset=Unit.objects.order_by("name"), required=False
    )
    project = LongModelChoiceField(
        label=_("Project"), queryset=Project.objects.order_by("code"), required=False, lookup="code"
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        project: Any = self.fields["project"]
        project.make_long()
