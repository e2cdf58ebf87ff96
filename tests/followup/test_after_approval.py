"""Issue 10, after approval: the applicant is not left waiting for a reporting plan (one is
proposed from the fund's rules at approval, and the coordinator can change it); follow-up
measures costs against the budget as granted, not as asked; the agreement form starts from the
repayment the application proposed."""

import datetime as dt
from decimal import Decimal

from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from sifra.applications import services as s
from sifra.applications.models import RuleSet
from sifra.followup.charts import cost_rows, cost_totals
from sifra.followup.services import granted_budget

MSEK = 100_000_000
KR = 100


def client_for(user, language="sv"):
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    return client


def approve(
    funded, unit_a, users, *, granted, start=dt.date(2027, 1, 1), end=dt.date(2027, 12, 31)
):
    """An application asking 2 000 000 + 1 000 000 kr (and 500 000 kr of its own), proposing
    40 % of the savings back, approved with `granted` öre."""
    a = s.application_create(
        fund=funded, title="Tidigt stöd", lead_unit=unit_a, acting_user=users["applicant"]
    )
    s.application_update(
        application=a,
        acting_user=users["applicant"],
        followup_plan="Kvartalsvis.",
        evaluation_plan="Kontrollgrupp.",
        start_date=start,
        end_date=end,
        repayment_model="savings_share",
        repayment_share=Decimal("40"),
        budget=[
            {
                "year": 2027,
                "description": "Familjebehandlare",
                "requested": 2 * MSEK,
                "own_contribution": MSEK // 2,
            },
            {"year": 2027, "description": "Utbildning", "requested": MSEK},
        ],
    )
    s.application_submit(application=a, acting_user=users["applicant"])
    s.application_send_to_review(
        application=a, reviewers=[users["council"]], acting_user=users["coordinator"]
    )
    s.review_submit(
        application=a,
        acting_user=users["council"],
        evidence_strength=4,
        evaluation_quality=4,
        case_realism=4,
        recommendation="approve",
    )
    s.application_recommend(
        application=a, recommend=True, proposal="Bifall.", acting_user=users["coordinator"]
    )
    s.decision_record(
        application=a,
        approve=True,
        amount=granted,
        minute_ref="KSAU § 1/2027",
        decided_on=dt.date(2026, 3, 1),
        acting_user=users["decision_maker"],
    )
    a.refresh_from_db()
    return a.project


def dues(project):
    return [
        (d.kind, d.period_start, d.period_end, d.due_date)
        for d in project.dues.order_by("due_date")
    ]


# --- The reporting plan ---------------------------------------------------------------------


def test_a_plan_is_proposed_from_the_funds_default_rules_at_approval(funded, unit_a, users):
    project = approve(funded, unit_a, users, granted=3 * MSEK)
    # Every six months, due 30 days after the period; the final report 90 days after the end
    # (2027-12-31 + 90 days is 2028-03-30: 2028 is a leap year).
    assert dues(project) == [
        ("progress", dt.date(2027, 1, 1), dt.date(2027, 6, 30), dt.date(2027, 7, 30)),
        ("final", dt.date(2027, 1, 1), dt.date(2027, 12, 31), dt.date(2028, 3, 30)),
    ]


def test_the_plan_follows_the_funds_own_rules(funded, unit_a, users):
    RuleSet.objects.create(fund=funded, report_every_months=4, report_days=14, final_report_days=60)
    project = approve(funded, unit_a, users, granted=3 * MSEK)
    assert dues(project) == [
        ("progress", dt.date(2027, 1, 1), dt.date(2027, 4, 30), dt.date(2027, 5, 14)),
        ("progress", dt.date(2027, 5, 1), dt.date(2027, 8, 31), dt.date(2027, 9, 14)),
        ("final", dt.date(2027, 1, 1), dt.date(2027, 12, 31), dt.date(2028, 2, 29)),
    ]


def test_the_applicant_can_start_the_first_report_at_once(funded, unit_a, users):
    project = approve(funded, unit_a, users, granted=3 * MSEK)
    page = client_for(users["applicant"]).get(f"/followup/projects/{project.pk}/")
    first = project.dues.order_by("due_date").first()
    assert f"/followup/projects/{project.pk}/dues/{first.pk}/write/" in page.content.decode()


def test_the_coordinator_changes_the_proposed_plan(funded, unit_a, users):
    RuleSet.objects.create(fund=funded, report_every_months=4)
    project = approve(funded, unit_a, users, granted=3 * MSEK)
    coordinator = client_for(users["coordinator"])
    page = coordinator.get(f"/followup/projects/{project.pk}/")
    assert page.context["schedule_form"]["every_months"].value() == 4  # the fund's rule
    coordinator.post(
        f"/followup/projects/{project.pk}/schedule/",
        {"every_months": "12", "days_to_report": "30", "final_days": "90"},
    )
    assert [k for k, *_ in dues(project)] == ["final"]  # a year-long project: no progress report


def test_no_plan_is_proposed_without_dates_and_the_approval_still_goes_through(
    funded, unit_a, users
):
    project = approve(funded, unit_a, users, granted=3 * MSEK, start=None, end=None)
    assert project is not None and dues(project) == []


def test_the_rules_form_and_the_api_hold_the_reporting_plan(funded, users):
    coordinator = client_for(users["coordinator"], "en")
    data = {
        "max_duration_months": "36",
        "report_every_months": "3",
        "report_days": "20",
        "final_report_days": "60",
    }
    response = coordinator.post(f"/applications/rules/{funded.pk}/", data)
    assert response.status_code == 302
    rules = RuleSet.objects.get(fund=funded)
    assert (rules.report_every_months, rules.report_days, rules.final_report_days) == (3, 20, 60)
    refused = coordinator.post(
        f"/applications/rules/{funded.pk}/", {**data, "report_every_months": "0"}
    )
    assert refused.status_code == 200 and refused.context["form"].errors["report_every_months"]
    api = coordinator.get(f"/api/funds/{funded.pk}/rules").json()
    assert (api["report_every_months"], api["report_days"], api["final_report_days"]) == (3, 20, 60)
    bad = coordinator.put(
        f"/api/funds/{funded.pk}/rules",
        {"report_every_months": 25},
        content_type="application/json",
    )
    assert bad.status_code in (400, 422) and "report_every_months" in bad.content.decode()


# --- Costs against the granted budget -------------------------------------------------------


def test_less_granted_than_asked_scales_the_funds_part_of_each_line(funded, unit_a, users):
    project = approve(funded, unit_a, users, granted=1_500_000 * KR)
    lines = list(project.budget_lines.values_list("description", "from_fund", "own_contribution"))
    # 1 500 000 of 3 000 000 asked: each line's part from the fund halved; own money as planned.
    assert lines == [
        ("Familjebehandlare", 1_000_000 * KR, 500_000 * KR),
        ("Utbildning", 500_000 * KR, 0),
    ]
    totals = cost_totals(cost_rows(project=project))
    assert totals == {"budget": 2_000_000 * KR, "actual": 0, "remaining": 2_000_000 * KR}


def test_all_that_was_asked_granted_keeps_the_lines(funded, unit_a, users):
    project = approve(funded, unit_a, users, granted=3 * MSEK)
    assert list(project.budget_lines.values_list("from_fund", flat=True)) == [2 * MSEK, MSEK]


def test_the_follow_up_page_compares_with_the_granted_budget(funded, unit_a, users):
    project = approve(funded, unit_a, users, granted=1_500_000 * KR)
    page = client_for(users["coordinator"]).get(f"/followup/projects/{project.pk}/")
    html = page.content.decode().replace("\xa0", " ").replace("\u202f", " ")
    assert "2 000 000 kr" in html  # 1 500 000 granted + 500 000 own
    assert "3 500 000 kr" not in html  # not the 3 000 000 asked + 500 000 own


def test_odd_amounts_go_by_the_largest_remainder():
    # 100 öre granted of 1 + 1 + 1 öre... scaled: 3 lines of 1 öre, 2 granted: the first two.
    assert granted_budget([1, 1, 1], 2) == [1, 1, 0]
    # 1 000 kr granted of 300 + 300 + 300 + 100 öre asked... by hand: 1000 × 3/10 = 300 each.
    assert granted_budget([300, 300, 300, 100], 500) == [150, 150, 150, 50]
    assert granted_budget([0, 0], 0) == [0, 0]


@given(
    st.lists(st.integers(min_value=0, max_value=10**12), min_size=1, max_size=8),
    st.floats(min_value=0, max_value=1),
)
def test_the_granted_lines_sum_to_the_grant_and_never_pass_what_was_asked(asked, part):
    total = sum(asked)
    granted = int(total * part)
    lines = granted_budget(asked, granted)
    assert sum(lines) == granted
    assert all(0 <= g <= a for g, a in zip(lines, asked, strict=True))


# --- The proposed repayment carried into the agreement --------------------------------------


def test_the_agreement_form_starts_from_the_applications_proposed_repayment(funded, unit_a, users):
    project = approve(funded, unit_a, users, granted=1_500_000 * KR)
    page = client_for(users["economist"]).get(f"/repayment/projects/{project.pk}/")
    form = page.context["agreement_form"]
    assert form["model"].value() == "savings_share"
    assert form["share"].value() == Decimal("40")
    assert form.initial["cap"] == 1_500_000 * KR  # the cap is what was granted
    assert 'value="40"' in page.content.decode() or 'value="40,00"' in page.content.decode()
