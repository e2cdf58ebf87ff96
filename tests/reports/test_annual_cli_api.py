"""`sifra report annual` and the API of the annual report: the same report as the pages, the
files, and the mistakes answered with the option or field they are about."""

import json

import pytest
from django.test import Client

from sifra.accounts.services import api_token_create
from sifra.cli import main
from tests.reports.helpers import Workbook, pdf_pages_ink, pdf_text

# --- The command line ---------------------------------------------------------------------------


def test_writes_the_pdf_and_the_workbook(small_fund, tmp_path, capsys):
    pdf, xlsx = tmp_path / "r.pdf", tmp_path / "r.xlsx"
    args = ["--year", "2024", "--pdf", str(pdf), "--xlsx", str(xlsx)]
    code = main(["report", "annual", str(small_fund.pk), *args])
    assert code == 0
    assert all(ink > 500 for ink in pdf_pages_ink(pdf.read_bytes()))
    assert "Utgående kapital den 31 december: 9 600 000,50 kr" in pdf_text(pdf.read_bytes())
    assert Workbook(xlsx.read_bytes()).cells("Saldon")["C4"][0] == 9_600_000.50


def test_without_a_file_it_prints_json(small_fund, capsys):
    assert main(["report", "annual", str(small_fund.pk), "--year", "2024"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["closing"]["capital_ore"] == 960_000_050 and data["source"] == "snapshot"


def test_english_on_request(small_fund, tmp_path):
    pdf = tmp_path / "r.pdf"
    args = ["--year", "2024", "--pdf", str(pdf), "--language", "en"]
    main(["report", "annual", str(small_fund.pk), *args])
    assert "Closing capital on 31 December: SEK 9,600,000.50" in pdf_text(pdf.read_bytes())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["{fund}", "--year", "1999"], "--year: Fonden har inget räkenskapsår 1999"),
        (["{fund}", "--year", "abc"], "argument --year: invalid int value"),
        (["{fund}"], "the following arguments are required: --year"),
        (["999999", "--year", "2024"], "FUND_ID: no fund has the id 999999"),
        (["{fund}", "--year", "2024", "--pdf", "/no/such/dir/r.pdf"], "--pdf: /no/such/dir/r.pdf"),
    ],
)
def test_mistakes_exit_2_naming_the_option(small_fund, capsys, args, message):
    args = [a.format(fund=small_fund.pk) for a in args]
    with pytest.raises(SystemExit) as exit_:
        main(["report", "annual", *args])
    assert exit_.value.code == 2
    out = capsys.readouterr()
    assert message in out.err and out.out == ""


# --- The API ------------------------------------------------------------------------------------


def _api(user):
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def test_the_json_is_the_report(small_fund, users):
    response = _api(users["auditor"]).get(f"/api/funds/{small_fund.pk}/annual-reports/2024")
    assert response.status_code == 200
    data = response.json()
    assert data["closing"]["capital_ore"] == 960_000_050
    assert data["closing"]["capital"] == "9600000.50"
    assert data["claim_totals"]["outstanding_end_ore"] == 15_000_000
    assert [k["kind"] for k in data["kinds"]] == [
        "deposit",
        "commitment",
        "release",
        "disbursement",
        "claim",
        "repayment",
        "write_off",
    ]
    assert data["decision_totals"]["granted_ore"] == 100_000_000


def test_the_years(small_fund, users):
    response = _api(users["economist"]).get(f"/api/funds/{small_fund.pk}/annual-reports")
    years = {y["year"]: y for y in response.json()}
    assert years[2024]["closed"] and years[2024]["closing_decision_ref"] == "KF § 41/2025"
    assert not years[max(years)]["closed"] and min(years) == 2023


def test_the_downloads(small_fund, users):
    client = _api(users["coordinator"])
    pdf = client.get(f"/api/funds/{small_fund.pk}/annual-reports/2024/pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert "arsrapport-social-investeringsfond-2024.pdf" in pdf["Content-Disposition"]
    assert "Closing capital on 31 December: SEK 9,600,000.50" in pdf_text(pdf.content)
    xlsx = client.get(f"/api/funds/{small_fund.pk}/annual-reports/2024/xlsx")
    assert "arsrapport-social-investeringsfond-2024.xlsx" in xlsx["Content-Disposition"]
    assert Workbook(xlsx.content).cells("Balances")["C4"][0] == 9_600_000.50


def test_a_bearer_token_works(small_fund, users):
    _token, key = api_token_create(user=users["auditor"], name="s", acting_user=users["auditor"])
    response = Client().get(
        f"/api/funds/{small_fund.pk}/annual-reports/2024", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert response.status_code == 200


@pytest.mark.parametrize("year", ["2022", "3000", "99999999999999999999", "abc"])
def test_a_bad_year_is_a_400_naming_the_year(small_fund, users, year):
    response = _api(users["auditor"]).get(f"/api/funds/{small_fund.pk}/annual-reports/{year}")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["year"]


@pytest.mark.parametrize("path", ["", "/2024", "/2024/pdf", "/2024/xlsx"])
def test_the_applicant_is_refused(small_fund, users, path):
    response = _api(users["applicant"]).get(f"/api/funds/{small_fund.pk}/annual-reports{path}")
    assert response.status_code == 403 and "errors" in response.json()


def test_an_unknown_fund_is_a_404(users):
    response = _api(users["auditor"]).get("/api/funds/999999/annual-reports/2024")
    assert response.status_code == 404
