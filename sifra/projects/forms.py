from django import forms
from django.utils.translation import gettext_lazy as _

from sifra.accounts.models import Partner, Unit
from sifra.core.forms import limited_formfield
from sifra.funds.forms import DateInput
from sifra.projects.models import Project


class ProjectForm(forms.ModelForm):
    units = forms.ModelMultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        label=_("Participating units"),
        queryset=Unit.objects.filter(is_active=True),
        required=False,
        help_text=_("The lead unit takes part whether chosen here or not."),
    )
    partners = forms.ModelMultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        label=_("External partners"),
        queryset=Partner.objects.filter(is_active=True),
        required=False,
    )

    class Meta:
        model = Project
        formfield_callback = limited_formfield
        fields = [
            "fund",
            "code",
            "title",
            "description",
            "lead_unit",
            "units",
            "partners",
            "status",
            "decision_ref",
            "start_date",
            "end_date",
        ]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = Unit.objects.filter(is_active=True)
        if self.instance.pk:
            self.fields["fund"].disabled = True
        else:
            del self.fields["status"]
