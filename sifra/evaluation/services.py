"""Writes for evaluations: recording an evaluated effect and the scientific council's assessment."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from sifra.accounts import permissions
from sifra.audit.models import AuditEvent
from sifra.audit.services import audit_record
from sifra.core.personnummer import refuse_personal_numbers
from sifra.evaluation.models import Evaluation, Method
from sifra.projects.models import Project

NOT_ALLOWED = gettext_lazy("You may not do this.")
UNKNOWN_METHOD = gettext_lazy("Choose one of the evaluation methods.")
NOT_A_NUMBER = gettext_lazy("Enter a number, for example 0,18.")
NOT_AN_EFFECT = gettext_lazy(
    "Enter an effect between −1 and 1, for example 0,18 (negative where the intervention made "
    "things worse)."
)
INTERVAL_ORDER = gettext_lazy(
    "The estimate must lie inside its interval: low ≤ estimated effect ≤ high."
)
UNKNOWN_OUTCOME = gettext_lazy("The project's case has no outcome number %(index)s.")
EVALUATOR_REQUIRED = gettext_lazy("Name who carried out the evaluation.")
FOREIGN_REPORT = gettext_lazy("The report must be a document of this project.")
ASSESSMENT_REQUIRED = gettext_lazy("Write the council's assessment.")


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(NOT_ALLOWED)


def _effect(value: Any, field: str) -> Decimal:
    """An effect or an interval bound: between −1 and 1, since an underpowered or harmful
    result must be recordable."""
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: str(NOT_A_NUMBER)}) from None
    if not number.is_finite() or not -1 <= number <= 1:
        raise ValidationError({field: str(NOT_AN_EFFECT)})
    return number


def _case_outcomes(project: Project) -> list[Any] | None:
    """The outcomes of the project's ex-ante case, or None when it has no case."""
    application = getattr(project, "application", None)
    case = getattr(application, "case", None)
    if not case:
        return None
    outcomes = case.get("outcomes", [])
    return outcomes if isinstance(outcomes, list) else []


def evaluation_validate(
    *,
    project: Project,
    method: str,
    effect: Any,
    ci_low: Any,
    ci_high: Any,
    evaluator: str,
    outcome_index: int = 0,
    report: Any = None,
) -> dict[str, Any]:
    """Every check evaluation_record makes, without writing: a page calls it before it stores
    the uploaded report, so a bad evaluation leaves no orphaned file behind. Returns the cleaned
    values."""
    if method not in Method.values:
        raise ValidationError({"method": str(UNKNOWN_METHOD)})
    if not evaluator.strip():
        raise ValidationError({"evaluator": str(EVALUATOR_REQUIRED)})
    low, mid, high = (
        _effect(v, f) for v, f in ((ci_low, "ci_low"), (effect, "effect"), (ci_high, "ci_high"))
    )
    if not low <= mid <= high:
        raise ValidationError({"effect": str(INTERVAL_ORDER)})
    outcomes = _case_outcomes(project)
    if outcome_index < 0 or (outcomes is not None and outcome_index >= len(outcomes)):
        raise ValidationError({"outcome_index": str(UNKNOWN_OUTCOME) % {"index": outcome_index}})
    if report is not None and report.project_id != project.pk:
        raise ValidationError({"report": str(FOREIGN_REPORT)})
    return {"effect": mid, "ci_low": low, "ci_high": high, "evaluator": evaluator.strip()}


@transaction.atomic(durable=True)
def evaluation_record(
    *,
    project: Project,
    method: str,
    effect: Any,
    ci_low: Any,
    ci_high: Any,
    evaluator: str,
    acting_user: Any,
    summary: str = "",
    outcome_index: int = 0,
    report: Any = None,
) -> Evaluation:
    """An evaluated effect of one of the case's outcomes, with its 95 % interval. Allowed after
    the project closed too: that is when most evaluations arrive."""
    _require(permissions.can_record_evaluation(acting_user))
    clean = evaluation_validate(
        project=project,
        method=method,
        effect=effect,
        ci_low=ci_low,
        ci_high=ci_high,
        evaluator=evaluator,
        outcome_index=outcome_index,
        report=report,
    )
    evaluation = Evaluation(
        project=project,
        method=method,
        outcome_index=outcome_index,
        summary=summary.strip(),
        report=report,
        created_by=acting_user,
        **clean,
    )
    evaluation.full_clean()
    evaluation.save()
    audit_record(
        acting_user=acting_user,
        kind=AuditEvent.Kind.EVALUATION_CHANGED,
        subject=evaluation,
        data={
            "recorded": str(evaluation),
            "outcome_index": outcome_index,
            "effect": str(evaluation.effect),
            "interval": [str(evaluation.ci_low), str(evaluation.ci_high)],
            "evaluator": evaluation.evaluator,
            "report": report.pk if report is not None else None,
        },
    )
    return evaluation


@transaction.atomic(durable=True)
def evaluation_assess(*, evaluation: Evaluation, assessment: str, acting_user: Any) -> Evaluation:
    """The scientific council's assessment. It completes a closed project's life: the project
    becomes "evaluated". A new assessment replaces the earlier one; the audit trail keeps both."""
    _require(permissions.can_assess_evaluation(acting_user))
    if not assessment.strip():
        raise ValidationError({"assessment": str(ASSESSMENT_REQUIRED)})
    refuse_personal_numbers(assessment=assessment)
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    project = Project.objects.select_for_update().get(pk=evaluation.project_id)
    before = evaluation.council_assessment
    evaluation.council_assessment = assessment.strip()
    evaluation.assessed_by, evaluation.assessed_at = acting_user, timezone.now()
    evaluation.save(update_fields=["council_assessment", "assessed_by", "assessed_at"])
    data: dict[str, Any] = {"assessment": [before, evaluation.council_assessment]}
    if project.status == Project.Status.CLOSED:
        project.status = Project.Status.EVALUATED
        project.save(update_fields=["status"])
        data["project_status"] = [Project.Status.CLOSED, Project.Status.EVALUATED]
        audit_record(
            acting_user=acting_user,
            kind=AuditEvent.Kind.PROJECT_UPDATED,
            subject=project,
            data={"status": data["project_status"], "evaluation": evaluation.pk},
        )
    audit_record(
        acting_user=acting_user,
        kind=AuditEvent.Kind.EVALUATION_CHANGED,
        subject=evaluation,
        data=data,
    )
    return evaluation
