"""Reads of applications: who sees which, the case's results, the versions' differences."""

import difflib
import json
from typing import Any

from django.db.models import Q, QuerySet

from sifra.accounts import permissions
from sifra.accounts.models import Role
from sifra.applications.models import SCORE_WORDS, Application, ApplicationVersion, Review, Status
from sifra.applications.rules import requested_total
from sifra.calculations.selectors import calculation_kept
from sifra.calculations.services import INLINE_WORK
from sifra.engine import Case, CaseError, calculate, load_case
from sifra.engine.limits import work
from sifra.engine.progress import calculate_base
from sifra.funds.selectors import fund_balances

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


# --- Work queues (the start page's "To do") ------------------------------------------------------


def applications_to_check() -> QuerySet[Application]:
    """Submitted applications waiting for the coordinator's completeness check, oldest first."""
    return (
        Application.objects.filter(status=Status.SUBMITTED)
        .select_related("fund", "lead_unit")
        .order_by("submitted_at", "id")
    )


def proposals_to_write() -> QuerySet[Application]:
    """Applications in review whose every review is in: the coordinator writes the proposal."""
    return (
        Application.objects.filter(status=Status.IN_REVIEW)
        .exclude(reviews__submitted_at__isnull=True)
        .select_related("fund", "lead_unit")
        .order_by("updated_at", "id")
    )


def reviews_pending(*, user: Any) -> QuerySet[Review]:
    """The reviews assigned to `user` that are not submitted, on applications still in review."""
    return (
        Review.objects.filter(
            reviewer=user, submitted_at__isnull=True, application__status=Status.IN_REVIEW
        )
        .select_related("application", "application__lead_unit")
        .order_by("assigned_at", "id")
    )


def proposals_awaiting_decision() -> QuerySet[Application]:
    """The coordinator's proposals (for or against) that wait for the decision maker."""
    return (
        Application.objects.filter(status__in=(Status.RECOMMENDED, Status.NOT_RECOMMENDED))
        .select_related("fund", "lead_unit")
        .order_by("updated_at", "id")
    )


def applications_of_user(*, user: Any, statuses: tuple[str, ...]) -> QuerySet[Application]:
    """`user`'s visible applications in `statuses`, the least recently touched first."""
    return applications_visible(user=user).filter(status__in=statuses).order_by("updated_at", "id")


def case_result(
    case: dict[str, Any] | None, *, iterations: int | None = None
) -> dict[str, Any] | None:
    """The engine's document for a stored case, or None when there is none or it is invalid.
    Uncertain inputs get PAGE_ITERATIONS unless told otherwise; the seed is fixed so a page shows
    the same figures every time. A run too heavy for a request is never computed here: the
    result the task worker kept for it, or else the base case alone (`monte_carlo` null)."""
    if not case:
        return None
    try:
        parsed = load_case(case)
    except CaseError:
        return None
    iterations = page_iterations(parsed, iterations)
    if work(parsed, iterations) <= INLINE_WORK:
        return calculate(parsed, iterations=iterations, seed=0)
    kept = calculation_kept(case, iterations, 0)
    return kept.result if kept is not None else calculate_base(parsed)


def page_iterations(parsed: Case, iterations: int | None = None) -> int | None:
    return PAGE_ITERATIONS if iterations is None and parsed.uncertain() else iterations


def case_needs_worker(case: dict[str, Any] | None) -> bool:
    """Whether the page's Monte Carlo of this case is too heavy to run inside a request."""
    try:
        parsed = load_case(case or {})
    except CaseError:
        return False
    return work(parsed, page_iterations(parsed)) > INLINE_WORK


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


SCORE_FIELDS = ("evidence_strength", "evaluation_quality", "case_realism")


def decision_basis(*, application: Application, amount: int | None = None) -> dict[str, Any]:
    """What a proposal or a decision rests on: the coordinator's proposal, the council's
    submitted reviews (each score with its meaning), and the fund's money available now and
    after `amount` (by default what was asked) is committed."""
    asked = requested_total(application)
    available = fund_balances(fund=application.fund).available
    amount = asked if amount is None else amount
    reviews = [
        {
            "review": r,
            "scores": [
                (
                    getattr(r._meta.get_field(name), "verbose_name", name),
                    getattr(r, name),
                    SCORE_WORDS.get(getattr(r, name)),
                )
                for name in SCORE_FIELDS
            ],
        }
        for r in application.reviews.filter(submitted_at__isnull=False).select_related("reviewer")
    ]
    return {
        "asked": asked,
        "amount": amount,
        "available_now": available,
        "available_after": available - amount,
        "reviews": reviews,
        "pending_reviews": application.reviews.filter(submitted_at__isnull=True).count(),
        "proposal": application.proposal,
        "recommended": application.status,
    }
