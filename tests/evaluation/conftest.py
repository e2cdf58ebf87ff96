import datetime as dt
import types

import pytest
from django.urls import NoReverseMatch, include, path, reverse
from django.utils import translation


@pytest.fixture(autouse=True)
def english_messages():
    """Service messages in English in the test thread, so tests can compare them."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def evaluation_urls(settings):
    """The evaluation pages, also before config/urls.py mounts them at /evaluation/."""
    try:
        reverse("evaluation:project", args=[1])
    except NoReverseMatch:
        import config.urls

        urlconf = types.ModuleType("evaluation_test_urls")  # hashable, as the resolver needs
        urlconf.urlpatterns = [  # type: ignore[attr-defined]
            path("evaluation/", include("sifra.evaluation.urls")),
            *config.urls.urlpatterns,
        ]
        settings.ROOT_URLCONF = urlconf


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploads go to a temporary directory, never to var/files."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def dated_project(project, coordinator):
    """P-1 (no case) running through 2026 and 2027."""
    from sifra.projects.services import project_update

    return project_update(
        project=project,
        acting_user=coordinator,
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2027, 12, 31),
    )


@pytest.fixture
def case_project(funded, unit_a, users):
    """An approved application with the Norrköping case (2026, five years), its project
    committed 3 MSEK, with a 2026 budget line of 3 MSEK from the fund and 1 MSEK own."""
    from tests.factories import approved_case_project

    return approved_case_project(funded, unit_a, users)


@pytest.fixture
def make_report(users):
    """Writes a report through the follow-up services: by the applicant, approved by the
    coordinator unless approve=False (then it stays submitted)."""
    from sifra.followup import services as fs

    def make(project, *, kind="progress", start, end, participants=0, costs=None, approve=True):
        report = fs.report_create(
            project=project,
            kind=kind,
            period_start=start,
            period_end=end,
            acting_user=users["applicant"],
        )
        fs.report_update(
            report=report,
            participants=participants,
            costs=costs or {},
            acting_user=users["applicant"],
        )
        report = fs.report_submit(report=report, acting_user=users["applicant"])
        if approve:
            report = fs.report_approve(report=report, acting_user=users["coordinator"])
        return report

    return make


def sv(message) -> str:  # type: ignore[no-untyped-def]
    """A message as a Swedish page shows it (the test client asks for no language)."""
    from django.utils import translation
    from django.utils.translation import gettext

    with translation.override("sv"):
        return gettext(str(message)) if isinstance(message, str) else str(message)
