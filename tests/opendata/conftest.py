import datetime as dt

import pytest
from django.utils import translation

from tests.conftest import MSEK


@pytest.fixture(autouse=True)
def english_messages():
    """Service messages in English in the test thread, so tests can compare them."""
    with translation.override("en"):
        yield


@pytest.fixture
def granted(funded, unit_a, users):
    """An approved application's project: granted 3 MSEK on 20 January 2026, running through
    2026, led by Socialnämnden (unit A) of Testkommun (212000-0001)."""
    from tests.factories import approved_case_project

    return approved_case_project(funded, unit_a, users)


SUMMARY = "Tidigt stöd till familjer med barn 4–12 år, så att färre barn placeras."


@pytest.fixture
def published(granted, coordinator):
    from sifra.opendata.services import publication_create

    return publication_create(project=granted, summary=SUMMARY, acting_user=coordinator)


@pytest.fixture
def registered(funded, other_project, coordinator):
    """A project registered directly (P-2, unit B) with its decision in the ledger: a commitment
    of 1 234 567,89 kr on 1 February 2026, a reversed commitment of 1 MSEK, 200 000 kr paid."""
    from sifra.funds.services import ledger_entry_post, ledger_entry_reverse

    def post(kind, amount, date, **extra):
        return ledger_entry_post(
            fund=funded,
            kind=kind,
            amount=amount,
            date=date,
            text="Beslut",
            project=other_project,
            acting_user=coordinator,
            **extra,
        )

    post("commitment", 123_456_789, dt.date(2026, 2, 1), decision_ref="KS § 9/2026")
    wrong = post("commitment", MSEK, dt.date(2026, 1, 25))
    ledger_entry_reverse(entry=wrong, text="Fel belopp", acting_user=coordinator)
    post("disbursement", 20_000_000, dt.date(2026, 3, 1))
    return other_project
