"""The investment case as text: the engine's TOML or JSON file read into a case document, and a
case document written as TOML the way people write it by hand."""

import json
import re
import tomllib
from collections.abc import Mapping
from typing import Any

import tomli_w
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

TOML_INVALID = _("Not valid TOML: %(error)s")
JSON_INVALID = _("Not valid JSON: %(error)s")
NOT_A_TABLE = _("The case must be a table of sections ([case], [[actors]] …).")


def case_toml(case: Mapping[str, Any]) -> str:
    """The case as TOML laid out the way people write it (sections in the engine's order,
    distributions as inline tables); tomli_w's layout for a document of another shape."""
    try:
        text = _CaseWriter().document(case)
        if tomllib.loads(text) == case:
            return text
    except (TypeError, ValueError, tomllib.TOMLDecodeError):
        pass
    return tomli_w.dumps(case)


class _CaseWriter:
    SECTIONS = ("case", "actors", "costs", "participants", "outcomes")

    def document(self, case: Mapping[str, Any]) -> str:
        if set(case) - set(self.SECTIONS):
            raise ValueError("unknown section")
        blocks = []
        for key in self.SECTIONS:
            if key not in case:
                continue
            items = case[key] if isinstance(case[key], list) else [case[key]]
            if isinstance(case[key], list) and not items:
                raise ValueError("an empty list of tables")
            blocks += [self.table(key, item, isinstance(case[key], list)) for item in items]
        return "\n".join(blocks)

    def table(self, name: str, table: Mapping[str, Any], array: bool) -> str:
        lines = [f"[[{name}]]" if array else f"[{name}]"]
        subtables = []
        for key, value in table.items():
            if isinstance(value, Mapping) and "dist" not in value:
                subtables.append(self.table(f"{name}.{self.key(key)}", value, False))
            else:
                lines.append(f"{self.key(key)} = {self.value(value, top=True)}")
        return "\n".join(["\n".join(lines) + "\n", *subtables])

    def key(self, key: str) -> str:
        return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key, ensure_ascii=False)

    def value(self, value: Any, top: bool = False) -> str:
        """A value inline; at the top of a table, a list of distributions one per line."""
        if (
            top
            and isinstance(value, list)
            and len(value) > 1
            and any(isinstance(v, Mapping) for v in value)
        ):
            return "[\n" + "".join(f"  {self.value(v)},\n" for v in value) + "]"
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, str):
            return json.dumps(value, ensure_ascii=False)
        if isinstance(value, int | float):
            return repr(value)
        if isinstance(value, list):
            return "[" + ", ".join(self.value(v) for v in value) + "]"
        if isinstance(value, Mapping):
            pairs = ", ".join(f"{self.key(k)} = {self.value(v)}" for k, v in value.items())
            return "{ " + pairs + " }"
        raise TypeError(type(value).__name__)


def parse_case_text(text: str, *, json_text: bool) -> dict[str, Any]:
    """A case document from TOML or JSON text, or a ValidationError saying why not."""
    try:
        data = json.loads(text) if json_text else tomllib.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError(JSON_INVALID, params={"error": str(exc)}) from None
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError(TOML_INVALID, params={"error": str(exc)}) from None
    if not isinstance(data, dict):
        raise ValidationError(NOT_A_TABLE)
    return data
