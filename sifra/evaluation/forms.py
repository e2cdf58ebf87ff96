"""Forms for evaluations, documents and closing. The services make the checks; these only read
what people type (decimal commas included)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sifra.core.text import LONG_TEXT
from sifra.evaluation.models import EFFECT_HELP, Method

INTERVAL_HELP = _("Between −1 and 1, for example 0,04; below 0 where the result is uncertain.")


def _effect(label: Any, help_text: Any = INTERVAL_HELP) -> forms.DecimalField:
    # no inputmode="decimal": some phone keyboards for it have no minus sign
    return forms.DecimalField(
        label=label, localize=True, max_digits=7, decimal_places=5, help_text=help_text
    )


class EvaluationForm(forms.Form):
    method = forms.ChoiceField(label=_("Method"), choices=Method.choices)
    outcome_index = forms.TypedChoiceField(label=_("Outcome in the case"), coerce=int)
    effect = _effect(_("Estimated effect"), EFFECT_HELP)
    ci_low = _effect(_("95 % interval, low"))
    ci_high = _effect(_("95 % interval, high"))
    evaluator = forms.CharField(label=_("Evaluator"), max_length=200)
    summary = forms.CharField(
        max_length=LONG_TEXT,
        label=_("Summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    report_title = forms.CharField(
        label=_("Title of the evaluation report"), max_length=200, required=False
    )
    report_file = forms.FileField(
        label=_("Evaluation report"),
        required=False,
        help_text=_("PDF, Word, Excel or an image."),
    )

    def __init__(self, *args: Any, outcomes: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["outcome_index"]
        assert isinstance(field, forms.TypedChoiceField)
        if outcomes:
            field.choices = [(i, f"{i + 1}. {name}") for i, name in enumerate(outcomes)]
        else:
            # No case to choose from: the first (and only) outcome.
            field.choices = [(0, _("The project's effect"))]
            field.widget = forms.HiddenInput()
            field.initial = 0

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("report_file")
        if upload and not (data.get("report_title") or "").strip():
            data["report_title"] = upload.name[:200]  # the title holds 200 characters
        return data


class AssessmentForm(forms.Form):
    assessment = forms.CharField(
        max_length=LONG_TEXT,
        label=_("The scientific council's assessment"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("File"), help_text=_("PDF, Word, Excel or an image."))


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("After the project"),
        choices=[
            ("implement", _("Brought into ordinary operations")),
            ("stop", _("Stopped")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        max_length=LONG_TEXT,
        label=_("The closing decision"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example the decision's reference and what happens with the work."),
    )
