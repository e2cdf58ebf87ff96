"""Users change their own password: the current one first, Django's validators, the session kept
and every other session ended; in the API only with a session login."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from sifra.accounts import services
from sifra.accounts.forms import PASSWORDS_DIFFER
from sifra.accounts.services import WRONG_PASSWORD
from sifra.api.auth import TOKEN_NOT_ENOUGH
from sifra.audit.models import AuditEvent
from tests.conftest import PASSWORD

NEW = "Nytt-lösen-för-2027"
URL = "/people/account/password/"


def _change(client, old=PASSWORD, new=NEW, again=None):
    data = {"old_password": old, "password": new, "password_again": again or new}
    return client.post(URL, data)


def _password_works(user, password):
    user.refresh_from_db()
    return user.check_password(password)


@pytest.mark.django_db
def test_the_page_is_under_the_account_menu_in_both_languages(client_as, users):
    client = client_as(users["applicant"])
    english = client.get(URL).content.decode()
    assert "Current password" in english
    assert (
        f'href="{reverse("accounts:password_change")}"'
        in client.get("/people/tokens/").content.decode()
    )
    swedish = Client(headers={"accept-language": "sv"})
    swedish.force_login(users["applicant"])
    assert "Nuvarande lösenord" in swedish.get(URL).content.decode()


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in(client_as):
    response = client_as(None).get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.django_db
def test_changing_keeps_this_session_and_ends_the_others(users):
    user = users["applicant"]
    this, other = Client(), Client()
    for client in (this, other):
        assert (
            client.post("/login/", {"username": "sokande", "password": PASSWORD}).status_code == 302
        )

    response = _change(this)

    assert response.status_code == 302 and response["Location"] == URL
    assert _password_works(user, NEW)
    assert this.get("/funds/").status_code == 200
    assert other.get("/funds/").status_code == 302
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.USER_UPDATED, actor=user)
    assert event.data == {"password": ["…", "…"]}


@pytest.mark.django_db
def test_a_wrong_current_password_is_refused(client_as, users):
    response = _change(client_as(users["applicant"]), old="fel")
    assert response.status_code == 200
    assert response.context["form"].errors["old_password"] == [str(WRONG_PASSWORD)]
    assert _password_works(users["applicant"], PASSWORD)


@pytest.mark.django_db
def test_the_password_validators_apply(client_as, users):
    response = _change(client_as(users["applicant"]), new="12345678")
    errors = response.context["form"].errors["password"]
    assert "This password is too common." in errors
    assert "This password is entirely numeric." in errors
    assert _password_works(users["applicant"], PASSWORD)


@pytest.mark.django_db
def test_the_two_new_passwords_must_match(client_as, users):
    response = _change(client_as(users["applicant"]), again=NEW + "x")
    assert response.context["form"].errors["password_again"] == [str(PASSWORDS_DIFFER)]
    assert _password_works(users["applicant"], PASSWORD)


def _api_change(client, old=PASSWORD, **headers):
    body = json.dumps({"old_password": old, "new_password": NEW})
    return client.post("/api/me/password", body, content_type="application/json", **headers)


@pytest.mark.django_db
def test_the_api_changes_the_password_with_a_session_login(users):
    client = Client()
    client.post("/login/", {"username": "sokande", "password": PASSWORD})
    assert _api_change(client).status_code == 204
    assert _password_works(users["applicant"], NEW)
    assert client.get("/api/me").status_code == 200


@pytest.mark.django_db
def test_the_api_names_the_field_of_a_wrong_current_password(client_as, users):
    response = _api_change(client_as(users["applicant"]), old="fel")
    assert response.status_code == 400
    assert response.json()["errors"]["old_password"] == [str(WRONG_PASSWORD)]


@pytest.mark.django_db
def test_a_token_cannot_change_the_password(users):
    user = users["applicant"]
    _token, key = services.api_token_create(user=user, name="skript", acting_user=user)
    response = _api_change(Client(), HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 403
    assert response.json()["errors"]["__all__"] == [str(TOKEN_NOT_ENOUGH)]
    assert _password_works(user, PASSWORD)
