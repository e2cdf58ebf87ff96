"""A small fund whose 2024 figures are worked out by hand below, closed for 2023 and 2024.

2023: deposit 10 000 000 kr; P-1 (Socialnämnden) committed 4 000 000 kr, 1 000 000 kr paid out.
      Closed: capital 9 000 000, committed 3 000 000, claims 0.
2024: deposit 2 000 000,50 kr; a deposit of 100 kr reversed the next day; P-1 paid out
      1 500 000 kr; P-2 (Vård- och omsorgsnämnden) committed 1 000 000 kr (a grant without an
      application), 250 000 kr of it released; P-1's 2023 saving of 600 000 kr verified, half of
      it claimed from Socialnämnden (300 000 kr, due 30 June 2024), 100 000 kr repaid and
      50 000 kr written off; an application of 800 000 kr rejected.
      Closing: capital 9 000 000 + 2 000 000,50 − 1 500 000 + 100 000 = 9 600 000,50 kr;
      committed 3 000 000 + 1 000 000 − 250 000 − 1 500 000 = 2 250 000 kr;
      claims 300 000 − 100 000 − 50 000 = 150 000 kr, all overdue at 31 December.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from sifra.applications import services as applications
from sifra.funds import services as funds
from sifra.projects.services import project_create
from sifra.repayment import services as repayment
from tests.factories import CASE

KR = 100  # öre in a krona


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def post(fund, user, kind, kronor, date, project=None, ref=""):
    return funds.ledger_entry_post(
        fund=fund,
        kind=kind,
        amount=kronor,
        text=f"{kind} {date}",
        date=date,
        project=project,
        decision_ref=ref,
        acting_user=user,
    )


def _rejected_application(fund, unit, users):
    applicant, coordinator = users["applicant"], users["coordinator"]
    a = applications.application_create(
        fund=fund, title="Läxhjälp", lead_unit=unit, acting_user=applicant
    )
    a = applications.application_update(
        application=a,
        acting_user=applicant,
        followup_plan="Ekonomen följer kostnaderna.",
        evaluation_plan="Jämförelse med kontrollgrupp.",
        start_date=dt.date(2025, 1, 1),
        end_date=dt.date(2025, 12, 31),
        budget=[
            {
                "year": 2025,
                "description": "Lärare",
                "payer_unit_id": unit.pk,
                "requested": 800_000 * KR,
                "own_contribution": 0,
            }
        ],
    )
    applications.application_case_set(application=a, case=CASE, acting_user=applicant)
    a = applications.application_submit(application=a, acting_user=applicant)
    a = applications.application_send_to_review(
        application=a, reviewers=[users["council"]], acting_user=coordinator
    )
    applications.review_submit(
        application=a,
        acting_user=users["council"],
        evidence_strength=2,
        evaluation_quality=2,
        case_realism=2,
        recommendation="reject",
        comments="Svag evidens.",
    )
    a = applications.application_recommend(
        application=a, recommend=False, proposal="Avslå.", acting_user=coordinator
    )
    applications.decision_record(
        application=a,
        approve=False,
        minute_ref="KSAU § 7/2024",
        decided_on=dt.date(2024, 6, 10),
        reason="Ordinarie verksamhet.",
        acting_user=users["decision_maker"],
    )


@pytest.fixture
def small_fund(fund, unit_a, unit_b, users, coordinator):
    economist = users["economist"]
    funds.fund_update(fund=fund, acting_user=coordinator, established_on=dt.date(2023, 1, 1))
    p1 = project_create(
        fund=fund, acting_user=coordinator, code="P-1", title="Tidigt stöd", lead_unit=unit_a
    )
    p2 = project_create(
        fund=fund, acting_user=coordinator, code="P-2", title="Fallprevention", lead_unit=unit_b
    )
    post(fund, coordinator, "deposit", 10_000_000 * KR, dt.date(2023, 2, 1))
    post(fund, coordinator, "commitment", 4_000_000 * KR, dt.date(2023, 3, 1), p1, "KSAU § 1/2023")
    post(fund, coordinator, "disbursement", 1_000_000 * KR, dt.date(2023, 4, 1), p1)
    funds.fiscal_year_close(
        fund=fund,
        year=2023,
        decided_on=dt.date(2024, 4, 15),
        decision_ref="KF § 40/2024",
        acting_user=coordinator,
    )
    post(fund, coordinator, "deposit", 2_000_000 * KR + 50, dt.date(2024, 1, 15))
    mistake = post(fund, coordinator, "deposit", 100 * KR, dt.date(2024, 3, 1))
    funds.ledger_entry_reverse(
        entry=mistake, text="Fel belopp", date=dt.date(2024, 3, 2), acting_user=coordinator
    )
    post(fund, coordinator, "disbursement", 1_500_000 * KR, dt.date(2024, 2, 1), p1)
    post(fund, coordinator, "commitment", 1_000_000 * KR, dt.date(2024, 5, 1), p2, "KSAU § 9/2024")
    post(fund, coordinator, "release", 250_000 * KR, dt.date(2024, 11, 1), p2)
    repayment.agreement_set(
        project=p1,
        model="savings_share",
        share=Decimal(50),
        shares=[(unit_a, Decimal(100))],
        acting_user=economist,
    )
    saving = repayment.saving_verify(
        project=p1,
        year=2023,
        unit=unit_a,
        amount=600_000 * KR,
        evidence_kind="finance",
        evidence="Ekonomisystemet.",
        acting_user=economist,
        date=dt.date(2024, 3, 15),
    )
    claim = saving.claims.get()
    repayment.claim_pay(
        claim=claim,
        amount=100_000 * KR,
        kind="repayment",
        acting_user=economist,
        date=dt.date(2024, 9, 30),
    )
    repayment.claim_pay(
        claim=claim,
        amount=50_000 * KR,
        kind="write_off",
        acting_user=economist,
        date=dt.date(2024, 10, 1),
        reason="Besparingen hamnade hos regionen.",
    )
    _rejected_application(fund, unit_a, users)
    funds.fiscal_year_close(
        fund=fund,
        year=2024,
        decided_on=dt.date(2025, 4, 15),
        decision_ref="KF § 41/2025",
        acting_user=coordinator,
    )
    return fund
