"""Issue 8's repayment defects through the REST API: the rounding rule, the cap, and correcting
a verified saving."""

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
