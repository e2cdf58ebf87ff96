import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from sifra.applications import services
from sifra.applications.personnummer import find_personal_numbers


def luhn_digit(nine: str) -> int:
    total = sum(sum(divmod(int(c) * (2 - i % 2), 10)) for i, c in enumerate(nine))
    return (10 - total % 10) % 10


def make(day: dt.date, serial: int, *, century: bool, dash: bool, coordination: bool) -> str:
    dd = day.day + (60 if coordination else 0)
    nine = f"{day:%y%m}{dd:02d}{serial:03d}"
    digits = f"{nine}{luhn_digit(nine)}"
    text = digits[:6] + ("-" if dash else "") + digits[6:]
    return (f"{day.year // 100}" if century else "") + text


@pytest.mark.parametrize(
    "text",
    [
        "Barnet 811218-9876 bor i området",
        "19811218-9876",
        "8112189876",
        "198112189876",
        "samordningsnummer 811278-9873",
    ],
)
def test_valid_numbers_are_found(text):
    assert find_personal_numbers(text)


@pytest.mark.parametrize(
    "text",
    [
        "811218-9875",
        "8112189877",
        "19811218-9871",  # wrong check digit
        "811318-9876",  # no 13th month
        "Budget 1 250 000 kr",
        "Dnr KS-106/2010",
        "tel 070-123 45 67",
        "2026-03-01",
        "12345678901234",
    ],
)
def test_look_alikes_are_not(text):
    assert find_personal_numbers(text) == []


@given(
    day=st.dates(dt.date(1900, 1, 1), dt.date(2025, 12, 31)),
    serial=st.integers(0, 999),
    century=st.booleans(),
    dash=st.booleans(),
    coordination=st.booleans(),
)
def test_every_valid_number_is_found_and_a_wrong_check_digit_is_not(
    day, serial, century, dash, coordination
):
    number = make(day, serial, century=century, dash=dash, coordination=coordination)
    assert find_personal_numbers(f"Text {number} text") == [number]
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    assert find_personal_numbers(f"Text {wrong} text") == []


def test_the_service_refuses_it_naming_the_field_and_why(funded, unit_a, users):
    a = services.application_create(
        fund=funded, title="T", lead_unit=unit_a, acting_user=users["applicant"]
    )
    with pytest.raises(ValidationError) as exc:
        services.application_update(
            application=a,
            acting_user=users["applicant"],
            target_group="Pojken 811218-9876 och hans familj",
        )
    message = exc.value.message_dict["target_group"][0]
    assert "811218-9876" in message
    a.refresh_from_db()
    assert a.target_group == ""
    services.application_update(
        application=a,
        acting_user=users["applicant"],
        target_group="Familjer med barn 0–12 år, dnr 811218-9875",
    )
