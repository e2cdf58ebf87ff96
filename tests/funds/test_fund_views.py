import datetime as dt
import io
import json
import re
import zipfile

import pytest
from django.test import Client

from sifra.funds.models import Fund, LedgerEntry
from sifra.funds.selectors import fund_balances

MSEK = 100_000_000


@pytest.fixture
def as_coordinator(coordinator):
    client = Client(headers={"accept-language": "sv"})
    client.force_login(coordinator)
    return client


def test_posting_through_the_form_in_swedish_format(as_coordinator, funded):
    response = as_coordinator.post(
        f"/funds/{funded.pk}/ledger/new/",
        {
            "kind": "deposit",
            "amount": "2 500 000,50",
            "date": "2026-02-01",
            "text": "Tillskott",
            "decision_ref": "KF § 4/2026",
        },
    )
    assert response.status_code == 302
    entry = LedgerEntry.objects.get(fund=funded, number=2)
    assert entry.amount == 250_000_050 and entry.decision_ref == "KF § 4/2026"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "deposit", "amount": "abc", "date": "2026-02-01", "text": "x"}, "amount"),
        ({"kind": "deposit", "amount": "0", "date": "2026-02-01", "text": "x"}, "amount"),
        ({"kind": "deposit", "amount": "5", "date": "2026-02-30", "text": "x"}, "date"),
        ({"kind": "commitment", "amount": "5", "date": "2026-02-01", "text": "x"}, "project"),
        (
            {
                "kind": "commitment",
                "amount": "20 000 000",
                "date": "2026-02-01",
                "text": "x",
                "project": "{project}",
            },
            "amount",
        ),
    ],
)
def test_bad_input_shows_the_field_error_and_posts_nothing(
    as_coordinator, funded, project, data, field
):
    data = {k: (str(project.pk) if v == "{project}" else v) for k, v in data.items()}
    response = as_coordinator.post(f"/funds/{funded.pk}/ledger/new/", data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert LedgerEntry.objects.filter(fund=funded).count() == 1


def test_reversing_through_the_form(as_coordinator, funded):
    response = as_coordinator.post(
        f"/funds/{funded.pk}/ledger/1/reverse/",
        {"text": "Fel fond", "date": dt.date.today().isoformat()},
    )
    assert response.status_code == 302
    assert fund_balances(fund=funded).capital == 0
    again = as_coordinator.post(
        f"/funds/{funded.pk}/ledger/1/reverse/",
        {"text": "Igen", "date": dt.date.today().isoformat()},
    )
    assert again.status_code == 200 and again.context["form"].non_field_errors()


def test_fund_page_shows_balances_at_a_date_and_the_chart(
    as_coordinator, funded, project, coordinator
):
    from sifra.funds.services import ledger_entry_post

    ledger_entry_post(
        fund=funded,
        kind="commitment",
        amount=3 * MSEK,
        text="Beviljat",
        date=dt.date(2026, 2, 1),
        project=project,
        acting_user=coordinator,
    )
    page = as_coordinator.get(f"/funds/{funded.pk}/?at=2026-01-31").content.decode()
    assert 'data-balance="available">10\xa0000\xa0000 kr' in page
    now = as_coordinator.get(f"/funds/{funded.pk}/")
    assert 'data-balance="available">7\xa0000\xa0000 kr' in now.content.decode()
    spec = now.context["chart_spec"]
    values = spec["datasets"][spec["data"]["name"]]  # the rows, beside the validated spec
    assert {v["kronor"] for v in values if v["date"] == "2026-02-01"} == {10_000_000, 7_000_000}
    # the page carries the same spec, as JSON, for vega-embed
    embedded = re.search(
        r'<script id="fund-chart-spec" type="application/json">(.*?)</script>', now.content.decode()
    )
    assert embedded is not None
    page_spec = json.loads(embedded[1])
    assert page_spec["datasets"][page_spec["data"]["name"]] == values


def test_ledger_filters_and_exports(as_coordinator, funded, project, coordinator):
    from sifra.funds.services import ledger_entry_post

    ledger_entry_post(
        fund=funded,
        kind="commitment",
        amount=123_456_78,
        text="Beviljat åt P-1",
        date=dt.date(2026, 2, 1),
        project=project,
        acting_user=coordinator,
    )
    page = as_coordinator.get(f"/funds/{funded.pk}/?kind=commitment")
    assert [e.number for e in page.context["entries"]] == [2]
    csv_text = as_coordinator.get(f"/funds/{funded.pk}/ledger.csv?kind=commitment").content
    lines = csv_text.decode("utf-8-sig").strip().split("\r\n")
    assert len(lines) == 2 and "123456,78" in lines[1] and "P-1" in lines[1]
    xlsx = as_coordinator.get(f"/funds/{funded.pk}/ledger.xlsx").content
    with zipfile.ZipFile(io.BytesIO(xlsx)) as book:
        strings = book.read("xl/sharedStrings.xml").decode()
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
    assert "Beviljat åt P-1" in strings and "123456.78" in sheet


def test_applicant_sees_only_its_own_projects_entries(
    funded, project, other_project, users, coordinator
):
    from sifra.funds.services import ledger_entry_post

    for p in (project, other_project):
        ledger_entry_post(
            fund=funded,
            kind="commitment",
            amount=100,
            text=p.code,
            date=dt.date(2026, 2, 1),
            project=p,
            acting_user=coordinator,
        )
    client = Client()
    client.force_login(users["applicant"])
    entries = client.get(f"/funds/{funded.pk}/").context["entries"]
    assert [e.text for e in entries] == ["Kapitaltillskott", "P-1"]
    client.force_login(users["auditor"])
    assert len(client.get(f"/funds/{funded.pk}/").context["entries"]) == 3


def test_creating_and_editing_a_fund(as_coordinator, org):
    response = as_coordinator.post(
        "/funds/new/", {"name": "Ny fond", "annual_topup": "5 000 000", "is_active": "on"}
    )
    fund = Fund.objects.get(name="Ny fond")
    assert response.status_code == 302 and fund.annual_topup == 5 * MSEK
    as_coordinator.post(
        f"/funds/{fund.pk}/edit/",
        {"name": "Ny fond", "rules": "Regler", "annual_topup": "", "is_active": "on"},
    )
    fund.refresh_from_db()
    assert fund.rules == "Regler" and fund.annual_topup == 0
    bad = as_coordinator.post("/funds/new/", {"name": "", "annual_topup": "x"})
    assert bad.status_code == 200 and set(bad.context["form"].errors) >= {"name", "annual_topup"}
