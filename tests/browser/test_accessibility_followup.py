"""axe-core on the pages that make the fund revolve, each as the person who uses it: the
follow-up overview, a project's follow-up with an approved report (charts drawn), a report
being written and one awaiting approval, the repayment pages (agreement, savings, claims and
their payment forms, a unit's debt, the fund's claims), and the evaluation, documents and
closing pages. No serious or critical violations."""

from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import Page, expect

from sifra.followup import services as fs
from sifra.followup.models import ProgressReport
from sifra.repayment import services as rs
from sifra.repayment.models import Claim
from tests.browser.conftest import login
from tests.browser.test_accessibility import assert_accessible
from tests.browser.test_followup_journey import KR, reporting_project
from tests.conftest import MSEK

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploads go to a temporary directory, never to var/files."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def world(funded, project, users) -> dict[str, Any]:
    return reporting_project(project, users["coordinator"])


def _report(world: dict[str, Any], users, *, due: int = 0, submit: bool = True) -> ProgressReport:
    """The applicant's report for the `due`-th due, with every figure, submitted unless not."""
    applicant = users["applicant"]
    dues = sorted(world["dues"], key=lambda d: (d.due_date, d.pk))
    report = fs.report_create(project=world["project"], due=dues[due], acting_user=applicant)
    report = fs.report_update(
        report=report,
        acting_user=applicant,
        participants=42,
        narrative="Familjebehandlarna mötte 42 familjer.",
        values={world["indicator"].pk: Decimal("19.5")},
        costs={world["line"].pk: 450_000 * KR},
    )
    if submit:
        report = fs.report_submit(report=report, acting_user=applicant)
    return report


@pytest.fixture
def approved(world, users) -> ProgressReport:
    report = _report(world, users)
    return fs.report_approve(report=report, acting_user=users["coordinator"])


@pytest.fixture
def repaid(world, approved, unit_a, users) -> Claim:
    """An agreement (half of each saving, unit A repays), a verified saving of 1 MSEK and a
    repayment of 200 000 kr on the 500 000 kr claim it brought."""
    economist, project = users["economist"], world["project"]
    rs.agreement_set(
        project=project,
        model="savings_share",
        share=Decimal(50),
        shares=[(unit_a, Decimal(100))],
        decision_ref="KS § 12/2026",
        acting_user=economist,
    )
    rs.saving_verify(
        project=project,
        year=2025,
        unit=unit_a,
        amount=1 * MSEK,
        evidence_kind="report",
        evidence="Delrapporten för första halvåret 2025.",
        report=approved,
        acting_user=economist,
    )
    claim = Claim.objects.get(project=project)
    rs.claim_pay(claim=claim, amount=200_000 * KR, kind="repayment", acting_user=economist)
    return claim


def _open(page: Page, live_server, user, url: str) -> None:
    login(page, live_server, user)
    response = page.goto(url)
    assert response is not None and response.status == 200, (url, response and response.status)


# --- Follow-up ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["coordinator", "applicant"])
def test_followup_overview(page: Page, live_server, world, users, role):
    """Overdue dues, and a report awaiting approval."""
    _report(world, users, due=0)
    _open(page, live_server, users[role], "/followup/")
    expect(page.locator("main table.dues tbody tr").first).to_be_visible()
    assert_accessible(page)


def test_followup_project_page_with_an_approved_report(page: Page, live_server, approved, users):
    _open(page, live_server, users["coordinator"], f"/followup/projects/{approved.project_id}/")
    expect(page.locator("figure.indicator-chart [data-vega-spec]")).to_have_attribute(
        "data-rendered", "true"
    )
    expect(page.locator("main form[action$='/schedule/']")).to_have_count(1)
    assert_accessible(page)


def test_followup_project_page_as_applicant(page: Page, live_server, world, users):
    """With the "write report" buttons, and no chart yet."""
    _open(page, live_server, users["applicant"], f"/followup/projects/{world['project'].pk}/")
    expect(page.locator("main table.dues form[action*='/write/'] button").first).to_be_visible()
    assert_accessible(page)


def test_report_edit_form_draft(page: Page, live_server, world, users):
    report = _report(world, users, submit=False)
    _open(page, live_server, users["applicant"], f"/followup/reports/{report.pk}/")
    form = page.locator(f"main form[action='/followup/reports/{report.pk}/']")
    expect(form.locator(f"[name=value_{world['indicator'].pk}]")).to_have_value("19,5")
    assert_accessible(page)
    # And with errors: a value that is no number, and participants left empty.
    form.locator(f"[name=value_{world['indicator'].pk}]").fill("nitton")
    form.locator("[name=participants]").fill("")
    form.locator("button[name=submit]").click()
    expect(form.locator(".error").first).to_be_visible()
    assert_accessible(page)


def test_returned_report_with_the_comment(page: Page, live_server, world, users):
    report = _report(world, users)
    fs.report_return(
        report=report, comment="Ange antalet nya familjer.", acting_user=users["coordinator"]
    )
    _open(page, live_server, users["applicant"], f"/followup/reports/{report.pk}/")
    expect(page.locator("main .notice[role=note]")).to_contain_text("Ange antalet nya familjer.")
    assert_accessible(page)


def test_submitted_report_as_coordinator(page: Page, live_server, world, users):
    report = _report(world, users)
    _open(page, live_server, users["coordinator"], f"/followup/reports/{report.pk}/")
    expect(
        page.locator(f"main form[action='/followup/reports/{report.pk}/approve/']")
    ).to_be_visible()
    assert_accessible(page)
    # And with the error of a return without a comment.
    page.locator(f"main form[action='/followup/reports/{report.pk}/return/'] button").click()
    expect(page.locator("main form .error").first).to_be_visible()
    assert_accessible(page)


# --- Repayment ---------------------------------------------------------------------------------


def test_repayment_project_page_with_the_agreement_form(page: Page, live_server, world, users):
    _open(page, live_server, users["economist"], f"/repayment/projects/{world['project'].pk}/")
    expect(page.locator("#agreement-form")).to_be_visible()
    assert_accessible(page)
    # And with errors: a share of savings without its share or who repays.
    form = page.locator("#agreement-form")
    form.locator("[name=agreement-model]").select_option("savings_share")
    form.locator("[name=shares-0-percent]").fill("100")
    form.locator("button[type=submit]").click()
    expect(
        page.locator("#agreement-form .error, #agreement-form .form-errors").first
    ).to_be_visible()
    assert_accessible(page)


def test_repayment_project_page_with_claims_and_payment_forms(
    page: Page, live_server, repaid, users
):
    _open(page, live_server, users["economist"], f"/repayment/projects/{repaid.project_id}/")
    expect(page.locator(f"#claim-{repaid.pk} form[action$='/pay/']")).to_have_count(1)
    expect(page.locator("#saving-form")).to_have_count(1)
    assert_accessible(page)
    # And with the error of paying more than is outstanding (assert_accessible unfolded the form).
    pay = page.locator(f"#claim-{repaid.pk} form[action$='/pay/']")
    pay.locator(f"[name=pay-{repaid.pk}-amount]").fill("900 000")
    pay.locator("button[type=submit]").click()
    expect(page.locator(f"#claim-{repaid.pk} form .error").first).to_be_visible()
    assert_accessible(page)


def test_reversing_a_saving_and_the_struck_through_row(
    page: Page, live_server, world, unit_b, users
):
    """The confirmation step, its refusal without a reason, and the reversed saving's row."""
    economist, project = users["economist"], world["project"]
    saving = rs.saving_verify(
        project=project,
        year=2025,
        unit=unit_b,
        amount=1 * MSEK,
        evidence_kind="finance",
        evidence="Ekonomisystemet, fel konto.",
        acting_user=economist,
    )
    _open(page, live_server, economist, f"/repayment/savings/{saving.pk}/reverse/")
    form = page.locator("#saving-reverse-form")
    form.locator("button[type=submit]").click()
    expect(form.locator(".error").first).to_be_visible()
    assert_accessible(page)
    form.locator("[name=reason]").fill("Fel konto i ekonomisystemet.")
    form.locator("button[type=submit]").click()
    expect(page.locator(f"#saving-{saving.pk} del").first).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize("role", ["economist", "applicant"])
def test_unit_debt_page(page: Page, live_server, repaid, unit_a, users, role):
    _open(page, live_server, users[role], f"/repayment/units/{unit_a.pk}/")
    expect(page.locator("#unit-claims tbody tr")).to_have_count(1)
    assert_accessible(page)


def test_fund_claims_page(page: Page, live_server, repaid, users):
    _open(page, live_server, users["coordinator"], "/repayment/")
    expect(page.locator("#claims tbody tr")).to_have_count(1)
    expect(page.locator("#repayment-chart")).to_have_attribute("data-rendered", "true")
    assert_accessible(page)


# --- Evaluation, documents, closing ------------------------------------------------------------


@pytest.fixture
def evaluated(funded, unit_a, users):
    """An approved application with the Norrköping case, its project with an evaluation and
    an evaluation report: the case after the fact beside the case before."""
    from sifra.documents.services import document_upload
    from sifra.evaluation.services import evaluation_record
    from tests.factories import approved_case_project

    coordinator = users["coordinator"]
    project = approved_case_project(funded, unit_a, users)
    document = document_upload(
        project=project,
        title="Utvärderingsrapport",
        upload=SimpleUploadedFile("utvardering.pdf", PDF),
        acting_user=coordinator,
    )
    evaluation_record(
        project=project,
        method="quasi",
        effect=Decimal("0.15"),
        ci_low=Decimal("0.05"),
        ci_high=Decimal("0.25"),
        evaluator="Linköpings universitet",
        summary="Färre placeringar än i jämförelsegruppen.",
        report=document,
        acting_user=coordinator,
    )
    return project


@pytest.mark.parametrize("role", ["coordinator", "council"])
def test_evaluation_page_with_the_case_after_the_fact(
    page: Page, live_server, evaluated, users, role
):
    _open(page, live_server, users[role], f"/evaluation/projects/{evaluated.pk}/")
    expect(page.locator("#expost-chart")).to_have_attribute("data-rendered", "true")
    expect(page.locator("main article")).to_have_count(1)
    assert_accessible(page)


def test_evaluation_form_with_errors(page: Page, live_server, evaluated, users):
    _open(page, live_server, users["economist"], f"/evaluation/projects/{evaluated.pk}/")
    page.locator("main form[enctype='multipart/form-data'] button[type=submit]").click()
    expect(page.locator("main form .error").first).to_be_visible()
    assert_accessible(page)


def test_documents_page(page: Page, live_server, evaluated, users):
    _open(page, live_server, users["applicant"], f"/evaluation/projects/{evaluated.pk}/documents/")
    expect(page.locator("main table tbody tr a[href^='/evaluation/documents/']")).to_have_count(1)
    expect(page.locator("main input[type=file]")).to_have_count(1)
    assert_accessible(page)


def test_close_page(page: Page, live_server, world, users):
    _open(
        page,
        live_server,
        users["coordinator"],
        f"/evaluation/projects/{world['project'].pk}/close/",
    )
    expect(page.locator("main input[name=outcome]")).to_have_count(2)
    assert_accessible(page)
    # And with the errors of closing without a decision or an approved final report.
    page.locator("main form[method=post] button[type=submit]").click()
    expect(page.locator("main form .error, main .form-errors").first).to_be_visible()
    assert_accessible(page)


def test_close_page_of_a_closed_project(page: Page, live_server, world, users):
    from sifra.projects.services import project_close

    coordinator = users["coordinator"]
    final = _report(world, users, due=1)
    fs.report_approve(report=final, acting_user=coordinator)
    project_close(
        project=world["project"],
        outcome="implement",
        note="Arbetssättet förs in i ordinarie verksamhet.",
        acting_user=coordinator,
    )
    _open(page, live_server, coordinator, f"/evaluation/projects/{world['project'].pk}/close/")
    expect(page.locator("#closed-heading")).to_be_visible()
    assert_accessible(page)
