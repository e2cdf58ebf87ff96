"""The audit trail in an auditor's words: each stored key as the model field's label, each value
as the page shows it (choice labels, kronor, dates, local time), a change as before and after,
the object by a readable name with a link to its page.

The rows stay as the services wrote them; only their reading changes here. Models are looked up
by their label (`apps.get_model`), never imported, so the audit app stays below every other."""

import datetime as dt
import functools
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from sifra.audit.models import AuditEvent
from sifra.core.money import format_ore

# Keys the services write that are no field of the object's model.
KEY_LABELS = {
    "amount_ore": gettext_lazy("amount"),
    "released_ore": gettext_lazy("released commitment"),
    "capital_ore": gettext_lazy("capital"),
    "committed_ore": gettext_lazy("committed"),
    "available_ore": gettext_lazy("available"),
    "claims_ore": gettext_lazy("claims"),
    "from_fund_ore": gettext_lazy("from the fund"),
    "cap_ore": gettext_lazy("cap"),
    "costs_ore": gettext_lazy("actual costs"),
    "changed": gettext_lazy("changed parts"),
    "reverses": gettext_lazy("reverses entry no."),
    "indicator_added": gettext_lazy("indicator added"),
    "budget_line_added": gettext_lazy("budget line added"),
    "schedule": gettext_lazy("reports due"),
    "created": gettext_lazy("created"),
    "values": gettext_lazy("indicator values"),
    "recorded": gettext_lazy("recorded"),
    "interval": gettext_lazy("confidence interval"),
    "shares": gettext_lazy("parts per unit"),
    "instalments": gettext_lazy("instalments"),
    "rules": gettext_lazy("rules"),
    "application": gettext_lazy("application"),
    "fund": gettext_lazy("fund"),
    "project": gettext_lazy("project"),
    "unit": gettext_lazy("unit"),
    "user": gettext_lazy("user"),
    "name": gettext_lazy("name"),
    "size": gettext_lazy("size (bytes)"),
    "sha256": gettext_lazy("checksum (SHA-256)"),
    "password": gettext_lazy("password"),
    "second_factor": gettext_lazy("second factor"),
    "fiscal_year_closed": gettext_lazy("fiscal year closed"),
    "note": gettext_lazy("note"),
    "units": gettext_lazy("units"),
    "partners": gettext_lazy("external partners"),
    "evaluation": gettext_lazy("evaluation"),
    "outcome": gettext_lazy("after the project"),
    "project_status": gettext_lazy("project status"),
    "reason": gettext_lazy("reason"),
    "year": gettext_lazy("year"),
    "number": gettext_lazy("no."),
    "kind": gettext_lazy("kind"),
}
# Values of keys with a fixed vocabulary outside the object's model.
KEY_VALUES = {
    "second_factor": {
        "none": gettext_lazy("none"),
        "set up": gettext_lazy("set up"),
        "reset": gettext_lazy("reset"),
    },
    "outcome": {
        "implement": gettext_lazy("brought into ordinary operations"),
        "stop": gettext_lazy("stopped"),
    },
}
# Nested changes whose keys are fields of another model.
NESTED_MODELS = {"rules": "applications.ruleset"}
# Events whose data describes another model than their subject's.
KIND_MODELS = {
    "agreement.changed": "repayment.agreement",
    "claim.paid": "repayment.claimpayment",
    "fund.year_closed": "funds.fiscalyearclosing",
}
# Keys holding öre that do not say so in their name.
MONEY_KEYS = {"instalments"}
# Keys whose two-element lists are [before, after] in every kind of event.
PAIR_KEYS = {"status", "second_factor", "project_status"}
ORE = re.compile(r"\s*\(öre\)")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
DECIMAL = re.compile(r"^-?\d+\.\d+$")


@dataclass(frozen=True)
class Detail:
    """One line of an event: a change (before → after) or a plain value (`after` only)."""

    label: str
    after: str
    before: str | None = None

    @property
    def is_change(self) -> bool:
        return self.before is not None

    def __str__(self) -> str:
        if self.is_change:
            return f"{self.label}: {self.before} → {self.after}"
        return f"{self.label}: {self.after}"


def _model(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _field(model: type[models.Model] | None, key: str) -> models.Field | None:
    if model is None:
        return None
    for name in (key, key.removesuffix("_ore")):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        return field if isinstance(field, models.Field) else None
    return None


def _is_money(key: str, field: models.Field | None) -> bool:
    return (
        key.endswith("_ore")
        or key in MONEY_KEYS
        or (field is not None and "(öre)" in str(field.verbose_name))
    )


def _label(key: str, field: models.Field | None) -> str:
    named = field is not None and str(field.verbose_name) != field.name.replace("_", " ")
    if field is not None and named:
        text = ORE.sub("", str(field.verbose_name))
    elif key in KEY_LABELS:
        text = str(KEY_LABELS[key])
    else:
        text = key.replace("_", " ")
    return str(capfirst(text))


@dataclass(frozen=True)
class _Key:
    """How the values of one key of one model read: its label, whether it holds öre, and its
    choices' labels, in one language."""

    key: str
    label: str
    money: bool
    choices: dict[Any, str]


def _key(model: type[models.Model] | None, key: str) -> _Key:
    return _key_in(model, key, get_language())


# A page of 100 events reads the same few keys hundreds of times: each key is looked up and its
# label and choices translated once per language, not once per value (the labels are
# translations, which do not change while Sifra runs).
@functools.lru_cache(maxsize=4096)
def _key_in(model: type[models.Model] | None, key: str, language: str | None) -> _Key:
    field = _field(model, key)
    choices = (
        {value: str(label) for value, label in field.flatchoices}
        if field is not None and field.choices
        else {}
    )
    return _Key(key, _label(key, field), _is_money(key, field), choices)


def local_time(value: dt.datetime) -> str:
    """A moment as the site's local time (Europe/Stockholm), to the second."""
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")


def _text(value: Any, k: _Key) -> str:
    if value is None or value in ("", [], {}):
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int) and k.money:
        return format_ore(value)
    if isinstance(value, list):
        return ", ".join(_text(v, k) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{name}: {_text(v, k)}" for name, v in value.items())
    if value in k.choices:
        return k.choices[value]
    if k.key in KEY_VALUES and value in KEY_VALUES[k.key]:
        return str(KEY_VALUES[k.key][value])
    if isinstance(value, str):
        if ISO_DATETIME.match(value):
            try:
                return local_time(dt.datetime.fromisoformat(value))
            except ValueError:
                return value
        if DECIMAL.match(value):
            return value.replace(".", ",")
    return str(value)


def _is_pair(event: AuditEvent, key: str, value: Any) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 2
        and (event.kind.endswith(".updated") or key in PAIR_KEYS)
    )


def _details(
    event: AuditEvent, data: dict[str, Any], model: type[models.Model] | None
) -> list[Detail]:
    lines: list[Detail] = []
    for key, value in data.items():
        if key in NESTED_MODELS and isinstance(value, dict):
            nested = _model(NESTED_MODELS[key])
            outer = _key(None, key).label
            for sub in _details(event, value, nested):
                lines.append(Detail(f"{outer} › {sub.label}", sub.after, sub.before))
            continue
        k = _key(model, key)
        if key == "changed" and isinstance(value, list):
            names = [_key(model, name).label.lower() for name in value]
            lines.append(Detail(k.label, ", ".join(names) or "–"))
        elif _is_pair(event, key, value):
            lines.append(Detail(k.label, _text(value[1], k), before=_text(value[0], k)))
        else:
            lines.append(Detail(k.label, _text(value, k)))
    return lines


def event_details(event: AuditEvent) -> list[Detail]:
    """The event's data as lines an auditor reads, changes as before and after."""
    return _details(event, event.data or {}, _model(KIND_MODELS.get(event.kind, event.object_type)))


def object_type_name(label: str) -> str:
    return _type_name_in(label, get_language())


@functools.lru_cache(maxsize=256)
def _type_name_in(label: str, language: str | None) -> str:
    model = _model(label)
    return str(capfirst(model._meta.verbose_name)) if model is not None else label


def kind_name(event: AuditEvent) -> str:
    """The event's kind as a person reads it ("Ledger entry posted"), as get_kind_display with
    a capital first letter, from one dictionary per language instead of the 34 choices per
    event."""
    return _kind_names_in(get_language()).get(event.kind, event.kind)


@functools.lru_cache(maxsize=16)
def _kind_names_in(language: str | None) -> dict[str, str]:
    return {value: str(capfirst(label)) for value, label in AuditEvent.Kind.choices}


def event_object_name(event: AuditEvent) -> str:
    """The object's own name, as a person names it (a ledger entry by its number and kind)."""
    data = event.data or {}
    if event.object_type == "funds.ledgerentry" and "number" in data:
        kind = _text(data.get("kind"), _key(_model("funds.ledgerentry"), "kind"))
        return f"{_('no.')} {data['number']} ({kind})"
    if event.object_type == "repayment.verifiedsaving" and "year" in data:
        return f"{data.get('project', '')} {data.get('unit', '')} {data['year']}".strip()
    return event.object_repr


def event_object_label(event: AuditEvent) -> str:
    """The object's kind and name, never a database label: "Evaluation: P-1: RCT"."""
    return f"{object_type_name(event.object_type)}: {event_object_name(event)}"


# --- Links to the objects ------------------------------------------------------------------

# Object types whose page is their own: the URL name that takes the object's id.
OWN_PAGES = {
    "funds.fund": "funds:detail",
    "projects.project": "projects:detail",
    "applications.application": "applications:detail",
    "followup.progressreport": "followup:report",
}
# Object types shown on a parent's page: (the parent's field, the parent page's URL name).
PARENT_PAGES = {
    "funds.ledgerentry": ("fund_id", "funds:detail"),
    "applications.review": ("application_id", "applications:detail"),
    "evaluation.evaluation": ("project_id", "evaluation:project"),
    "repayment.agreement": ("project_id", "repayment:project"),
    "repayment.verifiedsaving": ("project_id", "repayment:project"),
    "repayment.claim": ("project_id", "repayment:project"),
    "documents.document": ("project_id", "evaluation:documents"),
}
# Object types listed on a page of their own kind.
LIST_PAGES = {
    "accounts.user": "accounts:users",
    "accounts.unit": "accounts:units",
    "accounts.partner": "accounts:partners",
    "accounts.organisation": "accounts:users",
}


def _reverse(name: str, *args: Any) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def object_links(events: Iterable[AuditEvent]) -> dict[int, str]:
    """Each event's link to its object's page, by event id. One query per type of object shown
    on a parent's page, however many events there are."""
    events = list(events)
    wanted: dict[str, set[str]] = defaultdict(set)
    for e in events:
        if e.object_type in PARENT_PAGES:
            wanted[e.object_type].add(e.object_id)
    parents: dict[tuple[str, str], Any] = {}
    for label, ids in wanted.items():
        model, (parent_field, _name) = _model(label), PARENT_PAGES[label]
        if model is None:
            continue
        pks = [int(i) for i in ids if i.isdigit()]
        for pk, parent in model._default_manager.filter(pk__in=pks).values_list("pk", parent_field):
            parents[(label, str(pk))] = parent
    links = {}
    for e in events:
        url = _link(e, parents)
        if url:
            links[e.pk] = url
    return links


def _link(e: AuditEvent, parents: dict[tuple[str, str], Any]) -> str | None:
    if e.object_type in OWN_PAGES and e.object_id.isdigit():
        return _reverse(OWN_PAGES[e.object_type], int(e.object_id))
    if e.object_type in PARENT_PAGES:
        parent = parents.get((e.object_type, e.object_id))
        return _reverse(PARENT_PAGES[e.object_type][1], parent) if parent else None
    if e.object_type in LIST_PAGES:
        return _reverse(LIST_PAGES[e.object_type])
    return None
