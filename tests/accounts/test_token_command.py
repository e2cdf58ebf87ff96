"""`sifra token USERNAME`: an administrator prints a new token for a user."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from sifra.accounts.models import ApiToken
from sifra.audit.models import AuditEvent


def run(*args):
    out = StringIO()
    call_command("token", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_the_command_prints_a_working_key_alone_on_a_line(users):
    output = run("sokande")

    [key] = output.splitlines()
    token = ApiToken.find_active(key)
    assert token is not None
    assert token.user == users["applicant"]
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.TOKEN_CREATED)
    assert event.actor is None
    assert event.data["user"] == "sokande"


@pytest.mark.django_db
def test_the_command_names_the_token(users):
    key = run("revisor", "--name", "Årsrevision").strip()
    assert ApiToken.find_active(key).name == "Årsrevision"


@pytest.mark.django_db
def test_an_unknown_user_is_a_clear_error(users):
    with pytest.raises(CommandError, match='There is no user named "nobody"'):
        run("nobody")
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_an_inactive_user_gets_no_token(users):
    users["council"].is_active = False
    users["council"].save()
    with pytest.raises(CommandError, match="not active"):
        run("radet")
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_an_empty_name_is_a_clear_error(users):
    with pytest.raises(CommandError, match="Enter a name"):
        run("radet", "--name", " ")
