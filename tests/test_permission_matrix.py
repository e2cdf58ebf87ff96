"""Every page and API endpoint, for every role, for own and other units, and anonymous: allowed
or refused as DOMAIN.md's roles say. A new page or endpoint belongs in these tables."""

import datetime as dt
import json

import pytest

from sifra.accounts.services import api_token_create
from sifra.funds.models import LedgerEntry
from sifra.funds.services import fund_update, ledger_entry_post
from tests.conftest import PASSWORD

MSEK = 100_000_000

ROLES = [
    "anonymous",
    "coordinator",
    "applicant",
    "outsider",
    "council",
    "decision_maker",
    "economist",
    "auditor",
]
SIGNED_IN = set(ROLES) - {"anonymous"}
STAFF = {"coordinator", "council", "decision_maker", "economist", "auditor"}
OWN_UNIT = STAFF | {"applicant"}
COORD = {"coordinator"}
PEOPLE_READERS = {"coordinator", "auditor"}
AUDIT_READERS = {"coordinator", "auditor"}
POSTERS = {"coordinator", "economist"}
SECOND_FACTOR = {"coordinator", "decision_maker", "economist"}
REPORT_READERS = {"coordinator", "decision_maker", "economist", "auditor"}
ACCOUNTANTS = {"coordinator", "economist", "auditor"}
MAPPING = {
    "cash_number": "1930",
    "cash_name": "Koncernkonto",
    "claims_number": "1680",
    "claims_name": "Krav",
    "available_number": "2031",
    "available_name": "Fritt",
    "committed_number": "2032",
    "committed_name": "Beviljat",
    "claims_offset_number": "2039",
    "claims_offset_name": "Motkonto",
    "grants_number": "4590",
    "grants_name": "Bidrag",
    "repayments_number": "3590",
    "repayments_name": "Återbetalt",
}
FORECAST_RUNNERS = {"coordinator", "decision_maker", "economist"}
FORECAST_READERS = FORECAST_RUNNERS | {"auditor"}

# (method, url template, allowed roles, body)
PAGES = [
    ("get", "/", set(ROLES), None),
    ("get", "/funds/", SIGNED_IN, None),
    ("get", "/funds/{fund}/", SIGNED_IN, None),
    ("get", "/funds/{fund}/?at=2026-01-31&kind=deposit", SIGNED_IN, None),
    ("get", "/funds/{fund}/ledger.csv", SIGNED_IN, None),
    ("get", "/funds/{fund}/ledger.xlsx", SIGNED_IN, None),
    ("get", "/funds/new/", COORD, None),
    ("get", "/funds/{fund}/edit/", COORD, None),
    ("get", "/funds/{fund}/ledger/new/", POSTERS, None),
    ("get", "/funds/{fund}/ledger/{deposit}/reverse/", COORD, None),
    ("get", "/funds/{fund}/closings/new/", COORD, None),
    ("get", "/funds/{fund}/accounting/", ACCOUNTANTS, None),
    ("get", "/funds/{fund}/sie/2025.se", ACCOUNTANTS, None),
    ("get", "/projects/", SIGNED_IN, None),
    ("get", "/projects/{project}/", OWN_UNIT, None),
    ("get", "/projects/new/", COORD, None),
    ("get", "/projects/{project}/edit/", COORD, None),
    ("get", "/calc/", SIGNED_IN, None),
    ("get", "/forecasts/fund/{fund}/", FORECAST_READERS, None),
    ("get", "/people/", PEOPLE_READERS, None),
    ("get", "/people/new/", COORD, None),
    ("get", "/people/{user}/edit/", COORD, None),
    ("get", "/people/units/", PEOPLE_READERS, None),
    ("get", "/people/units/new/", COORD, None),
    ("get", "/people/units/{unit}/edit/", COORD, None),
    ("get", "/people/partners/", PEOPLE_READERS, None),
    ("get", "/people/partners/new/", COORD, None),
    ("get", "/people/organisation/", PEOPLE_READERS, None),
    ("get", "/people/tokens/", SIGNED_IN, None),
    ("get", "/people/account/password/", SIGNED_IN, None),
    ("get", "/people/account/second-factor/", SECOND_FACTOR, None),
    ("get", "/audit/", AUDIT_READERS, None),
    ("get", "/audit/events.csv", AUDIT_READERS, None),
    ("get", "/reports/funds/{fund}/annual/", REPORT_READERS, None),
    ("get", "/reports/funds/{fund}/annual/2025/", REPORT_READERS, None),
    ("get", "/reports/funds/{fund}/annual/2025.pdf", REPORT_READERS, None),
    ("get", "/reports/funds/{fund}/annual/2025.xlsx", REPORT_READERS, None),
]

API = [
    ("get", "/api/me", SIGNED_IN, None),
    ("get", "/api/funds", SIGNED_IN, None),
    ("get", "/api/funds/{fund}", SIGNED_IN, None),
    ("get", "/api/funds/{fund}/balances?at=2026-02-01", SIGNED_IN, None),
    ("get", "/api/funds/{fund}/chart", SIGNED_IN, None),
    ("get", "/api/funds/{fund}/ledger", SIGNED_IN, None),
    ("get", "/api/funds/{fund}/ledger/export?format=xlsx", SIGNED_IN, None),
    ("post", "/api/funds", COORD, {"name": "Ny fond"}),
    ("patch", "/api/funds/{fund}", COORD, {"rules": "Regler"}),
    (
        "post",
        "/api/funds/{fund}/ledger",
        COORD,
        {"kind": "deposit", "amount": "1000.50", "text": "Tillskott"},
    ),
    (
        "post",
        "/api/funds/{fund}/ledger",
        POSTERS,
        {"kind": "claim", "amount": 100, "text": "Krav", "project_id": "{project}"},
    ),
    ("post", "/api/funds/{fund}/ledger/{deposit}/reverse", COORD, {"text": "Fel"}),
    ("get", "/api/funds/{fund}/closings", SIGNED_IN, None),
    (
        "post",
        "/api/funds/{fund}/closings",
        COORD,
        {"year": 2025, "decided_on": "2026-02-01", "decision_ref": "KF § 1"},
    ),
    ("get", "/api/funds/{fund}/annual-reports", REPORT_READERS, None),
    ("get", "/api/funds/{fund}/annual-reports/2025", REPORT_READERS, None),
    ("get", "/api/funds/{fund}/annual-reports/2025/pdf", REPORT_READERS, None),
    ("get", "/api/funds/{fund}/annual-reports/2025/xlsx", REPORT_READERS, None),
    ("get", "/api/funds/{fund}/sie/2025", ACCOUNTANTS, None),
    ("get", "/api/funds/{fund}/accounts", ACCOUNTANTS, None),
    ("put", "/api/funds/{fund}/accounts", COORD, MAPPING),
    ("get", "/api/projects", SIGNED_IN, None),
    ("get", "/api/projects/{project}", OWN_UNIT, None),
    (
        "post",
        "/api/projects",
        COORD,
        {"fund_id": "{fund}", "code": "X-1", "title": "Nytt", "lead_unit_id": "{unit}"},
    ),
    ("patch", "/api/projects/{project}", COORD, {"title": "Nytt namn"}),
    ("get", "/api/units", SIGNED_IN, None),
    ("post", "/api/units", COORD, {"name": "Kulturnämnden", "kind": "committee"}),
    ("patch", "/api/units/{unit}", COORD, {"code": "SN"}),
    ("get", "/api/partners", SIGNED_IN, None),
    ("post", "/api/partners", COORD, {"name": "Regionen", "kind": "region"}),
    ("get", "/api/users", PEOPLE_READERS, None),
    ("get", "/api/users/{user}", PEOPLE_READERS, None),
    (
        "post",
        "/api/users",
        COORD,
        {"username": "ny", "password": "Ett-bra-lösen-2026", "role": "council"},
    ),
    ("patch", "/api/users/{user}", COORD, {"first_name": "Sven"}),
    ("get", "/api/organisation", PEOPLE_READERS, None),
    ("put", "/api/organisation", COORD, {"name": "Testkommun", "org_number": "212000-0001"}),
    ("get", "/api/audit", AUDIT_READERS, None),
    ("get", "/api/tokens", SIGNED_IN, None),
    ("post", "/api/tokens", SIGNED_IN, {"name": "skript"}),
    (
        "post",
        "/api/me/password",
        SIGNED_IN,
        {"old_password": PASSWORD, "new_password": "Ett-nytt-lösen-2027"},
    ),
    ("delete", "/api/users/{user}/second-factor", COORD, None),
    ("post", "/api/funds/{fund}/forecasts", FORECAST_RUNNERS, {"iterations": 100, "years": 3}),
    (
        "post",
        "/api/calc",
        SIGNED_IN,
        {
            "case": {
                "title": "T",
                "start_year": 2026,
                "horizon": 3,
                "discount_rate": 0.0,
                "price_year": 2026,
            },
            "actors": [{"id": "a", "name": "A", "sector": "kommun"}],
            "costs": [{"name": "c", "actor": "a", "amounts": [100]}],
            "participants": {"entering": [10]},
            "outcomes": [{"name": "o", "effect": 0.1, "duration": 2, "unit_costs": {"a": 100}}],
        },
    ),
]


@pytest.fixture
def world(funded, project, users, unit_a):
    deposit = LedgerEntry.objects.get(fund=funded, kind="deposit")
    # the project's commitment lets it take claims; the second deposit keeps the first reversible
    for kind, amount, p in (("deposit", MSEK, None), ("commitment", MSEK, project)):
        ledger_entry_post(
            fund=funded,
            kind=kind,
            amount=amount,
            text="T",
            date=dt.date(2026, 2, 1),
            project=p,
            acting_user=users["coordinator"],
        )
    # established in 2025, so that a year that has ended can be closed
    fund_update(fund=funded, acting_user=users["coordinator"], established_on=dt.date(2025, 1, 1))
    return {
        "fund": funded.pk,
        "project": project.pk,
        "deposit": deposit.number,
        "user": users["applicant"].pk,
        "unit": unit_a.pk,
    }


def _fill(value, world):
    if isinstance(value, str):
        return value.format(**world)
    if isinstance(value, dict):
        return {
            k: (
                int(v.format(**world))
                if isinstance(v, str) and v.startswith("{")
                else _fill(v, world)
                if isinstance(v, dict)
                else v
            )
            for k, v in value.items()
        }
    return value


def check_page(response, role, allowed):
    if role in allowed:
        assert response.status_code == 200, response.content[:300]
    elif role == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith("/login/")
    else:
        assert response.status_code == 403


def check_api(response, role, allowed):
    if role in allowed:
        assert response.status_code in (200, 201, 202, 204), response.content[:300]
    elif role == "anonymous":
        assert response.status_code == 401
    else:
        assert response.status_code == 403
        assert "errors" in response.json()


def _request(client, users, role, method, url, body):
    if role != "anonymous":
        client.force_login(users[role])
    if body is None:
        return getattr(client, method)(url)
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "url", "allowed", "body"), PAGES, ids=[f"{m} {u}" for m, u, _a, _b in PAGES]
)
def test_page_permissions(client, users, world, role, method, url, allowed, body):
    response = _request(client, users, role, method, _fill(url, world), body)
    check_page(response, role, allowed)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "url", "allowed", "body"), API, ids=[f"{m} {u}" for m, u, _a, _b in API]
)
def test_api_permissions(client, users, world, role, method, url, allowed, body):
    response = _request(client, users, role, method, _fill(url, world), _fill(body, world))
    check_api(response, role, allowed)


# Pages that answer an allowed request with a redirect: (method, url, allowed roles).
REDIRECTING_PAGES = [
    ("post", "/people/{user}/second-factor/reset/", COORD),
    ("get", "/people/account/second-factor/verify/", SECOND_FACTOR),  # no device: to setup
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "url", "allowed"),
    REDIRECTING_PAGES,
    ids=[f"{m} {u}" for m, u, _a in REDIRECTING_PAGES],
)
def test_redirecting_page_permissions(client, users, world, role, method, url, allowed):
    response = _request(client, users, role, method, _fill(url, world), None)
    if role in allowed:
        assert response.status_code == 302 and not response["Location"].startswith("/login/")
    else:
        check_page(response, role, allowed)


# What only a session login may do, never a bearer token, whatever the role.
SESSION_ONLY = [
    ("get", "/api/tokens", None),
    ("post", "/api/tokens", {"name": "avkomma"}),
    ("delete", "/api/tokens/{token}", None),
    ("post", "/api/me/password", {"old_password": PASSWORD, "new_password": "Ett-nytt-2027"}),
    ("delete", "/api/users/{user}/second-factor", None),
]


@pytest.mark.parametrize("role", sorted(SIGNED_IN))
@pytest.mark.parametrize(
    ("method", "url", "body"), SESSION_ONLY, ids=[f"{m} {u}" for m, u, _b in SESSION_ONLY]
)
def test_a_token_is_refused_where_a_session_is_needed(
    client, users, world, role, method, url, body
):
    token, key = api_token_create(user=users[role], name="skript", acting_user=users[role])
    url = _fill(url, {**world, "token": token.pk})
    kwargs = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    if body is not None:
        kwargs.update(data=json.dumps(body), content_type="application/json")
    response = getattr(client, method)(url, **kwargs)
    assert response.status_code == 403
    assert "errors" in response.json()
