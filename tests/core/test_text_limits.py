"""Every text field of every form holds a maximum length (TextFields are unlimited in the
database; forms hold them to LONG_TEXT), and refuses a NUL character, naming the field."""

import importlib
import pkgutil

import pytest
from django import forms

import sifra
from sifra.core.forms import MoneyField
from sifra.core.text import LONG_TEXT
from sifra.funds.forms import FundForm

# The calculator's case is held by the engine's limits on a case's size.
ELSEWHERE = {("CalcForm", "case")}


def _form_classes():
    for module in pkgutil.walk_packages(sifra.__path__, "sifra."):
        if module.name.endswith(("forms", "views")) and ".migrations" not in module.name:
            importlib.import_module(module.name)
    pending, found = [forms.BaseForm], set()
    while pending:
        for sub in pending.pop().__subclasses__():
            pending.append(sub)
            if sub.__module__.startswith("sifra."):
                found.add(sub)
    return sorted(found, key=lambda c: (c.__module__, c.__name__))


def test_every_text_field_of_every_form_has_a_maximum_length():
    classes = _form_classes()
    assert len(classes) > 30
    unlimited = [
        (form.__name__, name)
        for form in classes
        for name, field in form.base_fields.items()
        if isinstance(field, forms.CharField)
        and not isinstance(field, MoneyField)
        and field.max_length is None
        and (form.__name__, name) not in ELSEWHERE
    ]
    assert unlimited == []


@pytest.mark.parametrize("field", ["description", "rules"])
def test_a_long_text_field_refuses_more_than_the_limit_and_nul(field):
    too_long = FundForm(data={"name": "Fond", field: "x" * (LONG_TEXT + 1)})
    assert field in too_long.errors
    nul = FundForm(data={"name": "Fond", field: "a\x00b"})
    assert field in nul.errors
    assert FundForm(data={"name": "Fond", field: "x" * LONG_TEXT}).is_valid()
