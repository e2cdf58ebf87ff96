"""What the feeds hold: exactly the grants that are published now, and never one in which a
personal identity number has turned up since it was published."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sifra.accounts.models import Unit
from sifra.opendata.selectors import public_projects
from sifra.opendata.services import publication_create, publication_withdraw
from sifra.opendata.threesixty import grants_csv, published_grants
from sifra.projects.models import Project


def test_a_personal_number_that_turns_up_later_keeps_the_grant_out(published):
    """A committee renamed, past the guards, to hold a personal identity number: the grant
    leaves the feed and the page, not the number with it."""
    fund = published.project.fund
    assert len(published_grants(fund)) == 1
    Unit.objects.filter(pk=published.project.lead_unit_id).update(name="Familjen 811218-9876")
    assert published_grants(fund) == []
    assert public_projects() == []
    assert "811218-9876" not in grants_csv(published_grants(fund))


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(st.tuples(st.booleans(), st.integers(0, 1)), max_size=5))
def test_the_feed_holds_exactly_the_published_grants(granted, registered, coordinator, steps):
    """Any sequence of publishing and withdrawing two grants: the feed, the CSV and the page
    list exactly those whose last step was a publication."""
    projects = [granted, registered]
    public = {
        p.pk
        for p in projects
        if getattr(Project.objects.get(pk=p.pk), "publication", None)
        and Project.objects.get(pk=p.pk).publication.is_public
    }
    for publish, index in steps:
        project = projects[index]
        if publish:
            publication_create(project=project, summary="Beviljat.", acting_user=coordinator)
            public.add(project.pk)
        elif project.pk in public:
            publication_withdraw(project=project, acting_user=coordinator)
            public.discard(project.pk)
    expected = sorted(p.code for p in projects if p.pk in public)
    grants = published_grants(granted.fund)
    assert sorted(g["id"].removeprefix("360G-testkommun-") for g in grants) == expected
    assert sorted(p.project.code for p in public_projects()) == expected
    assert grants_csv(grants).count("\r\n") == 1 + len(expected)
