"""The error summary at the top of every form (the GOV.UK pattern): every error of the forms
and formsets given, each linked to its field, so that a mistake 3 000 px down the page is seen
at once. `core/error_summary.html` draws it; `error-summary.js` moves the focus to it."""

from dataclasses import dataclass
from typing import Any

from django import forms, template
from django.utils.translation import gettext as _

register = template.Library()


@dataclass(frozen=True)
class SummaryError:
    message: str
    href: str  # "#id_field", or "" for an error of the whole form


def _first_field_id(form: forms.BaseForm) -> str:
    for field in form.visible_fields():
        return f"#{field.id_for_label or field.auto_id}"
    return ""


def _form_errors(form: forms.BaseForm, row: int | None = None) -> list[SummaryError]:
    if not form.is_bound:
        return []
    found = [SummaryError(str(e), "") for e in form.non_field_errors()]
    for field in form:
        if field.is_hidden and not field.errors:
            continue
        label = str(field.label)
        if row is not None:
            label = _("%(label)s, row %(row)s") % {"label": label, "row": row}
        target = field.id_for_label or field.auto_id
        found += [SummaryError(f"{label}: {e}", f"#{target}") for e in field.errors]
    return found


def summary_errors(*forms_or_formsets: Any) -> list[SummaryError]:
    """Every error of the given forms and formsets, in page order. None and unbound ones give
    none, so a template may pass whatever it has."""
    found: list[SummaryError] = []
    for item in forms_or_formsets:
        if isinstance(item, forms.BaseFormSet):
            if not item.is_bound:
                continue
            first = _first_field_id(item.forms[0]) if item.forms else ""
            found += [SummaryError(str(e), first) for e in item.non_form_errors()]
            for i, row in enumerate(item.forms, start=1):
                found += _form_errors(row, row=i)
        elif isinstance(item, forms.BaseForm):
            found += _form_errors(item)
    return found


@register.inclusion_tag("core/error_summary.html")
def error_summary(*forms_or_formsets: Any) -> dict[str, Any]:
    """`{% error_summary form budget indicators %}` at the top of a form."""
    return {"summary_errors": summary_errors(*forms_or_formsets)}
