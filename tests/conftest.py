"""Shared fixtures: an organisation with two units, one user per role (the applicant in unit A),
a fund with capital and a project of unit A — Healthchecks' owner / colleague / outsider idea,
with roles."""

import datetime as dt

import pytest
from django.utils import translation

from sifra.accounts.models import Organisation, Role, Unit, User

PASSWORD = "pw-Sifra-2026!"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """On PostgreSQL the test database lets TRUNCATE through the append-only guard (Django's
    test runner empties tables with it); a production database never does."""
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                name = connection.ops.quote_name(connection.settings_dict["NAME"])
                cursor.execute(f"ALTER DATABASE {name} SET sifra.allow_truncate = on")
            connection.close()  # the setting holds for new sessions


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` test what only PostgreSQL has (row locks, TRUNCATE): they run in
    the PostgreSQL suite and are deselected, not skipped, on SQLite."""
    import os

    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return
    selected = [i for i in items if i.get_closest_marker("postgres") is None]
    deselected = [i for i in items if i.get_closest_marker("postgres") is not None]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = selected


MSEK = 100_000_000


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language (Swedish): a request through the test
    client activates its language in the thread and leaves it there for the next test."""
    translation.deactivate()


@pytest.fixture(autouse=True)
def _validate_charts(settings):
    """Every chart a test builds is validated against the Vega-Lite schema (pages skip it)."""
    settings.SIFRA_VALIDATE_CHARTS = True


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """PBKDF2 is slow on purpose; the tests are not about password hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def org(db):
    return Organisation.objects.create(name="Testkommun", org_number="212000-0001")


@pytest.fixture
def unit_a(org):
    return Unit.objects.create(organisation=org, name="Socialnämnden", kind=Unit.Kind.COMMITTEE)


@pytest.fixture
def unit_b(org):
    return Unit.objects.create(
        organisation=org, name="Vård- och omsorgsnämnden", kind=Unit.Kind.COMMITTEE
    )


def _user(username, role, units=()):
    user = User.objects.create_user(username, password=PASSWORD, role=role)
    user.units.set(units)
    return user


@pytest.fixture
def users(unit_a, unit_b):
    """One user per role, plus an applicant of the other unit (the outsider)."""
    return {
        "coordinator": _user("samordnare", Role.COORDINATOR),
        "applicant": _user("sokande", Role.APPLICANT, [unit_a]),
        "outsider": _user("annan", Role.APPLICANT, [unit_b]),
        "council": _user("radet", Role.COUNCIL),
        "decision_maker": _user("beslut", Role.DECISION_MAKER),
        "economist": _user("ekonom", Role.ECONOMIST),
        "auditor": _user("revisor", Role.AUDITOR),
    }


@pytest.fixture
def coordinator(users):
    return users["coordinator"]


@pytest.fixture
def fund(org, coordinator):
    from sifra.funds.services import fund_create

    return fund_create(organisation=org, acting_user=coordinator, name="Social investeringsfond")


@pytest.fixture
def funded(fund, coordinator):
    """The fund with 10 MSEK deposited."""
    from sifra.funds.services import ledger_entry_post

    ledger_entry_post(
        fund=fund,
        kind="deposit",
        amount=10 * MSEK,
        text="Kapitaltillskott",
        date=dt.date(2026, 1, 15),
        acting_user=coordinator,
    )
    return fund


@pytest.fixture
def project(fund, unit_a, coordinator):
    from sifra.projects.services import project_create

    return project_create(
        fund=fund, acting_user=coordinator, code="P-1", title="Tidigt stöd", lead_unit=unit_a
    )


@pytest.fixture
def other_project(fund, unit_b, coordinator):
    from sifra.projects.services import project_create

    return project_create(
        fund=fund, acting_user=coordinator, code="P-2", title="Fallprevention", lead_unit=unit_b
    )
