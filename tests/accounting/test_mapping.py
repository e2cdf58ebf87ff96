"""The account mapping: defaults stored on first use, changed only by the coordinator, every
change audited, bad input refused naming the field; the export books in the accounts set."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from sifra.accounting import chart, export, selectors, services
from sifra.accounting.models import FundAccount
from sifra.audit.models import AuditEvent
from tests.accounting.siereader import read


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def accounts(**changes):
    result = {r.key: (r.number, r.name) for r in chart.ROLES}
    result.update(changes)
    return result


def test_the_defaults_are_stored_once_on_first_use_with_an_audit_row(fund):
    assert not FundAccount.objects.filter(fund=fund).exists()
    services.account_mapping_ensure(fund=fund)
    services.account_mapping_ensure(fund=fund)
    rows = {a.role: a.number for a in FundAccount.objects.filter(fund=fund)}
    assert rows == {
        "cash": "1930",
        "claims": "1680",
        "available": "2031",
        "committed": "2032",
        "claims_offset": "2039",
        "grants": "4590",
        "repayments": "3590",
    }
    (event,) = AuditEvent.objects.filter(kind=AuditEvent.Kind.ACCOUNT_MAPPING_CREATED)
    assert event.actor is None and event.object_id == str(fund.pk)
    assert event.data["cash_number"] == "1930"


def test_the_coordinator_changes_accounts_and_the_audit_row_says_what(fund, coordinator):
    services.account_mapping_ensure(fund=fund)
    services.account_mapping_update(
        fund=fund,
        accounts=accounts(cash=("19310", "Koncernkonto SIF"), grants=("4591", "Bidrag SIF")),
        acting_user=coordinator,
    )
    mapped = selectors.fund_accounts(fund=fund)
    assert (mapped["cash"].number, mapped["cash"].name) == ("19310", "Koncernkonto SIF")
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.ACCOUNT_MAPPING_UPDATED)
    assert event.actor == coordinator
    assert event.data == {
        "cash_number": ["1930", "19310"],
        "cash_name": ["Koncernkonto, social investeringsfond", "Koncernkonto SIF"],
        "grants_number": ["4590", "4591"],
        "grants_name": ["Lämnade bidrag, social investeringsfond", "Bidrag SIF"],
    }


def test_an_unchanged_save_writes_no_audit_row(fund, coordinator):
    services.account_mapping_ensure(fund=fund)
    services.account_mapping_update(fund=fund, accounts=accounts(), acting_user=coordinator)
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.ACCOUNT_MAPPING_UPDATED).exists()


def test_two_roles_may_swap_their_numbers(fund, coordinator):
    services.account_mapping_ensure(fund=fund)
    swapped = accounts(available=("2032", "Fritt"), committed=("2031", "Beviljat"))
    services.account_mapping_update(fund=fund, accounts=swapped, acting_user=coordinator)
    mapped = selectors.fund_accounts(fund=fund)
    assert (mapped["available"].number, mapped["committed"].number) == ("2032", "2031")


@pytest.mark.parametrize("role", ["economist", "auditor", "applicant"])
def test_only_the_coordinator_changes_the_accounts(fund, users, role):
    with pytest.raises(PermissionDenied):
        services.account_mapping_update(fund=fund, accounts=accounts(), acting_user=users[role])


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"cash": ("", "Bank")}, "cash_number", "Enter the account number."),
        ({"cash": ("19a0", "Bank")}, "cash_number", "An account number is 3 to 6 digits"),
        ({"cash": ("1234567", "Bank")}, "cash_number", "An account number is 3 to 6 digits"),
        ({"cash": ("2930", "Bank")}, "cash_number", "account class 1"),
        ({"grants": ("3590", "Bidrag")}, "grants_number", "account class 4–7"),
        ({"claims": ("1930", "Krav")}, "claims_number", "Account 1930 is already used"),
        ({"available": ("2031", "  ")}, "available_name", "Enter the account name."),
        ({"available": ("2031", "x" * 101)}, "available_name", "at most 100 characters"),
        (
            {"available": ("2031", "Kapital 19121212-1212")},
            "available_name",
            "personal identity number",
        ),
    ],
)
def test_bad_accounts_are_refused_naming_the_field(fund, coordinator, changes, field, message):
    with pytest.raises(ValidationError) as exc:
        services.account_mapping_update(
            fund=fund, accounts=accounts(**changes), acting_user=coordinator
        )
    assert message in " ".join(exc.value.message_dict[field])
    assert not FundAccount.objects.filter(fund=fund).exists()  # nothing half-saved


def test_the_export_books_in_the_accounts_set(books, coordinator):
    services.account_mapping_update(
        fund=books,
        accounts=accounts(cash=("19310", "Koncernkonto SIF"), repayments=("35901", "Återbetalt")),
        acting_user=coordinator,
    )
    back = read(export.sie_bytes(fund=books, year=2025))
    assert back.accounts["19310"] == "Koncernkonto SIF"
    assert back.account_types["35901"] == "I"
    assert "1930" not in back.accounts and "1930" not in back.sums()
    assert back.sums()["19310"] == 80_000_050
    assert back.res["35901"] == -30_000_050
