"""The repayment pages: who may see and do what, forms that show bad input instead of failing,
the claims' figures and their CSV."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from sifra.accounts.models import Unit
from sifra.applications.models import Application
from sifra.funds.selectors import fund_balances
from sifra.repayment import services
from sifra.repayment.models import Agreement, Claim, ClaimPayment, VerifiedSaving

D = Decimal
THIS_YEAR = dt.date.today().year
STAFF = ["coordinator", "council", "decision_maker", "economist", "auditor"]


@pytest.fixture
def client_for(users):
    def make(role, language="en"):
        client = Client(headers={"accept-language": language})
        client.force_login(users[role])
        return client

    return make


@pytest.fixture
def claims(granted_project, economist, unit_a, unit_b):
    """A savings-share agreement, 70 % unit A and 30 % unit B; a saving for 2020 (long overdue)
    and one for this year (not yet due: savings are verified only for years that have begun),
    each of 1 000 000 öre, so claims of 700 000 and 300 000."""
    services.agreement_set(
        project=granted_project,
        model="savings_share",
        share=D(100),
        shares=[(unit_a, D(70)), (unit_b, D(30))],
        acting_user=economist,
    )
    for year in (2020, THIS_YEAR):
        services.saving_verify(
            project=granted_project,
            year=year,
            unit=unit_a,
            amount=1_000_000,
            evidence_kind="report",
            evidence="Uppföljningsrapport",
            acting_user=economist,
            date=dt.date(2026, 2, 15),  # before the payments these tests date 1 March
        )
    return {(c.unit_id, c.year): c for c in Claim.objects.all()}


def url(project):
    return f"/repayment/projects/{project.pk}/"


# --- Who may see what ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", [*STAFF, "applicant"])
def test_the_project_page_for_staff_and_the_projects_own_applicant(
    client_for, claims, granted_project, role
):
    response = client_for(role).get(url(granted_project))
    assert response.status_code == 200
    assert b"P-1" in response.content
    manages = role in ("coordinator", "economist")
    assert (b'id="saving-form"' in response.content) == manages
    assert (b"/pay/" in response.content) == manages


def test_another_units_applicant_may_not_see_the_project(client_for, granted_project):
    assert client_for("outsider").get(url(granted_project)).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(granted_project):
    for path in (url(granted_project), "/repayment/", "/repayment/claims.csv"):
        response = Client().get(path)
        assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("role", ["applicant", "council", "auditor", "decision_maker"])
def test_only_repayment_managers_post(client_for, claims, granted_project, unit_a, role):
    client = client_for(role)
    claim = claims[(unit_a.pk, 2020)]
    posts = [
        (f"{url(granted_project)}agreement/", {"agreement-model": "none"}),
        (f"{url(granted_project)}savings/", {"saving-year": "2030"}),
        (f"/repayment/claims/{claim.pk}/pay/", {f"pay-{claim.pk}-amount": "1"}),
    ]
    for path, data in posts:
        assert client.post(path, data).status_code == 403
    assert not ClaimPayment.objects.exists()


def test_posting_pages_refuse_get(client_for, granted_project):
    assert client_for("economist").get(f"{url(granted_project)}savings/").status_code == 405


def test_unknown_things_are_404(client_for):
    client = client_for("economist")
    assert client.get("/repayment/projects/9999/").status_code == 404
    assert client.get("/repayment/units/9999/").status_code == 404
    assert client.post("/repayment/claims/9999/pay/").status_code == 404


@pytest.mark.parametrize("role", STAFF)
def test_staff_see_every_units_debt(client_for, claims, unit_b, role):
    assert client_for(role).get(f"/repayment/units/{unit_b.pk}/").status_code == 200


def test_an_applicant_sees_its_own_units_debt_only(client_for, claims, unit_a, unit_b):
    own = client_for("applicant").get(f"/repayment/units/{unit_a.pk}/")
    assert own.status_code == 200
    assert own.context["debt"].totals.due == 1_400_000
    assert client_for("applicant").get(f"/repayment/units/{unit_b.pk}/").status_code == 403
    other = client_for("outsider").get(f"/repayment/units/{unit_b.pk}/")
    assert other.status_code == 200 and other.context["debt"].totals.due == 600_000
    # the outsider's unit owes on P-1 but may not open P-1: no link to it
    assert f'href="{url(claims[(unit_b.pk, 2020)].project)}"'.encode() not in other.content
    assert client_for("outsider").get(f"/repayment/units/{unit_a.pk}/").status_code == 403


def test_the_unit_page_shows_what_is_due_paid_and_overdue(client_for, claims, economist, unit_a):
    services.claim_pay(
        claim=claims[(unit_a.pk, 2020)], amount=200_000, kind="repayment", acting_user=economist
    )
    page = client_for("applicant").get(f"/repayment/units/{unit_a.pk}/")
    totals = page.context["debt"].totals
    assert (totals.due, totals.paid, totals.outstanding, totals.overdue) == (
        1_400_000,
        200_000,
        1_200_000,
        500_000,
    )
    text = page.content.decode()
    assert "SEK 14,000" in text and "SEK 5,000" in text
    assert [r["year"] for r in page.context["debt"].rows] == [2020, THIS_YEAR]


@pytest.mark.parametrize("role", ["applicant", "outsider"])
def test_the_fund_wide_claims_are_for_staff(client_for, claims, role):
    assert client_for(role).get("/repayment/").status_code == 403
    assert client_for(role).get("/repayment/claims.csv").status_code == 403


# --- The agreement form -------------------------------------------------------------------------


def agreement_data(rows=(), instalments=(), **fields):
    data = {
        "agreement-model": "savings_share",
        "agreement-share": "50",
        "agreement-cap": "",
        "agreement-due_months": "6",
        "agreement-decision_ref": "KS § 12/2026",
        "agreement-notes": "",
        "shares-TOTAL_FORMS": str(max(len(rows), 2)),
        "shares-INITIAL_FORMS": "0",
        "inst-TOTAL_FORMS": str(max(len(instalments), 1)),
        "inst-INITIAL_FORMS": "0",
    }
    for i, (unit, percent) in enumerate(rows):
        data[f"shares-{i}-unit"] = str(unit.pk)
        data[f"shares-{i}-percent"] = percent
    for i, (year, amount) in enumerate(instalments):
        data[f"inst-{i}-year"] = str(year)
        data[f"inst-{i}-amount"] = amount
    data.update({f"agreement-{k}": v for k, v in fields.items()})
    return data


def test_the_form_offers_the_granted_amount_as_cap(client_for, granted_project):
    page = client_for("economist").get(url(granted_project))
    assert page.context["agreement_form"].initial["cap"] == 200_000_000
    assert b'id="agreement-form"' in page.content


def test_setting_an_agreement(client_for, granted_project, unit_a, unit_b):
    data = agreement_data([(unit_a, "60"), (unit_b, "40")])
    response = client_for("economist").post(f"{url(granted_project)}agreement/", data)
    assert response.status_code == 302
    a = Agreement.objects.get(project=granted_project)
    assert (a.model, a.share, a.cap, a.decision_ref) == (
        "savings_share",
        D(50),
        200_000_000,
        "KS § 12/2026",
    )
    assert [(s.unit, s.percent) for s in a.shares.all()] == [(unit_a, D(60)), (unit_b, D(40))]


def test_setting_a_fixed_schedule_in_swedish(client_for, granted_project, unit_a):
    data = agreement_data(
        [(unit_a, "100")], [(2027, "250 000"), (2028, "125 000,50")], model="fixed", share=""
    )
    response = client_for("economist", "sv").post(f"{url(granted_project)}agreement/", data)
    assert response.status_code == 302
    assert [c.amount for c in Claim.objects.order_by("year")] == [25_000_000, 12_500_050]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"rows": [("a", "60"), ("b", "30")]}, "must add up to 100"),
        ({"rows": [("a", "60"), ("a", "40")]}, "Name each unit only once."),
        ({"rows": [("a", "100")], "share": ""}, "Give the share of savings repaid"),
        ({"rows": [("a", "100")], "share": "abc"}, "Enter a number"),
        ({"rows": [("a", "100")], "cap": "tio kronor"}, "Enter an amount in kronor"),
        ({"rows": [("a", "100")], "model": "lottery"}, "Select a valid choice"),
        ({"rows": [("a", "100")], "due_months": "99"}, "less than or equal to 36"),
        ({"rows": [("a", "150")]}, "less than or equal to 100"),
        ({"rows": [("a", "100")], "model": "fixed"}, "Give the amounts per year"),
    ],
)
def test_bad_agreements_are_shown_not_saved(
    client_for, granted_project, unit_a, unit_b, data, message
):
    units = {"a": unit_a, "b": unit_b}
    data = dict(data)
    rows = [(units[k], p) for k, p in data.pop("rows")]
    response = client_for("economist").post(
        f"{url(granted_project)}agreement/", agreement_data(rows, **data)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Agreement.objects.exists()


def test_a_tampered_management_form_is_an_error_not_a_crash(client_for, granted_project, unit_a):
    data = agreement_data([(unit_a, "100")])
    del data["shares-TOTAL_FORMS"]
    response = client_for("economist").post(f"{url(granted_project)}agreement/", data)
    assert response.status_code == 200 and not Agreement.objects.exists()


def test_an_agreement_with_claims_offers_no_form(client_for, claims, granted_project, unit_a):
    page = client_for("economist").get(url(granted_project))
    assert b'id="agreement-form"' not in page.content
    assert b"can no longer be changed" in page.content
    response = client_for("economist").post(
        f"{url(granted_project)}agreement/", agreement_data([(unit_a, "100")], model="none")
    )
    assert response.status_code == 200
    assert "already has claims" in response.content.decode()
    assert Agreement.objects.get().model == "savings_share"


# --- The proposed split -------------------------------------------------------------------------

CASE = {
    "case": {
        "title": "T",
        "start_year": 2026,
        "horizon": 3,
        "discount_rate": 0.0,
        "price_year": 2026,
    },
    "actors": [
        {"id": "soc", "name": "Socialnämnden", "sector": "kommun"},
        {"id": "von", "name": "Vård och omsorg", "sector": "kommun"},
        {"id": "reg", "name": "Region Testland", "sector": "region"},
    ],
    "costs": [{"name": "Personal", "actor": "soc", "amounts": [100000]}],
    "participants": {"entering": [10]},
    "outcomes": [
        {
            "name": "Färre placeringar",
            "effect": 0.5,
            "kind": "once",
            "lag": 0,
            "unit_costs": {"soc": 1000, "von": 3000, "reg": 4000},
        }
    ],
}


def test_the_form_proposes_who_repays_from_the_case(
    client_for, granted_project, unit_a, unit_b, users
):
    Unit.objects.filter(pk=unit_b.pk).update(code="von")
    Application.objects.create(
        fund=granted_project.fund,
        reference="A-1",
        title="Tidigt stöd",
        lead_unit=unit_a,
        created_by=users["applicant"],
        case=CASE,
        project=granted_project,
    )
    page = client_for("economist").get(url(granted_project))
    shares = page.context["share_formset"]
    assert [f.initial for f in shares.forms if f.initial] == [
        {"unit": unit_b, "percent": D(75)},
        {"unit": unit_a, "percent": D(25)},
    ]
    text = page.content.decode()
    assert "gains outside the municipality" in text and "Region Testland" in text
    # accepted as proposed
    response = client_for("economist").post(
        f"{url(granted_project)}agreement/", agreement_data([(unit_b, "75"), (unit_a, "25")])
    )
    assert response.status_code == 302


# --- Savings ------------------------------------------------------------------------------------


def saving_data(unit, **fields):
    data = {
        "saving-year": "2025",
        "saving-unit": str(unit.pk),
        "saving-amount": "1 000 000",
        "saving-evidence_kind": "finance",
        "saving-evidence": "Ekonomisystemet, ansvar 4100",
    }
    data.update({f"saving-{k}": v for k, v in fields.items()})
    return data


def test_recording_a_saving_brings_the_claims(client_for, claims, granted_project, unit_a):
    response = client_for("economist", "sv").post(
        f"{url(granted_project)}savings/", saving_data(unit_a)
    )
    assert response.status_code == 302
    assert VerifiedSaving.objects.filter(year=2025).get().amount == 100_000_000
    assert sorted(c.amount for c in Claim.objects.filter(year=2025)) == [30_000_000, 70_000_000]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"amount": "lots"}, "Enter an amount in kronor"),
        ({"amount": "0"}, "greater than zero"),
        ({"evidence": ""}, "This field is required"),
        ({"year": "1850"}, "greater than or equal to 2000"),
        ({"evidence_kind": "rumour"}, "Select a valid choice"),
        ({"year": "2020"}, "already verified"),
    ],
)
def test_bad_savings_are_shown_not_saved(
    client_for, claims, granted_project, unit_a, fields, message
):
    before = VerifiedSaving.objects.count()
    response = client_for("economist").post(
        f"{url(granted_project)}savings/", saving_data(unit_a, **fields)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert VerifiedSaving.objects.count() == before


# --- Repaying and writing off -------------------------------------------------------------------


def pay_data(claim, **fields):
    data = {"kind": "repayment", "amount": "1 000", "date": "2026-03-01", "reason": ""}
    data.update(fields)
    return {f"pay-{claim.pk}-{k}": v for k, v in data.items()}


def test_a_repayment_through_the_page(client_for, claims, granted_project, unit_a):
    claim = claims[(unit_a.pk, 2020)]
    capital = fund_balances(fund=granted_project.fund).capital
    response = client_for("economist", "sv").post(
        f"/repayment/claims/{claim.pk}/pay/", pay_data(claim, amount="2 500,50")
    )
    assert response.status_code == 302
    assert services.outstanding(claim) == 700_000 - 250_050
    assert fund_balances(fund=granted_project.fund).capital == capital + 250_050
    assert ClaimPayment.objects.get().ledger_entry.date == dt.date(2026, 3, 1)


def test_a_write_off_through_the_page(client_for, claims, unit_b):
    claim = claims[(unit_b.pk, 2020)]
    data = pay_data(claim, kind="write_off", amount="3 000", reason="Besparingen uteblev")
    assert (
        client_for("coordinator").post(f"/repayment/claims/{claim.pk}/pay/", data).status_code
        == 302
    )
    assert services.outstanding(claim) == 0


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"amount": "7 000,01"}, "exceeds what is outstanding"),
        ({"kind": "write_off"}, "Give the reason for the write-off"),
        ({"kind": "deposit"}, "Select a valid choice"),
        ({"amount": "-5"}, "greater than zero"),
        ({"date": "someday"}, "Enter a valid date"),
        ({"date": "2999-01-01"}, "cannot be in the future"),
    ],
)
def test_bad_payments_are_shown_not_posted(client_for, claims, unit_a, fields, message):
    claim = claims[(unit_a.pk, 2020)]
    response = client_for("economist").post(
        f"/repayment/claims/{claim.pk}/pay/", pay_data(claim, **fields)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ClaimPayment.objects.exists()


def test_the_claims_table_on_the_project_page(
    client_for, claims, economist, granted_project, unit_a
):
    services.claim_pay(
        claim=claims[(unit_a.pk, 2020)], amount=700_000, kind="repayment", acting_user=economist
    )
    page = client_for("economist").get(url(granted_project))
    rows = {
        (c.unit_id, c.year): (c.outstanding, c.overdue, form) for c, form in page.context["claims"]
    }
    assert rows[(unit_a.pk, 2020)][:2] == (0, 0) and rows[(unit_a.pk, 2020)][2] is None
    assert (
        rows[(unit_a.pk, THIS_YEAR)][:2] == (700_000, 0)
        and rows[(unit_a.pk, THIS_YEAR)][2] is not None
    )
    totals = page.context["totals"]
    assert (totals.due, totals.paid, totals.outstanding, totals.overdue) == (
        2_000_000,
        700_000,
        1_300_000,
        300_000,
    )
    assert page.content.decode().count(">overdue<") == 1


# --- The fund's claims --------------------------------------------------------------------------


def test_the_fund_wide_claims_and_filters(
    client_for, claims, economist, granted_project, unit_a, unit_b
):
    services.claim_pay(
        claim=claims[(unit_b.pk, 2020)], amount=100_000, kind="repayment", acting_user=economist
    )
    client = client_for("auditor")
    page = client.get("/repayment/")
    assert page.status_code == 200
    t = page.context["report"].totals
    assert (t.due, t.paid, t.written_off, t.outstanding, t.overdue, t.count) == (
        2_000_000,
        100_000,
        0,
        1_900_000,
        900_000,
        4,
    )
    assert page.context["chart_spec"] is not None and b"repayment-chart" in page.content
    by_unit = client.get("/repayment/", {"unit": unit_b.pk})
    assert {c.unit for c in by_unit.context["report"].rows} == {unit_b}
    overdue = client.get("/repayment/", {"overdue": "on", "project": granted_project.pk})
    assert [(c.unit, c.year) for c in overdue.context["report"].rows] == [
        (unit_a, 2020),
        (unit_b, 2020),
    ]


def test_a_bad_filter_is_shown(client_for, claims):
    page = client_for("coordinator").get("/repayment/", {"unit": "nine", "project": "999999"})
    assert page.status_code == 200
    assert "Select a valid choice" in page.content.decode()
    assert page.context["report"].totals.count == 4


def test_the_claims_as_csv(client_for, claims, economist, unit_a, unit_b):
    services.claim_pay(
        claim=claims[(unit_a.pk, 2020)],
        amount=12_345,
        kind="write_off",
        reason="Del",
        acting_user=economist,
    )
    response = client_for("economist").get("/repayment/claims.csv", {"overdue": "on"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    lines = text.lstrip("\ufeff").splitlines()
    assert lines[0].split(";")[:5] == ["Project", "Title", "Debtor", "Year", "Due date"]
    assert len(lines) == 3  # the two overdue claims
    first = lines[1].split(";")
    assert first[:5] == ["P-1", "Tidigt stöd", unit_a.name, "2020", "2021-06-30"]
    assert first[5:] == ["7000,00", "0,00", "123,45", "6876,55", "6876,55"]
