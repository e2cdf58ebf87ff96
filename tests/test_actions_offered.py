"""Actions a role cannot take are not offered: no page links a role to a page that refuses it
(403), and the ledger's "Reverse" and the project's "Pay out" appear only where they would work.
Issue 10: the economist saw "Reverse" on every ledger row and got a 403 for most."""

import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.test import Client

from sifra.accounts.models import User
from sifra.funds.models import Fund, LedgerEntry
from tests.core.test_security_headers import PageScan, _internal, crawl, seeds

ROLES = ["coordinator", "applicant", "council", "decision_maker", "economist", "auditor"]
REVERSE_LINK = re.compile(r'href="/funds/\d+/ledger/(\d+)/reverse/"')
MSEK = 100_000_000


def _client(user):
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


@pytest.fixture
def ledger(funded, project, coordinator):
    """Entry 1 the deposit, 2 a commitment to P-1, 3 a repayment claim on P-1."""
    from sifra.funds.services import ledger_entry_post

    ledger_entry_post(
        fund=funded,
        kind="commitment",
        amount=2 * MSEK,
        text="Beviljat",
        date=dt.date(2026, 2, 1),
        project=project,
        acting_user=coordinator,
    )
    LedgerEntry.objects.create(
        fund=funded,
        number=3,
        kind="claim",
        amount=MSEK,
        date=dt.date(2026, 3, 1),
        fiscal_year=2026,
        text="Återbetalningskrav",
        project=project,
        d_claims=MSEK,
        posted_by=coordinator,
    )
    return funded


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role, offered",
    [
        ("coordinator", {1, 2, 3}),  # posts every kind
        ("economist", {3}),  # claims, repayments and write-offs only
        ("applicant", set()),
        ("council", set()),
        ("decision_maker", set()),
        ("auditor", set()),
    ],
)
def test_reverse_is_offered_only_on_the_rows_the_role_may_reverse(ledger, users, role, offered):
    client = _client(users[role])
    html = client.get(f"/funds/{ledger.pk}/").content.decode()
    assert {int(n) for n in REVERSE_LINK.findall(html)} == offered
    for number in (1, 2, 3):
        expected = 200 if number in offered else 403
        assert client.get(f"/funds/{ledger.pk}/ledger/{number}/reverse/").status_code == expected


@pytest.mark.django_db
def test_pay_out_is_offered_only_while_money_is_committed(funded, project, users, coordinator):
    from sifra.funds.services import ledger_entry_post

    def offered(role):
        html = _client(users[role]).get(f"/projects/{project.pk}/").content.decode()
        return "kind=disbursement" in html

    assert not offered("coordinator")  # nothing committed yet: nothing to pay out
    ledger_entry_post(
        fund=funded,
        kind="commitment",
        amount=MSEK,
        text="Beviljat",
        date=dt.date(2026, 2, 1),
        project=project,
        acting_user=coordinator,
    )
    assert offered("coordinator")
    assert not offered("economist")  # the economist may not pay out at all
    ledger_entry_post(
        fund=funded,
        kind="disbursement",
        amount=MSEK,
        text="Utbetalning",
        date=dt.date(2026, 3, 1),
        project=project,
        acting_user=coordinator,
    )
    assert not offered("coordinator")  # all of it paid out


@pytest.fixture
def demo(db):
    call_command("demo_data")


DEMO_USERS = {
    "coordinator": "samordnare",
    "applicant": "sokande",
    "council": "radet",
    "decision_maker": "beslut",
    "economist": "ekonom",
    "auditor": "revisor",
}


def refused_links(client, pages):
    """(url, the page linking to it) for every link on `pages` that answers 403."""
    linked_from = {}
    for url, response in pages.items():
        if response.status_code == 200 and "text/html" in response["Content-Type"]:
            scan = PageScan()
            scan.feed(response.content.decode())
            for link in _internal(url, scan.links):
                linked_from.setdefault(link, url)
    refused = []
    for link, page in linked_from.items():
        response = pages.get(link) or client.get(link)
        if response.status_code == 403:
            refused.append((link, page))
    return refused


@pytest.mark.django_db
def test_no_page_links_a_role_to_a_page_that_refuses_it(demo):
    """Every role crawls the demo municipality from its start page (and every application and
    project); any link on a page it reached that answers 403 is an action offered that the role
    cannot take."""
    refused = []
    for role, username in DEMO_USERS.items():
        client = _client(User.objects.get(username=username))
        pages = crawl(client, seeds())
        assert len(pages) > 40, role  # the crawl reached the app, not only the start page
        refused += [(role, *r) for r in refused_links(client, pages)]
    assert refused == []


@pytest.mark.django_db
def test_the_check_finds_an_offered_forbidden_link(demo, monkeypatch):
    """The check above can fail: with the ledger's old rule (Reverse on the rows of every kind
    some role posts) the economist is linked to reversing deposits, which it may not do."""
    from sifra.accounts import permissions

    monkeypatch.setattr(permissions, "posting_kinds", lambda user: {"deposit", "claim"})
    client = _client(User.objects.get(username="ekonom"))
    fund = f"/funds/{Fund.objects.get().pk}/"
    refused = refused_links(client, {fund: client.get(fund)})
    assert refused
    assert all(REVERSE_LINK.search(f'href="{link}"') and page == fund for link, page in refused)
