"""The reconciliation invariant, proven by a stateful test (issue 8): deposits, commitments,
releases, disbursements, verified savings (and so claims), repayments, write-offs, reversals of
each, reversals of savings and the closing of a fiscal year, dated in any order across a new
year, on two projects with two units each. After every step:

(a) every balance of the fund, of each project and of each claim is non-negative at every date
    that has entries;
(b) the ledger's claims on each project and on the fund equal the sum of what is outstanding in
    the claims list (sifra.repayment.selectors), to the öre;
(c) what the services refuse is exactly what a plain model of DOMAIN.md's rules refuses, the
    rules at every date and the date rules included; the model is written here from DOMAIN.md,
    independently of the code, and keeps its own ledger, which must equal the database's entry
    by entry.
"""

import datetime as dt
import itertools
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from sifra.funds import services as ledger
from sifra.funds.models import LedgerEntry, ProjectKindTotal
from sifra.funds.selectors import fund_balances
from sifra.projects.services import project_create
from sifra.repayment import selectors
from sifra.repayment import services as repayment
from sifra.repayment.balances import claim_balance_problems
from sifra.repayment.models import Claim, VerifiedSaving

# DOMAIN.md's table, written out again: the effect of one öre on (capital, committed, claims).
EFFECT = {
    "deposit": (1, 0, 0),
    "commitment": (0, 1, 0),
    "release": (0, -1, 0),
    "disbursement": (-1, -1, 0),
    "claim": (0, 0, 1),
    "repayment": (1, 0, -1),
    "write_off": (0, 0, -1),
}
# A week around a new year: entries dated in any order, across two fiscal years.
# (hypothesis favours a list's first element: a date inside, not the one before the fund)
DATES = [dt.date(2025, 12, 31) + dt.timedelta(days=i) for i in (1, 0, 2, -1, 3, -2)]
ESTABLISHED = dt.date(2025, 12, 30)  # so that some entries (29 December) predate the fund
SHARE = 50  # % of each verified saving repaid
CAP = 1_500  # öre, each project's agreement
PARTS = [(70, 30), (50, 50)]  # each project's two units' parts, in %
CLOSED_YEAR = 2025  # the year the machine may close (bokslut): it has ended
CODES = itertools.count()
# every (project, unit, year) a saving may be verified for; 2027 has not begun (in 2026)
SLOTS = list(itertools.product((0, 1), (0, 1), (2025, 2026, 2027)))

dates = st.sampled_from(DATES)
amounts = st.integers(1, 1_000)
picks = st.integers(0, 1_000)


# --- The model ----------------------------------------------------------------------------------


@dataclass
class Entry:
    kind: str
    amount: int
    date: dt.date
    project: int | None  # 0 or 1, None for the fund's own
    reverses: int | None = None  # the model entry a reversal cancels
    reversed: bool = False
    claim: int | None = None  # the model claim a claim, repayment or write-off belongs to


@dataclass
class ModelClaim:
    project: int
    unit: int
    amount: int
    entry: int
    payments: list[int] = field(default_factory=list)  # model entries


@dataclass
class ModelSaving:
    project: int
    year: int
    unit: int
    reversed: bool = False
    claims: list[int] = field(default_factory=list)


def largest_remainder(total, parts):
    """Shares of `total` in proportion to `parts`; the leftover one by one to the largest
    remainders, the earlier part first on a tie."""
    exact = [Fraction(total * p, sum(parts)) for p in parts]
    floors = [int(q) for q in exact]
    ranked = sorted(range(len(parts)), key=lambda i: (floors[i] - exact[i], i))
    for i in ranked[: total - sum(floors)]:
        floors[i] += 1
    return floors


class Model:
    def __init__(self):
        self.entries: list[Entry] = []
        self.claims: list[ModelClaim] = []
        self.savings: list[ModelSaving] = []
        self.closed = False  # CLOSED_YEAR

    # balances
    def effect(self, e, entries):
        if e.kind == "reversal":
            return tuple(-x for x in self.effect(entries[e.reverses], entries))
        return tuple(s * e.amount for s in EFFECT[e.kind])

    def balances_ok(self, entries):
        """No balance of the fund or a project negative at any date with entries."""
        for day in {e.date for e in entries}:
            upto = [e for e in entries if e.date <= day]
            cap, com, clm = self._sum(upto, entries)
            if min(cap, com, clm, cap - com) < 0:
                return False
            for p in (0, 1):
                _c, pcom, pclm = self._sum([e for e in upto if e.project == p], entries)
                if min(pcom, pclm) < 0:
                    return False
        return True

    def _sum(self, some, entries):
        totals = [0, 0, 0]
        for e in some:
            for i, x in enumerate(self.effect(e, entries)):
                totals[i] += x
        return totals

    # the date rules
    def date_ok(self, e, entries):
        """No entry before the fund, none in a closed year, a reversal not before what it
        reverses, a project entry not before the project's first commitment."""
        if e.date < ESTABLISHED or (self.closed and e.date.year <= CLOSED_YEAR):
            return False
        if e.kind == "reversal":
            return e.date >= entries[e.reverses].date
        if e.project is not None and e.kind != "commitment":
            commitments = [
                x.date for x in entries if x.project == e.project and x.kind == "commitment"
            ]
            return bool(commitments) and e.date >= min(commitments)
        return True

    def balances_at(self, day, project=None):
        some = [e for e in self.entries if e.date <= day]
        if project is not None:
            some = [e for e in some if e.project == project]
        return self._sum(some, self.entries)

    def try_post(self, new):
        """Post `new` (entries, all or none) if each keeps the rules, in turn."""
        entries = list(self.entries)
        for e in new:
            if not self.date_ok(e, entries) or not self.balances_ok([*entries, e]):
                return False
            entries.append(e)
            if e.reverses is not None:
                entries[e.reverses] = _reversed(entries[e.reverses])
        self.entries = entries
        return True

    # claims
    def claim_reversed(self, c):
        return self.entries[self.claims[c].entry].reversed

    def standing_payments(self, c):
        return [i for i in self.claims[c].payments if not self.entries[i].reversed]

    def outstanding(self, c):
        claim = self.claims[c]
        paid = sum(self.entries[i].amount for i in self.standing_payments(c))
        return (0 if self.claim_reversed(c) else claim.amount) - paid

    def claimed(self, p):
        return sum(
            c.amount
            for i, c in enumerate(self.claims)
            if c.project == p and not self.claim_reversed(i)
        )


def latest(pick, items):
    """An index into `items`, the latest first (hypothesis favours small picks)."""
    return len(items) - 1 - pick % len(items)


def _reversed(e):
    return Entry(**{**vars(e), "reversed": True})


# --- The machine --------------------------------------------------------------------------------


class Ledger(RuleBasedStateMachine):
    org = units = coordinator = economist = None  # set by the test below

    def __init__(self):
        super().__init__()
        c = self.coordinator
        self.fund = ledger.fund_create(
            organisation=self.org, acting_user=c, name="F", established_on=ESTABLISHED
        )
        self.projects = []
        for p in (0, 1):
            project = project_create(
                fund=self.fund,
                acting_user=c,
                code=f"S-{next(CODES)}",
                title="P",
                lead_unit=self.units[p][0],
            )
            repayment.agreement_set(
                project=project,
                model="savings_share",
                share=Decimal(SHARE),
                cap=CAP,
                shares=[
                    (u, Decimal(part)) for u, part in zip(self.units[p], PARTS[p], strict=True)
                ],
                acting_user=self.economist,
            )
            self.projects.append(project)
        self.model = Model()
        self.db_entries: list[LedgerEntry] = []  # the database's, in the model's order
        self.db_claims: list[Claim] = []
        self.db_savings: list[VerifiedSaving] = []
        self.changed = False  # since the invariants were last checked in full
        self.claims_changed = False  # likewise, for the claims list
        # the claims list, built once (Django resolves its expressions once) and read after
        # every step that touched a claim
        self.claims_list = selectors.claims_with_balances(
            Claim.objects.filter(project__fund=self.fund)
        )

    def _attempt(self, call):
        try:
            return call()
        except ValidationError:
            return None

    def _check_outcome(self, what, expected, result):
        event(f"{what} {'accepted' if expected else 'refused'}")  # --hypothesis-show-statistics
        assert (result is not None) == expected, (what, expected, result)
        self.changed = self.changed or result is not None

    # ledger postings
    def _post(self, kind, amount, date, project):
        e = Entry(kind, amount, date, project)
        expected = self.model.try_post([e])
        result = self._attempt(
            lambda: ledger.ledger_entry_post(
                fund=self.fund,
                kind=kind,
                amount=amount,
                text=kind,
                date=date,
                project=None if project is None else self.projects[project],
                acting_user=self.coordinator,
            )
        )
        self._check_outcome(kind, expected, result)
        if result is not None:
            self.db_entries.append(result)

    # a start with money and grants, so that most runs reach claims and payments
    @initialize(amount=st.integers(2_000, 10_000), date=dates)
    def first_deposit(self, amount, date):
        self._post("deposit", amount, date, None)

    @initialize(amounts=st.tuples(amounts, amounts), date=dates)
    def first_grants(self, amounts, date):
        for p, amount in enumerate(amounts):
            self._post("commitment", amount, date, p)

    @rule(amount=st.integers(1, 5_000), date=dates)
    def deposit(self, amount, date):
        self._post("deposit", amount, date, None)

    @rule(
        kind=st.sampled_from(["commitment", "release", "disbursement"]),
        p=st.integers(0, 1),
        amount=amounts,
        date=dates,
    )
    def project_entry(self, kind, p, amount, date):
        self._post(kind, amount, date, p)

    # savings and their claims
    @rule(
        pick=picks,
        again=st.booleans(),
        amount=st.integers(200, 4_000),
        date=dates,
    )
    def verify_saving(self, pick, again, amount, date):
        """A saving for a project, unit and year: one still free, or (`again`) one taken."""
        m = self.model
        standing = {(s.project, s.unit, s.year) for s in m.savings if not s.reversed}
        free = [slot for slot in SLOTS if slot not in standing]
        choices = sorted(standing) if again and standing else free
        p, u, year = choices[pick % len(choices)]
        begun = year <= dt.date.today().year
        taken = (p, u, year) in standing
        owed = min(amount * SHARE // 100, max(CAP - m.claimed(p), 0))
        parts = largest_remainder(owed, list(PARTS[p]))
        first = len(m.entries)
        new = [
            Entry("claim", part, date, p, claim=len(m.claims) + i)
            for i, part in enumerate(x for x in parts if x > 0)
        ]
        debtors = [i for i, x in enumerate(parts) if x > 0]
        expected = begun and not taken and m.try_post(new)
        result = self._attempt(
            lambda: repayment.saving_verify(
                project=self.projects[p],
                year=year,
                unit=self.units[p][u],
                amount=amount,
                evidence_kind="finance",
                evidence="Utfall",
                date=date,
                acting_user=self.economist,
            )
        )
        self._check_outcome("saving", expected, result)
        if result is None:
            return
        self.claims_changed = True
        saving = ModelSaving(p, year, u)
        by_unit = {c.unit_id: c for c in result.claims.select_related("ledger_entry")}
        for k, (e, d) in enumerate(zip(new, debtors, strict=True)):
            saving.claims.append(len(m.claims))
            m.claims.append(ModelClaim(p, d, e.amount, first + k))
            claim = by_unit.pop(self.units[p][d].pk)
            assert claim.amount == e.amount
            self.db_claims.append(claim)
            self.db_entries.append(claim.ledger_entry)
        assert not by_unit  # no claim the model did not expect
        m.savings.append(saving)
        self.db_savings.append(result)

    @rule(
        pick=picks,
        amount=st.integers(1, 600),
        over=st.booleans(),
        kind=st.sampled_from(["repayment", "write_off"]),
        date=dates,
    )
    def pay(self, pick, amount, over, kind, date):
        """Mostly within what is outstanding; `over`: the amount as drawn, perhaps beyond it."""
        m = self.model
        if not m.claims:
            return
        c = latest(pick, m.claims)
        claim = m.claims[c]
        if not over and m.outstanding(c) > 0:
            amount = 1 + (amount - 1) % m.outstanding(c)
        e = Entry(kind, amount, date, claim.project, claim=c)
        expected = (
            not m.claim_reversed(c)
            and date >= m.entries[claim.entry].date
            and amount <= m.outstanding(c)
            and m.try_post([e])
        )
        result = self._attempt(
            lambda: repayment.claim_pay(
                claim=self.db_claims[c],
                amount=amount,
                kind=kind,
                date=date,
                reason="Avskrivet",
                acting_user=self.economist,
            )
        )
        self._check_outcome(kind, expected, result)
        if result is not None:
            self.claims_changed = True
            claim.payments.append(len(m.entries) - 1)
            self.db_entries.append(result.ledger_entry)

    # reversals
    @rule(pick=picks, date=dates)
    def reverse_entry(self, pick, date):
        m = self.model
        if not m.entries:
            return
        i = latest(pick, m.entries)
        target = m.entries[i]
        has_payments = target.kind == "claim" and m.standing_payments(target.claim)
        e = Entry("reversal", target.amount, date, target.project, reverses=i)
        expected = (
            target.kind != "reversal"
            and not target.reversed
            and not has_payments
            and m.try_post([e])
        )
        result = self._attempt(
            lambda: ledger.ledger_entry_reverse(
                entry=self.db_entries[i], text="Rättelse", date=date, acting_user=self.coordinator
            )
        )
        self._check_outcome(f"reversal of {target.kind}", expected, result)
        if result is not None:
            self.claims_changed = self.claims_changed or target.claim is not None
            self.db_entries.append(result)

    @rule(pick=picks, date=dates)
    def reverse_saving(self, pick, date):
        m = self.model
        if not m.savings:
            return
        s = latest(pick, m.savings)
        saving = m.savings[s]
        standing = [c for c in saving.claims if not m.claim_reversed(c)]
        new = [
            Entry("reversal", m.claims[c].amount, date, saving.project, reverses=m.claims[c].entry)
            for c in standing
        ]
        expected = (
            not saving.reversed
            and not any(m.standing_payments(c) for c in standing)
            and m.try_post(new)
        )
        result = self._attempt(
            lambda: repayment.saving_reverse(
                saving=self.db_savings[s],
                reason="Fel siffra",
                date=date,
                acting_user=self.economist,
            )
        )
        self._check_outcome("saving reversal", expected, result)
        if result is None:
            return
        self.claims_changed = True
        saving.reversed = True
        for c in standing:
            entry = self.db_claims[c].ledger_entry_id
            self.db_entries.append(LedgerEntry.objects.get(reverses_id=entry))

    # the fiscal year's closing (bokslut), once the ledger has something to close
    @precondition(lambda self: not self.model.closed and len(self.model.entries) >= 8)
    @rule()
    def close_year(self):
        expected = not self.model.closed
        result = self._attempt(
            lambda: ledger.fiscal_year_close(
                fund=self.fund,
                year=CLOSED_YEAR,
                decided_on=dt.date(CLOSED_YEAR + 1, 4, 20),
                decision_ref="KF § 45",
                acting_user=self.coordinator,
            )
        )
        self._check_outcome("closing", expected, result)
        if result is None:
            return
        self.model.closed = True
        # its balances at 31 December, kept as they were: the model's
        b = self.model.balances_at(dt.date(CLOSED_YEAR, 12, 31))
        assert [result.capital, result.committed, result.claims] == b

    # the invariants
    @invariant()
    def the_ledger_reconciles(self):
        """(a), (b) and the model's ledger, from one read of the entries and one of the claims
        list. A refused step changed nothing, which the count of entries shows."""
        if not self.changed:
            assert LedgerEntry.objects.filter(fund=self.fund).count() == len(self.db_entries)
            return
        self.changed = False
        entries = list(
            LedgerEntry.objects.filter(fund=self.fund)
            .order_by("number")
            .values(
                "pk",
                "kind",
                "amount",
                "date",
                "project_id",
                "reverses_id",
                "d_capital",
                "d_committed",
                "d_claims",
            )
        )
        self._is_the_models(entries)
        self._never_negative(entries)
        self._kind_totals_are_the_entries(entries)
        claims = sum(self.model.outstanding(c) for c in range(len(self.model.claims)))
        assert sum(e["d_claims"] for e in entries) == claims
        if self.claims_changed:
            self.claims_changed = False
            self._claims_are_the_claims_list(entries)

    def _is_the_models(self, entries):
        pks = [e.pk for e in self.db_entries]
        ids = [p.pk for p in self.projects]
        expected = [
            (
                pks[i],
                e.kind,
                e.amount,
                e.date,
                None if e.project is None else ids[e.project],
                None if e.reverses is None else pks[e.reverses],
            )
            for i, e in enumerate(self.model.entries)
        ]
        keys = ("pk", "kind", "amount", "date", "project_id", "reverses_id")
        assert [tuple(e[k] for k in keys) for e in entries] == expected

    def _never_negative(self, entries):
        """(a): the fund, each project and each claim, at every date with entries."""
        groups = {"fund": entries}
        for p in self.projects:
            groups[p.pk] = [e for e in entries if e["project_id"] == p.pk]
        pks = [e.pk for e in self.db_entries]
        for c, claim in enumerate(self.model.claims):
            own = {pks[claim.entry], *(pks[i] for i in claim.payments)}
            groups[("claim", c)] = [e for e in entries if e["pk"] in own or e["reverses_id"] in own]
        for day in sorted({e["date"] for e in entries}):
            for name, group in groups.items():
                upto = [e for e in group if e["date"] <= day]
                cap, com, clm = (
                    sum(e[k] for e in upto) for k in ("d_capital", "d_committed", "d_claims")
                )
                lowest = min(cap, com, clm, cap - com) if name == "fund" else min(com, clm)
                assert lowest >= 0, (name, day)

    def _kind_totals_are_the_entries(self, entries):
        """The projects' totals by kind, kept by the posting service, are what stands of the
        entries (already shown equal to the model's): those not reversed, reversals left out."""
        reversed_ = {e["reverses_id"] for e in entries}
        standing: dict = {}
        for e in entries:
            if e["project_id"] and e["kind"] != "reversal" and e["pk"] not in reversed_:
                key = (e["project_id"], e["kind"])
                standing[key] = standing.get(key, 0) + e["amount"]
        kept = ProjectKindTotal.objects.filter(fund=self.fund).exclude(amount=0)
        assert {(t.project_id, t.kind): t.amount for t in kept} == {
            k: v for k, v in standing.items() if v
        }

    def _claims_are_the_claims_list(self, entries):
        """(b): the ledger's claims balance, of the fund and of each project, is the sum of the
        outstanding amounts in the claims list; and each claim's is the model's."""
        rows = list(self.claims_list.all())
        assert sum(r.outstanding for r in rows) == sum(e["d_claims"] for e in entries)
        for p in self.projects:
            listed = sum(r.outstanding for r in rows if r.project_id == p.pk)
            assert listed == sum(e["d_claims"] for e in entries if e["project_id"] == p.pk)
        outstanding = {r.pk: r.outstanding for r in rows}
        for i, claim in enumerate(self.db_claims):
            assert outstanding.get(claim.pk, 0) == self.model.outstanding(i)
        # the list reads the claims' kept balances; the services read the ledger: the same
        assert claim_balance_problems(claims=Claim.objects.filter(project__fund=self.fund)) == []

    def teardown(self):
        """Once per run: the claims list's totals, as the pages show them, are the ledger's
        claims balance, as its selector gives it."""
        assert selectors.fund_claims(fund=self.fund).totals.outstanding == (
            fund_balances(fund=self.fund).claims
        )


@pytest.mark.django_db
def test_the_ledger_and_the_claims_reconcile(org, unit_a, unit_b, users):
    extra = [type(unit_a).objects.create(organisation=org, name=f"Nämnd {n}") for n in "CD"]
    Ledger.org = org
    Ledger.units = [(unit_a, unit_b), tuple(extra)]
    Ledger.coordinator = users["coordinator"]
    Ledger.economist = users["economist"]
    run_state_machine_as_test(
        Ledger,
        settings=settings(
            max_examples=500,
            stateful_step_count=15,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )
