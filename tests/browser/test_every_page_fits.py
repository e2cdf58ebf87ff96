"""Every page on every screen, for every role, with the demo's data: the pages reachable from the
main menu (and the first item of each list) at 390 px (a phone) and 1366 px (a laptop) are no
wider than the window, and axe finds no serious or critical violations. Screenshots of each page
are written as test artefacts to var/screenshots/ (SIFRA_SCREENSHOTS=docs/screenshots refreshes
the README's)."""

import io
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from playwright.sync_api import Page

from tests.browser.conftest import login
from tests.browser.test_accessibility import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = ["samordnare", "sokande", "radet", "beslut", "ekonom", "revisor"]
WIDTHS = {"phone": 390, "laptop": 1366}
SHOTS = Path(os.environ.get("SIFRA_SCREENSHOTS", "var/screenshots"))

# The elements that stick out past the window's right edge, outside a box that scrolls.
OVERFLOW_JS = """() => {
  const w = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('.table-wrap, .vega-embed-wrapper, .visually-hidden, .skip-link')) continue;
    const r = el.getBoundingClientRect();
    if (r.width && r.right > w + 1) {
      const cls = typeof el.className === 'string' && el.className.trim()
        ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
      out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + cls +
               ' (' + Math.round(r.right) + ' px)');
    }
  }
  return {scroll: document.documentElement.scrollWidth, width: w, out: out.slice(0, 5)};
}"""


@pytest.fixture
def demo(db):
    call_command("demo_data", stdout=io.StringIO())


def _menu_pages(page: Page) -> list[str]:
    hrefs = page.locator("#site-menu a").evaluate_all("els => els.map(a => a.getAttribute('href'))")
    return [h for h in hrefs if h and h.startswith("/")]


def _first_item(page: Page) -> str | None:
    """The first link inside the page's main table: one detail page of each list."""
    links = page.locator("main table tbody a[href^='/']")
    if links.count() == 0:
        return None
    href = links.first.get_attribute("href")
    return href if href and not re.search(r"/(export|download|pdf|xlsx|csv)", href) else None


def _check(page: Page, url: str, width: int) -> list[str]:
    problems = []
    page.set_viewport_size({"width": width, "height": 900})
    response = page.goto(url)
    if response is None or response.status != 200:
        return [f"{url}: HTTP {response and response.status}"]
    for chart in page.locator("[data-vega-spec]").all():
        chart.locator("svg").first.wait_for()
    measure = page.evaluate(OVERFLOW_JS)
    if measure["scroll"] > measure["width"]:
        problems.append(
            f"{url} at {width} px is {measure['scroll']} px wide: {', '.join(measure['out'])}"
        )
    try:
        assert_accessible(page)
    except AssertionError as exc:
        problems.append(str(exc))
    return problems


@pytest.mark.parametrize("username", ROLES)
def test_every_page_fits_every_screen_and_passes_axe(page: Page, live_server, demo, username):
    from sifra.accounts.models import User

    login(page, live_server, User.objects.get(username=username), password="demo")
    urls = ["/", *_menu_pages(page)]
    seen, problems = [], []
    for url in urls:
        page.goto(f"{live_server.url}{url}")
        item = _first_item(page)
        for u in [url] + ([item] if item else []):
            path = urlsplit(u).path
            if path in seen:
                continue
            seen.append(path)
            for name, width in WIDTHS.items():
                problems += _check(page, f"{live_server.url}{u}", width)
                SHOTS.mkdir(parents=True, exist_ok=True)
                slug = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "start"
                page.screenshot(path=str(SHOTS / f"{username}-{slug}-{name}.png"), full_page=True)
    assert len(seen) >= 4, f"too few pages reached from {username}'s menu: {seen}"
    assert not problems, "\n".join(problems)


def test_the_menu_folds_on_a_phone_and_opens_with_its_button(page: Page, live_server, demo):
    from playwright.sync_api import expect

    from sifra.accounts.models import User

    login(page, live_server, User.objects.get(username="samordnare"), password="demo")
    page.set_viewport_size({"width": 390, "height": 800})
    menu, button = page.locator("#site-menu"), page.locator(".menu-toggle")
    expect(button).to_be_visible()
    expect(menu).to_be_hidden()
    header = page.locator(".site-header").bounding_box()
    assert header is not None and header["height"] < 90, header
    button.click()
    expect(menu).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "true")
    page.set_viewport_size({"width": 1366, "height": 800})
    expect(button).to_be_hidden()
    expect(menu).to_be_visible()


def test_a_wide_table_scrolls_in_its_own_box(page: Page, live_server, demo):
    from playwright.sync_api import expect

    from sifra.accounts.models import User

    login(page, live_server, User.objects.get(username="revisor"), password="demo")
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"{live_server.url}/audit/")
    box = page.locator("main .table-wrap").first
    expect(box).to_have_attribute("role", "region")
    assert box.evaluate("b => b.scrollWidth > b.clientWidth"), "the audit table should scroll"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
