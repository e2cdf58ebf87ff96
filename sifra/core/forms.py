"""Form pieces shared by every app: money in Swedish format and running a service from a form."""

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from sifra.core.money import (
    AMOUNT_NEGATIVE,
    AMOUNT_NOT_POSITIVE,
    MAX_AMOUNT_LENGTH,
    MoneyParseError,
    format_amount_input,
    parse_kronor,
)
from sifra.core.text import LONG_TEXT

T = TypeVar("T")


class MoneyField(forms.CharField):
    """Kronor as people write them ('1 250 000', '99,50'); cleans to whole öre (int).

    `min_ore` 1 refuses zero and negative amounts, 0 negative ones. A value written back into
    the field is in the format the field reads (`format_amount_input`)."""

    def __init__(self, *, min_ore: int | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", _("In kronor, for example 1 250 000 or 99,50."))
        super().__init__(**kwargs)
        self.min_ore = min_ore
        self.widget.attrs.setdefault("inputmode", "decimal")
        self.widget.attrs.setdefault("maxlength", str(MAX_AMOUNT_LENGTH))

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            return format_amount_input(value)
        return value

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            ore = parse_kronor(text)
        except MoneyParseError as exc:
            raise ValidationError(str(exc), code="invalid") from None
        if self.min_ore is not None and ore < self.min_ore:
            message = AMOUNT_NOT_POSITIVE if self.min_ore > 0 else AMOUNT_NEGATIVE
            raise ValidationError(str(message), code="min")
        return ore


def limited_formfield(db_field: models.Field, **kwargs: Any) -> forms.Field | None:
    """A ModelForm's `Meta.formfield_callback`: a TextField (unlimited in the database) gets
    at most LONG_TEXT characters. Django's CharField already refuses NUL characters."""
    if isinstance(db_field, models.TextField) and db_field.max_length is None:
        kwargs.setdefault("max_length", LONG_TEXT)
    return db_field.formfield(**kwargs)


def run_service(form: forms.BaseForm, service: Callable[..., T], **kwargs: Any) -> T | None:
    """Call a service; its validation errors land on the form's fields instead of a 500."""
    try:
        return service(**kwargs)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc.messages)
        return None


# More choices than this and a select becomes a text field (GOV.UK: a select with hundreds of
# options is hard to use, and rendering 2 000 options takes a page far past 100 ms).
LONG_LIST = 100


class LongModelChoiceField(forms.ModelChoiceField):
    """A model choice that stays a select for a short list and becomes a text field for a
    long one, in which a person types the object's `lookup` (a project's reference); its
    primary key is accepted too, so links that name it keep working."""

    def __init__(self, *args: Any, lookup: str, **kwargs: Any) -> None:
        self.lookup = lookup
        super().__init__(*args, **kwargs)

    def make_long(self) -> None:
        """A text field if the queryset is long (one COUNT query), else leave the select."""
        if self._objects().count() > LONG_LIST:
            self.widget = forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"})

    def _objects(self) -> Any:
        assert self.queryset is not None, "set the queryset before use"
        return self.queryset

    def prepare_value(self, value: Any) -> Any:
        if isinstance(self.widget, forms.TextInput) and hasattr(value, self.lookup):
            return getattr(value, self.lookup)
        return super().prepare_value(value)

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        text = str(value).strip()
        found = self._objects().filter(**{self.lookup: text}).first()
        if found is None and text.isdigit() and len(text) < 19:
            found = self._objects().filter(pk=int(text)).first()
        if found is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return found
