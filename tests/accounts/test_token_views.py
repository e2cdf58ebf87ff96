"""The API token page: every signed-in user manages its own tokens; the key is shown once."""

import pytest
from django.urls import reverse

from sifra.accounts import services
from sifra.accounts.models import ApiToken
from sifra.audit.models import AuditEvent

ROLES = ["coordinator", "applicant", "council", "decision_maker", "economist", "auditor"]


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in(client_as):
    client = client_as(None)
    for response in [
        client.get(reverse("accounts:tokens")),
        client.post(reverse("accounts:token_create"), {"name": "x"}),
    ]:
        assert response.status_code == 302
        assert response["Location"].startswith("/login/?next=")
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_role_creates_a_token_and_sees_the_key_once(client_as, users, role):
    client = client_as(users[role])
    assert client.get(reverse("accounts:tokens")).status_code == 200

    response = client.post(reverse("accounts:token_create"), {"name": "Rapportskript"})

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    key = response.context["key"]
    token = ApiToken.find_active(key)
    assert token is not None and token.user == users[role] and token.name == "Rapportskript"
    content = response.content.decode()
    assert f'<p class="token-key" id="new-token">{key}</p>' in content
    assert "shown only this once" in content

    again = client.get(reverse("accounts:tokens")).content.decode()
    assert key not in again
    assert "Rapportskript" in again
    assert token.hint in again


@pytest.mark.django_db
def test_a_token_without_a_name_is_refused_with_a_message(client_as, users):
    response = client_as(users["council"]).post(reverse("accounts:token_create"), {"name": " "})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert 'id="new-token"' not in response.content.decode()
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_creating_a_token_needs_a_post(client_as, users):
    assert client_as(users["council"]).get(reverse("accounts:token_create")).status_code == 405


@pytest.mark.django_db
def test_the_page_lists_only_ones_own_tokens(client_as, users):
    other = users["economist"]
    services.api_token_create(user=other, name="Ekonomens skript", acting_user=other)
    content = client_as(users["council"]).get(reverse("accounts:tokens")).content.decode()
    assert "Ekonomens skript" not in content


@pytest.mark.django_db
def test_revoking_ones_own_token(client_as, users):
    user = users["applicant"]
    token, key = services.api_token_create(user=user, name="x", acting_user=user)

    response = client_as(user).post(reverse("accounts:token_revoke", args=[token.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:tokens")
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert ApiToken.find_active(key) is None
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.TOKEN_REVOKED, actor=user).exists()


@pytest.mark.django_db
def test_revoking_someone_elses_token_is_404(client_as, users):
    owner = users["applicant"]
    token, key = services.api_token_create(user=owner, name="x", acting_user=owner)

    response = client_as(users["coordinator"]).post(
        reverse("accounts:token_revoke", args=[token.pk])
    )

    assert response.status_code == 404
    assert ApiToken.find_active(key) == token


@pytest.mark.django_db
def test_revoking_needs_a_post(client_as, users):
    user = users["applicant"]
    token, _key = services.api_token_create(user=user, name="x", acting_user=user)
    response = client_as(user).get(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None
