"""Nothing personal is ever published. Every text that would leave the building with a grant is
checked for a personal identity number before it is published, and the feeds check each grant
again as they write it (a text changed after publication is caught there too)."""

import json
from typing import Any

from django.utils.translation import gettext_lazy as _

from sifra.core.personnummer import find_personal_numbers
from sifra.projects.models import Project

PERSONAL_NUMBER_BLOCKS = _(
    "Not published: %(what)s holds a personal identity number (%(number)s). Nothing about a "
    "person may be published."
)
# The form field each text belongs to; texts from elsewhere land on the form as a whole.
WHAT = {
    "summary": _("the public summary"),
    "title": _("the project's title"),
    "committees": _("a committee's name"),
    "indicators": _("an indicator"),
    "organisation": _("the organisation's name"),
    "fund": _("the fund's name"),
}


def published_texts(project: Project, summary: str) -> dict[str, str]:
    """Every free text that publishing `project` with `summary` would make public."""
    indicators = [f"{i.name} {i.unit}" for i in project.indicators.all()]
    return {
        "summary": summary,
        "title": project.title,
        "committees": "\n".join([project.lead_unit.name, *(u.name for u in project.units.all())]),
        "indicators": "\n".join(indicators),
        "organisation": project.fund.organisation.name,
        "fund": project.fund.name,
    }


def personal_number_errors(texts: dict[str, str]) -> dict[str, str]:
    """{field: message} for each text that holds a personal identity number; texts that are
    not the summary are reported on the form as a whole (`__all__`)."""
    errors: dict[str, str] = {}
    for name, text in texts.items():
        found = find_personal_numbers(text)
        if found:
            key = "summary" if name == "summary" else "__all__"
            message = str(PERSONAL_NUMBER_BLOCKS) % {"what": WHAT[name], "number": found[0]}
            errors[key] = f"{errors[key]} {message}" if key in errors else message
    return errors


def holds_personal_number(record: Any) -> bool:
    """True if any text anywhere in a JSON-like record holds a personal identity number."""
    return bool(find_personal_numbers(json.dumps(record, ensure_ascii=False, default=str)))
