"""What every app's models share. No tables: abstract models only."""

from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models

from sifra.core.personnummer import personal_number_errors


class PersonalNumberFree(models.Model):
    """A model whose free-text fields (`free_text_fields`) may hold no personal identity
    number: full_clean refuses one, naming the field, whichever service or form saves it."""

    free_text_fields: ClassVar[tuple[str, ...]] = ()

    class Meta:
        abstract = True

    def clean_fields(self, exclude: Any = None) -> None:
        errors: dict[str, Any] = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        texts = {
            f: getattr(self, f) for f in self.free_text_fields if not exclude or f not in exclude
        }
        for field, message in personal_number_errors(texts).items():
            errors.setdefault(field, []).append(message)
        if errors:
            raise ValidationError(errors)
