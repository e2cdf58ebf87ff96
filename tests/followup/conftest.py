import datetime as dt
import types
from decimal import Decimal

import pytest
from django.urls import Resolver404, include, path, resolve
from django.utils import translation


@pytest.fixture(autouse=True)
def english_messages():
    """Service messages in English in the test thread, so tests can compare them."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def followup_urls(settings):
    """The follow-up pages, also before config/urls.py mounts them at /followup/."""
    try:
        resolve("/followup/")
    except Resolver404:
        import config.urls

        urls = types.ModuleType("followup_test_urls")
        urls.urlpatterns = [  # type: ignore[attr-defined]
            path("followup/", include("sifra.followup.urls")),
            *config.urls.urlpatterns,
        ]
        settings.ROOT_URLCONF = urls


@pytest.fixture
def dated_project(project, coordinator):
    """P-1 running through 2026 and 2027."""
    from sifra.projects.services import project_update

    return project_update(
        project=project,
        acting_user=coordinator,
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2027, 12, 31),
    )


@pytest.fixture
def indicator(dated_project, coordinator):
    from sifra.followup.services import indicator_add

    return indicator_add(
        project=dated_project,
        acting_user=coordinator,
        name="Placeringar",
        unit="antal",
        baseline=Decimal("24"),
        baseline_year=2025,
        target=Decimal("19.5"),
    )


@pytest.fixture
def budget_line(dated_project, coordinator):
    from sifra.followup.services import budget_line_add

    return budget_line_add(
        project=dated_project,
        acting_user=coordinator,
        year=2026,
        description="Familjebehandlare",
        from_fund=300_000_000,
        own_contribution=50_000_000,
    )
