"""The application in sections (the GOV.UK task list): which fields each part holds, what makes
it done, and the answers as the check-your-answers page shows them. Reads only."""

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.utils.formats import date_format, number_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sifra.applications.models import Application, RepaymentModel
from sifra.applications.rules import requested_total


class State(StrEnum):
    NOT_STARTED = "not-started"
    IN_PROGRESS = "in-progress"
    DONE = "done"


STATE_LABELS = {
    State.NOT_STARTED: _("Not started"),
    State.IN_PROGRESS: _("In progress"),
    State.DONE: _("Completed"),
}

# Rows of the budget and the indicators are their own sections.
BUDGET, INDICATORS, CASE = "budget", "indicators", "case"


@dataclass(frozen=True)
class Section:
    key: str
    title: Promise
    hint: Promise
    fields: tuple[str, ...] = ()
    required: tuple[str, ...] = ()  # what must be filled in for the section to be done

    @property
    def has_budget(self) -> bool:
        return self.key in (BUDGET, ALL)

    @property
    def has_indicators(self) -> bool:
        return self.key in (INDICATORS, ALL)


SECTIONS = (
    Section(
        "about",
        _("About the project"),
        _("Title, period, summary, and the units and partners that take part."),
        ("title", "start_date", "end_date", "summary", "units", "partners"),
        ("title", "start_date", "end_date", "summary"),
    ),
    Section(
        "need",
        _("Problem and target group"),
        _("What the project should prevent, and for whom."),
        ("problem", "target_group"),
        ("problem", "target_group"),
    ),
    Section(
        "intervention",
        _("The intervention and its chain of effects"),
        _("What is done, what it produces and what changes for the target group."),
        ("intervention", "activities", "outputs", "outcomes", "impact"),
        ("intervention", "activities", "outcomes"),
    ),
    Section(
        "evidence",
        _("Evidence"),
        _("What is known about the effect of the intervention."),
        ("evidence", "evidence_level"),
        ("evidence", "evidence_level"),
    ),
    Section(BUDGET, _("Budget"), _("Money per year and payer: from the fund and your own.")),
    Section(INDICATORS, _("Indicators"), _("How the effects are measured.")),
    Section(
        "plans",
        _("Follow-up, evaluation and risks"),
        _("How costs, savings and effects are followed up, and what could go wrong."),
        ("followup_plan", "evaluation_plan", "risks"),
        ("followup_plan", "evaluation_plan"),
    ),
    Section(
        "repayment",
        _("Repayment"),
        _("How the money comes back to the fund when the savings show."),
        ("repayment_model", "repayment_share", "repayment_units", "repayment_notes"),
        ("repayment_model",),
    ),
    Section(
        CASE,
        _("Investment case"),
        _("The socio-economic calculation: costs, effects and who gains."),
    ),
)
ALL = "all"
EVERYTHING = Section(
    ALL,
    _("The whole application"),
    _("Every section on one page."),
    tuple(f for s in SECTIONS for f in s.fields),
)
BY_KEY = {s.key: s for s in (*SECTIONS, EVERYTHING)}
M2M = ("units", "partners", "repayment_units")


def _filled(application: Application, name: str) -> bool:
    if name in M2M:
        return getattr(application, name).exists()
    value = getattr(application, name)
    return value not in (None, "") and not (isinstance(value, str) and not value.strip())


def section_state(application: Application, section: Section) -> State:
    if section.key == BUDGET:
        lines = application.budget_lines.exists()
        done = requested_total(application) > 0
        return State.DONE if done else State.IN_PROGRESS if lines else State.NOT_STARTED
    if section.key == INDICATORS:
        return State.DONE if application.indicators.exists() else State.NOT_STARTED
    if section.key == CASE:
        return State.DONE if application.case else State.NOT_STARTED
    required = list(section.required)
    if section.key == "repayment" and application.repayment_model == RepaymentModel.SAVINGS_SHARE:
        required.append("repayment_share")  # a share of savings needs the share
    filled = [f for f in section.fields if _filled(application, f)]
    if not filled:
        return State.NOT_STARTED
    done = all(_filled(application, f) for f in required)
    return State.DONE if done else State.IN_PROGRESS


def task_list(application: Application) -> list[dict[str, Any]]:
    rows = []
    for section in SECTIONS:
        state = section_state(application, section)
        rows.append({"section": section, "state": state, "state_label": STATE_LABELS[state]})
    return rows


def next_section(section: Section) -> Section | None:
    keys = [s.key for s in SECTIONS]
    if section.key not in keys:
        return None
    i = keys.index(section.key) + 1
    return SECTIONS[i] if i < len(SECTIONS) else None


def _display(application: Application, name: str) -> str:
    if name in M2M:
        return ", ".join(str(o) for o in getattr(application, name).all())
    value = getattr(application, name)
    if value in (None, ""):
        return ""
    if hasattr(application, f"get_{name}_display"):
        return str(getattr(application, f"get_{name}_display")()).capitalize()
    if name in ("start_date", "end_date"):
        return date_format(value, "Y-m-d")
    if name == "repayment_share":
        return f"{number_format(value.normalize(), force_grouping=True)} %"
    return str(value)


def answers(application: Application, section: Section, labels: dict[str, Any]) -> list[Any]:
    """(field, label, value) of each field of the section, as the check-your-answers page
    lists them; `labels` are the form's labels, so the page and the form name fields alike."""
    return [(f, labels.get(f, f), _display(application, f)) for f in section.fields]
