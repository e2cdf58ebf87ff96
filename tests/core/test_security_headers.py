"""Every page carries a Content-Security-Policy without 'unsafe-inline' or 'unsafe-eval' and a
Permissions-Policy, and no page needs either: no inline script, style or event handler.

The pages are found as a person finds them: starting at the home page of the demo municipality
and following every link, as each role, a few pages per URL pattern."""

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve

from sifra.accounts.models import User
from sifra.applications.models import Application
from sifra.projects.models import Project

ROLES = ["samordnare", "sokande", "radet", "beslut", "ekonom", "revisor"]
PER_PATTERN = 2  # pages per URL pattern that links lead to; see seeds() for the rest
ANONYMOUS = ["/", "/login/", "/api/docs", "/api/openapi.json", "/no-such-page/", "/admin/login/"]
# Links not to follow: they change state (logout), leave the app's pages or are Django's admin.
SKIP = ("/logout/", "/static/", "/admin/", "/i18n/")
EXECUTABLE_SCRIPT_TYPES = {"", "text/javascript", "module", "application/javascript"}


class PageScan(HTMLParser):
    """The links of a page and anything in it a strict CSP would refuse."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.inline: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "a" and named.get("href"):
            self.links.append(named["href"] or "")
        if tag == "style":
            self.inline.append("<style>")
        script_type = (named.get("type") or "").lower()
        if tag == "script" and not named.get("src") and script_type in EXECUTABLE_SCRIPT_TYPES:
            self.inline.append("inline <script>")
        for name, value in attrs:
            if name == "style" or name.startswith(("on", "hx-on")):
                self.inline.append(f'{tag} {name}="{value}"')
            if name == "href" and (value or "").lower().startswith("javascript:"):
                self.inline.append(f'{tag} href="{value}"')


def check_headers(response, url):
    policy = response.get("Content-Security-Policy", "")
    assert "default-src 'self'" in policy, url
    for directive in ("frame-ancestors 'none'", "object-src 'none'", "form-action 'self'"):
        assert directive in policy, (url, directive)
    assert "base-uri 'self'" in policy, url
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, (url, policy)
    assert "http" not in policy, (url, policy)  # no external source
    permissions = response.get("Permissions-Policy", "")
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in permissions, (url, feature)


def _route(path):
    try:
        return resolve(path).route
    except Resolver404:
        return None


def crawl(client, seeds):
    """Visit the seeds and the pages reachable from them; return {url: response}."""
    visited, queue, per_route = {}, list(seeds), {}
    while queue:
        url = queue.pop(0)
        route = _route(urlsplit(url).path)
        seed = url in seeds
        if url in visited or route is None or (per_route.get(route, 0) >= PER_PATTERN and not seed):
            continue
        per_route[route] = per_route.get(route, 0) + 1
        response = client.get(url)
        visited[url] = response
        if "text/html" in response.get("Content-Type", ""):
            scan = PageScan()
            scan.feed(response.content.decode())
            queue.extend(_internal(url, scan.links))
    return visited


def seeds():
    """The home page and every application and project: each state of an application or a
    project shows other actions (edit, review, decide, report, assess), each its own page."""
    return [
        "/",
        *(f"/applications/{pk}/" for pk in Application.objects.values_list("pk", flat=True)),
        *(f"/projects/{pk}/" for pk in Project.objects.values_list("pk", flat=True)),
    ]


def _internal(base, links):
    for href in links:
        parts = urlsplit(urljoin(f"http://testserver{base}", href))
        if parts.netloc == "testserver" and not parts.path.startswith(SKIP):
            yield parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.fixture
def demo(db):
    call_command("demo_data")


def test_every_page_of_every_role_keeps_the_policies_and_needs_no_inline_code(client, demo):
    routes = set()
    for username in ROLES:
        client.force_login(User.objects.get(username=username))
        for url, response in crawl(client, seeds()).items():
            routes.add(_route(urlsplit(url).path))
            check_headers(response, url)
            if "text/html" in response.get("Content-Type", ""):
                scan = PageScan()
                scan.feed(response.content.decode())
                assert not scan.inline, (url, scan.inline)
    # The crawl really went through the app: funds, applications, projects, follow-up,
    # evaluation, claims, people, audit, downloads.
    assert len(routes) >= 50, sorted(routes)


def test_anonymous_pages_errors_and_the_api_docs_keep_the_policies(client, db):
    for url in ANONYMOUS:
        check_headers(client.get(url), url)
