"""Fiscal-year closing (bokslut): only an ended year, in order, with its decision; a closed year
takes no entry or reversal (services, API, page); its balances at 31 December are kept in a
snapshot equal to the sum of its entries; the fund page shows it; the audit trail records it."""

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone, translation

from sifra.audit.models import AuditEvent
from sifra.funds import services
from sifra.funds.models import FiscalYearClosing, LedgerEntry

MSEK = 100_000_000
THIS_YEAR = dt.date.today().year
LAST_YEAR = THIS_YEAR - 1


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def post(fund, user, kind, amount, date, project=None):
    return services.ledger_entry_post(
        fund=fund, kind=kind, amount=amount, text="T", date=date, project=project, acting_user=user
    )


@pytest.fixture
def history(fund, project, coordinator, users):
    """Entries in the last two years and this one."""
    services.fund_update(
        fund=fund, acting_user=coordinator, established_on=dt.date(LAST_YEAR - 1, 1, 1)
    )
    post(fund, coordinator, "deposit", 10 * MSEK, dt.date(LAST_YEAR - 1, 3, 1))
    post(fund, coordinator, "commitment", 4 * MSEK, dt.date(LAST_YEAR - 1, 6, 1), project)
    post(fund, coordinator, "disbursement", MSEK, dt.date(LAST_YEAR, 2, 1), project)
    post(fund, users["economist"], "claim", 5000, dt.date(LAST_YEAR, 12, 31), project)
    post(fund, coordinator, "deposit", 2 * MSEK, dt.date(THIS_YEAR, 1, 1))
    return fund


def close(fund, user, year, decided_on=None, ref="KF § 12"):
    return services.fiscal_year_close(
        fund=fund,
        year=year,
        decided_on=decided_on or dt.date(THIS_YEAR, 1, 2),
        decision_ref=ref,
        acting_user=user,
    )


def entry_sums(fund, year):
    """The balances at 31 December summed from the entries themselves."""
    entries = LedgerEntry.objects.filter(fund=fund, date__lte=dt.date(year, 12, 31))
    return [sum(getattr(e, f) for e in entries) for f in ("d_capital", "d_committed", "d_claims")]


def test_closing_keeps_a_snapshot_equal_to_the_sum_of_the_entries(history, coordinator):
    first = close(history, coordinator, LAST_YEAR - 1)
    second = close(history, coordinator, LAST_YEAR)
    for closing in (first, second):
        assert [closing.capital, closing.committed, closing.claims] == entry_sums(
            history, closing.year
        )
    assert second.capital == 9 * MSEK and second.claims == 5000  # the year's own entries count


def test_only_ended_years_close_and_in_order_with_a_decision(history, coordinator):
    cases = [
        ({"year": THIS_YEAR}, "year", services.YEAR_NOT_ENDED),
        ({"year": LAST_YEAR}, "year", services.YEAR_OUT_OF_ORDER % {"year": LAST_YEAR - 1}),
        ({"year": LAST_YEAR - 1, "ref": " "}, "decision_ref", services.CLOSING_DECISION_REQUIRED),
        (
            {"year": LAST_YEAR - 1, "decided_on": dt.date(LAST_YEAR - 1, 12, 31)},
            "decided_on",
            services.CLOSING_DECIDED_TOO_EARLY % {"date": f"{LAST_YEAR}-01-01"},
        ),
    ]
    for kwargs, field, message in cases:
        with pytest.raises(ValidationError) as exc:
            close(history, coordinator, **kwargs)
        assert exc.value.message_dict[field] == [str(message)]
    assert not FiscalYearClosing.objects.exists()


def test_a_fund_with_nothing_has_nothing_to_close(fund, coordinator):
    with pytest.raises(ValidationError) as exc:
        close(fund, coordinator, LAST_YEAR)
    assert exc.value.message_dict["year"] == [str(services.NOTHING_TO_CLOSE)]


def test_only_the_coordinator_closes(history, users):
    for role in ("economist", "auditor", "decision_maker", "applicant"):
        with pytest.raises(PermissionDenied):
            close(history, users[role], LAST_YEAR - 1)


def test_a_closed_year_takes_no_entry_nor_reversal(history, project, coordinator):
    close(history, coordinator, LAST_YEAR - 1)
    close(history, coordinator, LAST_YEAR)
    for year in (LAST_YEAR, LAST_YEAR - 1):
        with pytest.raises(ValidationError) as exc:
            post(history, coordinator, "deposit", 100, dt.date(year, 12, 31))
        assert exc.value.message_dict["date"] == [services.DATE_IN_CLOSED_YEAR % {"year": year}]
    disbursement = LedgerEntry.objects.get(fund=history, kind="disbursement")
    with pytest.raises(ValidationError) as exc:
        services.ledger_entry_reverse(
            entry=disbursement, text="Fel", date=dt.date(LAST_YEAR, 12, 31), acting_user=coordinator
        )
    assert exc.value.message_dict["date"] == [services.DATE_IN_CLOSED_YEAR % {"year": LAST_YEAR}]
    # corrections go into the open year
    services.ledger_entry_reverse(
        entry=disbursement, text="Fel", date=dt.date(THIS_YEAR, 1, 1), acting_user=coordinator
    )
    post(history, coordinator, "deposit", 100, dt.date(THIS_YEAR, 1, 1))


def test_the_open_year_is_checked_from_the_snapshot(history, project, coordinator):
    """After closing, the rules at every date start from the kept balances."""
    close(history, coordinator, LAST_YEAR - 1)
    close(history, coordinator, LAST_YEAR)
    with pytest.raises(ValidationError) as exc:  # available 6 MSEK + 2 MSEK deposited this year
        post(history, coordinator, "commitment", 8 * MSEK + 1, dt.date(THIS_YEAR, 1, 1), project)
    assert exc.value.message_dict["amount"] == [
        services.EXCEEDS_AVAILABLE % {"left": "SEK 8,000,000"}
    ]
    post(history, coordinator, "commitment", 8 * MSEK, dt.date(THIS_YEAR, 1, 1), project)


def test_closing_is_in_the_audit_trail(history, coordinator):
    close(history, coordinator, LAST_YEAR - 1, ref="KF § 7")
    event = AuditEvent.objects.filter(kind=AuditEvent.Kind.FISCAL_YEAR_CLOSED).latest("id")
    assert event.data["fiscal_year_closed"] == LAST_YEAR - 1
    assert event.data["decision_ref"] == "KF § 7"
    assert event.data["capital_ore"] == 10 * MSEK


def api(user):
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def test_the_api_lists_and_closes_years(history, coordinator):
    client = api(coordinator)
    url = f"/api/funds/{history.pk}/closings"
    body = {"year": LAST_YEAR, "decided_on": f"{THIS_YEAR}-01-02", "decision_ref": "KF"}
    response = client.post(url, data=json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"]["year"] == [
        services.YEAR_OUT_OF_ORDER % {"year": LAST_YEAR - 1}
    ]
    body["year"] = LAST_YEAR - 1
    response = client.post(url, data=json.dumps(body), content_type="application/json")
    assert response.status_code == 201
    assert response.json()["capital_ore"] == 10 * MSEK
    assert [c["year"] for c in client.get(url).json()] == [LAST_YEAR - 1]
    entry = {"kind": "deposit", "amount": "1", "text": "T", "date": f"{LAST_YEAR - 1}-12-31"}
    response = client.post(
        f"/api/funds/{history.pk}/ledger", data=json.dumps(entry), content_type="application/json"
    )
    assert response.json()["errors"]["date"] == [
        services.DATE_IN_CLOSED_YEAR % {"year": LAST_YEAR - 1}
    ]


def test_the_page_closes_a_year_after_a_confirmation(history, coordinator):
    client = api(coordinator)
    url = f"/funds/{history.pk}/closings/new/"
    form = client.get(url)
    assert form.context["form"].initial["year"] == LAST_YEAR - 1
    data = {"year": LAST_YEAR - 1, "decided_on": f"{THIS_YEAR}-01-02", "decision_ref": "KF § 3"}
    confirm = client.post(url, data)
    assert confirm.status_code == 200 and not FiscalYearClosing.objects.exists()
    assert 'name="confirmed" value="yes"' in confirm.content.decode()
    assert "SEK 10,000,000" in confirm.content.decode()
    done = client.post(url, {**data, "confirmed": "yes"})
    assert done.status_code == 302
    assert FiscalYearClosing.objects.get().year == LAST_YEAR - 1
    page = client.get(f"/funds/{history.pk}/").content.decode()
    assert 'id="closings"' in page and "status-closed" in page and "KF § 3" in page


def test_the_page_refuses_an_entry_in_a_closed_year(history, coordinator):
    close(history, coordinator, LAST_YEAR - 1)
    response = api(coordinator).post(
        f"/funds/{history.pk}/ledger/new/",
        {"kind": "deposit", "amount": "1", "date": f"{LAST_YEAR - 1}-05-05", "text": "T"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["date"] == [
        services.DATE_IN_CLOSED_YEAR % {"year": LAST_YEAR - 1}
    ]


def test_the_page_shows_the_service_error_on_confirming(history, coordinator):
    close(history, coordinator, LAST_YEAR - 1)
    data = {"year": LAST_YEAR - 1, "decided_on": f"{THIS_YEAR}-01-02", "decision_ref": "KF"}
    response = api(coordinator).post(
        f"/funds/{history.pk}/closings/new/", {**data, "confirmed": "yes"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["year"] == [
        services.YEAR_OUT_OF_ORDER % {"year": LAST_YEAR}
    ]


def test_a_posting_after_closing_reads_no_day_before_the_snapshot(history, project, coordinator):
    """The kept balances stand in for the closed years: with their day totals gone, the limit
    is the same (this is what bounds a posting's reads by the open years)."""
    from sifra.funds.models import LedgerDay

    close(history, coordinator, LAST_YEAR - 1)
    close(history, coordinator, LAST_YEAR)
    LedgerDay.objects.filter(
        fund=history, project=None, date__lte=dt.date(LAST_YEAR, 12, 31)
    ).delete()
    with pytest.raises(ValidationError) as exc:
        post(history, coordinator, "commitment", 8 * MSEK + 1, dt.date(THIS_YEAR, 1, 1), project)
    assert exc.value.message_dict["amount"] == [
        services.EXCEEDS_AVAILABLE % {"left": "SEK 8,000,000"}
    ]


def test_the_page_asks_to_confirm_only_what_can_be_closed(history, coordinator):
    data = {"year": THIS_YEAR, "decided_on": f"{THIS_YEAR}-01-02", "decision_ref": "KF"}
    response = api(coordinator).post(f"/funds/{history.pk}/closings/new/", data)
    assert response.status_code == 200
    assert 'name="confirmed"' not in response.content.decode()
    assert response.context["form"].errors["year"] == [str(services.YEAR_NOT_ENDED)]


def test_a_closing_decision_naming_a_person_is_refused(history, coordinator):
    """The closing is kept for ever: a personal identity number in its decision is refused."""
    with pytest.raises(ValidationError) as exc:
        close(history, coordinator, LAST_YEAR - 1, ref="KF § 12, jfr 19121212-1212")
    assert list(exc.value.message_dict) == ["decision_ref"]
    assert not FiscalYearClosing.objects.exists()
    assert close(history, coordinator, LAST_YEAR - 1).decision_ref == "KF § 12"


def test_accounts_decided_on_the_first_day_after_the_year_are_accepted(history, coordinator):
    """1 January of the next year is the earliest day the accounts can be decided; the day
    before is refused."""
    with pytest.raises(ValidationError) as exc:
        close(history, coordinator, LAST_YEAR - 1, decided_on=dt.date(LAST_YEAR - 1, 12, 31))
    assert list(exc.value.message_dict) == ["decided_on"]
    closing = close(history, coordinator, LAST_YEAR - 1, decided_on=dt.date(LAST_YEAR, 1, 1))
    assert closing.decided_on == dt.date(LAST_YEAR, 1, 1)


def test_accounts_cannot_be_decided_in_the_future(history, coordinator):
    """The decision date of the annual accounts lies between the year's end and today: tomorrow
    is refused, by the check and by the closing; today is accepted."""
    today = timezone.localdate()
    tomorrow = today + dt.timedelta(days=1)
    kwargs = {"fund": history, "year": LAST_YEAR - 1, "decision_ref": "KF § 12"}
    with pytest.raises(ValidationError) as exc:
        services.fiscal_year_check(decided_on=tomorrow, **kwargs)
    assert exc.value.message_dict == {"decided_on": ["The date cannot be in the future."]}
    with pytest.raises(ValidationError) as exc:
        close(history, coordinator, LAST_YEAR - 1, decided_on=tomorrow)
    assert exc.value.message_dict == {"decided_on": ["The date cannot be in the future."]}
    assert not FiscalYearClosing.objects.exists()
    assert services.fiscal_year_check(decided_on=today, **kwargs) is True
    assert close(history, coordinator, LAST_YEAR - 1, decided_on=today).decided_on == today
