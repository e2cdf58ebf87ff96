from django import forms
from django.utils.translation import gettext_lazy as _

from sifra.audit.models import AuditEvent
from sifra.audit.selectors import AuditFilter, audit_object_types


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(format="%Y-%m-%d", **kwargs)


class AuditFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Event"), required=False)
    actor = forms.CharField(label=_("By (username)"), required=False, max_length=150)
    object_type = forms.ChoiceField(label=_("Object type"), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())
    text = forms.CharField(label=_("Object contains"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All")), *AuditEvent.Kind.choices]
        self.fields["object_type"].choices = [("", _("All")), *audit_object_types()]

    def to_filter(self) -> AuditFilter:
        """The filter the valid input asks for; no filter when the input is not valid."""
        if not self.is_valid():
            return AuditFilter()
        d = self.cleaned_data
        return AuditFilter(
            kind=d["kind"],
            actor=d["actor"],
            object_type=d["object_type"],
            date_from=d["date_from"],
            date_to=d["date_to"],
            text=d["text"],
        )
