"""Tokens cannot create tokens: the token endpoints answer only a session login, so revoking a
leaked token ends it, with no offspring minted by it living on."""

import json

import pytest
from django.test import Client

from sifra.accounts.models import ApiToken
from sifra.accounts.services import api_token_create
from sifra.api.auth import TOKEN_NOT_ENOUGH


def bearer(key):
    return Client(headers={"authorization": f"Bearer {key}", "accept-language": "en"})


def _create(client):
    body = json.dumps({"name": "avkomma"})
    return client.post("/api/tokens", body, content_type="application/json")


@pytest.fixture
def leaked(users):
    user = users["coordinator"]
    token, key = api_token_create(user=user, name="skript", acting_user=user)
    return token, key


def _refused(response):
    return response.status_code == 403 and response.json()["errors"]["__all__"] == [
        str(TOKEN_NOT_ENOUGH)
    ]


@pytest.mark.django_db
def test_a_token_cannot_create_a_token(leaked):
    _token, key = leaked
    assert bearer(key).get("/api/funds").status_code == 200  # the token itself works
    assert _refused(_create(bearer(key)))
    assert ApiToken.objects.count() == 1


@pytest.mark.django_db
def test_a_token_can_neither_list_nor_revoke_tokens(leaked, users):
    _token, key = leaked
    other, _other_key = api_token_create(
        user=users["coordinator"], name="annat", acting_user=users["coordinator"]
    )
    assert _refused(bearer(key).get("/api/tokens"))
    assert _refused(bearer(key).delete(f"/api/tokens/{other.pk}"))
    other.refresh_from_db()
    assert other.revoked_at is None


@pytest.mark.django_db
def test_a_revoked_token_leaves_nothing_behind(leaked, users):
    token, key = leaked
    _create(bearer(key))  # a leaked token trying to mint a successor
    session = Client()
    session.force_login(users["coordinator"])

    assert session.delete(f"/api/tokens/{token.pk}").status_code == 200

    assert bearer(key).get("/api/funds").status_code == 401
    assert not ApiToken.objects.filter(revoked_at__isnull=True).exists()


@pytest.mark.django_db
def test_a_session_login_creates_lists_and_revokes(users):
    session = Client()
    session.force_login(users["economist"])
    created = _create(session)
    assert created.status_code == 201
    key = created.json()["key"]
    assert bearer(key).get("/api/me").json()["username"] == "ekonom"
    assert [t["name"] for t in session.get("/api/tokens").json()] == ["avkomma"]
