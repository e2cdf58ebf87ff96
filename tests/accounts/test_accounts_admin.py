"""The accounts models in Django's admin."""

import pytest
from django.urls import reverse

from sifra.accounts.models import User


@pytest.fixture
def admin_client_(client_as, db):
    return client_as(User.objects.create_superuser("admin", password="x-Admin-2026!"))


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["organisation", "unit", "partner", "user", "apitoken"])
def test_the_accounts_models_are_in_the_admin(admin_client_, users, model):
    response = admin_client_.get(reverse(f"admin:accounts_{model}_changelist"))
    assert response.status_code == 200


@pytest.mark.django_db
def test_the_admin_shows_role_and_units_but_changes_nothing(admin_client_, users):
    applicant = users["applicant"]
    url = reverse("admin:accounts_user_change", args=[applicant.pk])
    content = admin_client_.get(url).content.decode()
    assert "Socialnämnden" in content  # the units are shown
    response = admin_client_.post(url, {"username": "changed", "role": "coordinator"})
    assert response.status_code == 403
    applicant.refresh_from_db()
    assert applicant.username == "sokande" and applicant.role == "applicant"


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["organisation", "unit", "partner", "user", "apitoken"])
def test_the_admin_cannot_add_or_delete(admin_client_, model):
    assert admin_client_.get(reverse(f"admin:accounts_{model}_add")).status_code == 403


@pytest.mark.django_db
def test_the_admin_cannot_add_api_tokens(admin_client_):
    assert admin_client_.get(reverse("admin:accounts_apitoken_add")).status_code == 403
