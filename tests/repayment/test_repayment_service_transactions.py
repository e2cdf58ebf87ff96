"""Each write of sifra.repayment.services is its own durable transaction: called inside another
transaction it refuses to start (a caller's rollback could otherwise undo claims already
audited), and on its own it does its work."""

from decimal import Decimal

import pytest
from django.db import transaction

from sifra.repayment import services
from sifra.repayment.models import Agreement, Claim, ClaimPayment, VerifiedSaving

D = Decimal


def nested_is_refused(call):
    with transaction.atomic(), pytest.raises(RuntimeError, match="durable"):
        call()


def agree(project, user, unit):
    return services.agreement_set(
        project=project,
        model="savings_share",
        share=D(50),
        shares=[(unit, D(100))],
        acting_user=user,
    )


def verify(project, user, unit):
    return services.saving_verify(
        project=project,
        year=2025,
        unit=unit,
        amount=400_000,
        evidence_kind="finance",
        evidence="Utfall i ekonomisystemet",
        acting_user=user,
    )


def test_agreement_set_is_durable(granted_project, economist, unit_a):
    nested_is_refused(lambda: agree(granted_project, economist, unit_a))
    assert not Agreement.objects.exists()
    assert agree(granted_project, economist, unit_a).share == D(50)


def test_saving_verify_is_durable(granted_project, economist, unit_a):
    agree(granted_project, economist, unit_a)
    nested_is_refused(lambda: verify(granted_project, economist, unit_a))
    assert not VerifiedSaving.objects.exists()
    verify(granted_project, economist, unit_a)
    # half of 400 000 öre
    assert Claim.objects.get().amount == 200_000


def test_saving_reverse_is_durable(granted_project, economist, unit_a):
    agree(granted_project, economist, unit_a)
    saving = verify(granted_project, economist, unit_a)

    def call():
        return services.saving_reverse(saving=saving, reason="Fel utfall", acting_user=economist)

    nested_is_refused(call)
    assert VerifiedSaving.objects.get().reversed_at is None
    assert call().reversed_at is not None


def test_claim_pay_is_durable(granted_project, economist, unit_a):
    agree(granted_project, economist, unit_a)
    verify(granted_project, economist, unit_a)
    claim = Claim.objects.get()

    def call():
        return services.claim_pay(
            claim=claim,
            amount=50_000,
            kind="repayment",
            acting_user=economist,
        )

    nested_is_refused(call)
    assert not ClaimPayment.objects.exists()
    assert call().amount == 50_000
