"""Reads of applications: who sees which, the case's results, the versions' differences."""

import difflib
import json
from typing import Any

from django.db.models import Q, QuerySet

from sifra.accounts import permissions
from sifra.accounts.models import Role
from sifra.applications.models import Application, ApplicationVersion, Status
from sifra.engine import CaseError, calculate, load_case

# Enough iterations for a stable "chance that NPV is positive" on a page, fast enough to
# recompute as the applicant types (about 0.05 s for a typical case).
PAGE_ITERATIONS = 5_000


def applications_visible(*, user: Any) -> QuerySet[Application]:
    """What `user` may see, mirroring permissions.can_view_application."""
    qs = Application.objects.select_related("fund", "lead_unit").order_by("-created_at")
    if permissions.has_role(user, Role.COORDINATOR, Role.AUDITOR):
        return qs
    if permissions.has_role(user, Role.ECONOMIST, Role.DECISION_MAKER):
        return qs.exclude(status=Status.DRAFT)
    if permissions.has_role(user, Role.COUNCIL):
        return qs.filter(reviews__reviewer=user).distinct()
    if permissions.has_role(user, Role.APPLICANT):
        units = user.units.all()
        return qs.filter(Q(lead_unit__in=units) | Q(units__in=units)).distinct()
    return qs.none()


def case_result(
    case: dict[str, Any] | None, *, iterations: int | None = None
) -> dict[str, Any] | None:
    """The engine's document for a stored case, or None when there is none or it is invalid.
    Uncertain inputs get PAGE_ITERATIONS unless told otherwise; the seed is fixed so a page shows
    the same figures every time."""
    if not case:
        return None
    try:
        parsed = load_case(case)
        if iterations is None and parsed.uncertain():
            iterations = PAGE_ITERATIONS
        return calculate(parsed, iterations=iterations, seed=0)
    except CaseError:
        return None


def version_diff(older: ApplicationVersion, newer: ApplicationVersion) -> list[dict[str, Any]]:
    """Per changed field: its name and a line diff of its text (JSON for structured parts)."""
    rows = []
    for key in sorted(set(older.content) | set(newer.content)):
        a, b = older.content.get(key), newer.content.get(key)
        if a == b:
            continue
        rows.append({"field": key, "lines": list(difflib.ndiff(_lines(a), _lines(b)))})
    return rows


def _lines(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return value.splitlines()
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True).splitlines()
