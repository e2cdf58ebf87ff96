"""The SIE file and the account mapping through the API, the pages and `sifra export sie`:
who may, the Swedish filename, bad input answered naming the field or the option."""

import io
import json
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from sifra.accounting import chart
from sifra.audit.models import AuditEvent
from tests.accounting.siereader import read

READERS = ("coordinator", "economist", "auditor")
OTHERS = ("applicant", "council", "decision_maker")


def client_for(user):
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def mapping_body(**changes):
    body = {}
    for role in chart.ROLES:
        body[f"{role.key}_number"] = role.number
        body[f"{role.key}_name"] = role.name
    body.update(changes)
    return body


# --- API ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", READERS)
def test_the_readers_download_a_year_with_a_swedish_filename(books, users, role):
    response = client_for(users[role]).get(f"/api/funds/{books.pk}/sie/2025")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="bokforing-social-investeringsfond-2025.se"'
    )
    back = read(response.content)
    assert back.header["#RAR"] == ["0", "20250101", "20251231"]
    assert len(back.vers) == 8


@pytest.mark.parametrize("role", OTHERS)
def test_others_may_not_download(books, users, role):
    response = client_for(users[role]).get(f"/api/funds/{books.pk}/sie/2025")
    assert response.status_code == 403


@pytest.mark.parametrize(("year", "message"), [("2023", "first is 2024"), ("2027", "not begun")])
def test_a_year_the_fund_has_not_had_is_a_400_naming_year(books, coordinator, year, message):
    response = client_for(coordinator).get(f"/api/funds/{books.pk}/sie/{year}")
    assert response.status_code == 400
    assert message in response.json()["errors"]["year"][0]


def test_a_year_that_is_not_a_number_is_a_400_naming_year(books, coordinator):
    response = client_for(coordinator).get(f"/api/funds/{books.pk}/sie/tjugo")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["year"]


def test_the_mapping_reads_with_what_each_kind_books(books, users):
    body = client_for(users["auditor"]).get(f"/api/funds/{books.pk}/accounts").json()
    assert {a["role"]: a["number"] for a in body["accounts"]}["cash"] == "1930"
    disbursement = next(p for p in body["postings"] if p["kind"] == "disbursement")
    assert disbursement == {
        "kind": "disbursement",
        "debit": ["4590", "2032"],
        "credit": ["1930", "2031"],
    }


def test_the_coordinator_puts_a_mapping_and_it_is_audited(books, coordinator):
    response = client_for(coordinator).put(
        f"/api/funds/{books.pk}/accounts",
        data=json.dumps(mapping_body(cash_number="19310")),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert {a["role"]: a["number"] for a in response.json()["accounts"]}["cash"] == "19310"
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.ACCOUNT_MAPPING_UPDATED)
    assert event.actor == coordinator and event.data["cash_number"] == ["1930", "19310"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"cash_number": "2930"}, "cash_number"),
        ({"grants_name": ""}, "grants_name"),
        ({"claims_number": "1234567"}, "claims_number"),
    ],
)
def test_a_bad_mapping_is_a_400_naming_the_field(books, coordinator, changes, field):
    response = client_for(coordinator).put(
        f"/api/funds/{books.pk}/accounts",
        data=json.dumps(mapping_body(**changes)),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]


def test_a_mapping_without_a_field_is_a_400_naming_it(books, coordinator):
    body = mapping_body()
    del body["repayments_name"]
    response = client_for(coordinator).put(
        f"/api/funds/{books.pk}/accounts", data=json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["repayments_name"]


@pytest.mark.parametrize("role", ["economist", "auditor"])
def test_readers_may_not_put_a_mapping(books, users, role):
    response = client_for(users[role]).put(
        f"/api/funds/{books.pk}/accounts",
        data=json.dumps(mapping_body()),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.ACCOUNT_MAPPING_UPDATED).exists()


# --- Pages -------------------------------------------------------------------------------------


def test_the_fund_page_links_the_closed_years_files_for_readers_only(books, users):
    page = client_for(users["auditor"]).get(f"/funds/{books.pk}/").content.decode()
    assert f'href="/funds/{books.pk}/sie/2025.se"' in page
    assert f'href="/funds/{books.pk}/accounting/"' in page
    page = client_for(users["applicant"]).get(f"/funds/{books.pk}/").content.decode()
    assert "/sie/" not in page


def test_the_page_download_is_the_same_file_as_the_api(books, coordinator):
    client = client_for(coordinator)
    page = client.get(f"/funds/{books.pk}/sie/2025.se")
    assert page.status_code == 200
    assert page.content == client.get(f"/api/funds/{books.pk}/sie/2025").content
    assert client.get(f"/funds/{books.pk}/sie/2030.se").status_code == 404


def test_the_mapping_page_lists_the_years_and_the_bookings(books, users):
    page = client_for(users["economist"]).get(f"/funds/{books.pk}/accounting/")
    text = page.content.decode()
    assert page.status_code == 200
    for year in (2024, 2025, 2026):
        assert f"/funds/{books.pk}/sie/{year}.se" in text
    assert 'name="cash_number"' not in text  # the economist reads, the coordinator edits
    assert "4590 Lämnade bidrag, social investeringsfond" in text


def test_the_coordinator_saves_accounts_on_the_page(books, coordinator):
    client = client_for(coordinator)
    response = client.post(
        f"/funds/{books.pk}/accounting/", mapping_body(cash_number="19310"), follow=True
    )
    assert response.status_code == 200
    assert "The accounts were saved." in response.content.decode()
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.ACCOUNT_MAPPING_UPDATED).count() == 1


def test_a_mistake_on_the_page_shows_an_error_summary_linking_the_field(books, coordinator):
    response = client_for(coordinator).post(
        f"/funds/{books.pk}/accounting/", mapping_body(cash_number="2930")
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "error-summary" in text and 'role="alert"' in text and "There is a problem" in text
    # The shared summary (core/error_summary.html): "Label: message", linking the field.
    assert re.search(
        r'<a href="#id_cash_number">[^<]*: This account must be in account class 1', text
    )
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.ACCOUNT_MAPPING_UPDATED).exists()


@pytest.mark.parametrize("role", ["economist", "auditor"])
def test_readers_may_not_post_the_page(books, users, role):
    response = client_for(users[role]).post(f"/funds/{books.pk}/accounting/", mapping_body())
    assert response.status_code == 403


# --- Command line ------------------------------------------------------------------------------


def test_the_command_writes_the_file_to_stdout(books):
    out = io.BytesIO()
    call_command("export", "sie", str(books.pk), "--year", "2025", stdout=out)
    back = read(out.getvalue())
    assert len(back.vers) == 8 and back.ub["1930"] == 980_000_050


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["999", "--year", "2025"], "FUND_ID"),
        (["{fund}", "--year", "2023"], "--year"),
        (["{fund}", "--year", "2027"], "--year"),
        (["{fund}", "--year", "tjugo"], "--year"),
    ],
)
def test_a_bad_fund_or_year_exits_2_naming_the_option(books, args, option):
    out = io.BytesIO()
    args = [a.format(fund=books.pk) for a in args]
    with pytest.raises(CommandError) as exc:
        call_command("export", "sie", *args, stdout=out)
    assert exc.value.returncode == 2
    assert str(exc.value).startswith(option)
    assert out.getvalue() == b""
