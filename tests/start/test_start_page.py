"""The start page is each role's work queue, "To do": the counts are those of the world built
(n of each kind of work), the items link to where the work is done, and the number of queries
does not grow with the number of applications and projects."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sifra.start.selectors import SHOWN, todo
from tests.start.world import grow

ROLES = ["coordinator", "council", "decision_maker", "economist", "applicant", "auditor"]


def expected_counts(n):
    """Per role and group, what grow(n) puts there, counted by hand from its docstring."""
    return {
        "coordinator": {
            "applications_to_check": n,
            "decisions_to_prepare": n,
            "reports_to_approve": n,
            "reporting_plans_missing": n,
        },
        "council": {"reviews": n},
        "decision_maker": {"proposals": n},
        "economist": {"savings_to_verify": n, "overdue_claims": n},
        # Reports due: the one due in 10 days; the submitted one counts as handed in and the
        # returned one is due in 200 days, past the 30 days the queue looks ahead.
        "applicant": {
            "drafts": n,
            "reports_due": n,
            "returned_applications": n,
            "returned_reports": n,
        },
        # Two events per project, and the fixture's two: the fund created, its deposit posted.
        "auditor": {"latest_changes": 2 * n + 2},
    }


def client_for(user, language="sv"):
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("n", [3, 12])
def test_each_role_sees_its_own_work_counted(funded, unit_a, users, n):
    grow(n, fund=funded, unit=unit_a, users=users)
    for role in ROLES:
        groups = todo(user=users[role])
        assert {g.key: g.count for g in groups} == expected_counts(n)[role], role
        for g in groups:
            assert len(g.items) == min(g.count, SHOWN), (role, g.key)


@pytest.mark.django_db
def test_an_applicant_of_another_unit_has_nothing_to_do(funded, unit_a, users):
    grow(3, fund=funded, unit=unit_a, users=users)
    groups = todo(user=users["outsider"])
    assert [g.count for g in groups] == [0, 0, 0, 0]
    assert all(g.items == [] for g in groups)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_the_start_page_shows_to_do_with_counts_links_and_dates(funded, unit_a, users, role):
    grow(3, fund=funded, unit=unit_a, users=users)
    response = client_for(users[role]).get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Att göra</h1>" in html
    for g in todo(user=users[role]):
        assert f'id="{g.key}"' in html
        for item in g.items:
            assert f'href="{item.url}"' in html
            assert item.reason in html
            when = item.due or item.since
            if when is not None:  # by when, or since when it has waited
                assert f'datetime="{when.isoformat()}"' in html
            else:  # the auditor's changes say when in their text, in local time
                assert re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.$", item.reason)


@pytest.mark.django_db
def test_items_say_why_and_by_when(funded, unit_a, users):
    grow(1, fund=funded, unit=unit_a, users=users)
    [_drafts, due, _returned_apps, returned_reports] = todo(user=users["applicant"])
    [item] = due.items
    assert item.due is not None and item.tone == "soon"  # due in 10 days
    # Nothing written yet: the link leads to the project's follow-up, where the report starts.
    assert re.fullmatch(r"/followup/projects/\d+/", item.url)
    [claims] = [g for g in todo(user=users["economist"]) if g.key == "overdue_claims"]
    assert claims.items[0].tone == "overdue"
    assert "1 000 kr" in claims.items[0].reason.replace("\xa0", " ")  # 100 000 öre overdue
    assert returned_reports.items[0].tone == "returned"


@pytest.mark.django_db
def test_the_page_is_in_english_when_chosen(funded, unit_a, users):
    grow(1, fund=funded, unit=unit_a, users=users)
    html = client_for(users["coordinator"], "en").get("/").content.decode()
    assert "<h1>To do</h1>" in html
    assert "Applications to handle" in html


@pytest.mark.django_db
def test_visitors_get_the_landing_page(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "Att göra" not in response.content.decode()
    assert 'href="/login/"' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_the_number_of_queries_does_not_grow_with_the_work(funded, unit_a, users, role):
    grow(3, fund=funded, unit=unit_a, users=users)
    client = client_for(users[role])
    client.get("/")  # the session and the translations are warm
    with CaptureQueriesContext(connection) as small:
        assert client.get("/").status_code == 200
    grow(27, fund=funded, unit=unit_a, users=users)
    with CaptureQueriesContext(connection) as large:
        assert client.get("/").status_code == 200
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]
    assert sum(g.count for g in todo(user=users[role])) > 0


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_the_api_gives_the_same_queue(funded, unit_a, users, role):
    grow(2, fund=funded, unit=unit_a, users=users)
    response = client_for(users[role], "en").get("/api/me/todo")
    assert response.status_code == 200
    body = response.json()
    assert body["role"] == role
    counts = {g["key"]: g["count"] for g in body["groups"]}
    assert counts == expected_counts(2)[role]
    assert body["total"] == sum(counts.values())
    first = body["groups"][0]["items"][0]
    assert set(first) == {"title", "url", "reason", "due", "since", "tag", "tone"}


@pytest.mark.django_db
def test_the_api_needs_a_login(client):
    assert client.get("/api/me/todo").status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_item_leads_to_a_page_the_role_may_open(funded, unit_a, users, role):
    grow(2, fund=funded, unit=unit_a, users=users)
    client = client_for(users[role])
    urls = {item.url for g in todo(user=users[role]) for item in g.items}
    urls |= {g.link for g in todo(user=users[role])}
    assert urls
    assert {url: client.get(url).status_code for url in urls} == dict.fromkeys(urls, 200)
