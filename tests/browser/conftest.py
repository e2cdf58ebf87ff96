"""Browser fixtures: Debian's Chromium (/usr/bin/chromium) driven by Playwright's sync API against
pytest-django's live server. Run with `make test-browser`; `make test` leaves these out."""

import os

import pytest
from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright

from tests.conftest import PASSWORD

CHROMIUM = os.environ.get("SIFRA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]

expect.set_options(timeout=10_000)


@pytest.fixture(scope="session")
def playwright_instance() -> Playwright:
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"no Chromium at {CHROMIUM}: apt-get install chromium")
    # The sync Playwright API keeps an asyncio event loop in the test thread, and Django then
    # refuses ORM calls from that thread (SynchronousOnlyOperation). The test thread runs no async
    # code, so this is the standard way out for pytest-django with Playwright — set only while
    # the browser runs, so that `make test` keeps Django's check.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    pw = sync_playwright().start()
    yield pw
    pw.stop()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Browser:
    browser = playwright_instance.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture
def page(browser: Browser, live_server) -> Page:
    """A fresh context (no cookies) per test, in Swedish as the app's users see it."""
    context = browser.new_context(
        locale="sv-SE", timezone_id="Europe/Stockholm", base_url=live_server.url
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors in the page: {errors}"


def login(page: Page, live_server, user, password: str = PASSWORD) -> None:
    """Log in through the login form, as a person would, and wait until the app lets us in."""
    page.goto(f"{live_server.url}/login/")
    form = page.locator("main form")
    form.locator("input[name=username]").fill(user.username)
    form.locator("input[name=password]").fill(password)
    form.locator("button[type=submit]").click()
    page.wait_for_url(lambda url: "/login/" not in url)
    expect(page.locator("form[action$='/logout/'] button[type=submit]")).to_be_visible()
