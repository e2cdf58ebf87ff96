"""The fund revolves, in Chromium, as the real users do it: the applicant writes the project's
first progress report and submits it; the coordinator returns it with a comment; the applicant
revises and resubmits it; the coordinator approves it, and the follow-up page shows the approved
actual in its table and chart. Then the economist sets the repayment agreement, records a
verified saving, sees the claim it brings and posts a repayment against it; the fund's capital
rises by exactly the repayment and the unit's debt falls by it."""

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from sifra.followup.models import ProgressReport, ReportStatus
from sifra.funds.models import LedgerEntry
from sifra.funds.selectors import fund_balances
from sifra.repayment.models import Agreement, Claim, ClaimPayment, VerifiedSaving
from tests.browser.conftest import login
from tests.browser.test_application_journey import kronor, switch_user
from tests.conftest import MSEK

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KR = 100  # öre


def reporting_project(project, coordinator) -> dict[str, Any]:
    """P-1 ran through 2025 with 2 MSEK committed and 1 MSEK paid out, an indicator, a budget
    line and a report every six months: its first progress report is due."""
    from sifra.followup.services import budget_line_add, indicator_add, schedule_set
    from sifra.funds.services import ledger_entry_post
    from sifra.projects.services import project_update

    project = project_update(
        project=project,
        acting_user=coordinator,
        start_date=dt.date(2025, 1, 1),
        end_date=dt.date(2025, 12, 31),
    )
    for kind, amount, day in (
        ("commitment", 2 * MSEK, dt.date(2026, 2, 1)),
        ("disbursement", 1 * MSEK, dt.date(2026, 3, 1)),
    ):
        ledger_entry_post(
            fund=project.fund,
            kind=kind,
            amount=amount,
            text=f"P-1 {kind}",
            date=day,
            project=project,
            decision_ref="KS § 7/2026",
            acting_user=coordinator,
        )
    indicator = indicator_add(
        project=project,
        acting_user=coordinator,
        name="Placeringar",
        unit="antal",
        baseline=Decimal("24"),
        baseline_year=2024,
        target=Decimal("18"),
    )
    line = budget_line_add(
        project=project,
        acting_user=coordinator,
        year=2025,
        description="Familjebehandlare",
        from_fund=500_000 * KR,
        own_contribution=100_000 * KR,
    )
    dues = schedule_set(project=project, every_months=6, acting_user=coordinator)
    return {"project": project, "indicator": indicator, "line": line, "dues": dues}


def kronor_in(locator: Locator) -> int:
    """The whole kronor a card shows ('9 000 000 kr', any spaces, '−' for minus)."""
    text = locator.inner_text()
    digits = re.sub(r"[^\d]", "", text.split(",")[0])
    return -int(digits) if "−" in text or "-" in text else int(digits)


def test_a_report_returned_and_approved_then_a_saving_brings_a_claim_that_is_repaid(
    page: Page, live_server, funded, project, unit_a, users
):
    applicant, coordinator, economist = users["applicant"], users["coordinator"], users["economist"]
    world = reporting_project(project, coordinator)
    indicator, line = world["indicator"], world["line"]
    first_due = min(world["dues"], key=lambda d: (d.due_date, d.pk))

    # --- The applicant writes the first progress report and submits it. ---
    login(page, live_server, applicant)
    page.goto(f"/followup/projects/{project.pk}/")
    write = page.locator("main table.dues form[action*='/write/'] button[type=submit]")
    expect(write).to_have_count(2)
    expect(page.locator(f"main form[action$='/dues/{first_due.pk}/write/']")).to_have_count(1)
    write.first.click()
    expect(page).to_have_url(re.compile(r"/followup/reports/\d+/$"))
    pk = int(re.search(r"/followup/reports/(\d+)/", page.url).group(1))  # type: ignore[union-attr]
    report = ProgressReport.objects.get(pk=pk)
    assert (report.due_id, report.status, report.created_by) == (
        first_due.pk,
        ReportStatus.DRAFT,
        applicant,
    )
    status_of = page.locator("main .status")
    expect(status_of).to_have_class(re.compile(r"\bstatus-draft\b"))

    form = page.locator(f"main form[action='/followup/reports/{pk}/']")
    form.locator("[name=participants]").fill("42")
    form.locator(f"[name=value_{indicator.pk}]").fill("19,5")
    form.locator(f"[name=cost_{line.pk}]").fill("450 000")
    form.locator("[name=narrative]").fill("Familjebehandlarna mötte 42 familjer under våren.")
    form.locator("button[name=submit]").click()
    expect(page).to_have_url(re.compile(rf"/followup/reports/{pk}/$"))
    expect(page.locator(".messages")).to_be_visible()
    expect(status_of).to_have_class(re.compile(r"\bstatus-submitted\b"))
    expect(page.locator(f"main form[action='/followup/reports/{pk}/']")).to_have_count(0)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.values.get().value == Decimal("19.5")
    assert report.costs.get().amount == 450_000 * KR

    # --- The coordinator returns it with a comment. ---
    switch_user(page, live_server, coordinator)
    page.goto(f"/followup/reports/{pk}/")
    expect(status_of).to_have_class(re.compile(r"\bstatus-submitted\b"))
    comment = "Ange hur många av familjerna som var nya under perioden."
    returning = page.locator(f"main form[action='/followup/reports/{pk}/return/']")
    returning.locator("[name=comment]").fill(comment)
    returning.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/followup/reports/{pk}/$"))
    expect(status_of).to_have_class(re.compile(r"\bstatus-returned\b"))
    expect(page.locator(f"main form[action='/followup/reports/{pk}/approve/']")).to_have_count(0)

    # --- The applicant reads the comment, revises and resubmits. ---
    switch_user(page, live_server, applicant)
    page.goto(f"/followup/projects/{project.pk}/")
    page.locator(f"main table.dues a[href='/followup/reports/{pk}/']").click()
    expect(page).to_have_url(re.compile(rf"/followup/reports/{pk}/$"))
    expect(status_of).to_have_class(re.compile(r"\bstatus-returned\b"))
    expect(page.locator("main .notice[role=note]")).to_contain_text(comment)
    # The draft keeps what was written, the Swedish way.
    expect(form.locator("[name=participants]")).to_have_value("42")
    expect(form.locator(f"[name=value_{indicator.pk}]")).to_have_value("19,5")
    expect(form.locator(f"[name=cost_{line.pk}]")).to_have_value(re.compile(r"^450\s000$"))
    form.locator("[name=participants]").fill("45")
    form.locator("[name=narrative]").fill(
        "Familjebehandlarna mötte 45 familjer under våren, varav 30 nya."
    )
    form.locator("button[name=submit]").click()
    expect(page).to_have_url(re.compile(rf"/followup/reports/{pk}/$"))
    expect(status_of).to_have_class(re.compile(r"\bstatus-submitted\b"))

    # --- The coordinator approves it. ---
    switch_user(page, live_server, coordinator)
    page.goto(f"/followup/reports/{pk}/")
    page.locator(f"main form[action='/followup/reports/{pk}/approve/'] button").click()
    expect(page).to_have_url(re.compile(rf"/followup/reports/{pk}/$"))
    expect(status_of).to_have_class(re.compile(r"\bstatus-approved\b"))

    # --- The follow-up page shows the approved actual, in the table and in the chart. ---
    page.goto(f"/followup/projects/{project.pk}/")
    indicators = page.locator("section[aria-labelledby=indicators-heading] table").first.locator(
        "tbody > tr"
    )
    expect(indicators).to_have_count(1)
    expect(indicators.locator("td").nth(2)).to_have_text("19,5")
    expect(indicators.locator("td").nth(3)).to_have_text("2025-06-30")
    expect(page.locator("figure.indicator-chart [data-vega-spec]")).to_have_attribute(
        "data-rendered", "true"
    )
    expect(page.locator("figure.indicator-chart svg, figure.indicator-chart canvas")).to_have_count(
        1
    )
    costs = page.locator("section[aria-labelledby=costs-heading] table").first.locator("tbody > tr")
    expect(costs.locator("td").nth(5)).to_have_text(kronor("450 000 kr"))
    expect(
        page.locator("section[aria-labelledby=costs-heading] [data-vega-spec]")
    ).to_have_attribute("data-rendered", "true")

    # --- The economist reads the fund's capital before the money comes back. ---
    switch_user(page, live_server, economist)
    page.goto(f"/funds/{funded.pk}/")
    capital = page.locator("[data-balance=capital]")
    expect(capital).to_have_text(kronor("9 000 000 kr"))
    capital_before = kronor_in(capital)

    # --- The economist sets the agreement: half of each verified saving, all from unit A. ---
    page.goto(f"/repayment/projects/{project.pk}/")
    agreement = page.locator("#agreement-form")
    expect(agreement).to_be_visible()
    agreement.locator("[name=agreement-model]").select_option("savings_share")
    agreement.locator("[name=agreement-share]").fill("50")
    expect(agreement.locator("[name=agreement-cap]")).to_have_value(re.compile(r"^2\s000\s000$"))
    agreement.locator("[name=shares-0-unit]").select_option(str(unit_a.pk))
    agreement.locator("[name=shares-0-percent]").fill("100")
    agreement.locator("[name=agreement-decision_ref]").fill("KS § 12/2026")
    agreement.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/repayment/projects/{project.pk}/$"))
    expect(page.locator(".messages")).to_be_visible()
    expect(page.locator("dl#agreement")).to_contain_text("50 %")
    expect(page.locator("dl#agreement")).to_contain_text(unit_a.name)
    expect(page.locator("[data-figure=cap]")).to_have_text(kronor("2 000 000 kr"))

    # --- A verified saving of 1 000 000 kr in unit A, with its evidence. ---
    page.locator("details:has(#saving-form) > summary").click()
    saving = page.locator("#saving-form")
    saving.locator("[name=saving-year]").fill("2025")
    saving.locator("[name=saving-unit]").select_option(str(unit_a.pk))
    saving.locator("[name=saving-amount]").fill("1 000 000")
    saving.locator("[name=saving-evidence_kind]").select_option("report")
    saving.locator("[name=saving-evidence]").fill(
        "Delrapporten för första halvåret 2025 och placeringskostnaderna i ekonomisystemet."
    )
    saving.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/repayment/projects/{project.pk}/$"))
    expect(page.locator("#savings tbody tr")).to_have_count(1)
    expect(page.locator("#savings tbody tr td").nth(2)).to_have_text(kronor("1 000 000 kr"))

    # --- The claim follows: half of the saving, on unit A. ---
    claims = page.locator("#claims tbody tr")
    expect(claims).to_have_count(1)
    claim = Claim.objects.get(project=project)
    row = page.locator(f"#claim-{claim.pk}")
    expect(row.locator(f"a[href='/repayment/units/{unit_a.pk}/']")).to_have_text(unit_a.name)
    expect(row.locator("td").nth(2)).to_have_text(kronor("500 000 kr"))
    expect(row.locator("td").nth(6)).to_have_text(kronor("500 000 kr"))
    expect(page.locator("[data-total=due]")).to_have_text(kronor("500 000 kr"))

    # --- The economist posts a repayment of 200 000 kr against it. ---
    row.locator("details > summary").click()
    pay = row.locator(f"form[action='/repayment/claims/{claim.pk}/pay/']")
    expect(pay.locator(f"[name=pay-{claim.pk}-kind]")).to_have_value("repayment")
    expect(pay.locator(f"[name=pay-{claim.pk}-date]")).not_to_have_value("")
    pay.locator(f"[name=pay-{claim.pk}-amount]").fill("200 000")
    pay.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/repayment/projects/{project.pk}/$"))
    expect(page.locator(".messages")).to_be_visible()
    expect(row.locator("td").nth(4)).to_have_text(kronor("200 000 kr"))
    expect(row.locator("td").nth(6)).to_have_text(kronor("300 000 kr"))
    expect(page.locator("[data-total=paid]")).to_have_text(kronor("200 000 kr"))
    expect(page.locator("[data-total=outstanding]")).to_have_text(kronor("300 000 kr"))

    # --- The fund's capital rose by exactly the repayment. ---
    page.goto(f"/funds/{funded.pk}/")
    expect(capital).to_have_text(kronor("9 200 000 kr"))
    assert kronor_in(capital) - capital_before == 200_000
    expect(page.locator("[data-balance=claims]")).to_have_text(kronor("300 000 kr"))

    # --- And unit A owes the fund 300 000 kr. ---
    page.goto(f"/repayment/units/{unit_a.pk}/")
    expect(page.locator("[data-total=due]")).to_have_text(kronor("500 000 kr"))
    expect(page.locator("[data-total=paid]")).to_have_text(kronor("200 000 kr"))
    expect(page.locator("[data-total=outstanding]")).to_have_text(kronor("300 000 kr"))
    unit_rows = page.locator("#unit-claims tbody tr")
    expect(unit_rows).to_have_count(1)
    expect(unit_rows.locator("td").nth(6)).to_have_text(kronor("300 000 kr"))

    # --- And in the database. ---
    report = ProgressReport.objects.get(pk=pk)
    assert report.status == ReportStatus.APPROVED
    assert report.approved_at is not None and report.submitted_at is not None
    assert report.participants == 45
    assert report.comment == comment
    assert report.values.get().value == Decimal("19.5")
    assert report.costs.get().amount == 450_000 * KR

    agreement_row = Agreement.objects.get(project=project)
    assert (agreement_row.model, agreement_row.share, agreement_row.cap) == (
        "savings_share",
        Decimal("50"),
        2 * MSEK,
    )
    assert [(s.unit, s.percent) for s in agreement_row.shares.all()] == [(unit_a, Decimal(100))]
    verified = VerifiedSaving.objects.get(project=project)
    assert (verified.year, verified.unit, verified.amount, verified.verified_by) == (
        2025,
        unit_a,
        1 * MSEK,
        economist,
    )
    claim = Claim.objects.get(project=project)
    assert (claim.unit, claim.year, claim.amount, claim.saving) == (
        unit_a,
        2025,
        500_000 * KR,
        verified,
    )
    payment = ClaimPayment.objects.get(claim=claim)
    assert (payment.kind, payment.amount) == ("repayment", 200_000 * KR)
    assert payment.ledger_entry.kind == "repayment"
    assert payment.ledger_entry.posted_by == economist

    balances = fund_balances(fund=funded)
    # 10 MSEK deposited, 1 MSEK paid out, 200 000 kr repaid.
    assert balances.capital == 10 * MSEK - 1 * MSEK + 200_000 * KR
    assert balances.committed == 1 * MSEK
    assert balances.claims == 300_000 * KR
    kinds = list(
        LedgerEntry.objects.filter(fund=funded, project=project)
        .order_by("number")
        .values_list("kind", "amount")
    )
    assert kinds == [
        ("commitment", 2 * MSEK),
        ("disbursement", 1 * MSEK),
        ("claim", 500_000 * KR),
        ("repayment", 200_000 * KR),
    ]
