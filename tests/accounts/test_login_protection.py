"""Login protection behind a reverse proxy: the client address from X-Forwarded-For as far as the
trusted proxies vouch for it, a lock per (username, address), a lock per address across usernames,
and one neutral message for every failure."""

import datetime as dt

import pytest
from django.test import Client, RequestFactory

from sifra.accounts.client_address import client_address
from sifra.accounts.forms import LOGIN_FAILED
from tests.conftest import PASSWORD

PROXY = "10.0.0.254"
CLIENT_X = "203.0.113.5"
CLIENT_Y = "198.51.100.7"


def _via_proxy(client_ip, forged=""):
    """A client behind the one trusted proxy, which appends what it saw to the header."""
    header = f"{forged}, {client_ip}" if forged else client_ip
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=header)


def _login(client, username, password):
    return client.post("/login/", {"username": username, "password": password})


def _request(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


@pytest.fixture
def behind_one_proxy(settings):
    settings.SIFRA_TRUSTED_PROXY_COUNT = 1


def test_the_header_is_ignored_without_trusted_proxies(settings):
    settings.SIFRA_TRUSTED_PROXY_COUNT = 0
    assert client_address(_request("192.0.2.1", "203.0.113.5")) == "192.0.2.1"


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "6.6.6.6, 203.0.113.5", "203.0.113.5"),  # the left part is the client's own
        (2, "6.6.6.6, 203.0.113.5, 10.0.0.9", "203.0.113.5"),
        (2, "203.0.113.5", "192.0.2.1"),  # fewer hops than proxies: did not come through them
        (1, "not-an-address", "192.0.2.1"),
        (1, None, "192.0.2.1"),
        (1, "2001:DB8::1", "2001:db8::1"),
    ],
)
def test_the_client_address_counts_proxies_from_the_right(settings, count, forwarded, expected):
    settings.SIFRA_TRUSTED_PROXY_COUNT = count
    assert client_address(_request("192.0.2.1", forwarded)) == expected


@pytest.mark.django_db
def test_failures_from_one_client_do_not_lock_the_user_out_for_another(users, behind_one_proxy):
    attacker = _via_proxy(CLIENT_X)
    statuses = [_login(attacker, "samordnare", "fel").status_code for _attempt in range(5)]
    assert statuses == [200, 200, 200, 200, 429]  # the fifth failure locks
    assert _login(attacker, "samordnare", PASSWORD).status_code == 429

    assert _login(_via_proxy(CLIENT_Y), "samordnare", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_a_forged_header_does_not_escape_the_lock(users, behind_one_proxy):
    for n in range(5):
        _login(_via_proxy(CLIENT_X, forged=f"6.6.6.{n}"), "samordnare", "fel")
    assert _login(_via_proxy(CLIENT_X, forged="7.7.7.7"), "samordnare", PASSWORD).status_code == 429


@pytest.mark.django_db
def test_the_header_is_ignored_for_the_lock_without_trusted_proxies(users, settings):
    settings.SIFRA_TRUSTED_PROXY_COUNT = 0
    for n in range(5):
        client = Client(REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=f"6.6.6.{n}")
        _login(client, "samordnare", "fel")
    other_header = Client(REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=CLIENT_Y)
    assert _login(other_header, "samordnare", PASSWORD).status_code == 429
    assert _login(Client(REMOTE_ADDR="192.0.2.2"), "samordnare", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_twenty_failures_across_usernames_lock_the_address(users, behind_one_proxy, settings):
    assert settings.SIFRA_ADDRESS_FAILURE_LIMIT == 20
    sprayer = _via_proxy(CLIENT_X)
    for n in range(19):
        _login(sprayer, f"gissning{n}", "Sommar2026")
    assert _login(sprayer, "sokande", PASSWORD).status_code == 302
    sprayer.post("/logout/")

    _login(sprayer, "gissning19", "Sommar2026")

    assert _login(sprayer, "sokande", PASSWORD).status_code == 429
    assert _login(sprayer, "revisor", PASSWORD).status_code == 429
    assert _login(_via_proxy(CLIENT_Y), "sokande", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_the_address_lock_lifts_after_the_cool_off_time(users, behind_one_proxy, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False)
    sprayer = _via_proxy(CLIENT_X)
    for n in range(20):
        _login(sprayer, f"gissning{n}", "Sommar2026")
    assert _login(sprayer, "sokande", PASSWORD).status_code == 429

    time_machine.move_to(dt.datetime(2026, 3, 2, 9, 16, tzinfo=dt.UTC), tick=False)

    assert _login(sprayer, "sokande", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_one_message_whether_the_user_exists_or_is_locked(users):
    client = Client(REMOTE_ADDR="192.0.2.1")
    wrong = _login(client, "samordnare", "fel")
    unknown = _login(client, "finns-inte", "fel")
    for _attempt in range(5):
        _login(client, "samordnare", "fel")
    locked = _login(client, "samordnare", PASSWORD)

    assert locked.status_code == 429
    for response in (wrong, unknown, locked):
        page = response.content.decode()
        assert str(LOGIN_FAILED) in page
        assert "locked" not in page.lower() and "blocked" not in page.lower()
        assert 'name="password"' in page  # the login form again, not a separate lockout page
