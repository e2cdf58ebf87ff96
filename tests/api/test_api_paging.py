"""The API's long lists come in pages: `limit` items from `offset` on, with the count of the
whole filtered list, in a stable order, so that a script reading page after page gets every row
once. At 2 000 projects the unpaged lists took seconds (the ledger's 62 000 entries 7.6 s)."""

import datetime as dt

import pytest
from django.test import Client

from sifra.applications.services import application_create
from sifra.funds.services import ledger_entry_post
from sifra.projects.services import project_create


def _client(user):
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def _all_pages(client, url, limit):
    """Every page of `url`, `limit` at a time: the items in order and the counts reported."""
    items, counts, offset = [], set(), 0
    while True:
        sep = "&" if "?" in url else "?"
        body = client.get(f"{url}{sep}limit={limit}&offset={offset}").json()
        counts.add(body["count"])
        items += body["items"]
        if len(body["items"]) < limit:
            return items, counts
        offset += limit


def test_the_ledger_in_pages_of_two(funded, coordinator):
    for i in range(1, 5):
        ledger_entry_post(
            fund=funded, kind="deposit", amount=i * 100, text=f"Tillskott {i}",
            date=dt.date(2026, 2, i), acting_user=coordinator,
        )  # fmt: skip
    client = _client(coordinator)
    items, counts = _all_pages(client, f"/api/funds/{funded.pk}/ledger", 2)
    assert counts == {5}  # the fixture's 10 MSEK and the four deposits
    assert [e["number"] for e in items] == [1, 2, 3, 4, 5]
    page = client.get(f"/api/funds/{funded.pk}/ledger?limit=2&offset=2").json()
    assert [e["amount_ore"] for e in page["items"]] == [200, 300]
    # the filter counts what it keeps
    small = client.get(f"/api/funds/{funded.pk}/ledger?text=Tillskott%203&limit=1").json()
    assert (small["count"], [e["number"] for e in small["items"]]) == (1, [4])


def test_projects_in_pages_every_one_once(fund, unit_a, coordinator):
    for code in ("P-3", "P-1", "P-2", "P-5", "P-4"):
        project_create(fund=fund, acting_user=coordinator, code=code, title="T", lead_unit=unit_a)
    items, counts = _all_pages(_client(coordinator), "/api/projects", 2)
    assert counts == {5}
    assert [p["code"] for p in items] == ["P-1", "P-2", "P-3", "P-4", "P-5"]
    default = _client(coordinator).get("/api/projects").json()
    assert len(default["items"]) == 5  # within the default limit, 100


def test_applications_in_pages_newest_first(fund, unit_a, users):
    made = [
        application_create(fund=fund, title=f"Ansökan {i}", lead_unit=unit_a,
                           acting_user=users["applicant"])
        for i in range(3)
    ]  # fmt: skip
    items, counts = _all_pages(_client(users["coordinator"]), "/api/applications", 1)
    assert counts == {3}
    # created in the same second or not, newest first and every one once
    assert sorted(a["id"] for a in items) == sorted(a.pk for a in made)
    assert len({a["id"] for a in items}) == 3
    assert items[0]["content"]["title"] == items[0]["title"]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [("limit=0", "limit", "Ange ett tal som är minst 1."),
     ("limit=1001", "limit", "Ange ett tal som är högst 1000."),
     ("offset=-1", "offset", "Ange ett tal som är minst 0."),
     ("limit=x", "limit", "Ange ett heltal."),
     (f"offset={2**63}", "offset", f"Ange ett tal som är högst {2**63 - 1}.")],
)  # fmt: skip
def test_a_bad_page_is_refused_naming_the_field(funded, coordinator, query, field, message):
    client = Client(headers={"accept-language": "sv"})
    client.force_login(coordinator)
    response = client.get(f"/api/funds/{funded.pk}/ledger?{query}")
    assert response.status_code == 400, response.content
    assert response.json() == {"errors": {field: [message]}}


def test_the_schema_describes_the_pages(db):
    schema = Client().get("/api/openapi.json").json()
    for path in ("/api/projects", "/api/applications", "/api/funds/{fund_id}/ledger",
                 "/api/claims"):  # fmt: skip
        get = schema["paths"][path]["get"]
        names = {p["name"] for p in get["parameters"]}
        assert {"limit", "offset"} <= names, path
        ref = get["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        body = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
        assert set(body["required"]) == {"count", "items"}, path
