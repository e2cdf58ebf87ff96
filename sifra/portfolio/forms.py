from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sifra.accounts.models import Unit
from sifra.portfolio.selectors import PortfolioFilter
from sifra.projects.models import Project


class PortfolioFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    unit = forms.ModelChoiceField(
        label=_("Committee or administration"), queryset=Unit.objects.none(), required=False
    )
    year = forms.TypedChoiceField(
        label=_("Start year"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, units: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["status"].choices = [("", _("All")), *Project.Status.choices]
        fields["unit"].queryset = units
        fields["unit"].empty_label = _("All")
        fields["year"].choices = [("", _("All")), *((y, y) for y in years)]

    def to_filter(self) -> PortfolioFilter:
        if not self.is_valid():
            return PortfolioFilter()
        d = self.cleaned_data
        return PortfolioFilter(
            status=d["status"] or "",
            unit_id=d["unit"].pk if d["unit"] else None,
            year=d["year"],
        )


class MatrixForm(forms.Form):
    measure = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("saved", _("Verified savings")), ("repaid", _("Repayments"))],
    )
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        year: Any = self.fields["year"]
        year.choices = [("", _("All")), *((y, y) for y in years)]

    def values(self) -> tuple[str, int | None]:
        if not self.is_valid():
            return "saved", None
        return self.cleaned_data["measure"] or "saved", self.cleaned_data["year"]
