"""The pages for users, units, partners and the organisation: who may and who may not, and what
a POST does."""

import pytest
from django.urls import reverse

from sifra.accounts import services
from sifra.accounts.forms import PASSWORDS_DIFFER
from sifra.accounts.models import Organisation, Partner, Role, Unit, User
from sifra.audit.models import AuditEvent
from tests.conftest import PASSWORD

ROLES = ["coordinator", "applicant", "council", "decision_maker", "economist", "auditor"]
READERS = {"coordinator", "auditor"}
MANAGERS = {"coordinator"}


def list_urls(users, unit_a, partner):
    return [
        reverse("accounts:users"),
        reverse("accounts:units"),
        reverse("accounts:partners"),
        reverse("accounts:organisation"),
    ]


def manage_urls(users, unit_a, partner):
    return [
        reverse("accounts:user_create"),
        reverse("accounts:user_edit", args=[users["council"].pk]),
        reverse("accounts:unit_create"),
        reverse("accounts:unit_edit", args=[unit_a.pk]),
        reverse("accounts:partner_create"),
        reverse("accounts:partner_edit", args=[partner.pk]),
    ]


@pytest.fixture
def partner(org):
    return Partner.objects.create(
        organisation=org, name="Region Örebro län", kind=Partner.Kind.REGION
    )


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in(client_as, users, unit_a, partner):
    client = client_as(None)
    for url in list_urls(users, unit_a, partner) + manage_urls(users, unit_a, partner):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/login/?next="), url


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_who_sees_the_lists(client_as, users, unit_a, partner, role):
    client = client_as(users[role])
    for url in list_urls(users, unit_a, partner):
        assert client.get(url).status_code == (200 if role in READERS else 403), url


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_who_manages(client_as, users, unit_a, partner, role):
    client = client_as(users[role])
    for url in manage_urls(users, unit_a, partner):
        assert client.get(url).status_code == (200 if role in MANAGERS else 403), url
        if role not in MANAGERS:
            assert client.post(url, {"name": "X"}).status_code == 403, url


@pytest.mark.django_db
def test_the_auditor_reads_without_links_to_change(client_as, users, unit_a, partner):
    client = client_as(users["auditor"])
    pages = [
        (
            reverse("accounts:users"),
            [
                reverse("accounts:user_create"),
                reverse("accounts:user_edit", args=[users["council"].pk]),
            ],
        ),
        (
            reverse("accounts:units"),
            [reverse("accounts:unit_create"), reverse("accounts:unit_edit", args=[unit_a.pk])],
        ),
        (
            reverse("accounts:partners"),
            [
                reverse("accounts:partner_create"),
                reverse("accounts:partner_edit", args=[partner.pk]),
            ],
        ),
    ]
    for url, hidden in pages:
        content = client.get(url).content.decode()
        for link in hidden:
            assert link not in content
    organisation_page = client.get(reverse("accounts:organisation")).content.decode()
    assert '<form method="post" class="narrow-form"' not in organisation_page
    assert "Testkommun" in organisation_page


@pytest.mark.django_db
def test_the_coordinator_sees_links_to_change(client_as, users, unit_a):
    content = client_as(users["coordinator"]).get(reverse("accounts:users")).content.decode()
    assert reverse("accounts:user_create") in content
    assert reverse("accounts:user_edit", args=[users["council"].pk]) in content


@pytest.mark.django_db
def test_the_user_list_shows_role_units_and_active(client_as, users, unit_a):
    content = client_as(users["coordinator"]).get(reverse("accounts:users")).content.decode()
    assert "sokande" in content
    assert unit_a.name in content
    assert "Fund coordinator" in content


# --- Users ---------------------------------------------------------------------------------------


def user_data(**overrides):
    data = {
        "username": "ny",
        "first_name": "Ny",
        "last_name": "Person",
        "email": "",
        "role": Role.COUNCIL,
        "password": PASSWORD,
        "password_again": PASSWORD,
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_a_coordinator_creates_a_user(client_as, users, unit_a):
    client = client_as(users["coordinator"])
    response = client.post(
        reverse("accounts:user_create"), user_data(role=Role.APPLICANT, units=[unit_a.pk])
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:users")
    user = User.objects.get(username="ny")
    assert user.role == Role.APPLICANT
    assert list(user.units.all()) == [unit_a]
    assert user.check_password(PASSWORD)
    assert AuditEvent.objects.filter(
        kind=AuditEvent.Kind.USER_CREATED, actor=users["coordinator"], object_id=str(user.pk)
    ).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (user_data(role=Role.APPLICANT), services.APPLICANT_NEEDS_UNIT),
        (user_data(username="SOKANDE"), services.USERNAME_TAKEN),
        (user_data(password_again="something-else-2026"), PASSWORDS_DIFFER),
        (user_data(role="emperor"), "Select a valid choice."),
        (user_data(username=""), "This field is required."),
    ],
)
def test_bad_user_input_shows_the_error(client_as, users, data, message):
    response = client_as(users["coordinator"]).post(reverse("accounts:user_create"), data)
    assert response.status_code == 200
    assert str(message) in response.content.decode()
    assert not User.objects.filter(username="ny").exists()


@pytest.mark.django_db
def test_a_weak_password_shows_the_validators_message(client_as, users):
    response = client_as(users["coordinator"]).post(
        reverse("accounts:user_create"), user_data(password="123", password_again="123")
    )
    assert response.status_code == 200
    assert "This password is too short." in response.content.decode()


@pytest.mark.django_db
def test_the_edit_form_starts_from_the_user(client_as, users, unit_a):
    applicant = users["applicant"]
    response = client_as(users["coordinator"]).get(
        reverse("accounts:user_edit", args=[applicant.pk])
    )
    form = response.context["form"]
    assert form.initial["role"] == Role.APPLICANT
    assert list(form.initial["units"]) == [unit_a]
    assert form.initial["is_active"] is True


@pytest.mark.django_db
def test_a_coordinator_edits_a_user_and_sets_a_new_password(client_as, users, unit_a, unit_b):
    person = users["applicant"]
    response = client_as(users["coordinator"]).post(
        reverse("accounts:user_edit", args=[person.pk]),
        {
            "first_name": "Sara",
            "last_name": "",
            "email": "sara@example.se",
            "role": Role.APPLICANT,
            "units": [unit_a.pk, unit_b.pk],
            "is_active": "on",
            "password": "New-pw-Sifra-2027!",
            "password_again": "New-pw-Sifra-2027!",
        },
    )

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.first_name == "Sara"
    assert set(person.units.all()) == {unit_a, unit_b}
    assert person.check_password("New-pw-Sifra-2027!")
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.USER_UPDATED)
    assert set(event.data) == {"first_name", "email", "units", "password"}


@pytest.mark.django_db
def test_an_empty_password_keeps_the_old_one(client_as, users):
    person = users["council"]
    response = client_as(users["coordinator"]).post(
        reverse("accounts:user_edit", args=[person.pk]),
        {"role": Role.ECONOMIST, "is_active": "", "password": "", "password_again": ""},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.role == Role.ECONOMIST
    assert person.is_active is False
    assert person.check_password(PASSWORD)


@pytest.mark.django_db
def test_a_coordinator_cannot_demote_itself_in_the_page(client_as, users):
    coordinator = users["coordinator"]
    response = client_as(coordinator).post(
        reverse("accounts:user_edit", args=[coordinator.pk]),
        {"role": Role.AUDITOR, "is_active": "on"},
    )
    assert response.status_code == 200
    assert str(services.CANNOT_DEMOTE_SELF) in response.content.decode()
    coordinator.refresh_from_db()
    assert coordinator.role == Role.COORDINATOR


@pytest.mark.django_db
def test_editing_an_unknown_user_is_404(client_as, users):
    response = client_as(users["coordinator"]).get(reverse("accounts:user_edit", args=[9999]))
    assert response.status_code == 404


# --- Units ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_unit_list_is_a_tree(client_as, users, org, unit_a, unit_b):
    child = Unit.objects.create(
        organisation=org, name="Aaa-förvaltningen", parent=unit_b, kind=Unit.Kind.ADMINISTRATION
    )
    response = client_as(users["auditor"]).get(reverse("accounts:units"))

    assert [(u.name, depth) for u, depth in response.context["tree"]] == [
        (unit_a.name, 0),
        (unit_b.name, 0),
        (child.name, 1),
    ]
    assert 'data-depth="1"' in response.content.decode()


@pytest.mark.django_db
def test_a_coordinator_creates_a_unit(client_as, users, unit_a):
    response = client_as(users["coordinator"]).post(
        reverse("accounts:unit_create"),
        {
            "name": "Socialförvaltningen",
            "code": "SOF",
            "kind": Unit.Kind.ADMINISTRATION,
            "parent": unit_a.pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    unit = Unit.objects.get(name="Socialförvaltningen")
    assert unit.parent == unit_a
    assert AuditEvent.objects.filter(
        kind=AuditEvent.Kind.UNIT_CREATED, object_id=str(unit.pk)
    ).exists()


@pytest.mark.django_db
def test_a_duplicate_unit_name_shows_an_error(client_as, users, unit_a):
    response = client_as(users["coordinator"]).post(
        reverse("accounts:unit_create"),
        {
            "name": unit_a.name,
            "kind": Unit.Kind.COMMITTEE,
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert Unit.objects.filter(name=unit_a.name).count() == 1


@pytest.mark.django_db
def test_a_unit_cycle_shows_an_error(client_as, users, org, unit_a):
    child = Unit.objects.create(
        organisation=org, name="Förvaltning", parent=unit_a, kind=Unit.Kind.ADMINISTRATION
    )
    response = client_as(users["coordinator"]).post(
        reverse("accounts:unit_edit", args=[unit_a.pk]),
        {"name": unit_a.name, "kind": Unit.Kind.COMMITTEE, "parent": child.pk, "is_active": "on"},
    )
    assert response.status_code == 200
    assert str(services.UNIT_CYCLE) in response.content.decode()
    unit_a.refresh_from_db()
    assert unit_a.parent is None


@pytest.mark.django_db
def test_a_unit_is_not_offered_as_its_own_parent(client_as, users, unit_a, unit_b):
    response = client_as(users["coordinator"]).get(reverse("accounts:unit_edit", args=[unit_a.pk]))
    assert list(response.context["form"].fields["parent"].queryset) == [unit_b]


@pytest.mark.django_db
def test_a_coordinator_edits_a_unit(client_as, users, unit_a):
    response = client_as(users["coordinator"]).post(
        reverse("accounts:unit_edit", args=[unit_a.pk]),
        {"name": "Socialnämnden", "code": "SN", "kind": Unit.Kind.COMMITTEE, "is_active": ""},
    )
    assert response.status_code == 302
    unit_a.refresh_from_db()
    assert (unit_a.code, unit_a.is_active) == ("SN", False)
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.UNIT_UPDATED)
    assert event.data == {"code": ["", "SN"], "is_active": [True, False]}


# --- Partners and the organisation ---------------------------------------------------------------


@pytest.mark.django_db
def test_a_coordinator_creates_and_edits_a_partner(client_as, users):
    client = client_as(users["coordinator"])
    response = client.post(
        reverse("accounts:partner_create"),
        {
            "name": "Försäkringskassan",
            "kind": Partner.Kind.STATE,
            "org_number": "202100-5521",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    partner = Partner.objects.get(name="Försäkringskassan")

    response = client.post(
        reverse("accounts:partner_edit", args=[partner.pk]),
        {
            "name": "Försäkringskassan",
            "kind": Partner.Kind.STATE,
            "org_number": "202100-5521",
            "is_active": "",
        },
    )
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.is_active is False
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.PARTNER_UPDATED).count() == 1
    assert "Försäkringskassan" in client.get(reverse("accounts:partners")).content.decode()


@pytest.mark.django_db
def test_bad_partner_input_shows_the_error(client_as, users):
    response = client_as(users["coordinator"]).post(
        reverse("accounts:partner_create"),
        {
            "name": "",
            "kind": "bogus",
        },
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"name", "kind"}
    assert not Partner.objects.exists()


@pytest.mark.django_db
def test_a_coordinator_edits_the_organisation(client_as, users, org):
    response = client_as(users["coordinator"]).post(
        reverse("accounts:organisation"), {"name": "Exempelkommun", "org_number": "212000-1234"}
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert (org.name, org.org_number) == ("Exempelkommun", "212000-1234")
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.ORGANISATION_UPDATED).exists()


@pytest.mark.django_db
def test_an_empty_organisation_name_shows_an_error(client_as, users, org):
    response = client_as(users["coordinator"]).post(
        reverse("accounts:organisation"), {"name": "  ", "org_number": ""}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    org.refresh_from_db()
    assert org.name == "Testkommun"


@pytest.mark.django_db
def test_the_auditor_cannot_edit_the_organisation(client_as, users, org):
    response = client_as(users["auditor"]).post(
        reverse("accounts:organisation"), {"name": "X", "org_number": ""}
    )
    assert response.status_code == 403
    org.refresh_from_db()
    assert org.name == "Testkommun"


@pytest.mark.django_db
def test_without_an_organisation_its_pages_are_404(client_as):
    coordinator = User.objects.create_user("samordnare", password=PASSWORD, role=Role.COORDINATOR)
    assert not Organisation.objects.exists()
    client = client_as(coordinator)
    for name in ["accounts:organisation", "accounts:unit_create", "accounts:partner_create"]:
        assert client.get(reverse(name)).status_code == 404, name


@pytest.mark.django_db
def test_the_sub_navigation_marks_the_current_page(client_as, users):
    content = client_as(users["coordinator"]).get(reverse("accounts:units")).content.decode()
    assert f'href="{reverse("accounts:units")}" aria-current="page"' in content
    assert f'href="{reverse("accounts:partners")}"' in content
