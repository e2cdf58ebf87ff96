"""`sifra demo_data --projects N`: a synthetic fund the size of a large municipality's twenty
years, beside the demo's own fund, for the benchmarks and the pages at scale.

Twenty years of projects (N spread evenly), each with an approved application and its case,
a decision, a budget, ten indicators, quarterly progress reports and a final report with
indicator values and costs, a repayment agreement, verified savings, claims and repayments,
and its ledger entries: a commitment, a disbursement every second month, releases, claims and
repayments. At N = 2 000 that is about 230 000 indicator values and 55 000 ledger entries.

Everything is written with bulk_create, not through the services (which check and lock per
posting: hours at this size). What the services would guarantee is kept by construction and
checked here: the entries are generated in date order and walked with the running balances, a
commitment that would make the available money negative gets a capital top-up the same day
first, a disbursement never exceeds the project's commitment, a claim never exceeds the
agreement's cap and a repayment never its claim. The ledger's day totals are rebuilt from the
entries afterwards (sifra.funds.days.days_rebuild) and the fiscal years before this one are
closed with the balances the entries give at 31 December. `ledger_problems` rereads the
database and reports any balance below zero at any date."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from sifra.accounts.models import Organisation, Role, Unit, User
from sifra.accounts.services import unit_create
from sifra.applications.models import Application, Decision, Status
from sifra.audit.models import AuditEvent
from sifra.core.money import largest_remainder
from sifra.evaluation.models import Evaluation, Method
from sifra.followup.models import (
    HANDED_IN,
    CostActual,
    IndicatorValue,
    ProgressReport,
    ProjectBudgetLine,
    ProjectIndicator,
    ReportDue,
    ReportKind,
    ReportStatus,
)
from sifra.funds.days import days_rebuild
from sifra.funds.models import (
    EntryKind,
    FiscalYearClosing,
    Fund,
    LedgerDay,
    LedgerEntry,
    ProjectKindTotal,
)
from sifra.funds.services import EFFECTS, fund_create
from sifra.portfolio.models import CaseSavingYear
from sifra.portfolio.summaries import case_summaries_refresh, saving_year_problems
from sifra.projects.models import Project
from sifra.repayment.balances import (
    claim_balance_problems,
    claim_balances_rebuild,
    payment_problems,
)
from sifra.repayment.models import (
    Agreement,
    AgreementShare,
    Claim,
    ClaimPayment,
    EvidenceKind,
    Instalment,
    Model,
    VerifiedSaving,
)

MSEK = 100_000_000
YEARS = 20
FUND_NAME = "Storstadens sociala investeringsfond"
BATCH = 2_000
GRANTS_MSEK = tuple(Decimal(x) for x in ("1", "1.5", "2", "2.5", "3", "4", "5", "6"))
EXTRA_COMMITTEES = [
    ("Kultur- och fritidsnämnden", "KFN"),
    ("Gymnasienämnden", "GYN"),
    ("Funktionshindernämnden", "FHN"),
    ("Bostadsnämnden", "BON"),
    ("Miljö- och hälsoskyddsnämnden", "MHN"),
    ("Stadsdelsnämnden Norr", "SDN"),
    ("Stadsdelsnämnden Söder", "SDS"),
]
THEMES = [
    ("Tidigt stöd till familjer", "Placering i familjehem undviks", 350_000),
    ("Fallprevention för äldre", "Höftfraktur undviks", 120_000),
    ("Vägen till arbete", "Försörjningsstöd upphör", 140_000),
    ("Skolnärvaro", "Särskilt stöd i skolan undviks", 90_000),
    ("Tidiga insatser mot missbruk", "Institutionsvård undviks", 420_000),
    ("Fritid för alla", "Orosanmälningar undviks", 60_000),
]
INDICATORS = [
    ("Deltagare som fullföljt", "antal"),
    ("Andel i arbete eller studier", "%"),
    ("Orosanmälningar", "antal"),
    ("Placeringar", "antal"),
    ("Skolnärvaro", "%"),
    ("Försörjningsstöd", "hushåll"),
    ("Fallolyckor", "antal"),
    ("Upplevd trygghet", "index"),
    ("Återfall", "%"),
    ("Nöjdhet", "index"),
]


@dataclass
class Entry:
    """A ledger entry before it has a number: its sort key is its date, then its order."""

    date: dt.date
    order: int
    kind: str
    amount: int
    text: str
    project: int | None = None  # index into the plan's projects
    ref: str = ""
    claim: Any = None  # the PlannedClaim a claim entry creates
    payment: Any = None  # the PlannedClaim a repayment pays


@dataclass
class PlannedClaim:
    project: int
    unit: Unit
    year: int
    amount: int
    due: dt.date
    saving: int | None = None  # index into the plan's savings
    instalment: int | None = None  # index into the plan's instalments
    paid: int = 0
    entry: LedgerEntry | None = None


@dataclass
class Plan:
    projects: list[Project] = field(default_factory=list)
    meta: list[dict[str, Any]] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    claims: list[PlannedClaim] = field(default_factory=list)
    savings: list[dict[str, Any]] = field(default_factory=list)
    instalments: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class ScaleReport:
    fund: Fund
    projects: int
    entries: int
    indicator_values: int
    seconds: float


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, 28))


def _split(total: int, parts: int) -> list[int]:
    return largest_remainder(total, [1] * parts)


def _people() -> dict[str, User]:
    by_role: dict[str, User] = {}
    for user in User.objects.order_by("pk"):
        by_role.setdefault(user.role, user)
    return by_role


def _committees(org: Organisation, coordinator: User) -> list[Unit]:
    have = {u.name for u in Unit.objects.filter(organisation=org)}
    for name, code in EXTRA_COMMITTEES:
        if name not in have:
            unit_create(
                organisation=org,
                acting_user=coordinator,
                name=name,
                code=code,
                kind=Unit.Kind.COMMITTEE,
            )
    return list(Unit.objects.filter(organisation=org, kind=Unit.Kind.COMMITTEE).order_by("pk"))


def _case(meta: dict[str, Any], lead: Unit, saver: Unit) -> dict[str, Any]:
    """A case on one of THEMES' templates: the numbers depend on the theme and the grant only,
    so the portfolio's summaries run each template once (summaries.numbers_key)."""
    title, outcome, unit_cost = THEMES[meta["theme"]]
    grant_kr = meta["decided_amount"] // 100
    per_year = _split(grant_kr, 3)
    entering = max(grant_kr // 150_000, 4)
    actors = [{"id": "betalare", "name": lead.name, "sector": "kommun"}]
    costs = {"betalare": unit_cost // 2}
    if saver.pk != lead.pk:
        actors.append({"id": "sparare", "name": saver.name, "sector": "kommun"})
        costs = {"betalare": unit_cost // 4, "sparare": unit_cost // 2}
    actors.append({"id": "region", "name": "Region Exempellän", "sector": "region"})
    costs["region"] = unit_cost // 4
    return {
        "case": {
            "title": title,
            "start_year": meta["start"].year,
            "horizon": 10,
            "discount_rate": 0.035,
            "price_year": meta["start"].year,
        },
        "actors": actors,
        "costs": [{"name": "Projektkostnad", "actor": "betalare", "amounts": per_year}],
        "participants": {"entering": [entering] * 3},
        "outcomes": [
            {
                "name": outcome,
                "effect": {"dist": "pert", "low": 0.05, "mode": 0.15, "high": 0.3},
                "duration": 5,
                "deadweight": 0.2,
                "unit_costs": costs,
            }
        ],
    }


# --- The plan: projects and their dates --------------------------------------------------------


def _plan_projects(
    n: int, fund: Fund, committees: list[Unit], rng: random.Random, today: dt.date
) -> Plan:
    plan = Plan()
    first = fund.established_on or today
    span = (today - dt.timedelta(days=90) - first).days
    for i in range(n):
        start = first + dt.timedelta(days=62 + span * i // n)  # decided a month before
        start = start.replace(day=1)
        end = _add_months(start, 36) - dt.timedelta(days=1)
        lead, saver = rng.choice(committees), rng.choice(committees)
        theme = rng.randrange(len(THEMES))
        granted = int(rng.choice(GRANTS_MSEK) * MSEK)
        model = rng.choices(
            [Model.SAVINGS_SHARE, Model.FIXED, Model.BUDGET_ADJUSTMENT, Model.NONE],
            weights=[70, 10, 10, 10],
        )[0]
        meta: dict[str, Any] = {
            "i": i,
            "start": start,
            "end": end,
            "decided": start - dt.timedelta(days=30),
            "lead": lead,
            "saver": saver,
            "theme": theme,
            "granted": granted,
            "decided_amount": granted,
            "model": model,
            "realisation": rng.uniform(0.3, 1.2),
            "release": end < today - dt.timedelta(days=200) and rng.random() < 0.1,
        }
        meta["code"] = f"SIF-{start.year}-{i + 1:04d}"
        meta["title"] = f"{THEMES[theme][0]} {i + 1}"
        plan.meta.append(meta)
        plan.projects.append(
            Project(
                fund=fund,
                code=meta["code"],
                title=meta["title"],
                description=f"{THEMES[theme][0]}: förebyggande arbete över nämndgränser.",
                lead_unit=lead,
                decision_ref=f"KSAU § {10 + i % 180}/{meta['decided'].year}",
                start_date=start,
                end_date=end,
                status=Project.Status.ACTIVE,
            )
        )
    return plan


# --- The plan: money ---------------------------------------------------------------------------


def _plan_money(plan: Plan, today: dt.date, rng: random.Random) -> None:
    for i, meta in enumerate(plan.meta):
        g, ref = meta["granted"], plan.projects[i].decision_ref
        plan.entries.append(
            Entry(meta["decided"], 1, EntryKind.COMMITMENT, g, "Beviljat belopp", i, ref)
        )
        paid_parts = _split(g, 18)
        if meta["release"]:
            unused = sum(paid_parts[-2:])
            paid_parts = paid_parts[:-2]
            release_on = meta["end"] + dt.timedelta(days=60)
            plan.entries.append(
                Entry(release_on, 2, EntryKind.RELEASE, unused, "Outnyttjat belopp", i, ref)
            )
            meta["granted"] = g - unused
        for k, amount in enumerate(paid_parts):
            day = _add_months(meta["start"], 2 * k)
            if day <= today:
                text = f"Utbetalning {k + 1}"
                plan.entries.append(Entry(day, 3, EntryKind.DISBURSEMENT, amount, text, i))
        if meta["model"] == Model.FIXED:
            _plan_fixed(plan, i, meta, today)
        elif meta["model"] in (Model.SAVINGS_SHARE, Model.BUDGET_ADJUSTMENT):
            _plan_savings(plan, i, meta, today)
    for claim in plan.claims:
        _plan_payment(plan, claim, today, rng)


def _shares(meta: dict[str, Any]) -> list[tuple[Unit, Decimal]]:
    lead, saver = meta["lead"], meta["saver"]
    if meta["model"] == Model.BUDGET_ADJUSTMENT or lead.pk == saver.pk:
        return [(saver, Decimal(100))]
    return [(saver, Decimal(60)), (lead, Decimal(40))]


def _plan_fixed(plan: Plan, i: int, meta: dict[str, Any], today: dt.date) -> None:
    for year, amount in zip(
        range(meta["end"].year + 1, meta["end"].year + 4),
        _split(meta["granted"] // 2, 3),
        strict=True,
    ):
        plan.instalments.append({"project": i, "year": year, "amount": amount})
        day = dt.date(year, 1, 15)
        if day > today:
            continue
        claim = PlannedClaim(
            i,
            meta["lead"],
            year,
            amount,
            dt.date(year + 1, 6, 30),
            instalment=len(plan.instalments) - 1,
        )
        plan.claims.append(claim)
        plan.entries.append(Entry(day, 4, EntryKind.CLAIM, amount, f"Krav {year}", i, claim=claim))


def _plan_savings(plan: Plan, i: int, meta: dict[str, Any], today: dt.date) -> None:
    """Savings verified for the years after the start, by the saving unit, at the case's
    forecast times the project's realisation; claims for a share of them up to the cap."""
    case = _case(meta, meta["lead"], meta["saver"])
    from sifra.engine import load_case
    from sifra.portfolio.summaries import municipal_savings

    forecast = municipal_savings(load_case(case))
    share = Decimal(100) if meta["model"] == Model.BUDGET_ADJUSTMENT else Decimal(50)
    meta["case"], meta["share"] = case, share
    claimed, cap = 0, meta["granted"]
    for t in range(1, 7):
        year = meta["start"].year + t
        verified_on = dt.date(year + 1, 3, 31)
        amount = round(forecast[t] * meta["realisation"] * 100)
        if verified_on > today or amount <= 0:
            continue
        plan.savings.append(
            {"project": i, "year": year, "unit": meta["saver"], "amount": amount, "on": verified_on}
        )
        total = min(int(amount * share / 100), cap - claimed)
        if total <= 0:
            continue
        claimed += total
        parts = _shares(meta)
        for (unit, _p), part in zip(
            parts, largest_remainder(total, [p for _u, p in parts]), strict=True
        ):
            if part <= 0:
                continue
            claim = PlannedClaim(
                i, unit, year, part, dt.date(year + 1, 6, 30), saving=len(plan.savings) - 1
            )
            plan.claims.append(claim)
            text = f"Krav {year}: {unit.code or unit.name}"
            plan.entries.append(Entry(verified_on, 4, EntryKind.CLAIM, part, text, i, claim=claim))


def _plan_payment(plan: Plan, claim: PlannedClaim, today: dt.date, rng: random.Random) -> None:
    if claim.due > today:
        return
    luck = rng.random()
    amount = claim.amount if luck < 0.88 else claim.amount // 2 if luck < 0.95 else 0
    if amount <= 0:
        return
    claim.paid = amount
    plan.entries.append(
        Entry(
            claim.due,
            5,
            EntryKind.REPAYMENT,
            amount,
            f"Återbetalning {claim.year}",
            claim.project,
            payment=claim,
        )
    )


def _plan_deposits(plan: Plan, fund: Fund, n: int, today: dt.date) -> None:
    first = fund.established_on or today
    yearly = max(n * 3 * MSEK // 20, 5 * MSEK)
    plan.entries.append(Entry(first, 0, EntryKind.DEPOSIT, yearly, "Kapitaltillskott vid start"))
    for year in range(first.year + 1, today.year + 1):
        plan.entries.append(
            Entry(dt.date(year, 1, 20), 0, EntryKind.DEPOSIT, yearly, f"Årligt tillskott {year}")
        )


def _walk(plan: Plan) -> list[Entry]:
    """The entries in date order, with a top-up before any commitment the available money
    would not cover; checks the balances the services check, at every entry."""
    out: list[Entry] = []
    capital = committed = claims = 0
    project_committed: dict[int, int] = defaultdict(int)
    for e in sorted(plan.entries, key=lambda e: (e.date, e.order)):
        if e.kind == EntryKind.COMMITMENT and capital - committed < e.amount:
            top = e.amount - (capital - committed) + 10 * MSEK
            out.append(Entry(e.date, 0, EntryKind.DEPOSIT, top, "Extra kapitaltillskott"))
            capital += top
        c, m, k = (x * e.amount for x in EFFECTS[e.kind])
        capital, committed, claims = capital + c, committed + m, claims + k
        if e.project is not None:
            project_committed[e.project] += m
            assert project_committed[e.project] >= 0, e
        assert capital >= 0 and committed >= 0 and claims >= 0 and capital >= committed, e
        out.append(e)
    return out


# --- Writing -----------------------------------------------------------------------------------


def _save_projects(plan: Plan, people: dict[str, User]) -> None:
    Project.objects.bulk_create(plan.projects, batch_size=BATCH)
    through = Project.units.through
    links = []
    for p, meta in zip(plan.projects, plan.meta, strict=True):
        links.append(through(project_id=p.pk, unit_id=meta["lead"].pk))
        if meta["saver"].pk != meta["lead"].pk:
            links.append(through(project_id=p.pk, unit_id=meta["saver"].pk))
    through.objects.bulk_create(links, batch_size=BATCH)
    applicant = people.get(Role.APPLICANT) or people[Role.COORDINATOR]
    applications = [
        Application(
            fund=p.fund,
            reference=f"STOR{p.fund_id}-{meta['decided'].year}-{meta['i'] + 1:04d}",
            title=p.title,
            status=Status.APPROVED,
            lead_unit=meta["lead"],
            start_date=meta["start"],
            end_date=meta["end"],
            summary=p.description,
            followup_plan="Halvårsvis uppföljning av indikatorerna och kostnaderna.",
            evaluation_plan="Jämförelse med en matchad kontrollgrupp.",
            repayment_model=meta["model"],
            case=meta.get("case") or _case(meta, meta["lead"], meta["saver"]),
            created_by=applicant,
            submitted_at=timezone.make_aware(
                dt.datetime.combine(meta["decided"] - dt.timedelta(days=60), dt.time(9))
            ),
            project=p,
        )
        for p, meta in zip(plan.projects, plan.meta, strict=True)
    ]
    Application.objects.bulk_create(applications, batch_size=BATCH)
    decider = people.get(Role.DECISION_MAKER) or people[Role.COORDINATOR]
    Decision.objects.bulk_create(
        [
            Decision(
                application=a,
                outcome=Decision.Outcome.APPROVED,
                amount=meta["decided_amount"],
                minute_ref=p.decision_ref,
                decided_on=meta["decided"],
                decided_by=decider,
            )
            for a, p, meta in zip(applications, plan.projects, plan.meta, strict=True)
        ],
        batch_size=BATCH,
    )


def _save_followup(plan: Plan, people: dict[str, User], today: dt.date, rng: random.Random) -> int:
    """Budget lines, indicators, dues, reports with values and costs; returns the values."""
    lines, indicators, dues = [], [], []
    for p, meta in zip(plan.projects, plan.meta, strict=True):
        for t, third in enumerate(_split(meta["granted"], 3)):
            staff = third * 4 // 5
            material = third - staff
            for text, amount in (("Personal", staff), ("Utbildning och material", material)):
                lines.append(
                    ProjectBudgetLine(
                        project=p,
                        year=meta["start"].year + t,
                        description=text,
                        from_fund=amount,
                        own_contribution=amount // 5,
                    )
                )
        for name, unit in INDICATORS:
            baseline = Decimal(rng.randint(20, 80))
            indicators.append(
                ProjectIndicator(
                    project=p,
                    name=name,
                    unit=unit,
                    baseline=baseline,
                    baseline_year=meta["start"].year - 1,
                    target=baseline * Decimal("0.7"),
                    method="Verksamhetssystemet",
                    frequency="kvartalsvis",
                )
            )
        for k in range(12):
            period_start = _add_months(meta["start"], 3 * k)
            period_end = _add_months(meta["start"], 3 * k + 3) - dt.timedelta(days=1)
            dues.append(
                ReportDue(
                    project=p,
                    kind=ReportKind.PROGRESS,
                    period_start=period_start,
                    period_end=period_end,
                    due_date=period_end + dt.timedelta(days=30),
                )
            )
        dues.append(
            ReportDue(
                project=p,
                kind=ReportKind.FINAL,
                period_start=meta["start"],
                period_end=meta["end"],
                due_date=_add_months(meta["end"], 6),
            )
        )
    ProjectBudgetLine.objects.bulk_create(lines, batch_size=BATCH)
    ProjectIndicator.objects.bulk_create(indicators, batch_size=BATCH)
    ReportDue.objects.bulk_create(dues, batch_size=BATCH)
    return _save_reports(plan, dues, lines, indicators, people, today, rng)


def _report_status(due: ReportDue, today: dt.date, rng: random.Random) -> str | None:
    """Reports long past their due date are approved; the last year's are now and then still
    submitted, or missing (overdue); dues to come have no report yet."""
    if due.period_end >= today:
        return None
    if due.due_date < today - dt.timedelta(days=365):
        return ReportStatus.APPROVED
    luck = rng.random()
    if luck < 0.05:
        return None
    return ReportStatus.SUBMITTED if luck < 0.1 else ReportStatus.APPROVED


def _save_reports(
    plan: Plan,
    dues: list[ReportDue],
    lines: list[ProjectBudgetLine],
    indicators: list[ProjectIndicator],
    people: dict[str, User],
    today: dt.date,
    rng: random.Random,
) -> int:
    by_project_lines: dict[int, list[ProjectBudgetLine]] = defaultdict(list)
    for line in lines:
        by_project_lines[line.project_id].append(line)
    by_project_ind: dict[int, list[ProjectIndicator]] = defaultdict(list)
    for ind in indicators:
        by_project_ind[ind.project_id].append(ind)
    author = people.get(Role.APPLICANT) or people[Role.COORDINATOR]
    reports = []
    for due in dues:
        status = _report_status(due, today, rng)
        if status is None:
            continue
        submitted = timezone.make_aware(
            dt.datetime.combine(min(due.due_date - dt.timedelta(days=5), today), dt.time(10))
        )
        final = due.kind == ReportKind.FINAL
        reports.append(
            ProgressReport(
                project_id=due.project_id,
                due=due,
                kind=due.kind,
                period_start=due.period_start,
                period_end=due.period_end,
                status=status,
                participants=rng.randint(20, 60) if final else rng.randint(2, 8),
                narrative="Arbetet följer planen.",
                created_by=author,
                submitted_at=submitted,
                approved_at=submitted + dt.timedelta(days=7)
                if status == ReportStatus.APPROVED
                else None,
            )
        )
    ProgressReport.objects.bulk_create(reports, batch_size=BATCH)
    handed_in = [r.due_id for r in reports if r.status in HANDED_IN]
    for i in range(0, len(handed_in), BATCH):  # the dues' kept marks, as the services keep them
        ReportDue.objects.filter(pk__in=handed_in[i : i + BATCH]).update(handed_in=True)
    values, costs = [], []
    for r in reports:
        inds = by_project_ind[r.project_id]
        for ind in inds:
            step = Decimal(rng.randint(0, 10)) / Decimal(10)
            values.append(
                IndicatorValue(
                    report=r, indicator=ind, value=ind.baseline - (ind.baseline - ind.target) * step
                )
            )
        for line in by_project_lines[r.project_id]:
            if r.kind == ReportKind.FINAL:
                costs.append(CostActual(report=r, budget_line=line, amount=line.from_fund))
            elif line.year == r.period_end.year:
                costs.append(CostActual(report=r, budget_line=line, amount=line.from_fund // 4))
    IndicatorValue.objects.bulk_create(values, batch_size=5_000)
    CostActual.objects.bulk_create(costs, batch_size=5_000)
    _statuses(plan, reports, today)
    return len(values)


def _statuses(plan: Plan, reports: list[ProgressReport], today: dt.date) -> None:
    final_done = {
        r.project_id
        for r in reports
        if r.kind == ReportKind.FINAL and r.status == ReportStatus.APPROVED
    }
    for p, meta in zip(plan.projects, plan.meta, strict=True):
        if p.pk in final_done:
            p.status = Project.Status.CLOSED
            p.outcome = "implement" if meta["realisation"] > 0.7 else "stop"
            p.closing_note = "Slutrapporten är godkänd."
            p.closed_at = timezone.make_aware(
                dt.datetime.combine(_add_months(meta["end"], 7), dt.time(12))
            )
        elif meta["end"] < today:
            p.status = Project.Status.REPORTING
    evaluated = [p for p in plan.projects if p.status == Project.Status.CLOSED][::50]
    for p in evaluated:
        p.status = Project.Status.EVALUATED
    Project.objects.bulk_update(
        plan.projects, ["status", "outcome", "closing_note", "closed_at"], batch_size=BATCH
    )
    coordinator = User.objects.filter(role=Role.COORDINATOR).order_by("pk").first()
    Evaluation.objects.bulk_create(
        [
            Evaluation(
                project=p,
                method=Method.QUASI,
                outcome_index=0,
                effect=Decimal("0.12"),
                ci_low=Decimal("0.04"),
                ci_high=Decimal("0.2"),
                evaluator="FoU Storstaden",
                summary="Matchad kontrollgrupp.",
                created_by=coordinator,
            )
            for p in evaluated
        ]
    )


def _save_agreements(plan: Plan, people: dict[str, User]) -> None:
    economist = people.get(Role.ECONOMIST) or people[Role.COORDINATOR]
    agreements = [
        Agreement(
            project=p,
            model=meta["model"],
            share=meta.get("share") if meta["model"] != Model.FIXED else None,
            cap=meta["granted"] if meta["model"] != Model.NONE else 0,
            decision_ref=p.decision_ref,
            created_by=economist,
        )
        for p, meta in zip(plan.projects, plan.meta, strict=True)
    ]
    Agreement.objects.bulk_create(agreements, batch_size=BATCH)
    AgreementShare.objects.bulk_create(
        [
            AgreementShare(agreement=a, unit=unit, percent=percent)
            for a, meta in zip(agreements, plan.meta, strict=True)
            if meta["model"] in (Model.SAVINGS_SHARE, Model.BUDGET_ADJUSTMENT)
            for unit, percent in _shares(meta)
        ],
        batch_size=BATCH,
    )
    instalments = [
        Instalment(agreement=agreements[x["project"]], year=x["year"], amount=x["amount"])
        for x in plan.instalments
    ]
    Instalment.objects.bulk_create(instalments, batch_size=BATCH)
    savings = [
        VerifiedSaving(
            project=plan.projects[s["project"]],
            year=s["year"],
            unit=s["unit"],
            amount=s["amount"],
            evidence_kind=EvidenceKind.FINANCE,
            evidence=f"Ekonomisystemet, bokslut {s['year']}",
            verified_by=economist,
        )
        for s in plan.savings
    ]
    VerifiedSaving.objects.bulk_create(savings, batch_size=BATCH)
    for s, saving in zip(plan.savings, savings, strict=True):
        s["row"] = saving
    for x, instalment in zip(plan.instalments, instalments, strict=True):
        x["row"] = instalment


def _save_ledger(plan: Plan, fund: Fund, entries: list[Entry], people: dict[str, User]) -> int:
    coordinator = people[Role.COORDINATOR]
    rows = []
    for number, e in enumerate(entries, start=1):
        c, m, k = (x * e.amount for x in EFFECTS[e.kind])
        rows.append(
            LedgerEntry(
                fund=fund,
                number=number,
                kind=e.kind,
                amount=e.amount,
                date=e.date,
                fiscal_year=e.date.year,
                text=e.text,
                project=plan.projects[e.project] if e.project is not None else None,
                decision_ref=e.ref,
                d_capital=c,
                d_committed=m,
                d_claims=k,
                posted_by=coordinator,
            )
        )
    LedgerEntry.objects.bulk_create(rows, batch_size=BATCH)
    claims, payments = [], []
    repaid: dict[int, int] = defaultdict(int)  # the claims' kept balances (no reversals here)
    for e, row in zip(entries, rows, strict=True):
        if e.claim is not None:
            e.claim.entry = row
        if e.payment is not None:
            repaid[id(e.payment)] += e.amount
    for pc in plan.claims:
        claims.append(
            Claim(
                repaid_sum=repaid[id(pc)],
                project=plan.projects[pc.project],
                unit=pc.unit,
                year=pc.year,
                amount=pc.amount,
                due_date=pc.due,
                ledger_entry=pc.entry,
                saving=plan.savings[pc.saving]["row"] if pc.saving is not None else None,
                instalment=plan.instalments[pc.instalment]["row"]
                if pc.instalment is not None
                else None,
            )
        )
    Claim.objects.bulk_create(claims, batch_size=BATCH)
    claim_of = {id(pc): c for pc, c in zip(plan.claims, claims, strict=True)}
    for e, row in zip(entries, rows, strict=True):
        if e.payment is not None:
            payments.append(
                ClaimPayment(
                    claim=claim_of[id(e.payment)],
                    kind=ClaimPayment.Kind.REPAYMENT,
                    amount=e.amount,
                    ledger_entry=row,
                    date=row.date,
                )
            )
    ClaimPayment.objects.bulk_create(payments, batch_size=BATCH)
    _audit(plan, rows, coordinator)
    return len(rows)


def _audit(plan: Plan, rows: list[LedgerEntry], coordinator: User) -> None:
    events = [
        AuditEvent(
            actor=coordinator,
            kind=AuditEvent.Kind.PROJECT_CREATED,
            object_type="projects.project",
            object_id=str(p.pk),
            object_repr=str(p)[:300],
            data={"bulk": True},
        )
        for p in plan.projects
    ]
    events += [
        AuditEvent(
            actor=coordinator,
            kind=AuditEvent.Kind.LEDGER_POSTED,
            object_type="funds.ledgerentry",
            object_id=str(e.pk),
            object_repr=str(e)[:300],
            data={"kind": e.kind, "amount": e.amount, "date": e.date.isoformat(), "bulk": True},
        )
        for e in rows
    ]
    AuditEvent.objects.bulk_create(events, batch_size=BATCH)


def _close_years(fund: Fund, entries: list[Entry], coordinator: User, today: dt.date) -> None:
    """Close every fiscal year before this one with the balances at its 31 December."""
    closings, capital, committed, claims = [], 0, 0, 0
    ordered = iter(entries)
    pending = next(ordered, None)
    first = entries[0].date.year if entries else today.year
    for year in range(first, today.year):
        while pending is not None and pending.date.year <= year:
            c, m, k = (x * pending.amount for x in EFFECTS[pending.kind])
            capital, committed, claims = capital + c, committed + m, claims + k
            pending = next(ordered, None)
        closings.append(
            FiscalYearClosing(
                fund=fund,
                year=year,
                decided_on=min(dt.date(year + 1, 4, 15), today),
                decision_ref=f"KF § {40 + year % 10}/{year + 1}",
                capital=capital,
                committed=committed,
                claims=claims,
                closed_by=coordinator,
            )
        )
    FiscalYearClosing.objects.bulk_create(closings)


def build_scale(n: int, *, seed: int = 2026, today: dt.date | None = None) -> ScaleReport:
    """The large fund with `n` projects, in the demo's organisation (which must exist)."""
    import time

    started = time.perf_counter()
    today = today or timezone.localdate()
    rng = random.Random(seed)
    org = Organisation.current()
    people = _people()
    coordinator = people[Role.COORDINATOR]
    committees = _committees(org, coordinator)
    fund = fund_create(
        organisation=org,
        acting_user=coordinator,
        name=FUND_NAME,
        description="En storstads sociala investeringsfond under tjugo år (syntetiska data).",
        rules="Fonden finansierar förebyggande insatser över nämndgränser.",
        rules_decision_ref=f"KF § 1/{today.year - YEARS}",
        established_on=dt.date(today.year - YEARS, 1, 1),
        annual_topup=max(n * 3 * MSEK // 20, 5 * MSEK),
        target_capital=0,
    )
    with transaction.atomic():
        plan = _plan_projects(n, fund, committees, rng, today)
        _plan_money(plan, today, rng)
        _plan_deposits(plan, fund, n, today)
        entries = _walk(plan)
        _save_projects(plan, people)
        values = _save_followup(plan, people, today, rng)
        _save_agreements(plan, people)
        count = _save_ledger(plan, fund, entries, people)
        days_rebuild(fund=fund)
        claim_balances_rebuild(claims=Claim.objects.filter(project__fund=fund))
        _close_years(fund, entries, coordinator, today)
    case_summaries_refresh(fund=fund)
    return ScaleReport(fund, n, count, values, time.perf_counter() - started)


# --- The check ---------------------------------------------------------------------------------


def ledger_problems(fund: Fund) -> list[str]:
    """Every way the fund's ledger breaks DOMAIN.md's rules, read back from the database: a
    balance below zero at the end of any day (the fund's, or a project's committed or claims),
    day totals that differ from the entries, a closing that differs from the entries' balance
    at 31 December, or a claims balance unequal to the claims list's outstanding sum."""
    problems = []
    if (
        fund.established_on
        and LedgerEntry.objects.filter(fund=fund, date__lt=fund.established_on).exists()
    ):
        problems.append("an entry predates the fund")
    per_day = (
        LedgerEntry.objects.filter(fund=fund)
        .values("date")
        .order_by("date")
        .annotate(c=Sum("d_capital"), m=Sum("d_committed"), k=Sum("d_claims"))
    )
    capital = committed = claims = 0
    at_year_end: dict[int, tuple[int, int, int]] = {}
    for row in per_day:
        capital, committed, claims = capital + row["c"], committed + row["m"], claims + row["k"]
        if capital < committed or committed < 0 or claims < 0:
            problems.append(f"fund balances negative on {row['date']}")
        at_year_end[row["date"].year] = (capital, committed, claims)
    per_project = (
        LedgerEntry.objects.filter(fund=fund, project__isnull=False)
        .values("project", "date")
        .order_by("project", "date")
        .annotate(m=Sum("d_committed"), k=Sum("d_claims"))
    )
    running: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for row in per_project:
        r = running[row["project"]]
        r[0] += row["m"]
        r[1] += row["k"]
        if r[0] < 0 or r[1] < 0:
            problems.append(f"project {row['project']} negative on {row['date']}")
    problems += _day_problems(fund, per_day)
    for closing in FiscalYearClosing.objects.filter(fund=fund):
        known = [y for y in at_year_end if y <= closing.year]
        expected = at_year_end[max(known)] if known else (0, 0, 0)
        if (closing.capital, closing.committed, closing.claims) != expected:
            problems.append(f"closing {closing.year} differs from the entries")
    from sifra.repayment.selectors import claim_totals, fund_claims

    listed = claim_totals(fund_claims(fund=fund).rows).outstanding
    if listed != claims:
        problems.append(f"claims list {listed} != ledger claims {claims}")
    wrong = claim_balance_problems(claims=Claim.objects.filter(project__fund=fund))
    if wrong:
        problems.append(f"{len(wrong)} claims' kept balances differ from the ledger")
    if payment_problems(payments=ClaimPayment.objects.filter(claim__project__fund=fund)):
        problems.append("payments' kept days or reversal marks differ from the ledger")
    kept = {
        (t.project_id, t.kind): t.amount
        for t in ProjectKindTotal.objects.filter(fund=fund).exclude(amount=0)
    }
    if kept != _standing_by_project_kind(fund):
        problems.append("the projects' totals by kind differ from the entries")
    if saving_year_problems(rows=CaseSavingYear.objects.filter(project__fund=fund)):
        problems.append("the forecast years' verified marks differ from the verified savings")
    return problems


def _standing_by_project_kind(fund: Fund) -> dict[tuple[int, str], int]:
    """What stands of each project's entries by kind, from the entries: every entry that is not
    a reversal and was not reversed."""
    standing = LedgerEntry.objects.filter(
        fund=fund, project__isnull=False, reversed_by__isnull=True
    ).exclude(kind=EntryKind.REVERSAL)
    sums = standing.order_by().values_list("project", "kind").annotate(s=Sum("amount"))
    return {(p, k): s for p, k, s in sums if s}


def _day_problems(fund: Fund, per_day: Any) -> list[str]:
    stored = {
        d.date: (d.d_capital, d.d_committed, d.d_claims)
        for d in LedgerDay.objects.filter(fund=fund, project__isnull=True)
    }
    expected = {r["date"]: (r["c"], r["m"], r["k"]) for r in per_day}
    return [] if stored == expected else ["the fund's day totals differ from the entries"]
