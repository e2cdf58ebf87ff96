"""Every page that lists or sums makes the same number of queries for a fund of a few projects
as for one of many: no query per project, per entry or per claim (N+1)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sifra.demo.scale import build_scale


def _pages(fund_id: int) -> dict[str, str]:
    return {
        "fund": f"/funds/{fund_id}/",
        "ledger, page 2": f"/funds/{fund_id}/?page=2",
        "projects": "/projects/",
        "portfolio": f"/portfolio/{fund_id}/",
        "portfolio, filtered": f"/portfolio/{fund_id}/?status=closed",
        "who paid and who saved": f"/portfolio/{fund_id}/payer-saver/",
        "claims": "/repayment/",
        "claims of the fund": f"/repayment/?fund={fund_id}",
        "follow-up overview": "/followup/",
        "audit trail": "/audit/",
        "funds": "/funds/",
        "portfolio API": f"/api/funds/{fund_id}/portfolio",
    }


def _counts(client, fund_id: int) -> dict[str, int]:
    counts = {}
    for name, url in _pages(fund_id).items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[name] = len(queries)
    return counts


@pytest.mark.parametrize("role", ["coordinator", "auditor"])
def test_query_counts_do_not_grow_with_the_projects(client, org, users, role):
    client.force_login(users[role])
    few = build_scale(4)
    with_few = _counts(client, few.fund.pk)
    many = build_scale(40)  # a second fund: ten times the projects, entries and claims
    with_many = _counts(client, many.fund.pk)
    assert with_many == with_few
    assert max(with_many.values()) <= 30  # and bounded
