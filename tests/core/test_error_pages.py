"""Error pages in the app's layout, in Swedish by default and English when chosen, saying what
to do next; never Django's debug pages in production (DEBUG=False here, as in production)."""

import types

import pytest
from django.http import HttpRequest
from django.template import loader
from django.test import Client, RequestFactory
from django.urls import path
from django.views import defaults

from tests.core.test_production_settings import _manage

LAYOUT = ('<header class="site-header">', '<main id="main"', '<footer class="site-footer">')
DEBUG_MARKS = ("Using the URLconf", "Traceback", "DEBUG = True", "technical_500", "urlpatterns")


@pytest.fixture(autouse=True)
def production_like(settings):
    settings.DEBUG = False


def _client(user=None, language="sv", **kwargs):
    client = Client(headers={"accept-language": language}, **kwargs)
    if user is not None:
        client.force_login(user)
    return client


def assert_error_page(response, status, *texts):
    html = response.content.decode()
    assert response.status_code == status
    for part in (*LAYOUT, *texts):
        assert part in html, part
    for mark in DEBUG_MARKS:
        assert mark not in html, mark


@pytest.mark.django_db
def test_a_missing_page_is_a_swedish_404_in_the_layout(users):
    response = _client().get("/no-such-page/")
    assert_error_page(response, 404, "Sidan finns inte", "Gå till startsidan", 'href="/"')

    response = _client(users["economist"]).get("/no-such-page/")
    assert_error_page(response, 404, "Sidan finns inte", "Gå till din startsida, Att göra")


@pytest.mark.django_db
def test_a_missing_object_is_the_same_404(users):
    response = _client(users["coordinator"]).get("/applications/999999/")
    assert_error_page(response, 404, "Sidan finns inte")


@pytest.mark.django_db
def test_the_404_is_english_when_chosen(users):
    response = _client(users["auditor"], "en").get("/no-such-page/")
    assert_error_page(response, 404, "Page not found", "Go to your start page, To do")


@pytest.mark.django_db
def test_a_forbidden_action_is_a_swedish_403_that_names_the_role(funded, users):
    # The economist may not reverse the fund's deposit (entry no. 1 of the `funded` fixture).
    response = _client(users["economist"]).get(f"/funds/{funded.pk}/ledger/1/reverse/")
    assert_error_page(
        response,
        403,
        "Du har inte behörighet till den här sidan",
        "Du är inloggad som ekonom",
        "be fondsamordnaren ge dig rätt roll",
    )


@pytest.mark.django_db
def test_the_403_is_english_when_chosen(users):
    response = _client(users["applicant"], "en").get("/audit/")
    assert_error_page(response, 403, "You do not have access to this page", "as applicant")


@pytest.mark.django_db
def test_a_form_without_its_token_gets_the_csrf_page(users):
    client = _client(users["coordinator"], enforce_csrf_checks=True)
    response = client.post("/logout/")
    assert_error_page(
        response,
        403,
        "Formuläret kunde inte skickas",
        "ladda om sidan och skicka igen",
        "tillåter kakor",
    )
    english = _client(users["coordinator"], "en", enforce_csrf_checks=True).post("/logout/")
    assert_error_page(english, 403, "The form could not be sent")


def _boom(request: HttpRequest):
    raise RuntimeError("boom")


@pytest.fixture
def failing_view(settings):
    import config.urls

    urls = types.ModuleType("error_test_urls")
    urls.urlpatterns = [path("boom/", _boom), *config.urls.urlpatterns]  # type: ignore[attr-defined]
    settings.ROOT_URLCONF = urls


@pytest.mark.django_db
def test_a_failure_is_a_swedish_500_in_the_layout(failing_view):
    response = _client(raise_request_exception=False).get("/boom/")
    assert_error_page(response, 500, "Något gick fel", "Försök igen om några minuter")
    assert "boom" not in response.content.decode()


def test_the_500_page_needs_neither_a_request_nor_the_database():
    """No `db` mark: pytest-django refuses any query here, so a page that needed the database
    (a context processor, the user, notifications) would fail to render."""
    html = loader.get_template("500.html").render()
    assert "Något gick fel" in html
    assert '<header class="site-header">' in html
    response = defaults.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Något gick fel" in response.content.decode()


def test_production_runs_without_debug(tmp_path):
    done = _manage(
        tmp_path,
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DEBUG)",
        SECRET_KEY="x" * 60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "False"


def test_the_csrf_failure_view_is_the_apps():
    from django.conf import settings

    assert settings.CSRF_FAILURE_VIEW == "sifra.core.views.csrf_failure"
