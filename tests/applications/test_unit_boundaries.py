"""Only the leading unit's applicants withdraw an application or change its units; an applicant
whose unit only participates may write the text but not do either (through the service, the
pages and the API)."""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from sifra.applications import services as s
from sifra.applications.models import Status
from sifra.applications.services import UNITS_LEAD_ONLY


@pytest.fixture
def shared(funded, unit_a, unit_b, users):
    """Led by unit A (the applicant's), with unit B (the outsider's) taking part."""
    a = s.application_create(
        fund=funded, title="Gemensamt", lead_unit=unit_a, acting_user=users["applicant"]
    )
    return s.application_update(
        application=a, acting_user=users["applicant"], units=[unit_b], repayment_units=[unit_b]
    )


@pytest.fixture
def participant(users):
    return users["outsider"]


def _client(user):
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def test_a_participating_unit_cannot_withdraw(shared, participant):
    with pytest.raises(PermissionDenied):
        s.application_withdraw(application=shared, acting_user=participant)
    shared.refresh_from_db()
    assert shared.status == Status.DRAFT


def test_the_leading_unit_can_withdraw(shared, users):
    a = s.application_withdraw(application=shared, acting_user=users["applicant"])
    assert a.status == Status.WITHDRAWN


@pytest.mark.parametrize("relation", ["units", "repayment_units"])
def test_a_participating_unit_cannot_replace_the_units(shared, participant, unit_a, relation):
    with pytest.raises(PermissionDenied) as refused:
        s.application_update(application=shared, acting_user=participant, **{relation: [unit_a]})
    assert str(refused.value) == str(UNITS_LEAD_ONLY)
    assert list(getattr(shared, relation).all()) != [unit_a]


def test_a_participating_unit_still_writes_the_text_and_may_resend_the_units(
    shared, participant, unit_b
):
    a = s.application_update(
        application=shared, acting_user=participant, summary="Vår del.", units=[unit_b]
    )
    assert a.summary == "Vår del." and list(a.units.all()) == [unit_b]


def test_the_leading_unit_changes_the_units(shared, users, unit_a):
    a = s.application_update(application=shared, acting_user=users["applicant"], units=[])
    assert list(a.units.all()) == []


def test_the_withdraw_page_refuses_a_participating_unit(shared, participant):
    response = _client(participant).post(f"/applications/{shared.pk}/withdraw/")
    assert response.status_code == 403
    shared.refresh_from_db()
    assert shared.status == Status.DRAFT


def test_the_edit_page_keeps_the_units_of_a_participating_unit(shared, participant, unit_a):
    client = _client(participant)
    page = client.get(f"/applications/{shared.pk}/edit/all/")
    assert page.context["form"].fields["units"].disabled
    assert page.context["form"].fields["repayment_units"].disabled
    data = {
        "title": "Gemensamt",
        "summary": "Vår del.",
        "units": [unit_a.pk],
        "repayment_units": [unit_a.pk],
        **{f"{p}-{k}": v for p in ("budget", "ind") for k, v in _empty_formset().items()},
    }
    response = client.post(f"/applications/{shared.pk}/edit/", data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    shared.refresh_from_db()
    assert shared.summary == "Vår del."
    assert [u.name for u in shared.units.all()] == ["Vård- och omsorgsnämnden"]
    assert [u.name for u in shared.repayment_units.all()] == ["Vård- och omsorgsnämnden"]


def _empty_formset():
    return {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0", "MIN_NUM_FORMS": "0", "MAX_NUM_FORMS": "1000"}


def test_the_api_refuses_a_participating_unit_withdrawing_or_changing_units(
    shared, participant, unit_a
):
    client = _client(participant)
    withdraw = client.post(f"/api/applications/{shared.pk}/withdraw")
    assert withdraw.status_code == 403
    patch = client.patch(
        f"/api/applications/{shared.pk}",
        json.dumps({"unit_ids": [unit_a.pk]}),
        content_type="application/json",
    )
    assert patch.status_code == 403
    assert patch.json()["errors"]["__all__"] == [str(UNITS_LEAD_ONLY)]
    text = client.patch(
        f"/api/applications/{shared.pk}",
        json.dumps({"summary": "Vår del."}),
        content_type="application/json",
    )
    assert text.status_code == 200
