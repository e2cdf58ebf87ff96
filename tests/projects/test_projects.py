import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from sifra.audit.models import AuditEvent
from sifra.projects import services
from sifra.projects.models import Project


def test_lead_unit_always_takes_part_and_codes_are_unique(fund, unit_a, unit_b, coordinator):
    project = services.project_create(
        fund=fund,
        acting_user=coordinator,
        code="P-9",
        title="Gemensamt",
        lead_unit=unit_a,
        units=[unit_b],
    )
    assert set(project.units.all()) == {unit_a, unit_b}
    with pytest.raises(ValidationError) as exc:
        services.project_create(
            fund=fund, acting_user=coordinator, code="P-9", title="Igen", lead_unit=unit_b
        )
    assert exc.value.message_dict["code"] == [str(services.CODE_TAKEN)]
    assert AuditEvent.objects.filter(kind="project.created").count() == 1


def test_only_the_coordinator_registers_projects(fund, unit_a, users):
    for role in ("applicant", "economist", "auditor", "decision_maker"):
        with pytest.raises(PermissionDenied):
            services.project_create(
                fund=fund, acting_user=users[role], code="X", title="X", lead_unit=unit_a
            )


def test_project_update_records_changes(project, unit_b, coordinator):
    services.project_update(
        project=project, acting_user=coordinator, status="reporting", units=[unit_b]
    )
    event = AuditEvent.objects.get(kind="project.updated")
    assert event.data["status"] == ["active", "reporting"]
    assert set(project.units.all()) == {project.lead_unit, unit_b}


def test_project_pages_create_and_edit(fund, unit_a, coordinator):
    client = Client()
    client.force_login(coordinator)
    response = client.post(
        "/projects/new/",
        {"fund": fund.pk, "code": "SIF-1", "title": "Nytt", "lead_unit": unit_a.pk},
    )
    project = Project.objects.get(code="SIF-1")
    assert response.status_code == 302
    client.post(
        f"/projects/{project.pk}/edit/",
        {"code": "SIF-1", "title": "Nytt namn", "lead_unit": unit_a.pk, "status": "closed"},
    )
    project.refresh_from_db()
    assert project.title == "Nytt namn" and project.status == "closed"
    bad = client.post(
        "/projects/new/",
        {"fund": fund.pk, "code": "SIF-1", "title": "Dubblett", "lead_unit": unit_a.pk},
    )
    assert bad.status_code == 200
    assert "Diarienummer" in str(bad.context["form"].errors)  # the field's Swedish label
    assert Project.objects.filter(code="SIF-1").count() == 1


def test_applicant_lists_only_its_units_projects(project, other_project, users):
    client = Client()
    client.force_login(users["applicant"])
    projects = client.get("/projects/").context["projects"]
    assert [p.code for p in projects] == ["P-1"]
    api = client.get("/api/projects").json()
    assert (api["count"], [p["code"] for p in api["items"]]) == (1, ["P-1"])
