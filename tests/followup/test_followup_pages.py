"""The follow-up pages with Django's test client: who may do what, and bad input shown."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from sifra.followup import services
from sifra.followup.models import ProgressReport, ReportDue, ReportStatus


def client_for(user, language="sv"):
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    return client


@pytest.fixture
def scheduled(dated_project, coordinator, indicator, budget_line):
    services.schedule_set(project=dated_project, every_months=6, acting_user=coordinator)
    return dated_project


def _first_due(project):
    return project.dues.order_by("due_date").first()


def _report_data(indicator, budget_line, **extra):
    return {
        "participants": "40",
        "narrative": "Fyrtio familjer fick stöd.",
        f"value_{indicator.pk}": "17,5",
        f"cost_{budget_line.pk}": "1 250 000,50",
        **extra,
    }


def test_the_applicant_writes_and_submits_and_the_coordinator_approves(
    scheduled, users, indicator, budget_line
):
    applicant = client_for(users["applicant"])
    page = applicant.get(f"/followup/projects/{scheduled.pk}/")
    assert page.status_code == 200 and b"Placeringar" in page.content
    due = _first_due(scheduled)
    response = applicant.post(f"/followup/projects/{scheduled.pk}/dues/{due.pk}/write/")
    report = ProgressReport.objects.get()
    assert response["Location"] == f"/followup/reports/{report.pk}/"
    # Writing again opens the same report.
    again = applicant.post(f"/followup/projects/{scheduled.pk}/dues/{due.pk}/write/")
    assert again["Location"] == response["Location"] and ProgressReport.objects.count() == 1

    assert applicant.get(f"/followup/reports/{report.pk}/").status_code == 200
    response = applicant.post(
        f"/followup/reports/{report.pk}/", _report_data(indicator, budget_line, submit="1")
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.values.get().value == Decimal("17.5")
    assert report.costs.get().amount == 125_000_050

    # Nothing counts before approval.
    page = client_for(users["coordinator"], "en").get(f"/followup/projects/{scheduled.pk}/")
    assert page.context["indicators"][0]["row"].latest is None
    assert page.context["cost_totals"]["actual"] == 0

    coordinator = client_for(users["coordinator"])
    assert coordinator.post(f"/followup/reports/{report.pk}/approve/").status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    page = coordinator.get(f"/followup/projects/{scheduled.pk}/")
    assert page.context["indicators"][0]["row"].latest == Decimal("17.5")
    assert page.context["indicators"][0]["spec"] is not None
    assert page.context["cost_totals"]["actual"] == 125_000_050
    assert b'data-vega-spec="indicator-spec-' in page.content
    assert b"17,5" in page.content


def test_the_coordinator_returns_with_a_comment_and_it_is_shown(
    scheduled, users, indicator, budget_line
):
    due = _first_due(scheduled)
    report = services.report_create(project=scheduled, due=due, acting_user=users["applicant"])
    services.report_update(
        report=report, acting_user=users["applicant"], values={indicator.pk: Decimal(20)}
    )
    services.report_submit(report=report, acting_user=users["applicant"])
    coordinator = client_for(users["coordinator"], "en")
    response = coordinator.post(f"/followup/reports/{report.pk}/return/", {"comment": ""})
    assert response.status_code == 200
    assert response.context["return_form"].errors["comment"]
    response = coordinator.post(
        f"/followup/reports/{report.pk}/return/", {"comment": "Kostnaderna saknas."}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    page = client_for(users["applicant"], "en").get(f"/followup/reports/{report.pk}/")
    assert b"Kostnaderna saknas." in page.content and b"Returned for revision" in page.content
    assert page.context["can_edit"]


def test_bad_input_is_shown_on_the_report_form(scheduled, users, indicator, budget_line):
    due = _first_due(scheduled)
    report = services.report_create(project=scheduled, due=due, acting_user=users["applicant"])
    applicant = client_for(users["applicant"])
    url = f"/followup/reports/{report.pk}/"
    cases = [
        ({f"value_{indicator.pk}": "many"}, f"value_{indicator.pk}"),
        ({f"cost_{budget_line.pk}": "-5"}, f"cost_{budget_line.pk}"),
        ({f"cost_{budget_line.pk}": "12,345"}, f"cost_{budget_line.pk}"),
        ({"participants": "-1"}, "participants"),
        ({"narrative": "Barnet 19121212-1212 fick stöd."}, "narrative"),
    ]
    for bad, field in cases:
        response = applicant.post(url, _report_data(indicator, budget_line, **bad))
        assert response.status_code == 200, bad
        assert response.context["form"].errors.get(field), (bad, response.context["form"].errors)
    report.refresh_from_db()
    assert report.narrative == "" and not report.costs.exists()


def test_missing_values_block_submitting_on_the_page(scheduled, users, indicator, budget_line):
    due = _first_due(scheduled)
    report = services.report_create(project=scheduled, due=due, acting_user=users["applicant"])
    data = _report_data(indicator, budget_line, submit="1")
    data[f"value_{indicator.pk}"] = ""
    data[f"cost_{budget_line.pk}"] = "1250000.50"
    response = client_for(users["applicant"], "en").post(f"/followup/reports/{report.pk}/", data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [str(services.MISSING_VALUES)]
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and report.participants == 40  # the draft saved


def test_the_outsider_is_refused(scheduled, users, indicator, budget_line):
    due = _first_due(scheduled)
    report = services.report_create(project=scheduled, due=due, acting_user=users["applicant"])
    outsider = client_for(users["outsider"])
    assert outsider.get(f"/followup/projects/{scheduled.pk}/").status_code == 403
    assert outsider.get(f"/followup/reports/{report.pk}/").status_code == 403
    assert outsider.post(f"/followup/reports/{report.pk}/", {}).status_code == 403
    second = scheduled.dues.order_by("due_date")[1]
    url = f"/followup/projects/{scheduled.pk}/dues/{second.pk}/write/"
    assert outsider.post(url).status_code == 403
    assert ProgressReport.objects.count() == 1


@pytest.mark.parametrize("name", ["council", "economist", "auditor", "decision_maker"])
def test_readers_read_but_do_not_write(scheduled, users, name, indicator, budget_line):
    due = _first_due(scheduled)
    report = services.report_create(project=scheduled, due=due, acting_user=users["applicant"])
    services.report_update(
        report=report, acting_user=users["applicant"], values={indicator.pk: Decimal(1)}
    )
    reader = client_for(users[name])
    page = reader.get(f"/followup/projects/{scheduled.pk}/")
    assert page.status_code == 200 and not page.context["can_report"]
    assert reader.get(f"/followup/reports/{report.pk}/").status_code == 200
    assert reader.post(f"/followup/reports/{report.pk}/", {"participants": "1"}).status_code == 403
    second = scheduled.dues.order_by("due_date")[1]
    write = f"/followup/projects/{scheduled.pk}/dues/{second.pk}/write/"
    assert reader.post(write).status_code == 403
    assert reader.post(f"/followup/projects/{scheduled.pk}/schedule/").status_code == 403
    services.report_submit(report=report, acting_user=users["applicant"])
    assert reader.post(f"/followup/reports/{report.pk}/approve/").status_code == 403
    assert (
        reader.post(f"/followup/reports/{report.pk}/return/", {"comment": "x"}).status_code == 403
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_the_applicant_cannot_approve_or_manage(scheduled, users, indicator):
    due = _first_due(scheduled)
    report = services.report_create(project=scheduled, due=due, acting_user=users["applicant"])
    services.report_update(
        report=report, acting_user=users["applicant"], values={indicator.pk: Decimal(1)}
    )
    services.report_submit(report=report, acting_user=users["applicant"])
    applicant = client_for(users["applicant"])
    assert applicant.post(f"/followup/reports/{report.pk}/approve/").status_code == 403
    for path in ("schedule", "indicators", "budget-lines"):
        assert applicant.post(f"/followup/projects/{scheduled.pk}/{path}/").status_code == 403
    page = applicant.get(f"/followup/reports/{report.pk}/")
    assert not page.context["can_decide"] and not page.context["can_edit"]


def test_approving_twice_is_shown_not_a_500(scheduled, users, indicator):
    due = _first_due(scheduled)
    report = services.report_create(project=scheduled, due=due, acting_user=users["applicant"])
    services.report_update(
        report=report, acting_user=users["applicant"], values={indicator.pk: Decimal(1)}
    )
    services.report_submit(report=report, acting_user=users["applicant"])
    coordinator = client_for(users["coordinator"], "en")
    coordinator.post(f"/followup/reports/{report.pk}/approve/")
    response = coordinator.post(f"/followup/reports/{report.pk}/approve/")
    assert response.status_code == 200
    assert b"This cannot be done while the report is approved." in response.content


def test_the_coordinator_sets_the_schedule_and_adds_indicators_and_budget_lines(
    dated_project, users
):
    coordinator = client_for(users["coordinator"])
    base = f"/followup/projects/{dated_project.pk}"
    response = coordinator.post(
        f"{base}/schedule/", {"every_months": "4", "days_to_report": "30", "final_days": "60"}
    )
    assert response.status_code == 302
    assert dated_project.dues.filter(kind="progress").count() == 5  # 24 months / 4, last is final
    response = coordinator.post(
        f"{base}/indicators/",
        {
            "name": "Fall",
            "unit": "antal per år",
            "baseline": "1 200,5",
            "baseline_year": "2025",
            "target": "900",
        },
    )
    assert response.status_code == 302
    indicator = dated_project.indicators.get()
    assert (indicator.baseline, indicator.target) == (Decimal("1200.5"), Decimal("900"))
    response = coordinator.post(
        f"{base}/budget-lines/",
        {
            "year": "2026",
            "description": "Personal",
            "from_fund": "2 000 000",
            "own_contribution": "",
        },
    )
    assert response.status_code == 302
    line = dated_project.budget_lines.get()
    assert (line.from_fund, line.own_contribution) == (200_000_000, 0)
    page = coordinator.get(f"{base}/")
    assert page.context["cost_totals"]["budget"] == 200_000_000


def test_bad_input_on_the_project_page(dated_project, project, users, coordinator):
    coordinator = client_for(users["coordinator"], "en")
    base = f"/followup/projects/{dated_project.pk}"
    response = coordinator.post(f"{base}/schedule/", {"every_months": "0"})
    assert response.status_code == 200
    assert response.context["schedule_form"].errors["every_months"]
    response = coordinator.post(f"{base}/indicators/", {"name": "Fall", "baseline": "x"})
    assert response.status_code == 200
    assert set(response.context["indicator_form"].errors) >= {"unit", "baseline", "target"}
    response = coordinator.post(
        f"{base}/budget-lines/", {"year": "2026", "description": "X", "from_fund": "-1"}
    )
    assert response.status_code == 200
    assert response.context["budget_form"].errors["from_fund"]
    assert not ReportDue.objects.exists()


def test_a_schedule_needs_the_project_s_dates(project, users):
    coordinator = client_for(users["coordinator"], "en")
    response = coordinator.post(
        f"/followup/projects/{project.pk}/schedule/",
        {"every_months": "6", "days_to_report": "30", "final_days": "90"},
    )
    assert response.status_code == 200
    assert response.context["schedule_form"].errors["every_months"] == [str(services.DATES_NEEDED)]


def test_the_schedule_shows_each_due_s_state(scheduled, users, indicator, time_machine):
    time_machine.move_to(dt.datetime(2027, 2, 15, 12, 0, tzinfo=dt.UTC))
    first = _first_due(scheduled)
    report = services.report_create(project=scheduled, due=first, acting_user=users["applicant"])
    services.report_update(
        report=report, acting_user=users["applicant"], values={indicator.pk: Decimal(1)}
    )
    services.report_submit(report=report, acting_user=users["applicant"])
    page = client_for(users["applicant"], "en").get(f"/followup/projects/{scheduled.pk}/")
    states = [r["state"] for r in page.context["dues"]]
    assert states == ["submitted", "overdue", "not_started", "not_started"]
    assert b"Write report" in page.content


def test_the_overview(scheduled, other_project, users, indicator, coordinator, time_machine):
    time_machine.move_to(dt.datetime(2026, 7, 10, 12, 0, tzinfo=dt.UTC))
    foreign = ReportDue.objects.create(
        project=other_project,
        kind="progress",
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 5, 31),
        due_date=dt.date(2026, 7, 1),
    )
    page = client_for(users["coordinator"], "en").get("/followup/")
    assert page.status_code == 200
    assert [r["due"] for r in page.context["dues"]["overdue"]] == [foreign]
    assert [r["due"] for r in page.context["dues"]["soon"]] == [_first_due(scheduled)]

    due = _first_due(scheduled)
    report = services.report_create(project=scheduled, due=due, acting_user=users["applicant"])
    services.report_update(
        report=report, acting_user=users["applicant"], values={indicator.pk: Decimal(1)}
    )
    services.report_submit(report=report, acting_user=users["applicant"])
    page = client_for(users["coordinator"], "en").get("/followup/")
    assert list(page.context["awaiting"]) == [report]
    assert page.context["dues"]["soon"] == []

    page = client_for(users["applicant"], "en").get("/followup/")
    assert page.context["dues"]["overdue"] == []  # the other unit's project is not shown
    assert len(page.context["dues"]["later"]) == 3 and page.context["show_later"]
    assert b"P-2" not in page.content
    assert page.context["dues"]["later_count"] == 3
    assert b"The first 3 of" not in page.content  # all are listed: nothing to explain


def test_the_overview_lists_the_first_later_dues_and_counts_them_all(
    dated_project, users, coordinator, monkeypatch
):
    from django.utils import timezone

    from sifra.followup import charts

    services.schedule_set(project=dated_project, every_months=3, acting_user=coordinator)
    soon = timezone.localdate() + dt.timedelta(days=charts.SOON_DAYS)
    later = dated_project.dues.filter(due_date__gt=soon)
    assert later.count() >= 4
    monkeypatch.setattr(charts, "LATER_SHOWN", 2)
    page = client_for(users["applicant"], "sv").get("/followup/")
    shown = [r["due"] for r in page.context["dues"]["later"]]
    assert shown == list(later.order_by("due_date", "id")[:2])
    assert page.context["dues"]["later_count"] == later.count()
    text = f"Här visas de första 2 av {later.count()} rapporter som ska lämnas senare"
    assert text in page.content.decode()
