"""The fuzzer's tally: every request counted, every server error kept with its traceback, and
both printed at the end of the run."""

import logging
from typing import Any

import pytest
from django.core.management import call_command
from django.core.signals import got_request_exception, request_finished, request_started
from django.db import close_old_connections

from tests.fuzz.tally import TALLY


@pytest.fixture(scope="session")
def demo_data(django_db_setup, django_db_blocker):
    """The demo municipality, built once and committed: each API operation is its own test, and
    building it for each would take minutes. The fuzz tests run in a session of their own
    (`make fuzz`; `make test` leaves them out), so no other test sees it."""
    from sifra.accounts.models import User
    from sifra.accounts.services import api_token_create

    with django_db_blocker.unblock():
        call_command("demo_data", verbosity=0)
        users = {"coordinator": "samordnare", "applicant": "sokande"}
        return {
            role: api_token_create(user=user, name="fuzz", acting_user=user)[1]
            for role, user in ((r, User.objects.get(username=u)) for r, u in users.items())
        }


class _ServerErrorLog(logging.Handler):
    """The API answers its own 500s (as JSON) and logs them instead of signalling them."""

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.exc_info[1] is not None:
            TALLY.exception_from(record.exc_info[1])


@pytest.fixture(autouse=True)
def _in_process():
    """Requests through the WSGI app inside the test's transaction, as Django's test client
    makes them: the connection is not closed after each request, and exceptions are kept."""
    got_request_exception.connect(TALLY.exception, dispatch_uid="fuzz-tally")
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    handler = _ServerErrorLog(level=logging.ERROR)
    logging.getLogger().addHandler(handler)
    yield
    logging.getLogger().removeHandler(handler)
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)
    got_request_exception.disconnect(dispatch_uid="fuzz-tally")


# What the issue asks of a whole run; a run narrowed with -k may make fewer.
MIN_REQUESTS = 1_000


def pytest_sessionfinish(session: Any, exitstatus: int) -> None:
    """A whole fuzz run that made fewer than MIN_REQUESTS requests fails: it proved too little."""
    whole = TALLY.requests and not session.config.option.keyword
    if whole and TALLY.requests < MIN_REQUESTS and exitstatus == 0:
        session.exitstatus = 1


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not TALLY.requests:
        return
    write = terminalreporter.write_line
    write(f"fuzz: {TALLY.requests} requests, {len(TALLY.server_errors)} server errors")
    if TALLY.requests < MIN_REQUESTS:
        write(f"fuzz: fewer than {MIN_REQUESTS} requests")
    write(f"fuzz: answers by status {dict(sorted(TALLY.statuses.items()))}")
    for error in TALLY.server_errors:
        write(error)


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    """Fuzzing runs only when asked for by marker (`-m fuzz`): the demo data it commits must not
    meet the rest of the suite, whatever marker expression a whole-suite run uses."""
    if "fuzz" in (config.option.markexpr or "").replace("not fuzz", ""):
        return
    left_out = [item for item in items if item.get_closest_marker("fuzz")]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if not item.get_closest_marker("fuzz")]
