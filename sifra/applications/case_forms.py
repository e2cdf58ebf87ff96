"""The investment case as rows a committee officer can fill in, and as raw TOML.

The rows hold what most cases need: the header, the actors, costs per year or per participant,
participants entering per year and outcomes, where any number may be a range (low / most likely
/ high, stored as the engine's `pert` distribution). `case_to_initial` and `forms_to_case` turn a
case document into the forms' cleaned values and back, exactly; a case the rows cannot show
(another distribution, an outcome as baseline × relative effect) raises `Unrepresentable`, and
the page edits it as TOML instead, so nothing is silently lost.

Numbers are typed the Swedish way: spaces between thousands, a decimal comma (a point works
too); lists are separated by semicolons because the comma is the decimal sign. Shares are
entered in per cent and stored as 0–1.
"""

import contextlib
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from sifra.applications.case_text import parse_case_text
from sifra.core.text import TOO_LONG
from sifra.engine import CaseError, load_case
from sifra.engine.case import SECTORS
from sifra.engine.parse import MAX_HORIZON

Value = int | float | dict[str, Any]  # a number of a case: plain, or a pert range

NOT_A_NUMBER = _("“%(text)s” is not a number. Write for example 3 000 000 or 3,5.")
TOO_LARGE = _("“%(text)s” is too large.")
RANGE_SHAPE = _("Write one number, or a range as low / most likely / high.")
RANGE_ORDER = _("A range must go from low through most likely to high.")
BELOW_MINIMUM = _("Must be at least %(limit)s.")
ABOVE_MAXIMUM = _("Must be at most %(limit)s.")
IN_LIST = _("Value %(n)s: %(problem)s")
UNIT_COST_SHAPE = _("Write actor: amount, for example soc: 350 000; region: 250 000.")
UNIT_COST_DUPLICATE = _("%(id)s is named twice.")
UNKNOWN_ACTOR = _("Unknown actor %(id)s: add it under Actors first.")
DUPLICATE_ACTOR = _("Another actor already has this id.")
COST_BOTH = _("Give amounts per year or an amount per participant, not both.")
COST_NEITHER = _("Give amounts per year or an amount per participant.")
DURATION_REQUIRED = _("An annual outcome needs a duration.")
NUMBER_OVERFLOW = _("the case holds a number too large to compute with")
IMPORT_ONE = _("Choose a file or paste a case, one of them.")
IMPORT_TOO_BIG = _("The file is larger than %(limit)s kB.")
IMPORT_NOT_UTF8 = _("The file is not UTF-8 text.")
NO_RANGE_DIST = _(
    "%(path)s is a %(dist)s distribution; the rows show plain numbers and ranges "
    "(low / most likely / high) only."
)
NO_SPLIT_EFFECT = _("%(path)s gives the effect as baseline × relative effect.")
NOT_A_VALUE = _("%(path)s is not a number the rows can show.")
NOT_AN_ID = _("%(path)s is an actor id the rows cannot show.")
CASE_HAS_ERRORS = _("The case has errors the engine reports.")
ROWS_DIFFER = _("The case has details the rows cannot show.")

IMPORT_MAX_BYTES = 1_000_000
LARGEST = Decimal("1e15")  # kronor: far above any case, far below where floats lose whole kronor
ID_PATTERN = r"^[\w-]+\Z"
SECTOR_LABELS = {
    "kommun": _("municipality"),
    "region": _("region"),
    "stat": _("state"),
    "individ": _("individuals"),
    "ovrigt": _("other"),
}
KIND_CHOICES = [("annual", _("each year (annual)")), ("once", _("once"))]
SHARES = ("drop_off", "deadweight", "displacement", "attribution")


# A case as text: the largest example is about 3 000 characters; the engine bounds the rest.
CASE_TEXT = 200_000
UNCERTAIN_TEXT = 1_000


class Unrepresentable(Exception):
    """The case holds something the rows cannot show; `reason` says what, for the page."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# --- Numbers as people type them ------------------------------------------------------------


def parse_number(text: str) -> Decimal:
    """'3 000 000', '3,5', '0.035', '−500', '20 %' → an exact Decimal."""
    cleaned = text.strip().lower().removesuffix("%").removesuffix("kr").strip()
    for space in (" ", "\u00a0", "\u202f", "_"):
        cleaned = cleaned.replace(space, "")
    cleaned = cleaned.replace("−", "-")
    if cleaned.count(",") + cleaned.count(".") > 1:
        raise ValidationError(NOT_A_NUMBER, params={"text": text.strip()})
    try:
        number = Decimal(cleaned.replace(",", "."))
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        raise ValidationError(NOT_A_NUMBER, params={"text": text.strip()})
    if abs(number) >= LARGEST:
        raise ValidationError(TOO_LARGE, params={"text": text.strip()})
    return number


def format_number(value: int | float, percent: bool = False) -> str:
    """The shortest exact text of a number, Swedish style: 3000000 → '3 000 000', 0.035 as a
    percentage → '3,5'. parse_number reads it back to the very same float."""
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    number = number.scaleb(2) if percent else number
    text = "0" if number == 0 else format(number.normalize(), "f")
    sign, text = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, _point, fraction = text.partition(".")
    groups: list[str] = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return sign + " ".join(groups) + ("," + fraction if fraction else "")


def _json_number(number: Decimal) -> int | float:
    return int(number) if number == number.to_integral_value() else float(number)


class UncertainField(forms.CharField):
    """A number, or a range 'low / most likely / high' (a pert distribution). `percent` shows
    a share as per cent; `minimum` and `maximum` are in what the user types."""

    def __init__(
        self,
        *,
        percent: bool = False,
        minimum: float | None = None,
        maximum: float | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        # A list of yearly figures is never longer; checked on the text, before parsing.
        self.max_length = UNCERTAIN_TEXT
        self.widget.attrs.setdefault("maxlength", str(UNCERTAIN_TEXT))
        self.percent, self.minimum, self.maximum = percent, minimum, maximum
        self.widget.attrs.setdefault("inputmode", "decimal")
        self.widget.attrs.setdefault("autocomplete", "off")

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Mapping):
            return " / ".join(self.show(value[k]) for k in ("low", "mode", "high"))
        if isinstance(value, int | float) and not isinstance(value, bool):
            return self.show(value)
        return "" if value is None else value

    def show(self, value: int | float) -> str:
        return format_number(value, self.percent)

    def to_python(self, value: Any) -> Value | None:  # type: ignore[override]
        text = "" if value is None else str(value).strip()
        if len(text) > UNCERTAIN_TEXT:
            raise ValidationError(
                str(TOO_LONG) % {"max": UNCERTAIN_TEXT, "length": len(text)}, code="max_length"
            )
        return self.parse_one(text) if text else None

    def parse_one(self, text: str) -> Value:
        parts = [self.parse_bounded(p) for p in text.split("/")]
        if len(parts) == 1:
            return _json_number(parts[0])
        if len(parts) != 3:
            raise ValidationError(RANGE_SHAPE)
        low, mode, high = parts
        if not low <= mode <= high:
            raise ValidationError(RANGE_ORDER)
        return {
            "dist": "pert",
            **{k: _json_number(v) for k, v in zip(("low", "mode", "high"), parts, strict=True)},
        }

    def parse_bounded(self, text: str) -> Decimal:
        number = parse_number(text)
        if self.minimum is not None and number < Decimal(str(self.minimum)):
            raise ValidationError(BELOW_MINIMUM, params={"limit": format_number(self.minimum)})
        if self.maximum is not None and number > Decimal(str(self.maximum)):
            raise ValidationError(ABOVE_MAXIMUM, params={"limit": format_number(self.maximum)})
        return number.scaleb(-2) if self.percent else number


def _split_items(text: str) -> list[str]:
    return [item.strip() for item in re.split(r"[;\n]", text) if item.strip()]


class UncertainListField(UncertainField):
    """Values per year, separated by semicolons: '3 000 000; 3 000 000' or '250 / 350 / 400; 0'."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return "; ".join(super(UncertainListField, self).prepare_value(v) for v in value)
        return "" if value is None else value

    def to_python(self, value: Any) -> list[Value] | None:  # type: ignore[override]
        items = _split_items("" if value is None else str(value))
        if not items:
            return None
        values, problems = [], []
        for n, item in enumerate(items, start=1):
            try:
                values.append(self.parse_one(item))
            except ValidationError as exc:
                problems += [IN_LIST % {"n": n, "problem": m} for m in exc.messages]
        if problems:
            raise ValidationError(problems)
        return values


class UnitCostsField(UncertainField):
    """Kronor avoided per actor: 'soc: 350 000; region: 200 000 / 250 000 / 300 000'."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Mapping):
            show = super().prepare_value
            return "; ".join(f"{key}: {show(v)}" for key, v in value.items())
        return "" if value is None else value

    def to_python(self, value: Any) -> dict[str, Value] | None:  # type: ignore[override]
        items = _split_items("" if value is None else str(value))
        if not items:
            return None
        costs: dict[str, Value] = {}
        for item in items:
            key, colon, amount = item.partition(":")
            key = key.strip()
            if not colon or not re.match(ID_PATTERN, key):
                raise ValidationError(UNIT_COST_SHAPE)
            if key in costs:
                raise ValidationError(UNIT_COST_DUPLICATE, params={"id": key})
            costs[key] = self.parse_one(amount.strip())
        return costs


# --- The row forms -----------------------------------------------------------------------------

RANGE_HELP = _("A number, or a range as low / most likely / high, e.g. 10 / 20 / 30.")


def _share(label: Any, **kwargs: Any) -> UncertainField:
    return UncertainField(label=label, percent=True, minimum=0, maximum=100, **kwargs)


class HeaderForm(forms.Form):
    title = forms.CharField(label=_("Title of the case"), max_length=200, required=False)
    start_year = forms.IntegerField(label=_("First year"), min_value=1900, max_value=2200)
    horizon = forms.IntegerField(
        label=_("Horizon (years)"),
        min_value=1,
        max_value=MAX_HORIZON,
        help_text=_("How many years the calculation covers."),
    )
    discount_rate = UncertainField(
        label=_("Discount rate (%)"),
        percent=True,
        minimum=-99,
        help_text=_("Real rate per year, e.g. 3,5."),
    )
    price_year = forms.IntegerField(
        label=_("Price year"),
        min_value=1900,
        max_value=2200,
        required=False,
        help_text=_("The year whose prices the amounts are in; the first year if empty."),
    )
    entering = UncertainListField(
        label=_("Participants entering per year"),
        minimum=0,
        required=False,
        help_text=_(
            "One value per year from the first year, separated by semicolons, e.g. 120; 0; 50. "
            "A value may be a range: 250 / 350 / 400."
        ),
    )


class ActorForm(forms.Form):
    id = forms.CharField(
        label=_("Short id"),
        max_length=40,
        validators=[RegexValidator(ID_PATTERN, _("Use letters, digits, - and _ only."))],
        help_text=_("Used in costs and unit costs, e.g. soc."),
    )
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    sector = forms.ChoiceField(
        label=_("Sector"), choices=[(s, SECTOR_LABELS[s]) for s in SECTORS], initial="kommun"
    )


class CostForm(forms.Form):
    name = forms.CharField(label=_("Cost"), max_length=200, required=False)
    actor = forms.ChoiceField(label=_("Paid by"))
    amounts = UncertainListField(
        label=_("Amounts per year (kr)"),
        required=False,
        help_text=_("From the first year, separated by semicolons: 3 000 000; 3 000 000."),
    )
    per_participant = UncertainField(
        label=_("Or per participant (kr)"),
        required=False,
        help_text=_("Charged in the year the participants enter."),
    )

    def __init__(self, *args: Any, actor_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["actor"]).choices = [("", "—"), *actor_choices]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        has_amounts, has_pp = (
            data.get("amounts") is not None,
            data.get("per_participant") is not None,
        )
        if has_amounts and has_pp:
            self.add_error("per_participant", COST_BOTH)
        elif (
            not has_amounts
            and not has_pp
            and not self.has_error("amounts")
            and not self.has_error("per_participant")
        ):
            self.add_error("amounts", COST_NEITHER)
        return data


class OutcomeForm(forms.Form):
    name = forms.CharField(label=_("Outcome"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=KIND_CHOICES, initial="annual")
    effect = _share(
        _("Effect (%)"),
        help_text=_(
            "The share of participants who avoid the costly state, e.g. 20, or a range "
            "10 / 20 / 30."
        ),
    )
    lag = forms.IntegerField(
        label=_("Lag (years)"),
        min_value=0,
        max_value=MAX_HORIZON,
        initial=0,
        required=False,
        help_text=_("Years after entry before the effect starts."),
    )
    duration = forms.IntegerField(
        label=_("Duration (years)"),
        min_value=1,
        max_value=MAX_HORIZON,
        required=False,
        help_text=_("Years the effect lasts (annual outcomes)."),
    )
    drop_off = _share(
        _("Drop-off (%)"),
        initial=0,
        required=False,
        help_text=_("The effect shrinks by this share each year."),
    )
    deadweight = _share(
        _("Deadweight (%)"), initial=0, required=False, help_text=_("Would have happened anyway.")
    )
    displacement = _share(
        _("Displacement (%)"),
        initial=0,
        required=False,
        help_text=_("Merely moves the problem elsewhere."),
    )
    attribution = _share(
        _("Attribution (%)"),
        initial=0,
        required=False,
        help_text=_("Owed to others than this intervention."),
    )
    unit_costs = UnitCostsField(
        label=_("Unit costs avoided per actor (kr)"),
        help_text=_(
            "Per participant and year (or once): soc: 350 000; region: 200 000 / 250 000 / 300 000."
        ),
    )

    def __init__(self, *args: Any, actor_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor_ids = {ident for ident, _label in actor_choices}

    def clean_unit_costs(self) -> dict[str, Value] | None:
        costs = self.cleaned_data["unit_costs"]
        for key in costs or {}:
            if key not in self.actor_ids:
                raise ValidationError(UNKNOWN_ACTOR, params={"id": key})
        return costs

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("kind") == "annual"
            and data.get("duration") is None
            and not self.has_error("duration")
        ):
            self.add_error("duration", DURATION_REQUIRED)
        return data


class RowFormSet(forms.BaseFormSet):
    """Every row may be left empty when posted: a blank row is skipped, not an error. (Rows are
    compared with the fields' defaults, since a bound formset is given no initial data.)"""

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        kwargs = super().get_form_kwargs(index)
        if self.is_bound:
            kwargs["empty_permitted"] = True
        return kwargs

    def rows(self) -> list[forms.Form]:
        """The filled-in rows that are kept, in order: the case's list, index for index."""
        return [
            f
            for f in self.forms
            if f.is_valid() and f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]


class ActorFormSet(RowFormSet):
    def clean(self) -> None:
        seen: set[str] = set()
        for form in self.forms:
            ident = form.cleaned_data.get("id") if form.is_valid() else None
            if not ident or form.cleaned_data.get("DELETE"):
                continue
            if ident in seen:
                form.add_error("id", DUPLICATE_ACTOR)
            seen.add(ident)


ActorRows = cast(
    type[RowFormSet],
    forms.formset_factory(ActorForm, formset=ActorFormSet, extra=1, can_delete=True),
)
CostRows = cast(
    type[RowFormSet],
    forms.formset_factory(CostForm, formset=RowFormSet, extra=1, can_delete=True),
)
OutcomeRows = cast(
    type[RowFormSet],
    forms.formset_factory(OutcomeForm, formset=RowFormSet, extra=1, can_delete=True),
)


# --- Case ⇄ rows -------------------------------------------------------------------------------


def case_to_initial(case: Mapping[str, Any]) -> dict[str, Any]:
    """The rows' values for `case`: {"header": {...}, "actors": [...], "costs": [...],
    "outcomes": [...]}, such that forms_to_case(**case_to_initial(case)) means exactly `case`.
    Raises Unrepresentable when the rows would lose or change something."""
    initial = _Reader().rows(case)
    try:
        same = load_case(forms_to_case(**initial)) == load_case(case)
    except (CaseError, OverflowError):
        raise Unrepresentable(str(CASE_HAS_ERRORS)) from None
    if not same:
        raise Unrepresentable(str(ROWS_DIFFER))
    return initial


def forms_to_case(
    *,
    header: Mapping[str, Any],
    actors: Sequence[Mapping[str, Any]],
    costs: Sequence[Mapping[str, Any]],
    outcomes: Sequence[Mapping[str, Any]],
) -> dict[str, Any]:
    """The case document for the rows' cleaned values; defaults (zero shares, an empty title)
    are left out, as a person writing the TOML by hand would."""
    head = {
        "title": header.get("title") or None,
        "start_year": header["start_year"],
        "horizon": header["horizon"],
        "discount_rate": header["discount_rate"],
        "price_year": header.get("price_year"),
    }
    case: dict[str, Any] = {"case": _present(head)}
    case["actors"] = [
        _present({"id": a["id"], "name": a.get("name") or None, "sector": a["sector"]})
        for a in actors
    ]
    if costs:
        case["costs"] = [
            _present({k: c.get(k) for k in ("name", "actor", "amounts", "per_participant")})
            for c in costs
        ]
        for cost in case["costs"]:
            cost.setdefault("name", "")
    if header.get("entering") is not None:
        case["participants"] = {"entering": list(header["entering"])}
    if outcomes:
        case["outcomes"] = [_outcome(o) for o in outcomes]
    return case


def _outcome(row: Mapping[str, Any]) -> dict[str, Any]:
    outcome = {
        "name": row.get("name") or "",
        "effect": row["effect"],
        "kind": row.get("kind") or "annual",
        "lag": row.get("lag") or 0,
        "duration": row.get("duration"),
    }
    outcome.update({k: row.get(k) for k in SHARES if row.get(k)})
    outcome["unit_costs"] = dict(row["unit_costs"])
    return _present(outcome)


def _present(table: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in table.items() if v is not None}


class _Reader:
    """Reads a case into row values, refusing what the rows cannot hold."""

    def rows(self, case: Mapping[str, Any]) -> dict[str, Any]:
        try:
            head = case["case"]
            participants = case.get("participants", {})
            return {
                "header": {
                    "title": head.get("title", ""),
                    "start_year": head["start_year"],
                    "horizon": head["horizon"],
                    "discount_rate": self.value(head["discount_rate"], "case.discount_rate"),
                    "price_year": head.get("price_year"),
                    "entering": self.values(participants.get("entering"), "participants.entering"),
                },
                "actors": [self.actor(a, f"actors[{i}]") for i, a in enumerate(case["actors"])],
                "costs": [self.cost(c, f"costs[{i}]") for i, c in enumerate(case.get("costs", []))],
                "outcomes": [
                    self.outcome(o, f"outcomes[{i}]")
                    for i, o in enumerate(case.get("outcomes", []))
                ],
            }
        except (KeyError, TypeError, AttributeError):
            raise Unrepresentable(str(CASE_HAS_ERRORS)) from None

    def value(self, raw: Any, path: str) -> Value:
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            return raw
        if (
            isinstance(raw, Mapping)
            and raw.get("dist") == "pert"
            and set(raw) == {"dist", "low", "mode", "high"}
            and all(isinstance(raw[k], int | float) for k in ("low", "mode", "high"))
        ):
            return dict(raw)
        if isinstance(raw, Mapping) and isinstance(raw.get("dist"), str):
            params = {"path": path, "dist": raw["dist"]}
            raise Unrepresentable(str(NO_RANGE_DIST % params))
        raise Unrepresentable(str(NOT_A_VALUE % {"path": path}))

    def values(self, raw: Any, path: str) -> list[Value] | None:
        if raw is None:
            return None
        return [self.value(v, f"{path}[{i}]") for i, v in enumerate(raw)]

    def actor(self, raw: Mapping[str, Any], path: str) -> dict[str, Any]:
        if not isinstance(raw["id"], str) or not re.match(ID_PATTERN, raw["id"]):
            raise Unrepresentable(str(NOT_AN_ID % {"path": f"{path}.id"}))
        return {"id": raw["id"], "name": raw.get("name", ""), "sector": raw["sector"]}

    def cost(self, raw: Mapping[str, Any], path: str) -> dict[str, Any]:
        pp = raw.get("per_participant")
        return {
            "name": raw.get("name", ""),
            "actor": raw["actor"],
            "amounts": self.values(raw.get("amounts"), f"{path}.amounts"),
            "per_participant": None if pp is None else self.value(pp, f"{path}.per_participant"),
        }

    def outcome(self, raw: Mapping[str, Any], path: str) -> dict[str, Any]:
        if "effect" not in raw:
            raise Unrepresentable(str(NO_SPLIT_EFFECT % {"path": path}))
        shares = {k: self.value(raw.get(k, 0), f"{path}.{k}") for k in SHARES}
        unit_costs = {
            key: self.value(v, f"{path}.unit_costs.{key}") for key, v in raw["unit_costs"].items()
        }
        for key in unit_costs:
            if not re.match(ID_PATTERN, key):
                raise Unrepresentable(str(NOT_AN_ID % {"path": f"{path}.unit_costs.{key}"}))
        return {
            "name": raw.get("name", ""),
            "kind": raw.get("kind", "annual"),
            "effect": self.value(raw["effect"], f"{path}.effect"),
            "lag": raw.get("lag", 0),
            "duration": raw.get("duration"),
            **shares,
            "unit_costs": unit_costs,
        }


# --- The editors the page uses ---------------------------------------------------------------


def engine_errors(case: Mapping[str, Any]) -> list[tuple[str, str]]:
    """What the engine finds wrong with `case` (field path, message); empty when it computes."""
    try:
        load_case(case)
    except CaseError as exc:
        return exc.errors
    except OverflowError:  # an integer beyond any float: the engine cannot even read it
        return [("", str(NUMBER_OVERFLOW))]
    return []


def _line(path: str, message: str) -> str:
    return f"{path}: {message}" if path else message


_ROW_PATH = re.compile(r"^(actors|costs|outcomes)\[(\d+)\](?:\.(\w+))?")
_HEADER_PATHS = {
    "case.title": "title",
    "case.start_year": "start_year",
    "case.horizon": "horizon",
    "case.discount_rate": "discount_rate",
    "case.price_year": "price_year",
    "participants": "entering",
}


class RowEditor:
    """The header form and the three row formsets, cleaned together into one case document
    that the engine has accepted; the engine's complaints land on the field they name."""

    mode = "rows"

    def __init__(
        self, data: Mapping[str, Any] | None = None, initial: Mapping[str, Any] | None = None
    ) -> None:
        initial = initial or {"header": {}, "actors": [], "costs": [], "outcomes": []}
        bound = data is not None
        kwargs = {"actor_choices": _actor_choices(data, initial["actors"])}
        self.header = HeaderForm(data, initial=initial["header"], prefix="case")
        self.actors = ActorRows(data, initial=None if bound else initial["actors"], prefix="actors")
        self.costs = CostRows(
            data, initial=None if bound else initial["costs"], prefix="costs", form_kwargs=kwargs
        )
        self.outcomes = OutcomeRows(
            data,
            initial=None if bound else initial["outcomes"],
            prefix="outcomes",
            form_kwargs=kwargs,
        )
        self.problems: list[str] = []

    def formsets(self) -> dict[str, RowFormSet]:
        return {"actors": self.actors, "costs": self.costs, "outcomes": self.outcomes}

    def clean_case(self) -> dict[str, Any] | None:
        """The case, or None after putting every problem where the user will see it."""
        valid = [self.header.is_valid()] + [fs.is_valid() for fs in self.formsets().values()]
        if not all(valid):
            return None
        rows = {key: fs.rows() for key, fs in self.formsets().items()}
        case = forms_to_case(
            header=self.header.cleaned_data,
            **{k: [f.cleaned_data for f in v] for k, v in rows.items()},
        )
        for path, message in engine_errors(case):
            self._place(rows, path, _line(path, message))
        return None if self.has_errors() else case

    def _place(self, rows: dict[str, list[forms.Form]], path: str, message: str) -> None:
        match = _ROW_PATH.match(path)
        head = next((f for p, f in _HEADER_PATHS.items() if path.startswith(p)), None)
        if match and int(match[2]) < len(rows[match[1]]):
            form = rows[match[1]][int(match[2])]
            form.add_error(match[3] if match[3] in form.fields else None, message)
        elif head:
            self.header.add_error(head, message)
        else:
            self.problems.append(message)

    def add_problem(self, message: str) -> None:
        self.problems.append(message)

    def has_errors(self) -> bool:
        return (
            bool(self.problems)
            or not self.header.is_valid()
            or not all(fs.is_valid() for fs in self.formsets().values())
        )

    def error_list(self) -> list[str]:
        """Every problem as one line that says where it is, for the results panel."""
        lines = list(self.problems)
        lines += _form_lines(self.header, "")
        headings = {"actors": _("Actors"), "costs": _("Costs"), "outcomes": _("Outcomes")}
        for key, fs in self.formsets().items():
            lines += [f"{headings[key]}: {e}" for e in fs.non_form_errors()]
            for n, form in enumerate(fs.forms, start=1):
                if getattr(form, "cleaned_data", {}).get("DELETE"):
                    continue
                where = _("%(section)s, row %(n)s") % {"section": headings[key], "n": n}
                lines += _form_lines(form, f"{where} – ")
        return lines


def with_extra_row(data: Any, prefix: str) -> Any:
    """The posted data with one more empty row in the formset `prefix` (the page's
    no-JavaScript "add a row")."""
    data = data.copy()
    key = f"{prefix}-TOTAL_FORMS"
    with contextlib.suppress(ValueError):
        data[key] = str(int(data.get(key, 0)) + 1)
    return data


def _form_lines(form: forms.Form, where: str) -> list[str]:
    lines = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        lines += [f"{where}{label}: {e}" if label else f"{where}{e}" for e in errors]
    return lines


def _actor_choices(
    data: Mapping[str, Any] | None, initial: list[Mapping[str, Any]]
) -> list[tuple[str, str]]:
    """The actors the cost and outcome rows may name: as posted, or as in the case."""
    if data is None:
        rows = [(a.get("id", ""), a.get("name", "")) for a in initial]
    else:
        try:
            total = min(int(data.get("actors-TOTAL_FORMS", 0)), 1000)
        except ValueError:
            total = 0
        rows = [
            (str(data.get(f"actors-{i}-id", "")).strip(), data.get(f"actors-{i}-name", ""))
            for i in range(total)
            if not data.get(f"actors-{i}-DELETE")
        ]
    return [(ident, f"{name} ({ident})" if name else ident) for ident, name in rows if ident]


class TomlEditor(forms.Form):
    """The case as TOML text: for what the rows cannot show, and for those who prefer it."""

    mode = "toml"
    text = forms.CharField(
        label=_("The case as TOML"),
        max_length=CASE_TEXT,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "false", "class": "code"}),
        help_text=_("The engine's case format, the same as sifra calc reads."),
    )

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        self.case = parse_case_text(text, json_text=False)
        errors = engine_errors(self.case)
        if errors:
            raise ValidationError([_line(path, message) for path, message in errors])
        return text

    def clean_case(self) -> dict[str, Any] | None:
        return self.case if self.is_valid() else None

    def error_list(self) -> list[str]:
        return [str(e) for errors in self.errors.values() for e in errors]

    def add_problem(self, message: str) -> None:
        self.add_error(None, message)


class CaseImportForm(forms.Form):
    file = forms.FileField(label=_("Case file (.toml or .json)"), required=False)
    text = forms.CharField(
        label=_("Or paste the case (TOML or JSON)"),
        max_length=CASE_TEXT,
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false", "class": "code"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload, text = data.get("file"), (data.get("text") or "").strip()
        if bool(upload) == bool(text):
            raise ValidationError(IMPORT_ONE)
        field = "file" if upload else "text"
        try:
            if upload:
                text, as_json = self._read(upload), upload.name.lower().endswith(".json")
            else:
                as_json = text.startswith("{")
            case = parse_case_text(text, json_text=as_json)
        except ValidationError as exc:
            self.add_error(field, exc)
            return data
        errors = engine_errors(case)
        if errors:
            self.add_error(field, [_line(path, message) for path, message in errors])
        data["case"] = case
        return data

    def _read(self, upload: Any) -> str:
        if upload.size > IMPORT_MAX_BYTES:
            raise ValidationError(IMPORT_TOO_BIG, params={"limit": IMPORT_MAX_BYTES // 1000})
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(IMPORT_NOT_UTF8) from None
