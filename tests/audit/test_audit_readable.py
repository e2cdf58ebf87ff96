"""The audit trail reads as an auditor reads: Swedish labels of the fields and values, kronor,
local time to the second, a readable object with a link to it, before and after side by side;
the CSV says which time zone its times are in. (Issue 10: raw field names, UTC times with
microseconds and "(evaluation.evaluation 2)" are gone.)"""

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from django.test import Client

from sifra.audit.models import AuditEvent
from sifra.audit.presentation import event_details, event_object_label, object_links
from sifra.audit.services import audit_record
from sifra.evaluation.models import Evaluation

# 10:15:30.123456 UTC on 1 July is 12:15:30 in Stockholm (summer time, UTC+2).
MOMENT = dt.datetime(2026, 7, 1, 10, 15, 30, 123456, tzinfo=dt.UTC)


def _client(user, language="sv"):
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    return client


@pytest.fixture
def evaluation(project, coordinator):
    e = Evaluation.objects.create(
        project=project,
        method="rct",
        effect=Decimal("0.15"),
        ci_low=Decimal("0.08"),
        ci_high=Decimal("0.22"),
        evaluator="FoU-enheten",
        created_by=coordinator,
    )
    audit_record(
        acting_user=coordinator,
        kind=AuditEvent.Kind.EVALUATION_CHANGED,
        subject=e,
        data={"method": "rct", "effect": "0.15000", "interval": ["0.08000", "0.22000"]},
    )
    return e


@pytest.mark.django_db
def test_the_page_speaks_swedish_with_kronor_local_time_and_links(users, project, evaluation):
    from sifra.funds.services import ledger_entry_post
    from sifra.projects.services import project_update

    with time_machine.travel(MOMENT, tick=False):
        ledger_entry_post(
            fund=project.fund,
            kind="deposit",
            amount=250_000_000,  # öre: 2 500 000 kr
            text="Kapitaltillskott",
            date=dt.date(2026, 1, 15),
            acting_user=users["coordinator"],
        )
    project_update(project=project, status="reporting", acting_user=users["coordinator"])

    html = _client(users["auditor"]).get("/audit/").content.decode().replace("\xa0", " ")

    assert "Tid (Europe/Stockholm)" in html
    assert "2026-07-01 12:15:30" in html  # Stockholm's time of the posting, to the second
    assert "10:15:30" not in html and "123456" not in html
    assert "Bokföringspost: nr 1 (kapitaltillskott)" in html
    assert "2 500 000 kr" in html and "amount_ore" not in html
    assert "<del>aktiv</del></td><td><ins>rapportering</ins>" in html  # before → after
    assert "Utvärdering: P-1:" in html  # the name stored when it happened, after the kind
    assert '<th scope="row">Metod</th>' in html
    assert "randomiserad kontrollerad studie" in html
    assert f'href="/evaluation/projects/{project.pk}/"' in html
    assert f'href="/funds/{project.fund_id}/"' in html
    table = html[html.index('<table id="events">') :]  # the filter's <select> keeps the codes
    assert "evaluation.evaluation" not in table and "funds.ledgerentry" not in table


@pytest.mark.django_db
def test_details_have_labels_and_values_of_the_model(project, evaluation):
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.EVALUATION_CHANGED)
    from django.utils import translation

    with translation.override("sv"):
        lines = [str(d) for d in event_details(event)]
        label = event_object_label(event)
    # PostgreSQL's jsonb keeps the keys in its own order, so the lines are compared as a set.
    assert sorted(lines) == sorted(
        [
            "Metod: randomiserad kontrollerad studie",
            "Skattad effekt: 0,15000",
            "Konfidensintervall: 0,08000, 0,22000",
        ]
    )
    assert label.startswith("Utvärdering: P-1")


@pytest.mark.django_db
def test_links_cost_one_query_per_kind_of_parent(project, evaluation, django_assert_num_queries):
    types = ["projects.project", "evaluation.evaluation"]
    events = list(AuditEvent.objects.filter(object_type__in=types))  # created, recorded
    with django_assert_num_queries(1):  # the evaluation's project; the project needs none
        links = object_links(events)
    by_type = {e.object_type: links[e.pk] for e in events}
    assert by_type == {
        "projects.project": f"/projects/{project.pk}/",
        "evaluation.evaluation": f"/evaluation/projects/{project.pk}/",
    }


@pytest.mark.django_db
def test_the_csv_states_its_time_zone_and_local_times(users, project):
    with time_machine.travel(MOMENT, tick=False):
        audit_record(
            acting_user=users["coordinator"],
            kind=AuditEvent.Kind.PROJECT_UPDATED,
            subject=project,
            data={"status": ["active", "reporting"]},
        )
    body = _client(users["auditor"]).get("/audit/events.csv").content.decode("utf-8-sig")
    header, *rows = body.splitlines()
    [row] = [r for r in rows if "2026-07-01" in r]
    assert header.startswith("Tid (Europe/Stockholm);Av;Händelse;")
    assert row.startswith("2026-07-01 12:15:30;samordnare;Projekt ändrat;Projekt;")
    assert "Status: aktiv → rapportering" in row
    local = MOMENT.astimezone(zoneinfo.ZoneInfo("Europe/Stockholm"))
    assert local.hour == 12  # the zone's rule, computed apart from the app


@pytest.mark.django_db
def test_labels_follow_each_requests_language(users, evaluation):
    """The labels are translated once per language and kept: a Swedish page after an English
    one (and the reverse) reads in its own language, kinds and fields alike."""
    pages = {}
    for language in ("sv", "en", "sv", "en"):
        html = _client(users["auditor"], language).get("/audit/").content.decode()
        pages.setdefault(language, set()).add(html[html.index('<table id="events">') :])
    assert all(len(versions) == 1 for versions in pages.values())  # the same both times
    sv, en = pages["sv"].pop(), pages["en"].pop()
    assert "<td>Utvärdering registrerad</td>" in sv and "<td>Evaluation recorded</td>" in en
    assert '<th scope="row">Metod</th>' in sv and '<th scope="row">Method</th>' in en
    assert "randomiserad kontrollerad studie" in sv
    assert "randomised controlled trial" in en
    assert "Utvärdering: P-1" in sv and "Evaluation: P-1" in en
