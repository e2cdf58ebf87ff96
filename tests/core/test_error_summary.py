"""The error summary (issue 10): every error of a form and its formsets, each linked to its
field; and every form template in the app shows it."""

import re
from pathlib import Path

from django import forms
from django.template.loader import render_to_string
from django.utils import translation

from sifra.core.templatetags.sifra_forms import SummaryError, summary_errors

TEMPLATES = Path(__file__).resolve().parents[2] / "sifra"
# Confirmations that carry fields already validated on the page before, as hidden inputs.
CONFIRMATIONS = {
    "funds/templates/funds/closing_confirm.html",
    "applications/templates/applications/decision_confirm.html",
}


class PeriodForm(forms.Form):
    start = forms.DateField(label="Start")
    units = forms.MultipleChoiceField(
        label="Units", choices=[("a", "A")], widget=forms.CheckboxSelectMultiple
    )

    def clean(self):
        raise forms.ValidationError("The whole form is wrong.")


class RowForm(forms.Form):
    amount = forms.IntegerField(label="Amount")


Rows = forms.formset_factory(RowForm, extra=0)


def test_each_error_is_named_and_linked_to_its_field():
    form = PeriodForm({"start": "not a date"})
    rows = Rows(
        {
            "form-TOTAL_FORMS": "2",
            "form-INITIAL_FORMS": "0",
            "form-0-amount": "1",
            "form-1-amount": "x",
        }
    )
    with translation.override("en"):
        found = summary_errors(form, rows)
    assert found == [
        SummaryError("The whole form is wrong.", ""),
        SummaryError("Start: Enter a valid date.", "#id_start"),
        SummaryError("Units: This field is required.", "#id_units"),
        SummaryError("Amount, row 2: Enter a whole number.", "#id_form-1-amount"),
    ]


def test_unbound_forms_and_none_give_no_summary():
    assert summary_errors(PeriodForm(), Rows(), None) == []
    assert render_to_string("core/error_summary.html", {"summary_errors": []}).strip() == ""


def test_the_summary_is_an_alert_with_a_heading_and_links():
    html = render_to_string(
        "core/error_summary.html",
        {"summary_errors": [SummaryError("Start: Enter a valid date.", "#id_start")]},
    )
    assert 'role="alert"' in html and 'tabindex="-1"' in html and "data-error-summary" in html
    assert '<a href="#id_start">Start: Enter a valid date.</a>' in html
    assert re.search(r"<h2[^>]*>[^<]+</h2>", html)


def test_every_form_with_fields_shows_the_error_summary():
    """A form template that renders fields either includes core/form_fields.html (which
    starts with the summary) or calls {% error_summary %} itself."""
    missing = []
    for path in TEMPLATES.glob("*/templates/**/*.html"):
        text = path.read_text("utf-8")
        if str(path.relative_to(TEMPLATES)) in CONFIRMATIONS:
            continue
        if "<form" not in text or not re.search(r"\{\{ ?(form|field|formset)\b|form_fields", text):
            continue
        with_summary = "error_summary" in text or (
            "core/form_fields.html" in text and "no_summary=True" not in text
        )
        if not with_summary:
            missing.append(str(path.relative_to(TEMPLATES)))
    assert missing == []
