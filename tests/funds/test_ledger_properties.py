"""For any sequence of postings and reversals, dated in any order, the balances equal the sums
of the entries, no balance is negative at any date, and what the services accept is exactly what
a plain model of DOMAIN.md's rules accepts."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sifra.funds import services
from sifra.funds.models import LedgerDay, LedgerEntry
from sifra.funds.selectors import fund_balances, project_balances
from sifra.projects.services import project_create

KINDS = ["deposit", "commitment", "release", "disbursement", "claim", "repayment", "write_off"]
SIGNS = {  # (capital, committed, claims) per krona: DOMAIN.md's table, written out again here
    "deposit": (1, 0, 0),
    "commitment": (0, 1, 0),
    "release": (0, -1, 0),
    "disbursement": (-1, -1, 0),
    "claim": (0, 0, 1),
    "repayment": (1, 0, -1),
    "write_off": (0, 0, -1),
}
START = dt.date(2026, 1, 1)

operation = st.one_of(
    st.tuples(
        st.sampled_from(KINDS), st.integers(1, 5_000_000), st.integers(0, 1), st.integers(0, 40)
    ),
    st.tuples(st.just("reverse"), st.integers(0, 40), st.just(0), st.integers(0, 40)),
)


class Model:
    """The ledger as a list of (date, project, effect), and the rules read off it directly."""

    def __init__(self):
        self.entries = []  # dicts: date, project, d, kind, reversed

    def balances(self, at, project=None):
        rows = [e for e in self.entries if e["date"] <= at]
        if project is not None:
            rows = [e for e in rows if e["project"] == project]
        return [sum(e["d"][i] for e in rows) for i in range(3)]

    def ok_at_every_date(self, date, project, d):
        dates = {date} | {e["date"] for e in self.entries if e["date"] >= date}
        for at in dates:
            cap, com, clm = (b + x for b, x in zip(self.balances(at), d, strict=True))
            if (d[0] < 0 and cap < 0) or (d[1] < 0 and com < 0) or (d[2] < 0 and clm < 0):
                return False
            if d[0] - d[1] < 0 and cap - com < 0:
                return False
            if project is not None:
                _c, p_com, p_clm = (
                    b + x for b, x in zip(self.balances(at, project), d, strict=True)
                )
                if (d[1] < 0 and p_com < 0) or (d[2] < 0 and p_clm < 0):
                    return False
        return True

    def first_commitment(self, project):
        dates = [
            e["date"] for e in self.entries if e["project"] == project and e["kind"] == "commitment"
        ]
        return min(dates, default=None)

    def accepts_post(self, kind, amount, project, date):
        if kind not in ("deposit", "commitment"):
            first = self.first_commitment(project)
            if first is None or date < first:
                return False
        d = tuple(s * amount for s in SIGNS[kind])
        return self.ok_at_every_date(date, project, d)

    def accepts_reversal(self, e, date):
        if e["kind"] == "reversal" or e["reversed"] or date < e["date"]:
            return False
        return self.ok_at_every_date(date, e["project"], tuple(-x for x in e["d"]))


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=st.lists(operation, min_size=1, max_size=25))
def test_ledger_invariants_hold_for_any_sequence(org, unit_a, coordinator, ops):
    fund = services.fund_create(organisation=org, acting_user=coordinator, name="F")
    projects = [
        project_create(
            fund=fund, acting_user=coordinator, code=f"P{i}", title="P", lead_unit=unit_a
        )
        for i in range(2)
    ]
    model = Model()
    for kind, value, which, day in ops:
        date = START + dt.timedelta(days=day)
        if kind == "reverse":
            _try_reverse(fund, coordinator, value, date, model)
        else:
            project = None if kind == "deposit" else projects[which]
            _try_post(fund, coordinator, kind, value, project, date, model)
        _check(fund, projects, model)


def _try_post(fund, user, kind, amount, project, date, model):
    key = project.pk if project else None
    expected = model.accepts_post(kind, amount, key, date)
    try:
        services.ledger_entry_post(
            fund=fund,
            kind=kind,
            amount=amount,
            text="t",
            date=date,
            project=project,
            acting_user=user,
        )
        accepted = True
    except ValidationError:
        accepted = False
    assert accepted == expected, (kind, amount, date)
    if accepted:
        d = tuple(s * amount for s in SIGNS[kind])
        model.entries.append(
            {"date": date, "project": key, "d": d, "kind": kind, "reversed": False}
        )


def _try_reverse(fund, user, index, date, model):
    entries = list(LedgerEntry.objects.filter(fund=fund).order_by("number"))
    if not entries:
        return
    entry = entries[index % len(entries)]
    mirror = model.entries[entry.number - 1]
    expected = model.accepts_reversal(mirror, date)
    try:
        services.ledger_entry_reverse(entry=entry, text="r", date=date, acting_user=user)
        accepted = True
    except ValidationError:
        accepted = False
    assert accepted == expected, (entry.kind, entry.amount, entry.date, date)
    if accepted:
        mirror["reversed"] = True
        d = tuple(-x for x in mirror["d"])
        model.entries.append(
            {
                "date": date,
                "project": mirror["project"],
                "d": d,
                "kind": "reversal",
                "reversed": False,
            }
        )


def _check(fund, projects, model):
    dates = sorted({e["date"] for e in model.entries})
    for at in dates:
        b = fund_balances(fund=fund, at=at)
        assert [b.capital, b.committed, b.claims] == model.balances(at)
        assert min(b.capital, b.committed, b.claims, b.available) >= 0
        for p in projects:
            pb = project_balances(project=p, at=at)
            assert [pb.capital, pb.committed, pb.claims] == model.balances(at, p.pk)
            assert pb.committed >= 0 and pb.claims >= 0
    _check_days(fund)


def _check_days(fund):
    """The derived day totals equal the entries' sums, day by day, for the fund and each project."""
    for row in LedgerDay.objects.filter(fund=fund):
        entries = LedgerEntry.objects.filter(fund=fund, date=row.date)
        if row.project_id is not None:
            entries = entries.filter(project_id=row.project_id)
        sums = [
            sum(getattr(e, f) for e in entries) for f in ("d_capital", "d_committed", "d_claims")
        ]
        assert sums == [row.d_capital, row.d_committed, row.d_claims]
    days = set(LedgerEntry.objects.filter(fund=fund).values_list("date", flat=True))
    assert days == set(
        LedgerDay.objects.filter(fund=fund, project__isnull=True).values_list("date", flat=True)
    )
