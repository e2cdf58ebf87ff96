"""A long list of projects is a text field in the ledger's and the claims' filters (a select
of 2 000 options is unusable and slow); the reference typed there filters as the select did."""

import datetime as dt

from sifra.core.forms import LONG_LIST
from sifra.projects.models import Project
from tests.portfolio.conftest import MSEK, post


def test_the_project_filter_becomes_a_text_field(client, fund, unit_a, users):
    coordinator = users["coordinator"]
    Project.objects.bulk_create(
        Project(fund=fund, code=f"L-{i:03d}", title="Lång lista", lead_unit=unit_a)
        for i in range(LONG_LIST + 1)
    )
    post(fund, coordinator, "deposit", MSEK, dt.date(2026, 1, 2))
    chosen = Project.objects.get(code="L-007")
    post(fund, coordinator, "commitment", MSEK // 2, dt.date(2026, 1, 3), chosen)
    client.force_login(coordinator)
    page = client.get(f"/funds/{fund.pk}/").content.decode()
    assert 'name="project"' in page and '<select name="project"' not in page
    by_code = client.get(f"/funds/{fund.pk}/?project=L-007").context["entries"]
    by_pk = client.get(f"/funds/{fund.pk}/?project={chosen.pk}").context["entries"]
    assert [e.kind for e in by_code] == [e.kind for e in by_pk] == ["commitment"]
    unknown = client.get(f"/funds/{fund.pk}/?project=NOPE")
    assert unknown.status_code == 200 and "project" in unknown.context["filter_form"].errors
    claims = client.get("/repayment/?project=L-007")
    assert claims.status_code == 200 and '<select name="project"' not in claims.content.decode()


def test_a_short_list_stays_a_select(client, fund, project, users):
    client.force_login(users["coordinator"])
    page = client.get(f"/funds/{fund.pk}/").content.decode()
    assert '<select name="project"' in page
