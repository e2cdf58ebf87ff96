import datetime as dt
import types

import pytest
from django.urls import NoReverseMatch, include, path, reverse
from django.utils import translation

MSEK = 100_000_000


@pytest.fixture(autouse=True)
def english_messages():
    """Service messages in English in the test thread, so tests can read them."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def repayment_urls(settings):
    """The pages at /repayment/, whether or not config.urls mounts them yet."""
    try:
        reverse("repayment:claims")
    except NoReverseMatch:
        import config.urls

        urls = types.ModuleType("repayment_test_urls")
        urls.urlpatterns = [  # type: ignore[attr-defined]
            path("repayment/", include("sifra.repayment.urls")),
            *config.urls.urlpatterns,
        ]
        settings.ROOT_URLCONF = urls


@pytest.fixture
def grant(coordinator):
    """Give a project a grant: a commitment in the ledger."""
    from sifra.funds.services import ledger_entry_post

    def post(project, amount):
        return ledger_entry_post(
            fund=project.fund,
            kind="commitment",
            amount=amount,
            text="Beviljat",
            date=dt.date(2026, 2, 1),
            project=project,
            acting_user=coordinator,
        )

    return post


@pytest.fixture
def granted_project(funded, project, grant):
    """P-1 of unit A with 2 MSEK granted."""
    grant(project, 2 * MSEK)
    return project


@pytest.fixture
def economist(users):
    return users["economist"]
