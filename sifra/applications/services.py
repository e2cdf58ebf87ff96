"""The application's journey: draft, submit, return, review, recommend, decide, withdraw.
Every step is one durable transaction with an audit event; an illegal transition is refused."""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sifra.accounts import permissions
from sifra.accounts.models import Partner, Role, Unit, User
from sifra.applications.models import (
    TEXT_SECTIONS,
    Application,
    ApplicationVersion,
    BudgetLine,
    Decision,
    Indicator,
    ReferenceCounter,
    Review,
    RuleSet,
    Status,
)
from sifra.applications.rules import blocking_failures, check_rules, requested_total
from sifra.audit.models import AuditEvent
from sifra.audit.services import audit_record, changes
from sifra.core.money import AMOUNT_NEGATIVE, AMOUNT_NOT_POSITIVE, format_ore
from sifra.core.personnummer import guard_personal_numbers as personal_numbers_guard
from sifra.followup.services import followup_copy_from_application, schedule_propose
from sifra.funds.models import EntryKind, Fund
from sifra.funds.selectors import fund_balances
from sifra.funds.services import post_entry
from sifra.notifications.services import notify
from sifra.projects.models import Project

NOT_ALLOWED = gettext_lazy("You may not do this.")
WRONG_STATE = gettext_lazy("This cannot be done while the application is %(status)s.")
PERSONAL_NUMBER = gettext_lazy(
    "Remove the personal identity number (%(number)s): applications describe groups, never "
    "individuals, and Sifra must hold no personal data about clients."
)
RULES_BLOCK = gettext_lazy("The application cannot be submitted yet: %(rules)s.")
COMMENT_REQUIRED = gettext_lazy("Write what the applicant should complete.")
REVIEWERS_REQUIRED = gettext_lazy("Choose at least one member of the scientific council.")
NOT_COUNCIL = gettext_lazy("%(name)s is not a member of the scientific council.")
REVIEW_INCOMPLETE = gettext_lazy("Fill in every assessment and a recommendation.")
NO_REVIEWS = gettext_lazy("Wait for at least one submitted review.")
AMOUNT_ABOVE_REQUESTED = gettext_lazy("The amount exceeds what was asked for (%(asked)s).")
AMOUNT_ABOVE_AVAILABLE = gettext_lazy("The amount exceeds the fund's available money (%(left)s).")
AMOUNT_REQUIRED = gettext_lazy("Enter the approved amount.")
REASON_REQUIRED = gettext_lazy("Give the reason for the rejection.")
MINUTE_REQUIRED = gettext_lazy("Enter the minute reference.")
UNIT_NOT_YOURS = gettext_lazy("You can apply only for your own units.")
TITLE_REQUIRED = gettext_lazy("Give the application a title.")
RECEIVED_IN_FUTURE = gettext_lazy("The day the application was received cannot be in the future.")
UNITS_LEAD_ONLY = gettext_lazy(
    "Only the applying unit can change which units take part and which repay."
)

WITHDRAWABLE = {
    Status.DRAFT,
    Status.SUBMITTED,
    Status.RETURNED,
    Status.IN_REVIEW,
    Status.RECOMMENDED,
    Status.NOT_RECOMMENDED,
}
SIMPLE_FIELDS = (
    *TEXT_SECTIONS,
    "title",
    "start_date",
    "end_date",
    "evidence_level",
    "repayment_model",
    "repayment_share",
)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(NOT_ALLOWED)


def _in_state(application: Application, *states: str) -> None:
    if application.status not in states:
        raise ValidationError(
            {"status": str(WRONG_STATE) % {"status": application.get_status_display()}}
        )


def _locked(application: Application) -> Application:
    return Application.objects.select_for_update().get(pk=application.pk)


def guard_personal_numbers(texts: dict[str, Any]) -> None:
    """Refuse any field whose text holds a valid personal identity number."""
    personal_numbers_guard(texts, PERSONAL_NUMBER)


def _next_reference(year: int) -> str:
    """ANS-<year>-<number>, numbered per year from a counter row locked until the creating
    transaction ends (counting the rows gave two concurrent creations the same number)."""
    ReferenceCounter.objects.bulk_create([ReferenceCounter(year=year)], ignore_conflicts=True)
    counter = ReferenceCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"ANS-{year}-{counter.last:03d}"


def _status_event(application: Application, acting_user: Any, before: str, **data: Any) -> None:
    audit_record(
        acting_user=acting_user,
        kind=AuditEvent.Kind.APPLICATION_STATUS,
        subject=application,
        data={"status": [before, application.status], **data},
    )


# --- Writing --------------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def application_create(
    *,
    fund: Fund,
    title: str,
    lead_unit: Unit,
    acting_user: Any,
    received_on: dt.date | None = None,
) -> Application:
    """A new draft. `received_on` registers an application that arrived earlier (on paper, by
    e-mail): its reference is numbered in that year and it is dated that day."""
    _require(permissions.can_create_application(acting_user))
    today = timezone.localdate()
    if received_on is not None and received_on > today:
        raise ValidationError({"received_on": str(RECEIVED_IN_FUTURE)})
    if (
        acting_user.role == Role.APPLICANT
        and not acting_user.units.filter(pk=lead_unit.pk).exists()
    ):
        raise ValidationError({"lead_unit": str(UNIT_NOT_YOURS)})
    if not title.strip():
        raise ValidationError({"title": str(TITLE_REQUIRED)})
    guard_personal_numbers({"title": title})
    application = Application.objects.create(
        fund=fund,
        title=title.strip(),
        lead_unit=lead_unit,
        created_by=acting_user,
        reference=_next_reference((received_on or today).year),
    )
    if received_on is not None:  # created_at is auto_now_add: date it afterwards
        received = timezone.make_aware(dt.datetime.combine(received_on, dt.time(9)))
        Application.objects.filter(pk=application.pk).update(created_at=received)
        application.created_at = received
    audit_record(
        acting_user=acting_user,
        kind=AuditEvent.Kind.APPLICATION_CREATED,
        subject=application,
        data={"title": application.title, "fund": fund.name},
    )
    return application


def snapshot(application: Application) -> dict[str, Any]:
    """Everything an applicant writes, as plain JSON: kept per version and compared."""
    data: dict[str, Any] = {}
    for f in SIMPLE_FIELDS:
        value = getattr(application, f)
        data[f] = (
            value.isoformat()
            if isinstance(value, dt.date)
            else (str(value) if value is not None and not isinstance(value, str) else value)
        )
    data["units"] = sorted(u.name for u in application.units.all())
    data["partners"] = sorted(p.name for p in application.partners.all())
    data["repayment_units"] = sorted(u.name for u in application.repayment_units.all())
    data["budget"] = [
        {
            "year": b.year,
            "item": b.description,
            "payer": str(b.payer or ""),
            "requested_ore": b.requested,
            "own_ore": b.own_contribution,
        }
        for b in application.budget_lines.all()
    ]
    data["indicators"] = [
        {
            "name": i.name,
            "unit": i.unit,
            "baseline": str(i.baseline),
            "baseline_year": i.baseline_year,
            "target": str(i.target),
            "method": i.method,
            "frequency": i.frequency,
        }
        for i in application.indicators.all()
    ]
    data["case"] = application.case
    return data


@transaction.atomic(durable=True)
def application_update(
    *,
    application: Application,
    acting_user: Any,
    units: list[Unit] | None = None,
    partners: list[Partner] | None = None,
    repayment_units: list[Unit] | None = None,
    budget: list[dict[str, Any]] | None = None,
    indicators: list[dict[str, Any]] | None = None,
    **fields: Any,
) -> Application:
    """Save a draft (or an application returned for completion). Partial: what is not given
    stays as it was. `budget` and `indicators` replace the rows when given."""
    _require(permissions.can_write_application(acting_user, application))
    application = _locked(application)
    _in_state(application, Status.DRAFT, Status.RETURNED)
    guard_personal_numbers({k: v for k, v in fields.items() if isinstance(v, str)})
    guard_personal_numbers(
        {f"budget[{i}].item": b.get("description", "") for i, b in enumerate(budget or [])}
    )
    _require_units_unchanged_or_lead(acting_user, application, units, repayment_units)
    before = snapshot(application)
    for name, value in fields.items():
        if name not in SIMPLE_FIELDS:
            raise TypeError(f"unknown application field: {name}")
        setattr(application, name, value)
    application.full_clean(exclude=["case", "created_by", "project"])
    application.save()
    _set_relations(application, units, partners, repayment_units)
    if budget is not None:
        _replace_budget(application, budget)
    if indicators is not None:
        _replace_indicators(application, indicators)
    diff = changes(before, snapshot(application))
    if diff:
        audit_record(
            acting_user=acting_user,
            kind=AuditEvent.Kind.APPLICATION_UPDATED,
            subject=application,
            data={"changed": sorted(diff)},
        )
    return application


def _require_units_unchanged_or_lead(
    acting_user: Any, application: Application, units: Any, repayers: Any
) -> None:
    """Only the leading unit changes the units; the rest may send them back unchanged."""
    if permissions.can_change_application_units(acting_user, application):
        return
    for given, current in ((units, application.units), (repayers, application.repayment_units)):
        if given is not None and {u.pk for u in given} != set(current.values_list("pk", flat=True)):
            raise PermissionDenied(UNITS_LEAD_ONLY)


def _set_relations(application: Application, units: Any, partners: Any, repayers: Any) -> None:
    if units is not None:
        application.units.set(units)
    if partners is not None:
        application.partners.set(partners)
    if repayers is not None:
        application.repayment_units.set(repayers)


def _replace_budget(application: Application, rows: list[dict[str, Any]]) -> None:
    application.budget_lines.all().delete()
    for i, row in enumerate(rows):
        _not_negative(i, row)
        line = BudgetLine(application=application, **row)
        try:
            line.full_clean(exclude=["application"])
        except ValidationError as exc:
            raise ValidationError(
                {f"budget[{i}].{k}": v for k, v in exc.message_dict.items()}
            ) from None
        line.save()


def _not_negative(i: int, row: dict[str, Any]) -> None:
    """A negative budget line would lower the total asked for and dodge the amount rule."""
    for field in ("requested", "own_contribution"):
        amount = row.get(field)
        if isinstance(amount, int) and amount < 0:
            raise ValidationError({f"budget[{i}].{field}": str(AMOUNT_NEGATIVE)})


def _replace_indicators(application: Application, rows: list[dict[str, Any]]) -> None:
    guard_personal_numbers(
        {
            f"indicators[{i}].{k}": v
            for i, row in enumerate(rows)
            for k, v in row.items()
            if isinstance(v, str)
        }
    )
    application.indicators.all().delete()
    for i, row in enumerate(rows):
        indicator = Indicator(application=application, **row)
        try:
            indicator.full_clean(exclude=["application"])
        except ValidationError as exc:
            raise ValidationError(
                {f"indicators[{i}].{k}": v for k, v in exc.message_dict.items()}
            ) from None
        indicator.save()


@transaction.atomic(durable=True)
def application_case_set(
    *, application: Application, case: dict[str, Any] | None, acting_user: Any
) -> Application:
    """Store the investment case (the engine's case document). The caller has validated it
    with the engine; text in it is still checked for personal identity numbers."""
    _require(permissions.can_write_application(acting_user, application))
    application = _locked(application)
    _in_state(application, Status.DRAFT, Status.RETURNED)
    guard_personal_numbers({"case": _all_text(case)})
    application.case = case
    application.save(update_fields=["case", "updated_at"])
    audit_record(
        acting_user=acting_user,
        kind=AuditEvent.Kind.APPLICATION_UPDATED,
        subject=application,
        data={"changed": ["case"]},
    )
    return application


def _all_text(value: Any) -> str:
    if isinstance(value, dict):
        return " ".join(_all_text(v) for v in value.values())
    if isinstance(value, list):
        return " ".join(_all_text(v) for v in value)
    return value if isinstance(value, str) else ""


# --- The journey ----------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def application_submit(*, application: Application, acting_user: Any) -> Application:
    _require(permissions.can_write_application(acting_user, application))
    application = _locked(application)
    _in_state(application, Status.DRAFT, Status.RETURNED)
    failures = blocking_failures(check_rules(application))
    if failures:
        raise ValidationError(
            {"__all__": str(RULES_BLOCK) % {"rules": "; ".join(c.label for c in failures)}}
        )
    before = application.status
    application.status, application.submitted_at = Status.SUBMITTED, timezone.now()
    application.save(update_fields=["status", "submitted_at", "updated_at"])
    number = application.versions.count() + 1
    ApplicationVersion.objects.create(
        application=application,
        number=number,
        content=snapshot(application),
        submitted_by=acting_user,
    )
    _status_event(application, acting_user, before, version=number)
    _notify_role(
        Role.COORDINATOR,
        _("Application %(ref)s submitted") % {"ref": application.reference},
        application,
    )
    return application


@transaction.atomic(durable=True)
def application_return(*, application: Application, comment: str, acting_user: Any) -> Application:
    _require(permissions.can_handle_applications(acting_user))
    application = _locked(application)
    _in_state(application, Status.SUBMITTED, Status.IN_REVIEW)
    if not comment.strip():
        raise ValidationError({"comment": str(COMMENT_REQUIRED)})
    guard_personal_numbers({"comment": comment})
    before = application.status
    application.status, application.coordinator_comment = Status.RETURNED, comment.strip()
    application.save(update_fields=["status", "coordinator_comment", "updated_at"])
    _status_event(application, acting_user, before, comment=application.coordinator_comment)
    _notify_applicants(
        application,
        _("Application %(ref)s returned for completion"),
        application.coordinator_comment,
    )
    return application


@transaction.atomic(durable=True)
def application_send_to_review(
    *, application: Application, reviewers: list[User], acting_user: Any
) -> Application:
    _require(permissions.can_handle_applications(acting_user))
    application = _locked(application)
    _in_state(application, Status.SUBMITTED, Status.IN_REVIEW)
    if not reviewers:
        raise ValidationError({"reviewers": str(REVIEWERS_REQUIRED)})
    for reviewer in reviewers:
        if reviewer.role != Role.COUNCIL or not reviewer.is_active:
            raise ValidationError({"reviewers": str(NOT_COUNCIL) % {"name": reviewer}})
    before = application.status
    for reviewer in reviewers:
        _review, created = Review.objects.get_or_create(application=application, reviewer=reviewer)
        if created:
            notify(
                user=reviewer,
                subject=_("Review %(ref)s") % {"ref": application.reference},
                body=application.title,
                url=f"/applications/{application.pk}/review/",
            )
    application.status = Status.IN_REVIEW
    application.save(update_fields=["status", "updated_at"])
    _status_event(application, acting_user, before, reviewers=sorted(r.username for r in reviewers))
    return application


REVIEW_FIELDS = (
    "evidence_strength",
    "evaluation_quality",
    "case_realism",
    "recommendation",
    "conditions",
    "comments",
)


@transaction.atomic(durable=True)
def review_submit(*, application: Application, acting_user: Any, **fields: Any) -> Review:
    _require(permissions.can_review(acting_user, application))
    application = _locked(application)
    _in_state(application, Status.IN_REVIEW)
    review = Review.objects.select_for_update().get(application=application, reviewer=acting_user)
    guard_personal_numbers({k: v for k, v in fields.items() if isinstance(v, str)})
    for name, value in fields.items():
        if name not in REVIEW_FIELDS:
            raise TypeError(f"unknown review field: {name}")
        setattr(review, name, value)
    if None in (review.evidence_strength, review.evaluation_quality, review.case_realism) or (
        not review.recommendation
    ):
        raise ValidationError({"__all__": str(REVIEW_INCOMPLETE)})
    review.full_clean()
    review.submitted_at = timezone.now()
    review.save()
    audit_record(
        acting_user=acting_user,
        kind=AuditEvent.Kind.REVIEW_SUBMITTED,
        subject=review,
        data={f: getattr(review, f) for f in REVIEW_FIELDS},
    )
    _notify_role(
        Role.COORDINATOR,
        _("Review of %(ref)s submitted") % {"ref": application.reference},
        application,
    )
    return review


@transaction.atomic(durable=True)
def application_recommend(
    *, application: Application, recommend: bool, proposal: str, acting_user: Any
) -> Application:
    """The coordinator's proposal to the decision maker, after the council's reviews."""
    _require(permissions.can_handle_applications(acting_user))
    application = _locked(application)
    _in_state(application, Status.IN_REVIEW)
    if not application.reviews.filter(submitted_at__isnull=False).exists():
        raise ValidationError({"__all__": str(NO_REVIEWS)})
    guard_personal_numbers({"proposal": proposal})
    before = application.status
    application.status = Status.RECOMMENDED if recommend else Status.NOT_RECOMMENDED
    application.proposal = proposal.strip()
    application.save(update_fields=["status", "proposal", "updated_at"])
    _status_event(application, acting_user, before, proposal=application.proposal)
    _notify_role(
        Role.DECISION_MAKER,
        _("Application %(ref)s awaits decision") % {"ref": application.reference},
        application,
    )
    return application


@transaction.atomic(durable=True)
def decision_record(
    *,
    application: Application,
    approve: bool,
    minute_ref: str,
    decided_on: dt.date,
    acting_user: Any,
    amount: int = 0,
    conditions: str = "",
    reason: str = "",
) -> Decision:
    """Approval commits the amount in the ledger and makes the application a project."""
    _require(permissions.can_decide(acting_user))
    application = _locked(application)
    _in_state(application, Status.RECOMMENDED, Status.NOT_RECOMMENDED)
    _validate_decision(application, approve, minute_ref, amount, reason)
    guard_personal_numbers({"minute_ref": minute_ref, "conditions": conditions, "reason": reason})
    decision = Decision.objects.create(
        application=application,
        outcome="approved" if approve else "rejected",
        amount=amount if approve else 0,
        conditions=conditions.strip(),
        reason=reason.strip(),
        minute_ref=minute_ref.strip(),
        decided_on=decided_on,
        decided_by=acting_user,
    )
    before = application.status
    application.status = Status.APPROVED if approve else Status.REJECTED
    if approve:
        application.project = _make_project(application, decision, acting_user)
    application.save(update_fields=["status", "project", "updated_at"])
    _status_event(
        application, acting_user, before, amount_ore=decision.amount, minute_ref=decision.minute_ref
    )
    subject = _("Application %(ref)s approved") if approve else _("Application %(ref)s rejected")
    _notify_applicants(application, subject, decision.conditions or decision.reason)
    return decision


def decision_validate(
    *, application: Application, approve: bool, minute_ref: str, amount: int, reason: str
) -> None:
    """What decision_record would refuse, checked before the decision maker is asked to
    confirm it (a read: it writes nothing, and decision_record checks again)."""
    _in_state(application, Status.RECOMMENDED, Status.NOT_RECOMMENDED)
    _validate_decision(application, approve, minute_ref, amount, reason)


def _validate_decision(
    application: Application, approve: bool, minute_ref: str, amount: int, reason: str
) -> None:
    if not minute_ref.strip():
        raise ValidationError({"minute_ref": str(MINUTE_REQUIRED)})
    if not approve:
        if not reason.strip():
            raise ValidationError({"reason": str(REASON_REQUIRED)})
        return
    asked = requested_total(application)
    available = fund_balances(fund=application.fund).available
    if amount == 0:
        raise ValidationError({"amount": str(AMOUNT_REQUIRED)})
    if amount < 0:
        raise ValidationError({"amount": str(AMOUNT_NOT_POSITIVE)})
    # Exact öre on both sides, and the messages show them exactly (format_ore keeps öre).
    if amount > asked:
        raise ValidationError(
            {"amount": str(AMOUNT_ABOVE_REQUESTED) % {"asked": format_ore(asked)}}
        )
    if amount > available:
        raise ValidationError(
            {"amount": str(AMOUNT_ABOVE_AVAILABLE) % {"left": format_ore(available)}}
        )


def _make_project(application: Application, decision: Decision, acting_user: Any) -> Project:
    project = Project.objects.create(
        fund=application.fund,
        code=application.reference,
        title=application.title,
        description=application.summary,
        lead_unit=application.lead_unit,
        decision_ref=decision.minute_ref,
        start_date=application.start_date,
        end_date=application.end_date,
    )
    project.units.set({application.lead_unit, *application.units.all()})
    project.partners.set(application.partners.all())
    followup_copy_from_application(
        project=project, application=application, granted=decision.amount
    )
    rules = RuleSet.objects.filter(fund=application.fund).first() or RuleSet()
    schedule_propose(
        project=project,
        every_months=rules.report_every_months,
        days_to_report=rules.report_days,
        final_days=rules.final_report_days,
        acting_user=acting_user,
    )
    audit_record(
        acting_user=acting_user,
        kind=AuditEvent.Kind.PROJECT_CREATED,
        subject=project,
        data={"application": application.reference},
    )
    post_entry(
        fund=application.fund,
        kind=EntryKind.COMMITMENT,
        amount=decision.amount,
        text=_("Approved: %(title)s") % {"title": application.title},
        project=project,
        decision_ref=decision.minute_ref,
        date=decision.decided_on,
        acting_user=acting_user,
    )
    return project


@transaction.atomic(durable=True)
def application_withdraw(*, application: Application, acting_user: Any) -> Application:
    _require(permissions.can_withdraw_application(acting_user, application))
    application = _locked(application)
    _in_state(application, *WITHDRAWABLE)
    before = application.status
    application.status = Status.WITHDRAWN
    application.save(update_fields=["status", "updated_at"])
    _status_event(application, acting_user, before)
    return application


@transaction.atomic(durable=True)
def rule_set_update(*, fund: Fund, acting_user: Any, **fields: Any) -> RuleSet:
    _require(permissions.can_manage_funds(acting_user))
    rules, _created = RuleSet.objects.select_for_update().get_or_create(fund=fund)
    before = {f.name: getattr(rules, f.name) for f in RuleSet._meta.concrete_fields}
    for name, value in fields.items():
        if name not in before or name in ("id", "fund"):
            raise TypeError(f"unknown rule: {name}")
        setattr(rules, name, value)
    rules.full_clean()
    rules.save()
    after = {f.name: getattr(rules, f.name) for f in RuleSet._meta.concrete_fields}
    diff = {k: [str(v[0]), str(v[1])] for k, v in changes(before, after).items()}
    if diff:
        audit_record(
            acting_user=acting_user,
            kind=AuditEvent.Kind.FUND_UPDATED,
            subject=fund,
            data={"rules": diff},
        )
    return rules


# --- Notifications ----------------------------------------------------------------------------


def _notify_applicants(application: Application, subject: str, body: str) -> None:
    recipients = User.objects.filter(
        role=Role.APPLICANT, is_active=True, units=application.lead_unit
    ) | User.objects.filter(pk=application.created_by_id)
    for user in recipients.distinct():
        notify(
            user=user,
            subject=subject % {"ref": application.reference},
            body=body,
            url=f"/applications/{application.pk}/",
        )


def _notify_role(role: str, subject: str, application: Application) -> None:
    for user in User.objects.filter(role=role, is_active=True):
        notify(
            user=user,
            subject=subject,
            body=application.title,
            url=f"/applications/{application.pk}/",
        )
