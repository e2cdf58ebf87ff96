"""pytest plugin of the mutant runs (`-p reuse_db --reuse-db`): every run of a session uses one
SQLite test database, var/mutation-test.sqlite3 in the runner's copy, made by the coverage map's
run and reused, instead of migrating a new one per mutant (three seconds of CPU each)."""

import os

import pytest


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    name = os.environ.get("SIFRA_MUTATION_TEST_DB")
    if name:
        from django.conf import settings

        settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = name
