import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Body, Field, Query, Router, Schema, Status

from sifra.accounts import permissions
from sifra.accounts.models import Partner, Unit, User
from sifra.api.schemas import (
    LONG_TEXT,
    Amount,
    In,
    PageIn,
    kept,
    kronor,
    long_text,
    page_of,
    paged,
    to_ore,
)
from sifra.applications import services
from sifra.applications.models import (
    Application,
    EvidenceLevel,
    RepaymentModel,
    Review,
    RuleSet,
)
from sifra.applications.models import Status as ApplicationStatus
from sifra.applications.rules import check_rules, own_total, requested_total
from sifra.applications.selectors import applications_visible, case_result
from sifra.core.http import require
from sifra.core.text import NUL_CHARACTER, find_nul
from sifra.engine import CaseError, load_case
from sifra.funds.models import Fund

router = Router(tags=["applications"])


class BudgetLineIn(In):
    year: int
    description: str = Field(..., max_length=200)
    payer_unit_id: int | None = None
    payer_partner_id: int | None = None
    requested: Amount = "0"
    own_contribution: Amount = "0"


class IndicatorIn(In):
    name: str = Field(..., max_length=200)
    unit: str = Field(..., max_length=50)
    baseline: Decimal
    baseline_year: int
    target: Decimal
    method: str = Field(..., max_length=300)
    frequency: str = Field(..., max_length=100)


class ApplicationCreateIn(In):
    fund_id: int
    title: str = Field(..., max_length=200)
    lead_unit_id: int


class ApplicationPatch(In):
    """Every field may be left out (it keeps its value); text is never null. The sections are
    at most LONG_TEXT characters."""

    title: str = kept(max_length=200)
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    summary: str = kept(max_length=LONG_TEXT)
    problem: str = kept(max_length=LONG_TEXT)
    target_group: str = kept(max_length=LONG_TEXT)
    intervention: str = kept(max_length=LONG_TEXT)
    activities: str = kept(max_length=LONG_TEXT)
    outputs: str = kept(max_length=LONG_TEXT)
    outcomes: str = kept(max_length=LONG_TEXT)
    impact: str = kept(max_length=LONG_TEXT)
    evidence: str = kept(max_length=LONG_TEXT)
    evidence_level: EvidenceLevel | Literal[""] = kept()
    followup_plan: str = kept(max_length=LONG_TEXT)
    evaluation_plan: str = kept(max_length=LONG_TEXT)
    risks: str = kept(max_length=LONG_TEXT)
    repayment_model: RepaymentModel | Literal[""] = kept()
    repayment_share: Decimal | None = None
    repayment_notes: str = kept(max_length=LONG_TEXT)
    unit_ids: list[int] = kept()
    partner_ids: list[int] = kept()
    repayment_unit_ids: list[int] = kept()
    budget: list[BudgetLineIn] = kept()
    indicators: list[IndicatorIn] = kept()


class CheckOut(Schema):
    code: str
    label: str
    ok: bool
    blocking: bool
    message: str


class ApplicationOut(Schema):
    id: int
    reference: str
    fund_id: int
    title: str
    status: str
    lead_unit_id: int
    unit_ids: list[int]
    partner_ids: list[int]
    requested_ore: int
    own_contribution_ore: int
    project_id: int | None
    submitted_at: dt.datetime | None
    content: dict[str, Any] = Field(..., description="Every section, the budget and indicators")
    checks: list[CheckOut]


class ReturnIn(In):
    comment: str = Field(..., max_length=LONG_TEXT)


class ReviewersIn(In):
    reviewer_ids: list[int]


class ReviewIn(In):
    evidence_strength: int = Field(..., ge=1, le=5)
    evaluation_quality: int = Field(..., ge=1, le=5)
    case_realism: int = Field(..., ge=1, le=5)
    recommendation: Review.Recommendation
    conditions: str = long_text()
    comments: str = long_text()


class ReviewOut(Schema):
    reviewer: str
    evidence_strength: int | None
    evaluation_quality: int | None
    case_realism: int | None
    recommendation: str
    conditions: str
    comments: str
    submitted_at: dt.datetime | None


class RecommendIn(In):
    recommend: bool
    proposal: str = Field(..., max_length=LONG_TEXT)


class DecisionIn(In):
    approve: bool
    minute_ref: str = Field(..., max_length=100)
    decided_on: dt.date
    amount: Amount = "0"
    conditions: str = long_text()
    reason: str = long_text()


class RulesIn(In):
    max_amount: Amount | None = None
    max_amount_blocking: bool = True
    max_duration_months: int | None = None
    max_duration_blocking: bool = True
    min_units: int | None = None
    min_units_blocking: bool = True
    min_own_share: Decimal | None = None
    min_own_share_blocking: bool = False
    require_followup_plan: bool = True
    require_followup_plan_blocking: bool = True
    require_evaluation_plan: bool = True
    require_evaluation_plan_blocking: bool = True
    require_case: bool = True
    require_case_blocking: bool = False
    report_every_months: int = Field(6, ge=1, le=24)
    report_days: int = Field(30, ge=0, le=365)
    final_report_days: int = Field(90, ge=0, le=730)


def _get(request: HttpRequest, application_id: int) -> Application:
    application = get_object_or_404(Application, pk=application_id)
    require(permissions.can_view_application(request.user, application))
    return application


def _out(a: Application) -> dict[str, Any]:
    return {
        "id": a.pk,
        "reference": a.reference,
        "fund_id": a.fund_id,
        "title": a.title,
        "status": a.status,
        "lead_unit_id": a.lead_unit_id,
        "unit_ids": [u.pk for u in a.units.all()],
        "partner_ids": [p.pk for p in a.partners.all()],
        "requested_ore": requested_total(a),
        "own_contribution_ore": own_total(a),
        "project_id": a.project_id,
        "submitted_at": a.submitted_at,
        "content": services.snapshot(a),
        "checks": [vars(c) for c in check_rules(a)],
    }


def _objects(model: Any, ids: list[int] | None) -> list[Any] | None:
    return None if ids is None else [get_object_or_404(model, pk=i) for i in ids]


@router.get(
    "",
    response=paged(ApplicationOut),
    summary="The applications you may see, newest first, in pages (`limit` from `offset` on)",
)
def list_applications(
    request: HttpRequest, page: Query[PageIn], status: ApplicationStatus | Literal[""] = ""
) -> dict[str, Any]:
    # what each application's content and checks read, fetched once for the page
    qs = applications_visible(user=request.user).prefetch_related(
        "units",
        "partners",
        "repayment_units",
        "budget_lines__payer_unit",
        "budget_lines__payer_partner",
        "indicators",
    )
    return page_of(qs.filter(status=status) if status else qs, page, _out)


@router.post("", response={201: ApplicationOut}, summary="Start a draft application")
def create_application(request: HttpRequest, payload: ApplicationCreateIn) -> Status:
    a = services.application_create(
        fund=get_object_or_404(Fund, pk=payload.fund_id),
        title=payload.title,
        lead_unit=get_object_or_404(Unit, pk=payload.lead_unit_id),
        acting_user=request.user,
    )
    return Status(201, _out(a))


@router.get("/{application_id}", response=ApplicationOut)
def get_application(request: HttpRequest, application_id: int) -> dict[str, Any]:
    return _out(_get(request, application_id))


@router.patch(
    "/{application_id}",
    response=ApplicationOut,
    summary="Save a draft; lists (units, budget, indicators) replace what was there",
)
def update_application(
    request: HttpRequest, application_id: int, payload: ApplicationPatch
) -> dict[str, Any]:
    a = _get(request, application_id)
    data = payload.dict(exclude_unset=True)
    relations = {
        "units": _objects(Unit, data.pop("unit_ids", None)),
        "partners": _objects(Partner, data.pop("partner_ids", None)),
        "repayment_units": _objects(Unit, data.pop("repayment_unit_ids", None)),
    }
    if "budget" in data:
        # Every row whole: exclude_unset above would drop a row's defaulted own_contribution.
        data["budget"] = [row.dict() for row in payload.budget]
        data["budget"] = [
            {
                **row,
                "requested": to_ore(f"budget[{i}].requested", row["requested"]) or 0,
                "own_contribution": to_ore(f"budget[{i}].own_contribution", row["own_contribution"])
                or 0,
            }
            for i, row in enumerate(data["budget"])
        ]
    if "indicators" in data:
        data["indicators"] = [row.dict() for row in payload.indicators]
    a = services.application_update(application=a, acting_user=request.user, **relations, **data)
    return _out(a)


@router.put("/{application_id}/case", summary="Store the investment case (a case document)")
def put_case(
    request: HttpRequest, application_id: int, case: dict[str, Any] = Body(...)
) -> dict[str, Any]:
    a = _get(request, application_id)
    nul = find_nul(case, "case")
    if nul:
        raise ValidationError({nul: str(NUL_CHARACTER)})
    try:
        load_case(case)
    except CaseError as exc:
        raise ValidationError(
            {path or "__all__": message for path, message in exc.errors}
        ) from None
    services.application_case_set(application=a, case=case, acting_user=request.user)
    return case_result(case) or {}


@router.get("/{application_id}/case", summary="The stored case and the engine's results")
def get_case(request: HttpRequest, application_id: int) -> dict[str, Any]:
    a = _get(request, application_id)
    return {"case": a.case, "result": case_result(a.case)}


@router.post("/{application_id}/submit", response=ApplicationOut)
def submit(request: HttpRequest, application_id: int) -> dict[str, Any]:
    a = services.application_submit(
        application=_get(request, application_id), acting_user=request.user
    )
    return _out(a)


@router.post("/{application_id}/withdraw", response=ApplicationOut)
def withdraw(request: HttpRequest, application_id: int) -> dict[str, Any]:
    a = services.application_withdraw(
        application=_get(request, application_id), acting_user=request.user
    )
    return _out(a)


@router.post(
    "/{application_id}/return",
    response=ApplicationOut,
    summary="Return for completion with comments (coordinator)",
)
def return_(request: HttpRequest, application_id: int, payload: ReturnIn) -> dict[str, Any]:
    a = services.application_return(
        application=_get(request, application_id), comment=payload.comment, acting_user=request.user
    )
    return _out(a)


@router.post(
    "/{application_id}/send-to-review",
    response=ApplicationOut,
    summary="Assign council members and send to review (coordinator)",
)
def send_to_review(
    request: HttpRequest, application_id: int, payload: ReviewersIn
) -> dict[str, Any]:
    reviewers = _objects(User, payload.reviewer_ids) or []
    a = services.application_send_to_review(
        application=_get(request, application_id), reviewers=reviewers, acting_user=request.user
    )
    return _out(a)


@router.get("/{application_id}/reviews", response=list[ReviewOut])
def list_reviews(request: HttpRequest, application_id: int) -> list[dict[str, Any]]:
    a = _get(request, application_id)
    require(permissions.can_see_reviews(request.user, a))
    return [
        {
            **{f: getattr(r, f) for f in ReviewOut.model_fields if f != "reviewer"},
            "reviewer": r.reviewer.username,
        }
        for r in a.reviews.select_related("reviewer")
    ]


@router.post("/{application_id}/review", response=ReviewOut, summary="Your review (council)")
def submit_review(request: HttpRequest, application_id: int, payload: ReviewIn) -> dict[str, Any]:
    r = services.review_submit(
        application=_get(request, application_id), acting_user=request.user, **payload.dict()
    )
    return {
        **{f: getattr(r, f) for f in ReviewOut.model_fields if f != "reviewer"},
        "reviewer": r.reviewer.username,
    }


@router.post(
    "/{application_id}/recommend",
    response=ApplicationOut,
    summary="The coordinator's proposal after review",
)
def recommend(request: HttpRequest, application_id: int, payload: RecommendIn) -> dict[str, Any]:
    a = services.application_recommend(
        application=_get(request, application_id),
        recommend=payload.recommend,
        proposal=payload.proposal,
        acting_user=request.user,
    )
    return _out(a)


@router.post(
    "/{application_id}/decision",
    response=ApplicationOut,
    summary="Record the decision (decision maker); approval commits the amount",
)
def decide(request: HttpRequest, application_id: int, payload: DecisionIn) -> dict[str, Any]:
    a = _get(request, application_id)
    require(permissions.can_decide(request.user))  # before the amount is read
    data = payload.dict()
    data["amount"] = to_ore("amount", data["amount"]) or 0
    services.decision_record(application=a, acting_user=request.user, **data)
    a.refresh_from_db()
    return _out(a)


rules_router = Router(tags=["funds"])


def _rules_out(rules: RuleSet) -> dict[str, Any]:
    data = {name: getattr(rules, name) for name in RulesIn.model_fields}
    if rules.max_amount is not None:
        data["max_amount"] = kronor(rules.max_amount)
    return data


@rules_router.get("/{fund_id}/rules", response=RulesIn, summary="The fund's application rules")
def get_rules(request: HttpRequest, fund_id: int) -> dict[str, Any]:
    fund = get_object_or_404(Fund, pk=fund_id)
    require(permissions.can_view_fund(request.user, fund))
    return _rules_out(RuleSet.objects.filter(fund=fund).first() or RuleSet(fund=fund))


@rules_router.put("/{fund_id}/rules", response=RulesIn, summary="Set the application rules")
def put_rules(request: HttpRequest, fund_id: int, payload: RulesIn) -> dict[str, Any]:
    require(permissions.can_manage_funds(request.user))  # before the amount is read
    data = payload.dict()
    data["max_amount"] = to_ore("max_amount", data["max_amount"])
    fund = get_object_or_404(Fund, pk=fund_id)
    return _rules_out(services.rule_set_update(fund=fund, acting_user=request.user, **data))
