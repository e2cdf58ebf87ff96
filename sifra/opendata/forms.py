from django import forms
from django.utils.translation import gettext_lazy as _

from sifra.core.text import LONG_TEXT


class PublicationForm(forms.Form):
    summary = forms.CharField(
        label=_("Public summary"),
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Written for the public: what the project does and for which groups. Never about "
            "individuals; no names of staff or of the people the project serves."
        ),
    )
