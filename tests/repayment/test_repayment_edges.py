"""Repayment services at their edges: due dates across year ends, the ledger's words for a
repayment and a write-off, the audit rows, a negative share."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from sifra.audit.models import AuditEvent
from sifra.funds.models import LedgerEntry
from sifra.repayment import services
from sifra.repayment.models import Claim

D = Decimal


def agree(project, user, **kwargs):
    kwargs.setdefault("model", "savings_share")
    kwargs.setdefault("shares", [])
    return services.agreement_set(project=project, acting_user=user, **kwargs)


def verify(project, user, unit, amount, year=2025):
    return services.saving_verify(
        project=project,
        year=year,
        unit=unit,
        amount=amount,
        evidence_kind="finance",
        evidence="Utfall i ekonomisystemet",
        acting_user=user,
        date=dt.date(2026, 2, 15),
    )


@pytest.mark.parametrize(
    ("months", "due"),
    [
        (1, dt.date(2028, 1, 31)),  # the first month after the year's end
        (2, dt.date(2028, 2, 29)),  # 2028 is a leap year
        (12, dt.date(2028, 12, 31)),
        (13, dt.date(2029, 1, 31)),  # across the next year's end
        (25, dt.date(2030, 1, 31)),
    ],
)
def test_due_dates_across_year_ends(granted_project, economist, unit_a, months, due):
    a = agree(granted_project, economist, share=D(10), shares=[(unit_a, D(100))], due_months=months)
    assert services._due(a, 2027) == due


@pytest.mark.parametrize("share", [D(-5), D("-0.01")])
def test_a_negative_share_of_savings_is_refused(granted_project, economist, unit_a, share):
    with pytest.raises(ValidationError) as exc:
        agree(granted_project, economist, share=share, shares=[(unit_a, D(100))])
    assert exc.value.message_dict == {"share": [str(services.SHARE_NEEDED)]}


def test_a_share_of_exactly_100_percent_is_accepted(granted_project, economist, unit_a):
    a = agree(granted_project, economist, share=D(100), shares=[(unit_a, D(100))])
    verify(granted_project, economist, unit_a, 300_000)
    assert (a.share, Claim.objects.get().amount) == (D(100), 300_000)


def test_each_service_writes_its_audit_row(granted_project, economist, unit_a, unit_b):
    agree(
        granted_project,
        economist,
        share=D(50),
        cap=1_000_000,
        shares=[(unit_a, D(75)), (unit_b, D(25))],
    )
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.AGREEMENT_CHANGED)
    assert event.data == {
        "model": "savings_share",
        "share": "50",
        "cap_ore": 1_000_000,
        "shares": {unit_a.name: "75", unit_b.name: "25"},
        "instalments": {},
    }
    # half of 400 000 öre, split 75 / 25
    saving = verify(granted_project, economist, unit_a, 400_000)
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.SAVING_VERIFIED)
    assert (event.object_id, event.data["amount_ore"], event.data["claims_ore"]) == (
        str(saving.pk),
        400_000,
        [150_000, 50_000],
    )
    claim = Claim.objects.get(unit=unit_a)
    services.claim_pay(
        claim=claim,
        amount=40_000,
        kind="write_off",
        reason="Ej återkrävbart",
        acting_user=economist,
        date=dt.date(2026, 3, 1),
    )
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.CLAIM_PAID)
    assert event.data == {"kind": "write_off", "amount_ore": 40_000, "reason": "Ej återkrävbart"}


def test_the_ledger_text_says_repayment_or_write_off(granted_project, economist, unit_a):
    agree(granted_project, economist, share=D(50), shares=[(unit_a, D(100))])
    verify(granted_project, economist, unit_a, 400_000, year=2025)
    claim = Claim.objects.get()
    day = dt.date(2026, 3, 1)
    services.claim_pay(
        claim=claim, amount=10_000, kind="repayment", acting_user=economist, date=day
    )
    services.claim_pay(
        claim=claim,
        amount=20_000,
        kind="write_off",
        reason="Preskriberat",
        acting_user=economist,
        date=day,
    )
    texts = list(
        LedgerEntry.objects.filter(kind__in=["repayment", "write_off"])
        .order_by("number")
        .values_list("kind", "amount", "text")
    )
    assert texts == [
        ("repayment", 10_000, f"Repayment from {unit_a.name}, claim 2025"),
        ("write_off", 20_000, f"Write-off, claim 2025 on {unit_a.name}: Preskriberat"),
    ]
