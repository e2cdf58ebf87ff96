"""Logging in: Django's own authentication, with failed attempts rate-limited by django-axes."""

import pytest
from django.test import Client

from tests.conftest import PASSWORD


@pytest.mark.django_db
def test_login_with_the_right_password_lands_on_the_start_page(users):
    client = Client()
    response = client.post("/login/", {"username": "samordnare", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/funds/").status_code == 200


@pytest.mark.django_db
def test_a_wrong_password_shows_the_form_again(users):
    response = Client().post("/login/", {"username": "samordnare", "password": "fel"})
    assert response.status_code == 200 and response.context["form"].errors


@pytest.mark.django_db
def test_five_failures_lock_the_username_even_for_the_right_password(users, settings):
    client = Client(REMOTE_ADDR="10.1.2.3")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"username": "samordnare", "password": "fel"})
    locked = client.post("/login/", {"username": "samordnare", "password": PASSWORD})
    assert locked.status_code == 429
    assert client.get("/funds/").status_code == 302  # still not signed in
    other = Client(REMOTE_ADDR="10.1.2.3")
    ok = other.post("/login/", {"username": "sokande", "password": PASSWORD})
    assert ok.status_code == 302  # another username is not locked


@pytest.mark.django_db
def test_logout_is_a_post(users):
    client = Client()
    client.force_login(users["coordinator"])
    assert client.get("/logout/").status_code == 405
    assert client.post("/logout/").status_code == 302
    assert client.get("/funds/").status_code == 302
