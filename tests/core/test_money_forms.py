"""Amounts typed into the pages: the bounded parser behind every money field (issue 9, item 1)
and the values written back into the fields (issue 10)."""

import json
import time

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation
from hypothesis import example, given
from hypothesis import strategies as st

from sifra.core.forms import MoneyField
from sifra.core.money import (
    AMOUNT_NEGATIVE,
    AMOUNT_NOT_POSITIVE,
    ENTER_AMOUNT,
    MAX_ORE,
    TOO_LARGE,
    format_amount_input,
    parse_kronor,
)
from sifra.funds.models import LedgerEntry


@pytest.fixture
def as_coordinator(coordinator):
    client = Client(headers={"accept-language": "sv"})
    client.force_login(coordinator)
    return client


def post_deposit(client, fund, amount):
    data = {"kind": "deposit", "amount": amount, "date": "2026-02-01", "text": "x"}
    client.get(f"/funds/{fund.pk}/ledger/new/")  # templates and catalogues load before timing
    started = time.perf_counter()
    response = client.post(f"/funds/{fund.pk}/ledger/new/", data)
    return response, time.perf_counter() - started


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("1E+999999", ENTER_AMOUNT),
        ("1E+999997", ENTER_AMOUNT),
        ("9" * 100_000, TOO_LARGE),
        ("-5", AMOUNT_NOT_POSITIVE),
        ("\u22125", AMOUNT_NOT_POSITIVE),
        ("0", AMOUNT_NOT_POSITIVE),
    ],
)
def test_the_ledger_form_refuses_an_amount_on_its_field_at_once(
    as_coordinator, funded, amount, message
):
    response, seconds = post_deposit(as_coordinator, funded, amount)
    assert response.status_code == 200
    assert response.context["form"].errors["amount"] == [str(message)]
    assert seconds < 1.0  # a generous bound: 1E+999999 was a 500 and 1E+999997 took ~30 s
    assert LedgerEntry.objects.filter(fund=funded).count() == 1


def test_the_amount_field_tells_the_browser_its_length(as_coordinator, funded):
    page = as_coordinator.get(f"/funds/{funded.pk}/ledger/new/").content.decode()
    assert 'maxlength="40"' in page and 'inputmode="decimal"' in page


class AmountForm(forms.Form):
    amount = MoneyField(label="Belopp")


BOUNDED = st.integers(min_value=-(MAX_ORE - 1), max_value=MAX_ORE - 1)


@given(ore=BOUNDED, language=st.sampled_from(["sv", "en"]))
def test_an_amount_written_into_a_form_reads_back_the_same(ore, language):
    with translation.override(language):
        text = format_amount_input(ore)
        assert parse_kronor(text) == ore
        assert "\u2212" not in text and "kr" not in text and "SEK" not in text


@given(ore=BOUNDED, language=st.sampled_from(["sv", "en"]))
@example(ore=-300_000_000, language="sv")
@example(ore=123_400, language="en")  # was written back as 'SEK 1,234', read as 1,234 kr
def test_a_money_field_round_trips_its_own_value(ore, language):
    """Issue 10: −3 000 000 was written back with a minus sign the field then refused, and in
    English the field wrote 'SEK 1,234,567' back."""
    with translation.override(language):
        shown = AmountForm(initial={"amount": ore})["amount"].value()
        bound = AmountForm({"amount": shown})
        assert bound.is_valid(), (shown, bound.errors)
        assert bound.cleaned_data["amount"] == ore


def test_written_back_values_in_swedish_and_english():
    with translation.override("sv"):
        assert AmountForm(initial={"amount": -300_000_000})["amount"].value() == "-3 000 000"
        assert AmountForm(initial={"amount": 150_000_050})["amount"].value() == "1 500 000,50"
    with translation.override("en"):
        assert AmountForm(initial={"amount": 150_000_050})["amount"].value() == "1 500 000.50"


@pytest.fixture
def draft(funded, unit_a, users):
    from sifra.applications import services

    a = services.application_create(
        fund=funded, title="Tidigt stöd", lead_unit=unit_a, acting_user=users["applicant"]
    )
    budget = [{"year": 2027, "description": "Familjebehandlare", "requested": 150_000_050}]
    return services.application_update(application=a, acting_user=users["applicant"], budget=budget)


def edit_page_data(response):
    """What the browser sends back when the edit page is submitted as it was shown."""
    data = {}
    for name in ("form", "budget", "indicators"):
        item = response.context[name]
        forms_ = [item] if isinstance(item, forms.BaseForm) else [item.management_form, *item.forms]
        for form in forms_:
            for field in form:
                value = field.value()
                if value not in (None, "", []):
                    data[field.html_name] = (
                        [str(v) for v in value] if isinstance(value, list) else value
                    )
    return data


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_edit_page_submitted_as_shown_keeps_the_amount_to_the_ore(draft, users, language):
    client = Client(headers={"accept-language": language})
    client.force_login(users["applicant"])
    url = f"/applications/{draft.pk}/edit/all/"
    data = edit_page_data(client.get(url))
    assert data["budget-0-requested"] == ("1 500 000,50" if language == "sv" else "1 500 000.50")
    response = client.post(url, data)
    assert response.status_code in (200, 302)
    assert not response.context or not response.context["budget"].forms[0].errors
    assert draft.budget_lines.get().requested == 150_000_050


@pytest.mark.parametrize("typed", ["-3 000 000", "\u22123 000 000"])
def test_a_negative_budget_line_is_refused_as_negative_on_the_page(draft, users, typed):
    client = Client(headers={"accept-language": "sv"})
    client.force_login(users["applicant"])
    url = f"/applications/{draft.pk}/edit/all/"
    data = {**edit_page_data(client.get(url)), "budget-0-requested": typed}
    response = client.post(url, data)
    assert response.context["budget"].forms[0].errors["requested"] == [str(AMOUNT_NEGATIVE)]
    assert f'value="{typed}"' in response.content.decode()
    assert draft.budget_lines.get().requested == 150_000_050


def test_a_negative_budget_line_is_refused_by_the_service_and_the_api(draft, users):
    from sifra.applications import services

    budget = [{"year": 2027, "description": "x", "requested": 0, "own_contribution": -1}]
    with pytest.raises(ValidationError) as exc:
        services.application_update(
            application=draft, acting_user=users["applicant"], budget=budget
        )
    assert exc.value.message_dict == {"budget[0].own_contribution": [str(AMOUNT_NEGATIVE)]}
    client = Client(headers={"accept-language": "sv"})
    client.force_login(users["applicant"])
    line = {"year": 2027, "description": "x", "requested": "-3 000 000", "own_contribution": "0"}
    body = {"budget": [line]}
    response = client.patch(
        f"/api/applications/{draft.pk}", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"budget[0].requested": [str(AMOUNT_NEGATIVE)]}
    assert draft.budget_lines.get().requested == 150_000_050
