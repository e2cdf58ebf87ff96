import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from tests.factories import MSEK, approved_case_project


@pytest.fixture(autouse=True)
def english_messages():
    with translation.override("en"):
        yield


@pytest.fixture
def case_project(funded, unit_a, users):
    """The Norrköping case's project (Socialnämnden saves 120 × 0,2 × 450 000 = 10 800 000 kr a
    year in 2026–2028), 3 MSEK committed, under a savings-share agreement: 50 % of unit A's
    savings up to the 3 MSEK granted."""
    from sifra.repayment.services import agreement_set

    project = approved_case_project(funded, unit_a, users)
    agreement_set(
        project=project,
        model="savings_share",
        acting_user=users["economist"],
        shares=[(unit_a, Decimal(100))],
        share=Decimal(50),
        decision_ref="KSAU § 90/2026",
    )
    return project


@pytest.fixture
def verified_half(case_project, unit_a, users):
    """2026's saving verified at 5 400 000 kr: half the case's forecast of 10 800 000 kr; its
    claim is 50 % of it, 2 700 000 kr, due 30 June 2027."""
    from sifra.repayment.services import saving_verify

    saving_verify(
        project=case_project,
        year=2026,
        unit=unit_a,
        amount=5_400_000_00,
        evidence_kind="finance",
        evidence="Utfall i ekonomisystemet, konto 4560",
        acting_user=users["economist"],
        date=dt.date(2026, 11, 1),
    )
    return case_project


__all__ = ["MSEK"]
