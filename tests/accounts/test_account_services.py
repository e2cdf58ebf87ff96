"""The services in sifra.accounts.services: each refusal and each audit row."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sifra.accounts import services
from sifra.accounts.models import ApiToken, Partner, Role, Unit, User
from sifra.audit.models import AuditEvent
from tests.conftest import PASSWORD

NEW_PASSWORD = "Another-pw-2026?"
NOT_MANAGERS = ["applicant", "council", "decision_maker", "economist", "auditor"]


def events(kind):
    return list(AuditEvent.objects.filter(kind=kind))


def field_messages(exc_info, field):
    return exc_info.value.message_dict[field]


# --- Users ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_user_create_writes_the_user_and_an_audit_row(coordinator, unit_a):
    user = services.user_create(
        username=" nyanvandare ",
        password=PASSWORD,
        role=Role.APPLICANT,
        units=[unit_a],
        first_name="Nya",
        acting_user=coordinator,
    )

    assert user.username == "nyanvandare"
    assert user.check_password(PASSWORD)
    assert list(user.units.all()) == [unit_a]
    [event] = events(AuditEvent.Kind.USER_CREATED)
    assert event.actor == coordinator
    assert event.object_id == str(user.pk)
    assert event.data["role"] == "applicant"
    assert event.data["units"] == [unit_a.name]
    assert "password" not in event.data


@pytest.mark.django_db
@pytest.mark.parametrize("role", NOT_MANAGERS)
def test_only_a_coordinator_creates_users(users, role):
    with pytest.raises(PermissionDenied):
        services.user_create(
            username="x", password=PASSWORD, role=Role.COUNCIL, acting_user=users[role]
        )
    assert not User.objects.filter(username="x").exists()
    assert not events(AuditEvent.Kind.USER_CREATED)


@pytest.mark.django_db
def test_user_create_refuses_a_taken_username_whatever_the_case(coordinator):
    with pytest.raises(ValidationError) as exc_info:
        services.user_create(
            username="SAMORDNARE", password=PASSWORD, role=Role.COUNCIL, acting_user=coordinator
        )
    assert field_messages(exc_info, "username") == [str(services.USERNAME_TAKEN)]


@pytest.mark.django_db
def test_user_create_refuses_an_applicant_without_a_unit(coordinator):
    with pytest.raises(ValidationError) as exc_info:
        services.user_create(
            username="x", password=PASSWORD, role=Role.APPLICANT, acting_user=coordinator
        )
    assert field_messages(exc_info, "units") == [str(services.APPLICANT_NEEDS_UNIT)]
    assert not User.objects.filter(username="x").exists()


@pytest.mark.django_db
def test_user_create_refuses_a_weak_password(coordinator):
    with pytest.raises(ValidationError) as exc_info:
        services.user_create(
            username="x", password="123", role=Role.COUNCIL, acting_user=coordinator
        )
    assert field_messages(exc_info, "password")
    assert not User.objects.filter(username="x").exists()


@pytest.mark.django_db
def test_user_update_records_what_changed(coordinator, users, unit_a, unit_b):
    person = users["applicant"]
    services.user_update(
        user=person, role=Role.ECONOMIST, units=[unit_b], last_name="Ek", acting_user=coordinator
    )

    person.refresh_from_db()
    assert person.role == Role.ECONOMIST
    assert list(person.units.all()) == [unit_b]
    [event] = events(AuditEvent.Kind.USER_UPDATED)
    assert event.actor == coordinator
    assert event.data == {
        "role": ["applicant", "economist"],
        "last_name": ["", "Ek"],
        "units": [[unit_a.name], [unit_b.name]],
    }


@pytest.mark.django_db
def test_user_update_sets_a_new_password_without_writing_it_down(coordinator, users):
    person = users["council"]
    services.user_update(user=person, password=NEW_PASSWORD, acting_user=coordinator)

    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)
    [event] = events(AuditEvent.Kind.USER_UPDATED)
    assert event.data == {"password": ["…", "…"]}
    assert NEW_PASSWORD not in str(event.data)


@pytest.mark.django_db
def test_user_update_without_changes_writes_no_audit_row(coordinator, users):
    services.user_update(user=users["council"], role=Role.COUNCIL, acting_user=coordinator)
    assert not events(AuditEvent.Kind.USER_UPDATED)


@pytest.mark.django_db
@pytest.mark.parametrize("change", [{"role": Role.AUDITOR}, {"is_active": False}])
def test_a_coordinator_cannot_demote_or_deactivate_itself(coordinator, change):
    with pytest.raises(ValidationError) as exc_info:
        services.user_update(user=coordinator, acting_user=coordinator, **change)
    assert field_messages(exc_info, "role") == [str(services.CANNOT_DEMOTE_SELF)]
    coordinator.refresh_from_db()
    assert coordinator.role == Role.COORDINATOR and coordinator.is_active


@pytest.mark.django_db
def test_user_update_refuses_to_leave_an_applicant_without_units(coordinator, users):
    with pytest.raises(ValidationError) as exc_info:
        services.user_update(user=users["applicant"], units=[], acting_user=coordinator)
    assert field_messages(exc_info, "units") == [str(services.APPLICANT_NEEDS_UNIT)]
    assert users["applicant"].units.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", NOT_MANAGERS)
def test_only_a_coordinator_updates_users(users, role):
    with pytest.raises(PermissionDenied):
        services.user_update(user=users["council"], role=Role.COORDINATOR, acting_user=users[role])
    users["council"].refresh_from_db()
    assert users["council"].role == Role.COUNCIL


# --- Units ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_unit_create_writes_an_audit_row(org, coordinator, unit_a):
    unit = services.unit_create(
        organisation=org,
        acting_user=coordinator,
        name="Socialförvaltningen",
        kind=Unit.Kind.ADMINISTRATION,
        parent=unit_a,
    )

    assert unit.parent == unit_a
    [event] = events(AuditEvent.Kind.UNIT_CREATED)
    assert event.actor == coordinator
    assert event.data["parent"] == unit_a.name
    assert event.data["kind"] == "administration"


@pytest.mark.django_db
def test_unit_create_refuses_a_duplicate_name(org, coordinator, unit_a):
    with pytest.raises(ValidationError):
        services.unit_create(
            organisation=org, acting_user=coordinator, name=unit_a.name, kind=Unit.Kind.COMMITTEE
        )
    assert not events(AuditEvent.Kind.UNIT_CREATED)


@pytest.mark.django_db
@pytest.mark.parametrize("role", NOT_MANAGERS)
def test_only_a_coordinator_creates_units(org, users, role):
    with pytest.raises(PermissionDenied):
        services.unit_create(
            organisation=org, acting_user=users[role], name="X", kind=Unit.Kind.COMMITTEE
        )


@pytest.mark.django_db
def test_a_unit_cannot_belong_to_itself(coordinator, unit_a):
    with pytest.raises(ValidationError) as exc_info:
        services.unit_update(unit=unit_a, parent=unit_a, acting_user=coordinator)
    assert field_messages(exc_info, "parent") == [str(services.UNIT_CYCLE)]


@pytest.mark.django_db
def test_a_unit_cannot_belong_to_its_own_sub_unit(org, coordinator, unit_a):
    child = services.unit_create(
        organisation=org,
        acting_user=coordinator,
        name="Förvaltning",
        kind=Unit.Kind.ADMINISTRATION,
        parent=unit_a,
    )
    grandchild = services.unit_create(
        organisation=org,
        acting_user=coordinator,
        name="Enhet",
        kind=Unit.Kind.ADMINISTRATION,
        parent=child,
    )
    with pytest.raises(ValidationError) as exc_info:
        services.unit_update(unit=unit_a, parent=grandchild, acting_user=coordinator)
    assert field_messages(exc_info, "parent") == [str(services.UNIT_CYCLE)]
    unit_a.refresh_from_db()
    assert unit_a.parent is None
    assert not events(AuditEvent.Kind.UNIT_UPDATED)


@pytest.mark.django_db
def test_unit_update_records_what_changed(coordinator, unit_a, unit_b):
    services.unit_update(unit=unit_b, parent=unit_a, code="VON", acting_user=coordinator)
    [event] = events(AuditEvent.Kind.UNIT_UPDATED)
    assert event.data == {"code": ["", "VON"], "parent": [None, unit_a.name]}


@pytest.mark.django_db
def test_only_a_coordinator_updates_units(users, unit_a):
    with pytest.raises(PermissionDenied):
        services.unit_update(unit=unit_a, name="X", acting_user=users["auditor"])


# --- Partners and the organisation ---------------------------------------------------------------


@pytest.mark.django_db
def test_partner_create_and_update_write_audit_rows(org, coordinator):
    partner = services.partner_create(
        organisation=org, acting_user=coordinator, name="Regionen", kind=Partner.Kind.REGION
    )
    services.partner_update(partner=partner, org_number="232100-0000", acting_user=coordinator)

    [created] = events(AuditEvent.Kind.PARTNER_CREATED)
    assert created.data["name"] == "Regionen"
    [updated] = events(AuditEvent.Kind.PARTNER_UPDATED)
    assert updated.data == {"org_number": ["", "232100-0000"]}


@pytest.mark.django_db
@pytest.mark.parametrize("role", NOT_MANAGERS)
def test_only_a_coordinator_manages_partners(org, users, role):
    with pytest.raises(PermissionDenied):
        services.partner_create(
            organisation=org, acting_user=users[role], name="Regionen", kind=Partner.Kind.REGION
        )


@pytest.mark.django_db
def test_partner_create_refuses_an_unknown_kind(org, coordinator):
    with pytest.raises(ValidationError) as exc_info:
        services.partner_create(organisation=org, acting_user=coordinator, name="X", kind="bogus")
    assert "kind" in exc_info.value.message_dict


@pytest.mark.django_db
def test_organisation_update_writes_an_audit_row(org, coordinator):
    services.organisation_update(
        organisation=org, name=" Exempelkommun ", org_number="212000-0001", acting_user=coordinator
    )
    org.refresh_from_db()
    assert org.name == "Exempelkommun"
    [event] = events(AuditEvent.Kind.ORGANISATION_UPDATED)
    assert event.data == {"name": ["Testkommun", "Exempelkommun"]}


@pytest.mark.django_db
def test_organisation_update_requires_a_name(org, coordinator):
    with pytest.raises(ValidationError) as exc_info:
        services.organisation_update(
            organisation=org, name="  ", org_number="", acting_user=coordinator
        )
    assert field_messages(exc_info, "name") == [str(services.NAME_REQUIRED)]


@pytest.mark.django_db
def test_only_a_coordinator_updates_the_organisation(org, users):
    with pytest.raises(PermissionDenied):
        services.organisation_update(
            organisation=org, name="X", org_number="", acting_user=users["auditor"]
        )


# --- API tokens ----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role", ["coordinator", "applicant", "council", "decision_maker", "economist", "auditor"]
)
def test_every_role_creates_its_own_tokens(users, role):
    user = users[role]
    token, key = services.api_token_create(user=user, name="Skript", acting_user=user)

    assert key.startswith(ApiToken.PREFIX)
    assert ApiToken.find_active(key) == token
    assert key not in (token.digest, token.hint)
    [event] = events(AuditEvent.Kind.TOKEN_CREATED)
    assert event.actor == user
    assert event.data == {"user": user.username, "name": "Skript"}


@pytest.mark.django_db
def test_nobody_creates_a_token_for_someone_else(users):
    with pytest.raises(PermissionDenied):
        services.api_token_create(user=users["auditor"], name="x", acting_user=users["coordinator"])
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_a_token_needs_a_name(users):
    with pytest.raises(ValidationError) as exc_info:
        services.api_token_create(user=users["council"], name=" ", acting_user=users["council"])
    assert field_messages(exc_info, "name") == [str(services.NAME_REQUIRED)]


@pytest.mark.django_db
def test_revoking_a_token_stops_it_once(users):
    user = users["economist"]
    token, key = services.api_token_create(user=user, name="x", acting_user=user)

    services.api_token_revoke(token=token, acting_user=user)
    services.api_token_revoke(token=token, acting_user=user)

    token.refresh_from_db()
    assert token.revoked_at is not None
    assert ApiToken.find_active(key) is None
    assert len(events(AuditEvent.Kind.TOKEN_REVOKED)) == 1


@pytest.mark.django_db
def test_nobody_revokes_someone_elses_token(users):
    owner = users["economist"]
    token, key = services.api_token_create(user=owner, name="x", acting_user=owner)
    with pytest.raises(PermissionDenied, match=str(services.TOKEN_NOT_YOURS)):
        services.api_token_revoke(token=token, acting_user=users["coordinator"])
    assert ApiToken.find_active(key) == token


@pytest.mark.django_db
def test_a_deactivated_users_tokens_stop_working(users):
    user = users["council"]
    _token, key = services.api_token_create(user=user, name="x", acting_user=user)
    services.user_update(user=user, is_active=False, acting_user=users["coordinator"])
    assert ApiToken.find_active(key) is None
