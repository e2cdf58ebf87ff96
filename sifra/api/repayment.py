import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from sifra.accounts import permissions
from sifra.accounts.models import Unit
from sifra.api.schemas import Amount, DbId, In, PageIn, long_text, page_of, paged, to_ore
from sifra.core.http import require
from sifra.projects.models import Project
from sifra.repayment import selectors, services
from sifra.repayment.models import Claim, EvidenceKind, Model, VerifiedSaving

router = Router(tags=["repayment"])


class ShareIn(In):
    unit_id: int
    percent: Decimal


class InstalmentIn(In):
    year: int
    amount: Amount


class AgreementIn(In):
    model: Model
    shares: list[ShareIn] = []
    share: Decimal | None = Field(None, description="% of verified savings repaid")
    cap: Amount | None = Field(None, description="kronor; default: the granted amount")
    instalments: list[InstalmentIn] = []
    due_months: int = Field(6, ge=0, le=36)
    decision_ref: str = Field("", max_length=100)
    notes: str = long_text()


class SavingIn(In):
    year: int
    unit_id: int
    amount: Amount
    evidence_kind: EvidenceKind
    evidence: str = long_text(...)


class SavingReversalIn(In):
    reason: str = Field(..., max_length=500, description="why the saving is reversed")
    date: dt.date | None = Field(None, description="of the claims' reversals; default today")


class PaymentIn(In):
    kind: Literal["repayment", "write_off"]
    amount: Amount
    date: dt.date | None = None
    reason: str = Field("", max_length=200, description="Added to the ledger text")


def _project(request: HttpRequest, project_id: int) -> Project:
    project = get_object_or_404(Project, pk=project_id)
    require(permissions.can_view_project(request.user, project))
    return project


class ClaimOut(Schema):
    id: int
    project_id: int
    unit_id: int
    unit: str
    year: int
    amount_ore: int
    due_date: dt.date
    reversed: bool
    outstanding_ore: int
    overdue: bool


def _claim_out(c: Claim) -> dict[str, Any]:
    """`c` as annotated by selectors.claims_annotated: reversed claims too, owing nothing."""
    return {
        "id": c.pk,
        "project_id": c.project_id,
        "unit_id": c.unit_id,
        "unit": c.unit.name,
        "year": c.year,
        "amount_ore": c.amount,
        "due_date": c.due_date,
        "reversed": c.is_reversed,  # type: ignore[attr-defined]
        "outstanding_ore": c.outstanding,  # type: ignore[attr-defined]
        "overdue": c.overdue > 0,  # type: ignore[attr-defined]
    }


def _saving_out(s: VerifiedSaving) -> dict[str, Any]:
    return {
        "id": s.pk,
        "year": s.year,
        "unit_id": s.unit_id,
        "amount_ore": s.amount,
        "evidence_kind": s.evidence_kind,
        "evidence": s.evidence,
        "reversed": s.reversed_at is not None,
        "reversed_at": s.reversed_at,
        "reversed_by": s.reversed_by.username if s.reversed_by else None,
        "reversal_reason": s.reversal_reason,
    }


def _claims_out(claims: QuerySet[Claim]) -> list[dict[str, Any]]:
    rows = selectors.claims_annotated(claims).order_by("due_date", "id")
    return [_claim_out(c) for c in rows]


@router.get(
    "/projects/{project_id}/repayment", summary="A project's agreement, verified savings and claims"
)
def get_repayment(request: HttpRequest, project_id: int) -> dict[str, Any]:
    p = _project(request, project_id)
    a = getattr(p, "agreement", None)
    return {
        "agreement": None
        if a is None
        else {
            "model": a.model,
            "share": str(a.share) if a.share else None,
            "cap_ore": a.cap,
            "due_months": a.due_months,
            "decision_ref": a.decision_ref,
            "shares": [{"unit_id": s.unit_id, "percent": str(s.percent)} for s in a.shares.all()],
        },
        "granted_ore": services.granted(p),
        "savings": [_saving_out(s) for s in p.verified_savings.select_related("reversed_by")],
        "claims": _claims_out(p.claims.all()),
    }


@router.put("/projects/{project_id}/agreement", summary="Set the repayment agreement")
def put_agreement(request: HttpRequest, project_id: int, payload: AgreementIn) -> dict[str, Any]:
    project = _project(request, project_id)
    require(permissions.can_manage_repayment(request.user))  # before the amounts are read
    services.agreement_set(
        project=project,
        model=payload.model,
        acting_user=request.user,
        shares=[(get_object_or_404(Unit, pk=s.unit_id), s.percent) for s in payload.shares],
        share=payload.share,
        cap=to_ore("cap", payload.cap),
        instalments=[(i.year, to_ore("instalments", i.amount) or 0) for i in payload.instalments],
        due_months=payload.due_months,
        decision_ref=payload.decision_ref,
        notes=payload.notes,
    )
    return get_repayment(request, project_id)


@router.post(
    "/projects/{project_id}/savings",
    response={201: dict},
    summary="Record a verified saving; the claims follow",
)
def post_saving(request: HttpRequest, project_id: int, payload: SavingIn) -> Status:
    project = _project(request, project_id)
    require(permissions.can_manage_repayment(request.user))  # before the amount is read
    saving = services.saving_verify(
        project=project,
        year=payload.year,
        unit=get_object_or_404(Unit, pk=payload.unit_id),
        amount=to_ore("amount", payload.amount) or 0,
        evidence_kind=payload.evidence_kind,
        evidence=payload.evidence,
        acting_user=request.user,
    )
    return Status(
        201,
        {"id": saving.pk, "claims": _claims_out(saving.claims.all())},
    )


@router.post(
    "/projects/{project_id}/savings/{saving_id}/reversal",
    response={201: dict},
    summary="Reverse a verified saving found wrong; its unpaid claims are reversed with it",
)
def post_saving_reversal(
    request: HttpRequest, project_id: int, saving_id: int, payload: SavingReversalIn
) -> Status:
    project = _project(request, project_id)
    saving = get_object_or_404(VerifiedSaving, pk=saving_id, project=project)
    saving = services.saving_reverse(
        saving=saving, reason=payload.reason, date=payload.date, acting_user=request.user
    )
    return Status(201, {**_saving_out(saving), "claims": _claims_out(saving.claims.all())})


@router.get(
    "/claims",
    response=paged(ClaimOut),
    summary="Claims, reversed ones too, filtered, by due date, in pages (`limit` from `offset` on)",
)
def list_claims(
    request: HttpRequest,
    page: Query[PageIn],
    unit_id: DbId | None = None,
    project_id: DbId | None = None,
    overdue: bool = False,
) -> dict[str, Any]:
    unit = get_object_or_404(Unit, pk=unit_id) if unit_id else None
    require(permissions.can_view_claims(request.user, unit))
    qs = Claim.objects.all()
    if unit:
        qs = qs.filter(unit=unit)
    if project_id:
        qs = qs.filter(project_id=project_id)
    # the kept balances (equal to the ledger's, sifra.repayment.balances): a page of thousands
    # of claims is one scan, not a subquery per claim
    rows = selectors.claims_kept(qs).order_by("due_date", "id")
    return page_of(rows.filter(overdue__gt=0) if overdue else rows, page, _claim_out)


@router.post(
    "/claims/{claim_id}/payments",
    response={201: dict},
    summary="A repayment or a write-off of a claim",
)
def post_payment(request: HttpRequest, claim_id: int, payload: PaymentIn) -> Status:
    claim = get_object_or_404(Claim.objects.select_related("project", "unit"), pk=claim_id)
    require(permissions.can_view_project(request.user, claim.project))
    require(permissions.can_manage_repayment(request.user))  # before the amount is read
    services.claim_pay(
        claim=claim,
        amount=to_ore("amount", payload.amount) or 0,
        kind=payload.kind,
        date=payload.date,
        reason=payload.reason,
        acting_user=request.user,
    )
    return Status(201, _claims_out(Claim.objects.filter(pk=claim.pk))[0])
