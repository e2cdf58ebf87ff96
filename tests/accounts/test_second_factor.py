"""The second factor (TOTP) for the coordinator, decision maker and economist: set up with a QR
code and the key, verified after the password, required before anything else (the API's session
login too), and reset by a coordinator. Codes are computed from the device's key with
django_otp.oath.totp at a time fixed by time-machine."""

import datetime as dt
import json

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from sifra.accounts import services
from sifra.accounts.middleware import SECOND_FACTOR_NEEDED
from sifra.accounts.services import ALREADY_SET_UP, WRONG_CODE
from sifra.api.auth import TOKEN_NOT_ENOUGH
from sifra.audit.models import AuditEvent
from tests.conftest import PASSWORD

SETUP = "/people/account/second-factor/"
VERIFY = "/people/account/second-factor/verify/"
NOON = dt.datetime(2026, 3, 2, 12, 0, 0, tzinfo=dt.UTC)


@pytest.fixture
def required(settings):
    settings.SIFRA_REQUIRE_2FA = True


@pytest.fixture
def now(time_machine):
    time_machine.move_to(NOON, tick=False)
    return time_machine


def code(device):
    """The device's current code, as an authenticator app computes it."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def login(username):
    client = Client(headers={"accept-language": "en"})
    response = client.post("/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def set_up_device(user):
    device = TOTPDevice.objects.create(user=user, name="Sifra", confirmed=True)
    return device


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["coordinator", "decision_maker", "economist"])
def test_a_role_that_needs_it_is_sent_to_set_it_up_first(users, required, role):
    client = login(users[role].username)
    response = client.get("/funds/")
    assert response.status_code == 302
    assert response["Location"] == f"{SETUP}?next=%2Ffunds%2F"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["applicant", "council", "auditor"])
def test_other_roles_are_not_asked(users, required, role):
    client = login(users[role].username)
    assert client.get("/funds/").status_code == 200
    assert client.get(SETUP).status_code == 403


@pytest.mark.django_db
def test_setting_it_up_with_the_qr_code_and_a_code(users, required, now):
    client = login("ekonom")
    page = client.get(f"{SETUP}?next=/funds/")
    device = TOTPDevice.objects.get(user=users["economist"], confirmed=False)
    html = page.content.decode()
    assert "<svg" in html and "<script" not in html.split("<main")[1].split("</main>")[0]
    assert "<style" not in html and " style=" not in html
    assert page.context["secret"].replace(" ", "") in html.replace(" ", "")

    wrong = client.post(SETUP, {"code": "000000", "next": "/funds/"})
    assert wrong.context["form"].errors["code"] == [str(WRONG_CODE)]
    now.shift(dt.timedelta(seconds=2))  # past django-otp's delay after a wrong code

    response = client.post(SETUP, {"code": code(device), "next": "/funds/"})

    assert response.status_code == 302 and response["Location"] == "/funds/"
    assert client.get("/funds/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.USER_UPDATED, actor=users["economist"])
    assert event.data == {"second_factor": ["none", "set up"]}


@pytest.mark.django_db
def test_the_step_after_the_password_asks_for_the_code(users, required, now):
    device = set_up_device(users["coordinator"])
    client = login("samordnare")
    assert client.get("/funds/")["Location"] == f"{VERIFY}?next=%2Ffunds%2F"

    wrong = client.post(VERIFY, {"code": "123456", "next": "/funds/"})
    assert wrong.status_code == 200
    assert wrong.context["form"].errors["code"] == [str(WRONG_CODE)]
    assert client.get("/funds/").status_code == 302
    now.shift(dt.timedelta(seconds=2))

    response = client.post(VERIFY, {"code": code(device), "next": "/funds/"})

    assert response.status_code == 302 and response["Location"] == "/funds/"
    assert client.get("/funds/").status_code == 200


@pytest.mark.django_db
def test_a_code_works_once_and_the_next_one_after_30_seconds(users, required, now):
    device = set_up_device(users["coordinator"])
    first = code(device)
    assert login("samordnare").post(VERIFY, {"code": first})["Location"] == "/"

    again = login("samordnare")
    assert again.post(VERIFY, {"code": first}).status_code == 200  # replayed: refused
    now.shift(dt.timedelta(seconds=30))
    device.refresh_from_db()
    assert again.post(VERIFY, {"code": code(device)})["Location"] == "/"


@pytest.mark.django_db
def test_after_a_wrong_code_even_the_right_one_waits(users, required, now):
    """django-otp's throttling: guessing a million codes is not possible."""
    device = set_up_device(users["coordinator"])
    client = login("samordnare")
    client.post(VERIFY, {"code": "000000"})
    assert client.post(VERIFY, {"code": code(device)}).status_code == 200
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # refused while throttled, not counted
    now.shift(dt.timedelta(seconds=3))
    assert client.post(VERIFY, {"code": code(device)}).status_code == 302


@pytest.mark.django_db
def test_next_must_be_one_of_our_pages(users, required, now):
    device = set_up_device(users["coordinator"])
    client = login("samordnare")
    response = client.post(VERIFY, {"code": code(device), "next": "https://evil.example/"})
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_a_set_up_factor_cannot_be_replaced_with_the_password_alone(users, required):
    device = set_up_device(users["coordinator"])
    client = login("samordnare")
    assert client.get(SETUP)["Location"].startswith(VERIFY)
    assert list(TOTPDevice.objects.filter(user=users["coordinator"])) == [device]
    with pytest.raises(Exception) as refused:
        services.second_factor_start(user=users["coordinator"], acting_user=users["coordinator"])
    assert str(ALREADY_SET_UP) in str(refused.value)


@pytest.mark.django_db
def test_the_api_refuses_an_unverified_session(users, required, now):
    device = set_up_device(users["coordinator"])
    client = login("samordnare")
    response = client.get("/api/funds")
    assert response.status_code == 403
    assert response.json()["errors"]["__all__"] == [str(SECOND_FACTOR_NEEDED)]
    forged = client.get("/api/funds", HTTP_AUTHORIZATION="Bearer sifra_wrong")
    assert forged.status_code == 401  # a wrong token does not fall back to the session

    client.post(VERIFY, {"code": code(device)})

    assert client.get("/api/funds").status_code == 200


@pytest.mark.django_db
def test_tokens_are_made_only_after_the_second_factor(users, required, now):
    device = set_up_device(users["coordinator"])
    client = login("samordnare")
    body = json.dumps({"name": "skript"})
    assert client.post("/api/tokens", body, content_type="application/json").status_code == 403
    assert client.post("/people/tokens/new/", {"name": "skript"}).status_code == 302
    assert not users["coordinator"].api_tokens.exists()

    client.post(VERIFY, {"code": code(device)})

    created = client.post("/api/tokens", body, content_type="application/json")
    assert created.status_code == 201
    bearer = Client(HTTP_AUTHORIZATION=f"Bearer {created.json()['key']}")
    assert bearer.get("/api/funds").status_code == 200


@pytest.mark.django_db
def test_without_the_setting_the_demo_roles_log_in_with_the_password(users, settings):
    settings.SIFRA_REQUIRE_2FA = False
    for username in ("samordnare", "beslut", "ekonom"):
        assert login(username).get("/funds/").status_code == 200


@pytest.mark.django_db
def test_without_the_setting_a_set_up_factor_is_still_asked_for(users, settings):
    settings.SIFRA_REQUIRE_2FA = False
    set_up_device(users["decision_maker"])
    assert login("beslut").get("/funds/")["Location"].startswith(VERIFY)


@pytest.mark.django_db
def test_a_coordinator_resets_a_lost_second_factor(users, required, now):
    device = set_up_device(users["economist"])
    economist = login("ekonom")
    economist.post(VERIFY, {"code": code(device)})
    assert economist.get("/funds/").status_code == 200
    own = set_up_device(users["coordinator"])
    coordinator = login("samordnare")
    coordinator.post(VERIFY, {"code": code(own)})
    edit = coordinator.get(f"/people/{users['economist'].pk}/edit/").content.decode()
    assert "Reset second factor" in edit

    response = coordinator.post(f"/people/{users['economist'].pk}/second-factor/reset/")

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=users["economist"]).exists()
    assert economist.get("/funds/")["Location"].startswith(SETUP)  # the old session too
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.USER_UPDATED, actor=users["coordinator"])
    assert event.data == {"second_factor": ["set up", "reset"]}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["economist", "council", "auditor", "applicant"])
def test_only_a_coordinator_resets(client_as, users, role):
    device = set_up_device(users["decision_maker"])
    url = f"/people/{users['decision_maker'].pk}/second-factor/reset/"
    response = client_as(users[role]).post(url)
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


@pytest.mark.django_db
def test_the_api_reset_needs_a_coordinators_session_not_a_token(client_as, users):
    set_up_device(users["economist"])
    coordinator = users["coordinator"]
    _token, key = services.api_token_create(user=coordinator, name="s", acting_user=coordinator)
    url = f"/api/users/{users['economist'].pk}/second-factor"
    refused = Client(HTTP_AUTHORIZATION=f"Bearer {key}").delete(url)
    assert refused.status_code == 403
    assert refused.json()["errors"]["__all__"] == [str(TOKEN_NOT_ENOUGH)]
    assert TOTPDevice.objects.filter(user=users["economist"]).exists()

    assert client_as(coordinator).delete(url).status_code == 204
    assert not TOTPDevice.objects.filter(user=users["economist"]).exists()


@pytest.mark.django_db
def test_the_pages_in_swedish(users, required):
    client = Client(headers={"accept-language": "sv"})
    client.post("/login/", {"username": "ekonom", "password": PASSWORD})
    assert "Ställ in en andra faktor" in client.get(SETUP).content.decode()
