"""Closing a project: after its approved final report, with the decision on what happens next and
the unused commitment released to the fund; afterwards its figures stay readable."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from sifra.audit.models import AuditEvent
from sifra.funds.models import LedgerEntry
from sifra.funds.selectors import fund_balances, project_balances
from sifra.funds.services import ledger_entry_post
from sifra.projects import services as ps
from sifra.projects.models import Project
from tests.evaluation.conftest import sv

MSEK = 100_000_000


@pytest.fixture
def committed(dated_project, funded, users):
    """P-1 with 4 MSEK committed and 1 MSEK of it paid out: 3 MSEK unused."""
    for kind, amount in (("commitment", 4 * MSEK), ("disbursement", MSEK)):
        ledger_entry_post(
            fund=funded,
            kind=kind,
            amount=amount,
            text=kind,
            project=dated_project,
            date=dt.date(2026, 2, 1),
            acting_user=users["coordinator"],
        )
    return dated_project


def final_report(project, make_report, approve=True):
    return make_report(
        project,
        kind="final",
        start=dt.date(2026, 1, 1),
        end=dt.date(2027, 12, 31),
        participants=90,
        approve=approve,
    )


def close(project, user, outcome="implement", note="KS § 12/2028: införs i ordinarie drift."):
    return ps.project_close(project=project, outcome=outcome, note=note, acting_user=user)


def test_closing_needs_an_approved_final_report(committed, users, make_report):
    with pytest.raises(ValidationError) as exc:
        close(committed, users["coordinator"])
    assert exc.value.message_dict == {"__all__": [str(ps.NO_FINAL_REPORT)]}
    make_report(committed, start=dt.date(2026, 1, 1), end=dt.date(2026, 6, 30))  # progress only
    final_report(committed, make_report, approve=False)  # submitted, not approved
    with pytest.raises(ValidationError):
        close(committed, users["coordinator"])
    assert Project.objects.get(pk=committed.pk).closed_at is None


def test_closing_releases_the_unused_commitment(committed, funded, users, make_report):
    final_report(committed, make_report)
    available = fund_balances(fund=funded).available
    project = close(committed, users["coordinator"])

    assert project_balances(project=project).committed == 0
    assert fund_balances(fund=funded).available == available + 3 * MSEK
    release = LedgerEntry.objects.get(kind="release", project=project)
    assert release.amount == 3 * MSEK
    assert project.status == Project.Status.CLOSED and project.outcome == "implement"
    assert project.closing_note.startswith("KS § 12/2028") and project.closed_at is not None
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.PROJECT_CLOSED)
    assert event.data["released_ore"] == 3 * MSEK and event.data["outcome"] == "implement"


def test_nothing_to_release_posts_nothing(dated_project, users, make_report):
    final_report(dated_project, make_report)
    project = close(dated_project, users["coordinator"], outcome="stop")
    assert project.outcome == "stop"
    assert not LedgerEntry.objects.filter(kind="release").exists()


def test_closing_twice_is_refused(committed, users, make_report):
    final_report(committed, make_report)
    close(committed, users["coordinator"])
    with pytest.raises(ValidationError) as exc:
        close(committed, users["coordinator"], outcome="stop")
    assert exc.value.message_dict == {"__all__": [str(ps.ALREADY_CLOSED)]}
    assert LedgerEntry.objects.filter(kind="release").count() == 1
    assert Project.objects.get(pk=committed.pk).outcome == "implement"


def test_the_outcome_must_be_given(committed, users, make_report):
    final_report(committed, make_report)
    with pytest.raises(ValidationError) as exc:
        close(committed, users["coordinator"], outcome="")
    assert "outcome" in exc.value.message_dict


@pytest.mark.parametrize("role", ["applicant", "economist", "decision_maker", "council"])
def test_only_the_coordinator_closes(committed, users, make_report, role):
    final_report(committed, make_report)
    with pytest.raises(PermissionDenied):
        close(committed, users[role])


# --- The page ----------------------------------------------------------------------------------


def url(project):
    return reverse("evaluation:close", args=[project.pk])


def test_the_page_shows_what_will_be_released(client, committed, users, make_report):
    client.force_login(users["coordinator"])
    page = client.get(url(committed), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Close the project once its final report is approved." in page
    assert "Not yet written" in page
    assert 'data-result="release">SEK 3,000,000<' in page
    final_report(committed, make_report)
    page = client.get(url(committed), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Approved" in page and "once its final report is approved" not in page


def test_closing_through_the_page(client, committed, funded, users, make_report):
    final_report(committed, make_report)
    client.force_login(users["coordinator"])
    response = client.post(url(committed), {"outcome": "stop", "note": "Avslutas."})
    assert response.status_code == 302
    project = Project.objects.get(pk=committed.pk)
    assert project.status == Project.Status.CLOSED and project.outcome == "stop"
    again = client.post(url(committed), {"outcome": "implement", "note": ""}, follow=True)
    assert sv(ps.ALREADY_CLOSED) in again.content.decode()
    assert Project.objects.get(pk=committed.pk).outcome == "stop"


def test_the_page_refuses_closing_without_a_final_report(client, committed, users):
    client.force_login(users["coordinator"])
    response = client.post(url(committed), {"outcome": "stop", "note": ""})
    assert response.status_code == 200
    assert Project.objects.get(pk=committed.pk).closed_at is None


@pytest.mark.parametrize("role", ["applicant", "economist", "auditor"])
def test_others_cannot_close_through_the_page(client, committed, users, make_report, role):
    final_report(committed, make_report)
    client.force_login(users[role])
    assert client.get(url(committed)).status_code == 200
    assert "Close the project</button>" not in client.get(url(committed)).content.decode()
    assert client.post(url(committed), {"outcome": "stop"}).status_code == 403
    assert Project.objects.get(pk=committed.pk).closed_at is None


def test_the_outsider_sees_nothing(client, committed, users):
    client.force_login(users["outsider"])
    assert client.get(url(committed)).status_code == 403


@pytest.mark.parametrize("role", ["applicant", "coordinator", "council", "auditor"])
def test_a_closed_projects_pages_stay_readable(client, case_project, users, make_report, role):
    make_report(
        case_project,
        kind="final",
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 12, 31),
        participants=100,
        costs={case_project.budget_lines.get().pk: 15 * MSEK},
    )
    close(case_project, users["coordinator"])
    client.force_login(users[role])
    for name in ("project", "documents", "close"):
        response = client.get(reverse(f"evaluation:{name}", args=[case_project.pk]))
        assert response.status_code == 200, name
    evaluation = client.get(
        reverse("evaluation:project", args=[case_project.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "After the fact (ex post)" in evaluation
    assert "as reported in approved reports" in evaluation
    closing = client.get(url(case_project), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The project is closed" in closing and "Brought into ordinary operations" in closing
    project_page = client.get(reverse("projects:detail", args=[case_project.pk]))
    assert project_page.status_code == 200
