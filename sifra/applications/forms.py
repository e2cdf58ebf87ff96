from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from sifra.accounts.models import Partner, Role, Unit, User
from sifra.applications.models import SCORE_WORDS, Application, Review, RuleSet
from sifra.core.forms import MoneyField, limited_formfield
from sifra.core.text import LONG_TEXT
from sifra.funds.forms import DateInput
from sifra.funds.models import Fund

TEXTAREA = forms.Textarea(attrs={"rows": 5})


class ApplicationCreateForm(forms.Form):
    fund = forms.ModelChoiceField(label=_("Fund"), queryset=Fund.objects.filter(is_active=True))
    title = forms.CharField(label=_("Title"), max_length=200)
    lead_unit = forms.ModelChoiceField(label=_("Applying unit"), queryset=Unit.objects.none())

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = user.units.all() if user.role == Role.APPLICANT else Unit.objects.all()
        self.fields["lead_unit"].queryset = units.filter(is_active=True)  # type: ignore[attr-defined]


class ApplicationForm(forms.ModelForm):
    class Meta:
        model = Application
        formfield_callback = limited_formfield
        fields = [
            "title",
            "start_date",
            "end_date",
            "units",
            "partners",
            "summary",
            "problem",
            "target_group",
            "intervention",
            "activities",
            "outputs",
            "outcomes",
            "impact",
            "evidence",
            "evidence_level",
            "followup_plan",
            "evaluation_plan",
            "risks",
            "repayment_model",
            "repayment_share",
            "repayment_units",
            "repayment_notes",
        ]
        labels = {"start_date": _("Start date"), "end_date": _("End date")}
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "units": forms.CheckboxSelectMultiple,
            "partners": forms.CheckboxSelectMultiple,
            "repayment_units": forms.CheckboxSelectMultiple,
            "repayment_share": forms.NumberInput(attrs={"min": "0", "max": "100", "step": "0.01"}),
            **{
                name: TEXTAREA
                for name in (
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
            },
        }
        help_texts = {
            "activities": _("What the project does."),
            "outputs": _("What the activities produce, e.g. number of families reached."),
            "outcomes": _("The changes that follow for the target group."),
            "impact": _("The long-term effect, including on the municipality's costs."),
            "followup_plan": _("How costs and savings will be followed up, by whom and when."),
            "units": _("Other units that take part (nämndövergripande)."),
            "repayment_share": _("A percentage from 0 to 100, for a share of verified savings."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("units", "repayment_units"):
            if name in self.fields:
                self.fields[name].queryset = Unit.objects.filter(is_active=True)  # type: ignore[attr-defined]
        if "partners" in self.fields:
            self.fields["partners"].queryset = Partner.objects.filter(is_active=True)  # type: ignore[attr-defined]


def section_form(fields: tuple[str, ...]) -> type[ApplicationForm]:
    """The application form with only one section's fields."""
    form = forms.modelform_factory(Application, form=ApplicationForm, fields=list(fields))
    return cast(type[ApplicationForm], form)


def _payer_choices() -> list[tuple[str, str]]:
    units = [(f"u{u.pk}", u.name) for u in Unit.objects.filter(is_active=True)]
    partners = [(f"p{p.pk}", p.name) for p in Partner.objects.filter(is_active=True)]
    return [("", "–"), *units, *partners]


class BudgetLineForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    description = forms.CharField(label=_("Item"), max_length=200)
    payer = forms.ChoiceField(label=_("Payer"), required=False)
    requested = MoneyField(label=_("From the fund"), required=False, help_text="", min_ore=0)
    own_contribution = MoneyField(
        label=_("Own contribution"), required=False, help_text="", min_ore=0
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["payer"].choices = _payer_choices()  # type: ignore[attr-defined]

    def row(self) -> dict[str, Any]:
        d = self.cleaned_data
        payer = d.get("payer") or ""
        return {
            "year": d["year"],
            "description": d["description"],
            "payer_unit_id": int(payer[1:]) if payer.startswith("u") else None,
            "payer_partner_id": int(payer[1:]) if payer.startswith("p") else None,
            "requested": d.get("requested") or 0,
            "own_contribution": d.get("own_contribution") or 0,
        }


class IndicatorForm(forms.Form):
    name = forms.CharField(label=_("Indicator"), max_length=200)
    unit = forms.CharField(label=_("Unit of measurement"), max_length=50)
    baseline = forms.DecimalField(
        label=_("Baseline"), max_digits=14, decimal_places=4, localize=True
    )
    baseline_year = forms.IntegerField(label=_("Baseline year"), min_value=1990, max_value=2100)
    target = forms.DecimalField(label=_("Target"), max_digits=14, decimal_places=4, localize=True)
    method = forms.CharField(label=_("Measurement method"), max_length=300)
    frequency = forms.CharField(label=_("Frequency"), max_length=100)

    def row(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "DELETE"}


class BaseRowFormSet(forms.BaseFormSet):
    def rows(self) -> list[dict[str, Any]]:
        """Every filled-in row: unchanged rows shown from the saved application count too (an
        untouched blank row has no cleaned data)."""
        filled = [f for f in self.forms if f.cleaned_data and not self._deleted(f)]
        return [f.row() for f in filled]

    def _deleted(self, form: forms.Form) -> bool:
        return bool(self.can_delete and form.cleaned_data.get("DELETE"))


BudgetFormSet = forms.formset_factory(
    BudgetLineForm, formset=BaseRowFormSet, extra=2, can_delete=True
)
IndicatorFormSet = forms.formset_factory(
    IndicatorForm, formset=BaseRowFormSet, extra=1, can_delete=True
)


def budget_initial(application: Application) -> list[dict[str, Any]]:
    return [
        {
            "year": b.year,
            "description": b.description,
            "payer": f"u{b.payer_unit_id}"
            if b.payer_unit_id
            else (f"p{b.payer_partner_id}" if b.payer_partner_id else ""),
            "requested": b.requested,
            "own_contribution": b.own_contribution,
        }
        for b in application.budget_lines.all()
    ]


def indicator_initial(application: Application) -> list[dict[str, Any]]:
    fields = ("name", "unit", "baseline", "baseline_year", "target", "method", "frequency")
    return [{f: getattr(i, f) for f in fields} for i in application.indicators.all()]


class ReturnForm(forms.Form):
    comment = forms.CharField(
        max_length=LONG_TEXT, label=_("What should be completed?"), widget=TEXTAREA
    )


class AssignReviewersForm(forms.Form):
    reviewers = forms.ModelMultipleChoiceField(
        label=_("Members of the scientific council"),
        queryset=User.objects.filter(role=Role.COUNCIL, is_active=True),
        widget=forms.CheckboxSelectMultiple,
    )


class ReviewForm(forms.ModelForm):
    class Meta:
        model = Review
        formfield_callback = limited_formfield
        fields = [
            "evidence_strength",
            "evaluation_quality",
            "case_realism",
            "recommendation",
            "conditions",
            "comments",
        ]
        widgets = {"conditions": TEXTAREA, "comments": TEXTAREA}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("evidence_strength", "evaluation_quality", "case_realism", "recommendation"):
            self.fields[name].required = True
        # Each score with its meaning, as radio buttons: "4 – good", not a bare "4".
        for name, help_text in SCORE_HELP.items():
            field = self.fields[name]
            field.choices = [(i, f"{i} – {SCORE_WORDS[i]}") for i in range(1, 6)]  # type: ignore[attr-defined]
            field.widget = forms.RadioSelect(choices=field.choices)  # type: ignore[attr-defined]
            field.help_text = help_text


SCORE_HELP = {
    "evidence_strength": _(
        "How well research and experience show that the intervention works for this target "
        "group: 1 very weak, 3 acceptable, 5 very good."
    ),
    "evaluation_quality": _(
        "Whether the planned evaluation can show the effect (comparison group, measures, "
        "timing): 1 very weak, 3 acceptable, 5 very good."
    ),
    "case_realism": _(
        "Whether the investment case's costs, effects and savings are realistic: 1 very weak, "
        "3 acceptable, 5 very good."
    ),
}


class RecommendForm(forms.Form):
    recommend = forms.TypedChoiceField(
        label=_("Proposal"),
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        choices=[("yes", _("Recommend approval")), ("no", _("Recommend rejection"))],
    )
    proposal = forms.CharField(
        max_length=LONG_TEXT, label=_("The coordinator's proposal"), widget=TEXTAREA
    )


class DecisionForm(forms.Form):
    """Two steps: the form, then a confirmation with the amount in words (the confirmation's
    button posts `confirmed=yes` with the same fields)."""

    outcome = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[("approve", _("Approve")), ("reject", _("Reject"))],
    )
    amount = MoneyField(label=_("Approved amount"), required=False)
    conditions = forms.CharField(
        max_length=LONG_TEXT, label=_("Conditions"), widget=TEXTAREA, required=False
    )
    reason = forms.CharField(
        max_length=LONG_TEXT, label=_("Reason for rejection"), widget=TEXTAREA, required=False
    )
    minute_ref = forms.CharField(
        label=_("Minute reference"), max_length=100, help_text=_("For example KSAU § 88/2026.")
    )
    decided_on = forms.DateField(label=_("Decided on"), widget=DateInput())


class RuleSetForm(forms.ModelForm):
    max_amount = MoneyField(label=_("Largest amount from the fund"), required=False, min_ore=1)

    class Meta:
        model = RuleSet
        fields = [
            "max_amount",
            "max_amount_blocking",
            "max_duration_months",
            "max_duration_blocking",
            "min_units",
            "min_units_blocking",
            "min_own_share",
            "min_own_share_blocking",
            "require_followup_plan",
            "require_followup_plan_blocking",
            "require_evaluation_plan",
            "require_evaluation_plan_blocking",
            "require_case",
            "require_case_blocking",
            "report_every_months",
            "report_days",
            "final_report_days",
        ]
        labels = {
            "max_amount_blocking": _("… blocks submission"),
            "max_duration_blocking": _("… blocks submission"),
            "min_units_blocking": _("… blocks submission"),
            "min_own_share_blocking": _("… blocks submission"),
            "require_followup_plan_blocking": _("… blocks submission"),
            "require_evaluation_plan_blocking": _("… blocks submission"),
            "require_case_blocking": _("… blocks submission"),
        }
