"""Reads of claims: what each claim, unit and fund is owed, paid, written off and overdue, summed
in the database in whole öre; and the proposed split of an agreement by who gains."""

import calendar
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from sifra.accounts.models import Unit
from sifra.applications.selectors import case_result
from sifra.core.money import largest_remainder
from sifra.funds.models import Fund
from sifra.projects.models import Project
from sifra.repayment.models import Agreement, Claim, ClaimPayment, VerifiedSaving
from sifra.repayment.models import Model as RepaymentModel

MONEY: BigIntegerField = BigIntegerField()


def _payments(kinds: list[str]) -> Coalesce:
    """A claim's repayments and/or write-offs; a payment whose ledger entry was reversed is
    undone, as in the ledger's balances."""
    total = (
        ClaimPayment.objects.filter(
            claim=OuterRef("pk"), kind__in=kinds, ledger_entry__reversed_by__isnull=True
        )
        .order_by()
        .values("claim")
        .annotate(s=Sum("amount"))
        .values("s")
    )
    return Coalesce(Subquery(total, output_field=MONEY), Value(0), output_field=MONEY)


def _balances(
    qs: QuerySet[Claim], today: dt.date, is_reversed: Any, paid: Any, written_off: Any
) -> QuerySet[Claim]:
    """`qs` annotated with is_reversed, paid, written_off, outstanding and overdue, from the
    three expressions given (the ledger's or the kept columns)."""
    return (
        qs.select_related("project", "unit")
        .annotate(is_reversed=is_reversed, paid=paid, written_off=written_off)
        .annotate(
            outstanding=ExpressionWrapper(
                Case(When(is_reversed=True, then=Value(0)), default=F("amount"), output_field=MONEY)
                - F("paid")
                - F("written_off"),
                output_field=MONEY,
            )
        )
        .annotate(
            overdue=Case(
                When(Q(due_date__lt=today, outstanding__gt=0), then=F("outstanding")),
                default=Value(0),
                output_field=MONEY,
            )
        )
    )


def claims_annotated(
    claims: QuerySet[Claim] | None = None, *, today: dt.date | None = None
) -> QuerySet[Claim]:
    """Every claim, reversed ones too, annotated with `is_reversed`, `paid`, `written_off`,
    `outstanding` and `overdue` (what is outstanding once the due date has passed, else 0), in
    öre. The one definition of what a claim still owes, as the ledger counts it: its entry unless
    reversed, less its repayments and write-offs whose entries are not reversed. Read from the
    entries themselves: the services check against this."""
    return _balances(
        Claim.objects.all() if claims is None else claims,
        today or timezone.localdate(),
        is_reversed=ExpressionWrapper(
            Q(ledger_entry__reversed_by__isnull=False), output_field=BooleanField()
        ),
        paid=_payments([ClaimPayment.Kind.REPAYMENT]),
        written_off=_payments([ClaimPayment.Kind.WRITE_OFF]),
    )


def claims_kept(
    claims: QuerySet[Claim] | None = None, *, today: dt.date | None = None
) -> QuerySet[Claim]:
    """claims_annotated's figures read from the claims' kept balances (Claim.repaid_sum, ...,
    kept in step with the ledger by sifra.repayment.balances): plain columns, so a list or a
    total over thousands of claims is one scan, not a subquery per claim."""
    return _balances(
        Claim.objects.all() if claims is None else claims,
        today or timezone.localdate(),
        is_reversed=F("entry_reversed"),
        paid=F("repaid_sum"),
        written_off=F("written_off_sum"),
    )


def claims_with_balances(
    claims: QuerySet[Claim] | None = None, *, today: dt.date | None = None
) -> QuerySet[Claim]:
    """The claims list: the claims with their kept balances, without the reversed claims, which
    no longer exist for the fund. A reversed claim that still had payments (which the ledger
    forbids) would stay listed, so that the list always adds up to the ledger's claims
    balance."""
    return claims_kept(claims, today=today).filter(Q(is_reversed=False) | ~Q(outstanding=0))


def claims_overdue(*, today: dt.date | None = None) -> QuerySet[Claim]:
    """Claims with money outstanding past their due date, the oldest due first."""
    return claims_with_balances(today=today).filter(Q(overdue__gt=0)).order_by("due_date", "id")


def claim_due_date(*, due_months: int, year: int) -> dt.date:
    """The last day of the month `due_months` after the end of `year`: when a year's claim
    falls due, and so when its saving should be verified by."""
    y, m = year + 1 + (due_months - 1) // 12, (due_months - 1) % 12 + 1
    return dt.date(y, m, calendar.monthrange(y, m)[1])


# Agreements whose claims follow from verified savings.
SAVINGS_MODELS = (RepaymentModel.SAVINGS_SHARE, RepaymentModel.BUDGET_ADJUSTMENT)


def savings_to_verify(*, today: dt.date | None = None) -> QuerySet[Agreement]:
    """Agreements repaid from savings whose project had begun by the last full year but has no
    verified saving for that year yet (`today`'s year − 1: the queue asks for the year that
    has ended, although a begun year may be verified too)."""
    year = (today or timezone.localdate()).year - 1
    verified = VerifiedSaving.objects.filter(year=year, reversed_at__isnull=True)
    return (
        Agreement.objects.filter(model__in=SAVINGS_MODELS, project__start_date__year__lte=year)
        .exclude(project__in=verified.values("project"))
        .select_related("project")
        .order_by("project__code", "id")
    )


def claim_outstanding(claim: Claim) -> int:
    """What `claim` still owes, by claims_annotated's definition (the services use this)."""
    row = claims_annotated(Claim.objects.filter(pk=claim.pk)).get()
    return int(row.outstanding)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class ClaimTotals:
    """Sums over claims, in öre."""

    due: int = 0
    paid: int = 0
    written_off: int = 0
    outstanding: int = 0
    overdue: int = 0
    count: int = 0
    overdue_count: int = 0


def _zero(expression: Any) -> Coalesce:
    return Coalesce(expression, Value(0), output_field=MONEY)


def claim_totals(claims: QuerySet[Claim]) -> ClaimTotals:
    """`claims` as annotated by claims_with_balances."""
    sums = claims.order_by().aggregate(
        t_due=_zero(Sum("amount")),
        t_paid=_zero(Sum("paid")),
        t_written_off=_zero(Sum("written_off")),
        t_outstanding=_zero(Sum("outstanding")),
        t_overdue=_zero(Sum("overdue")),
        t_count=Count("pk"),
        t_overdue_count=Count("pk", filter=Q(overdue__gt=0)),
    )
    return ClaimTotals(**{k.removeprefix("t_"): int(v) for k, v in sums.items()})


@dataclass(frozen=True)
class ClaimReport:
    totals: ClaimTotals
    rows: QuerySet[Any]


@dataclass(frozen=True)
class ClaimFilter:
    unit: Unit | None = None
    project: Project | None = None
    overdue_only: bool = False


def fund_claims(
    *,
    fund: Fund | None = None,
    filters: ClaimFilter | None = None,
    today: dt.date | None = None,
) -> ClaimReport:
    """The fund's claims (every fund's when `fund` is None), filtered, with their totals."""
    f = filters or ClaimFilter()
    claims = Claim.objects.all()
    if fund is not None:
        claims = claims.filter(project__fund=fund)
    if f.unit is not None:
        claims = claims.filter(unit=f.unit)
    if f.project is not None:
        claims = claims.filter(project=f.project)
    rows = claims_with_balances(claims, today=today)
    if f.overdue_only:
        rows = rows.filter(Q(overdue__gt=0))
    rows = rows.order_by("due_date", "project__code", "unit__name", "id")
    return ClaimReport(totals=claim_totals(rows), rows=rows)


@dataclass(frozen=True)
class UnitDebt:
    unit: Unit
    totals: ClaimTotals
    rows: list[dict[str, Any]]


def unit_debt(*, unit: Unit, today: dt.date | None = None) -> UnitDebt:
    """What `unit` owes the fund, per project and year, and in all."""
    claims = claims_with_balances(Claim.objects.filter(unit=unit), today=today)
    rows = (
        claims.order_by()
        .values("project_id", "project__code", "project__title", "project__fund_id", "year")
        .annotate(
            due=Sum("amount"),
            paid_sum=Sum("paid"),
            written_off_sum=Sum("written_off"),
            outstanding_sum=Sum("outstanding"),
            overdue_sum=Sum("overdue"),
            first_due=Min("due_date"),
        )
        .order_by("project__code", "year")
    )
    return UnitDebt(
        unit=unit,
        totals=claim_totals(claims),
        rows=[
            {
                "project_id": r["project_id"],
                "code": r["project__code"],
                "title": r["project__title"],
                "year": r["year"],
                "due_date": r["first_due"],
                "due": int(r["due"]),
                "paid": int(r["paid_sum"]),
                "written_off": int(r["written_off_sum"]),
                "outstanding": int(r["outstanding_sum"]),
                "overdue": int(r["overdue_sum"]),
            }
            for r in rows
        ],
    )


def payment_series(*, fund: Fund | None = None) -> list[dict[str, Any]]:
    """Repayments and write-offs summed per day of posting, with running totals."""
    # the payments' kept day and reversal mark (sifra.repayment.balances): no join to the ledger
    payments = ClaimPayment.objects.filter(entry_reversed=False)
    if fund is not None:
        payments = payments.filter(claim__project__fund=fund)
    daily = (
        payments.order_by()
        .values("date")
        .annotate(
            repaid=_zero(Sum("amount", filter=Q(kind=ClaimPayment.Kind.REPAYMENT))),
            written_off=_zero(Sum("amount", filter=Q(kind=ClaimPayment.Kind.WRITE_OFF))),
        )
        .order_by("date")
    )
    series, repaid, written_off = [], 0, 0
    for day in daily:
        repaid += int(day["repaid"])
        written_off += int(day["written_off"])
        series.append({"date": day["date"], "repaid": repaid, "written_off": written_off})
    return series


# --- The proposed split -------------------------------------------------------------------------


@dataclass(frozen=True)
class ActorGain:
    actor_id: str
    name: str
    sector: str
    pv_benefits: float
    unit: Unit | None = None


@dataclass(frozen=True)
class ProposedSplit:
    """Who repays in proportion to what each gains in the case's per-actor result. `shares`
    sum to exactly 100 (empty when no unit of the municipality gains); `outside` gains outside
    the municipality (the region, the state …), which cannot repay the fund; `unmatched` are the
    municipality's actors that match no unit by name or short name."""

    shares: list[tuple[Unit, Decimal]] = field(default_factory=list)
    gains: list[ActorGain] = field(default_factory=list)
    outside: list[ActorGain] = field(default_factory=list)
    unmatched: list[ActorGain] = field(default_factory=list)

    @property
    def rows(self) -> list[dict[str, Any]]:
        """Each gaining unit's actors with the part proposed for the unit."""
        parts = {u.pk: p for u, p in self.shares}
        return [
            {"gain": g, "percent": parts.get(g.unit.pk) if g.unit else None} for g in self.gains
        ]


def _project_case(project: Project) -> dict[str, Any] | None:
    application = getattr(project, "application", None)
    return application.case if application is not None else None


def _unit_lookup(project: Project) -> dict[str, Unit]:
    units = Unit.objects.filter(organisation_id=project.fund.organisation_id)
    lookup: dict[str, Unit] = {}
    for unit in units.order_by("-is_active", "name"):
        for key in (unit.name, unit.code):
            if key.strip():
                lookup.setdefault(key.strip().casefold(), unit)
    return lookup


def proposed_split(project: Project) -> ProposedSplit | None:
    """None when the project has no case, or its case cannot be calculated."""
    case = _project_case(project)
    result = case_result(case)
    if not case or result is None:
        return None
    lookup = _unit_lookup(project)
    gains, outside, unmatched = [], [], []
    for actor in case.get("actors", []):
        figures = result["by_actor"].get(actor["id"], {})
        gain = ActorGain(
            actor_id=actor["id"],
            name=actor["name"],
            sector=actor["sector"],
            pv_benefits=float(figures.get("pv_benefits") or 0.0),
        )
        if actor["sector"] != "kommun":
            outside.append(gain)
            continue
        unit = lookup.get(actor["name"].strip().casefold()) or lookup.get(
            actor["id"].strip().casefold()
        )
        if unit is None:
            unmatched.append(gain)
        else:
            gains.append(ActorGain(**{**vars(gain), "unit": unit}))
    return ProposedSplit(
        shares=_percentages(gains), gains=gains, outside=outside, unmatched=unmatched
    )


def _percentages(gains: list[ActorGain]) -> list[tuple[Unit, Decimal]]:
    """Parts in hundredths of a percent by the largest remainder, so they sum to exactly 100."""
    weights: dict[int, Decimal] = {}
    units: dict[int, Unit] = {}
    for g in gains:
        assert g.unit is not None
        units[g.unit.pk] = g.unit
        weights[g.unit.pk] = weights.get(g.unit.pk, Decimal(0)) + Decimal(max(g.pv_benefits, 0.0))
    if not any(w > 0 for w in weights.values()):
        return []
    # hundredths of a percent, by the one rounding rule (sifra.core.money)
    hundredths = largest_remainder(10_000, list(weights.values()))
    parts = [
        (units[pk], Decimal(h) / 100) for pk, h in zip(weights, hundredths, strict=True) if h > 0
    ]
    return sorted(parts, key=lambda p: -p[1])
