"""The audit trail page and its CSV export: who may see them, filters, details, pages."""

import csv
import io

import pytest
from django.urls import reverse

from sifra.accounts import services
from sifra.accounts.models import Partner, Role, Unit
from sifra.audit.models import AuditEvent
from sifra.audit.views import PAGE_SIZE

ROLES = ["coordinator", "applicant", "council", "decision_maker", "economist", "auditor"]
READERS = {"coordinator", "auditor"}


@pytest.fixture
def trail(org, users, unit_a):
    coordinator = users["coordinator"]
    services.unit_create(
        organisation=org,
        acting_user=coordinator,
        name="Socialförvaltningen",
        kind=Unit.Kind.ADMINISTRATION,
        parent=unit_a,
    )
    partner = services.partner_create(
        organisation=org,
        acting_user=coordinator,
        name="Arbetsförmedlingen",
        kind=Partner.Kind.STATE,
    )
    services.partner_update(
        partner=partner, is_active=False, org_number="202100-2114", acting_user=coordinator
    )
    services.user_update(user=users["council"], role=Role.ECONOMIST, acting_user=coordinator)


def csv_rows(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in(client_as):
    for name in ["audit:list", "audit:export"]:
        response = client_as(None).get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith("/login/?next=")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_who_sees_the_audit_trail(client_as, users, role):
    client = client_as(users[role])
    expected = 200 if role in READERS else 403
    assert client.get(reverse("audit:list")).status_code == expected
    assert client.get(reverse("audit:export")).status_code == expected


@pytest.mark.django_db
def test_the_page_cannot_be_posted_to(client_as, users, trail):
    client = client_as(users["auditor"])
    assert client.post(reverse("audit:list")).status_code == 405
    assert client.post(reverse("audit:export")).status_code == 405
    assert AuditEvent.objects.count() == 4


@pytest.mark.django_db
def test_the_page_lists_time_who_event_object_and_details(client_as, users, trail):
    response = client_as(users["auditor"]).get(reverse("audit:list"))
    content = response.content.decode()

    assert response.status_code == 200
    assert "4 events" in content
    assert "Socialförvaltningen" in content
    assert "Partner changed" in content
    assert "samordnare" in content
    details = [str(d) for row in response.context["events"] for d in row["details"]]
    assert "Role: council member → economist" in details
    assert "Active: yes → no" in details
    assert "Organisation number: – → 202100-2114" in details
    assert "Belongs to: Socialnämnden" in details
    assert "<del>council member</del></td><td><ins>economist</ins>" in content


@pytest.mark.django_db
def test_the_page_filters(client_as, users, trail):
    client = client_as(users["coordinator"])
    response = client.get(reverse("audit:list"), {"kind": "partner.updated"})
    assert [row["event"].kind for row in response.context["events"]] == ["partner.updated"]

    response = client.get(reverse("audit:list"), {"object_type": "accounts.unit"})
    assert [row["event"].kind for row in response.context["events"]] == ["unit.created"]

    response = client.get(reverse("audit:list"), {"actor": "revisor"})
    assert response.context["events"] == []
    assert "No events." in response.content.decode()

    response = client.get(reverse("audit:list"), {"text": "arbetsförm"})
    assert len(response.context["events"]) == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", [{"date_from": "not a date"}, {"kind": "nonsense"}, {"page": "x"}, {"page": "9999"}]
)
def test_bad_filter_input_is_not_a_500(client_as, users, trail, query):
    response = client_as(users["auditor"]).get(reverse("audit:list"), query)
    assert response.status_code == 200
    assert client_as(users["auditor"]).get(reverse("audit:export"), query).status_code == 200


@pytest.mark.django_db
def test_a_bad_date_shows_the_error(client_as, users):
    response = client_as(users["auditor"]).get(reverse("audit:list"), {"date_from": "igår"})
    assert "Enter a valid date." in response.content.decode()


@pytest.mark.django_db
def test_the_page_shows_a_hundred_events_a_page(client_as, users, unit_a):
    AuditEvent.objects.bulk_create(
        AuditEvent(
            kind=AuditEvent.Kind.UNIT_UPDATED,
            object_type="accounts.unit",
            object_id=str(unit_a.pk),
            object_repr=f"Enhet {i}",
            data={},
        )
        for i in range(PAGE_SIZE + 5)
    )
    client = client_as(users["auditor"])

    first = client.get(reverse("audit:list"), {"kind": "unit.updated"})
    assert len(first.context["events"]) == PAGE_SIZE
    assert "105 events, page 1 of 2" in first.content.decode()
    assert "kind=unit.updated&amp;page=2" in first.content.decode()

    second = client.get(reverse("audit:list"), {"kind": "unit.updated", "page": 2})
    assert len(second.context["events"]) == 5


@pytest.mark.django_db
def test_the_csv_export_has_the_filtered_events(client_as, users, trail):
    response = client_as(users["auditor"]).get(
        reverse("audit:export"), {"actor": "samordnare", "kind": "partner.updated"}
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="audit-trail-')
    header, *rows = csv_rows(response)
    assert header == [
        "Time (Europe/Stockholm)",
        "By",
        "Event",
        "Object type",
        "Object id",
        "Object",
        "Details",
    ]
    assert len(rows) == 1
    [row] = rows
    assert row[1:4] == ["samordnare", "Partner changed", "External partner"]
    assert row[5] == "Arbetsförmedlingen"
    assert "Active: yes → no" in row[6]
    assert "Organisation number: – → 202100-2114" in row[6]


@pytest.mark.django_db
def test_the_csv_export_without_filters_has_every_event(client_as, users, trail):
    response = client_as(users["coordinator"]).get(reverse("audit:export"))
    _header, *rows = csv_rows(response)
    assert len(rows) == AuditEvent.objects.count() == 4
    assert rows[-1][2] == "Unit created"


@pytest.mark.django_db
def test_an_event_without_an_actor_says_so(client_as, users):
    services.api_token_create(user=users["council"], name="Skript", acting_user=None)
    content = client_as(users["auditor"]).get(reverse("audit:list")).content.decode()
    assert "the system" in content
