"""axe-core on the account pages: changing the password, setting up the second factor (with its
QR code) and the code step after the password."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from tests.browser.conftest import login
from tests.browser.test_accessibility import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_password_page(page: Page, live_server, coordinator):
    login(page, live_server, coordinator)
    page.goto(f"{live_server.url}/people/account/password/")
    form = page.locator("main form[method=post]")
    form.locator("input[name=old_password]").fill("fel")
    form.locator("input[name=password]").fill("kort")
    form.locator("input[name=password_again]").fill("kort")
    form.locator("button[type=submit]").click()
    expect(page.locator("main form .error").first).to_be_visible()
    assert_accessible(page)


def test_second_factor_setup_page(page: Page, live_server, coordinator, settings):
    settings.SIFRA_REQUIRE_2FA = True
    login(page, live_server, coordinator)
    expect(page).to_have_url(f"{live_server.url}/people/account/second-factor/?next=%2F")
    expect(page.locator("main svg")).to_be_visible()
    assert_accessible(page)


def test_second_factor_verify_page(page: Page, live_server, coordinator, settings):
    settings.SIFRA_REQUIRE_2FA = True
    TOTPDevice.objects.create(user=coordinator, name="Sifra", confirmed=True)
    login(page, live_server, coordinator)
    form = page.locator("main form[method=post]")
    form.locator("input[name=code]").fill("000000")
    form.locator("button[type=submit]").click()
    expect(page.locator("main form .error").first).to_be_visible()
    assert_accessible(page)
