"""The application's journey through the services: each rule, each legal and illegal
transition, and what approval does to the ledger."""

import datetime as dt
import tomllib
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sifra.applications import services as s
from sifra.applications.models import RuleSet, Status
from sifra.audit.models import AuditEvent
from sifra.funds.models import LedgerEntry
from sifra.funds.selectors import fund_balances, project_balances
from sifra.notifications.models import Notification

MSEK = 100_000_000
CASE = tomllib.loads((Path(__file__).parents[2] / "examples" / "norrkoping-barn.toml").read_text())


@pytest.fixture
def draft(funded, unit_a, unit_b, users):
    a = s.application_create(
        fund=funded, title="Tidigt stöd", lead_unit=unit_a, acting_user=users["applicant"]
    )
    return s.application_update(
        application=a,
        acting_user=users["applicant"],
        units=[unit_b],
        followup_plan="Ekonomen följer placeringskostnaderna varje kvartal.",
        evaluation_plan="Jämförelse med matchad kontrollgrupp.",
        start_date=dt.date(2027, 1, 1),
        end_date=dt.date(2028, 12, 31),
        budget=[
            {
                "year": 2027,
                "description": "Familjebehandlare",
                "payer_unit_id": unit_a.pk,
                "requested": 3 * MSEK,
                "own_contribution": 1 * MSEK,
            }
        ],
    )


def submitted(draft, users):
    return s.application_submit(application=draft, acting_user=users["applicant"])


def reviewed(draft, users):
    a = submitted(draft, users)
    a = s.application_send_to_review(
        application=a, reviewers=[users["council"]], acting_user=users["coordinator"]
    )
    s.review_submit(
        application=a,
        acting_user=users["council"],
        evidence_strength=4,
        evaluation_quality=3,
        case_realism=4,
        recommendation="approve",
        comments="Stark evidens.",
    )
    return s.application_recommend(
        application=a, recommend=True, proposal="Bevilja 3 MSEK.", acting_user=users["coordinator"]
    )


def test_the_whole_journey_commits_money_and_makes_a_project(draft, users, funded):
    a = reviewed(draft, users)
    decision = s.decision_record(
        application=a,
        approve=True,
        amount=2 * MSEK,
        minute_ref="KSAU § 88/2026",
        decided_on=dt.date(2026, 3, 1),
        conditions="Halvårsrapporter.",
        acting_user=users["decision_maker"],
    )
    a.refresh_from_db()
    assert a.status == Status.APPROVED and decision.amount == 2 * MSEK
    assert a.project.code == a.reference
    assert set(a.project.units.values_list("name", flat=True)) == {
        "Socialnämnden",
        "Vård- och omsorgsnämnden",
    }
    assert project_balances(project=a.project).committed == 2 * MSEK
    assert fund_balances(fund=funded).available == 8 * MSEK
    entry = LedgerEntry.objects.get(kind="commitment")
    assert entry.decision_ref == "KSAU § 88/2026" and entry.posted_by == users["decision_maker"]
    assert Notification.objects.filter(
        user=users["applicant"], subject__contains="approved"
    ).exists()
    kinds = list(
        AuditEvent.objects.filter(object_type="applications.application").values_list(
            "kind", flat=True
        )
    )
    assert kinds.count("application.status") == 4  # submitted, in review, recommended, approved


def test_disbursement_against_the_commitment(draft, users, funded):
    from sifra.funds.services import ledger_entry_post

    a = reviewed(draft, users)
    s.decision_record(
        application=a,
        approve=True,
        amount=3 * MSEK,
        minute_ref="§ 1",
        decided_on=dt.date(2026, 3, 1),
        acting_user=users["decision_maker"],
    )
    a.refresh_from_db()
    for _ in range(2):
        ledger_entry_post(
            fund=funded,
            kind="disbursement",
            amount=MSEK,
            text="Utbetalning",
            project=a.project,
            acting_user=users["coordinator"],
        )
    assert project_balances(project=a.project).committed == MSEK
    with pytest.raises(ValidationError):
        ledger_entry_post(
            fund=funded,
            kind="disbursement",
            amount=MSEK + 1,
            text="För mycket",
            project=a.project,
            acting_user=users["coordinator"],
        )


@pytest.mark.parametrize(
    ("amount", "message"), [(3 * MSEK + 1, s.AMOUNT_ABOVE_REQUESTED), (0, s.AMOUNT_REQUIRED)]
)
def test_approval_beyond_asked_or_nothing_is_refused(draft, users, amount, message):
    a = reviewed(draft, users)
    with pytest.raises(ValidationError) as exc:
        s.decision_record(
            application=a,
            approve=True,
            amount=amount,
            minute_ref="§ 1",
            decided_on=dt.date(2026, 3, 1),
            acting_user=users["decision_maker"],
        )
    assert str(message).split("(")[0] in exc.value.message_dict["amount"][0]
    assert not LedgerEntry.objects.filter(kind="commitment").exists()


def test_approval_beyond_available_is_refused(draft, users, funded, project, coordinator):
    from sifra.funds.services import ledger_entry_post

    ledger_entry_post(
        fund=funded,
        kind="commitment",
        amount=9 * MSEK,
        text="Annat",
        project=project,
        acting_user=coordinator,
    )
    a = reviewed(draft, users)
    with pytest.raises(ValidationError) as exc:
        s.decision_record(
            application=a,
            approve=True,
            amount=2 * MSEK,
            minute_ref="§ 1",
            decided_on=dt.date(2026, 3, 1),
            acting_user=users["decision_maker"],
        )
    assert "available" in exc.value.message_dict["amount"][0]


def test_rejection_needs_a_reason_and_commits_nothing(draft, users, funded):
    a = reviewed(draft, users)
    with pytest.raises(ValidationError):
        s.decision_record(
            application=a,
            approve=False,
            minute_ref="§ 2",
            decided_on=dt.date(2026, 3, 1),
            acting_user=users["decision_maker"],
        )
    s.decision_record(
        application=a,
        approve=False,
        minute_ref="§ 2",
        reason="Svag evidens",
        decided_on=dt.date(2026, 3, 1),
        acting_user=users["decision_maker"],
    )
    a.refresh_from_db()
    assert a.status == Status.REJECTED and a.project is None
    assert fund_balances(fund=funded).available == 10 * MSEK


def test_return_and_resubmit_keeps_versions(draft, users):
    a = submitted(draft, users)
    a = s.application_return(
        application=a, comment="Komplettera budgeten.", acting_user=users["coordinator"]
    )
    assert a.status == Status.RETURNED
    s.application_update(application=a, acting_user=users["applicant"], summary="Ny sammanfattning")
    s.application_submit(application=a, acting_user=users["applicant"])
    assert list(a.versions.values_list("number", flat=True)) == [1, 2]
    assert a.versions.get(number=2).content["summary"] == "Ny sammanfattning"


ILLEGAL = [
    ("submit twice", lambda a, u: s.application_submit(application=a, acting_user=u["applicant"])),
    (
        "recommend before review",
        lambda a, u: s.application_recommend(
            application=a, recommend=True, proposal="x", acting_user=u["coordinator"]
        ),
    ),
    (
        "decide before recommendation",
        lambda a, u: s.decision_record(
            application=a,
            approve=True,
            amount=1,
            minute_ref="§",
            decided_on=dt.date(2026, 1, 1),
            acting_user=u["decision_maker"],
        ),
    ),
]


@pytest.mark.parametrize(("name", "step"), ILLEGAL, ids=[n for n, _ in ILLEGAL])
def test_illegal_transitions_are_refused(draft, users, name, step):
    a = submitted(draft, users)
    with pytest.raises(ValidationError) as exc:
        step(a, users)
    assert "status" in exc.value.message_dict
    a.refresh_from_db()
    assert a.status == Status.SUBMITTED


def test_editing_after_submission_is_refused(draft, users):
    a = submitted(draft, users)
    with pytest.raises(ValidationError):
        s.application_update(application=a, acting_user=users["applicant"], summary="Sent")


def test_withdrawal_before_but_not_after_the_decision(draft, users):
    a = s.application_withdraw(application=submitted(draft, users), acting_user=users["applicant"])
    assert a.status == Status.WITHDRAWN
    with pytest.raises(ValidationError):
        s.application_withdraw(application=a, acting_user=users["applicant"])


def test_only_the_applying_units_may_write_and_only_council_members_review(draft, users):
    with pytest.raises(PermissionDenied):
        s.application_update(application=draft, acting_user=users["economist"], summary="x")
    a = submitted(draft, users)
    with pytest.raises(ValidationError) as exc:
        s.application_send_to_review(
            application=a, reviewers=[users["economist"]], acting_user=users["coordinator"]
        )
    assert "reviewers" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        s.application_send_to_review(
            application=a, reviewers=[users["council"]], acting_user=users["applicant"]
        )


def test_an_applicant_cannot_apply_for_another_unit(funded, unit_b, users):
    with pytest.raises(ValidationError) as exc:
        s.application_create(
            fund=funded, title="X", lead_unit=unit_b, acting_user=users["applicant"]
        )
    assert "lead_unit" in exc.value.message_dict


# --- Rules --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "value", "fix"),
    [
        (
            "max_amount",
            2 * MSEK,
            {"budget": [{"year": 2027, "description": "x", "requested": 2 * MSEK}]},
        ),
        ("max_duration_months", 12, {"end_date": dt.date(2027, 12, 31)}),
        ("min_units", 3, {"units": "three"}),
        (
            "min_own_share",
            30,
            {
                "budget": [
                    {
                        "year": 2027,
                        "description": "x",
                        "requested": 2 * MSEK,
                        "own_contribution": MSEK,
                    }
                ]
            },
        ),
    ],
)
def test_each_blocking_rule_stops_submission_until_met(draft, users, org, rule, value, fix):
    RuleSet.objects.create(
        fund=draft.fund, **{rule: value, f"{rule.removesuffix('_months')}_blocking": True}
    )
    with pytest.raises(ValidationError) as exc:
        submitted(draft, users)
    assert "__all__" in exc.value.message_dict
    if fix.get("units") == "three":
        from sifra.accounts.models import Unit

        extra = Unit.objects.create(organisation=org, name="Kulturnämnden", kind="committee")
        fix = {"units": [*draft.units.all(), extra]}
    s.application_update(application=draft, acting_user=users["applicant"], **fix)
    assert submitted(draft, users).status == Status.SUBMITTED


def test_a_warning_rule_does_not_block(draft, users):
    RuleSet.objects.create(fund=draft.fund, require_case=True, require_case_blocking=False)
    assert submitted(draft, users).status == Status.SUBMITTED


def test_missing_follow_up_plan_blocks_by_default(draft, users):
    s.application_update(application=draft, acting_user=users["applicant"], followup_plan="")
    with pytest.raises(ValidationError) as exc:
        submitted(draft, users)
    assert "follow-up" in exc.value.message_dict["__all__"][0]


def test_the_case_is_stored_and_kept_in_the_version(draft, users):
    s.application_case_set(application=draft, case=CASE, acting_user=users["applicant"])
    a = submitted(draft, users)
    assert a.versions.get().content["case"]["case"]["title"] == CASE["case"]["title"]


def test_the_own_share_rule_reads_its_percent_in_swedish(draft, users):
    from django.utils import translation

    from sifra.applications.rules import check_rules

    RuleSet.objects.create(fund=draft.fund, min_own_share=10)
    with translation.override("sv"):
        [rule] = [c for c in check_rules(draft) if c.code == "min_own_share"]
    assert "minst 10 %" in str(rule.label).replace("\xa0", " ")
