"""Issue 8's repayment defects through the REST API: the rounding rule, the cap, and correcting
a verified saving."""

import datetime as dt
import json
from decimal import Decimal

from django.test import Client

from sifra.accounts.models import Unit

D = Decimal
MSEK = 100_000_000


def as_user(user):
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def call(user, method, url, body=None):
    kwargs = {} if body is None else {"data": json.dumps(body), "content_type": "application/json"}
    return getattr(as_user(user), method)(url, **kwargs)


def saving(unit, amount="1000", year=2025):
    return {
        "year": year,
        "unit_id": unit.pk,
        "amount": amount,
        "evidence_kind": "finance",
        "evidence": "Utfall i ekonomisystemet",
    }


def test_three_ore_on_thirds_give_one_ore_each(granted_project, economist, unit_a, unit_b, org):
    unit_c = Unit.objects.create(organisation=org, name="Kultur- och fritidsnämnden")
    p = granted_project.pk
    shares = [(unit_a, "33.34"), (unit_b, "33.33"), (unit_c, "33.33")]
    agreement = {
        "model": "savings_share",
        "share": "100",
        "shares": [{"unit_id": u.pk, "percent": pc} for u, pc in shares],
    }
    assert call(economist, "put", f"/api/projects/{p}/agreement", agreement).status_code == 200
    made = call(economist, "post", f"/api/projects/{p}/savings", saving(unit_a, "0.03"))
    assert made.status_code == 201
    assert sorted(c["amount_ore"] for c in made.json()["claims"]) == [1, 1, 1]


def test_the_cap_is_what_was_actually_granted(granted_project, economist, coordinator, unit_a):
    """Drew 1 of 2 MSEK and released the rest: granted and the default cap are 1 MSEK."""
    p = granted_project.pk
    for kind in ("disbursement", "release"):
        entry = {"kind": kind, "amount": "1000000", "text": kind, "project_id": p}
        posted = call(coordinator, "post", f"/api/funds/{granted_project.fund_id}/ledger", entry)
        assert posted.status_code == 201, posted.content
    agreement = {
        "model": "savings_share",
        "share": "50",
        "shares": [{"unit_id": unit_a.pk, "percent": "100"}],
    }
    body = call(economist, "put", f"/api/projects/{p}/agreement", agreement).json()
    assert body["granted_ore"] == MSEK and body["agreement"]["cap_ore"] == MSEK


def test_the_claims_list_comes_in_pages_and_filters_the_overdue(granted_project, economist, unit_a):
    """Claims for 2023, 2024 and 2025, due six months after each year's end; on 1 December
    2025 the first two are past due. Read one at a time, every claim comes once, by due date."""
    import time_machine

    p = granted_project.pk
    agreement = {
        "model": "savings_share", "share": "50", "due_months": 6,
        "shares": [{"unit_id": unit_a.pk, "percent": "100"}],
    }  # fmt: skip
    assert call(economist, "put", f"/api/projects/{p}/agreement", agreement).status_code == 200
    for year in (2025, 2023, 2024):
        made = call(economist, "post", f"/api/projects/{p}/savings", saving(unit_a, "1000", year))
        assert made.status_code == 201, made.content
    with time_machine.travel(dt.datetime(2025, 12, 1, 12, tzinfo=dt.UTC), tick=False):
        pages = [call(economist, "get", f"/api/claims?limit=1&offset={i}").json() for i in range(4)]
        overdue = call(economist, "get", "/api/claims?overdue=true").json()
    assert [page["count"] for page in pages] == [3, 3, 3, 3]
    listed = [c for page in pages for c in page["items"]]
    assert [(c["year"], c["due_date"], c["amount_ore"]) for c in listed] == [
        (2023, "2024-06-30", 50_000),
        (2024, "2025-06-30", 50_000),
        (2025, "2026-06-30", 50_000),
    ]
    assert [c["overdue"] for c in listed] == [True, True, False]
    # 2025's claim falls due on 30 June 2026: on 1 December 2025 two are overdue
    assert overdue["count"] == 2
    assert [(c["year"], c["outstanding_ore"]) for c in overdue["items"]] == [
        (2023, 50_000),
        (2024, 50_000),
    ]
