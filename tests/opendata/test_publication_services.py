"""publication_create and publication_withdraw: who may, what is refused (a personal identity
number anywhere in what would be published, a grant that was never decided), and the audit."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sifra.audit.models import AuditEvent
from sifra.opendata.models import Publication
from sifra.opendata.services import (
    NO_ORG_NUMBER,
    NOT_DECIDED,
    NOT_PUBLISHED,
    SUMMARY_REQUIRED,
    publication_create,
    publication_withdraw,
)
from sifra.projects.models import Project
from tests.opendata.conftest import SUMMARY

# A valid personal identity number (its Luhn check digit is 6); 811278-9873 is the
# coordination number of the same date (day + 60, check digit 3).
PNR = "811218-9876"


def _audit(project, kind):
    return AuditEvent.objects.filter(
        kind=kind, object_type="projects.project", object_id=str(project.pk)
    )


def test_publishing_writes_the_publication_and_an_audit_row(granted, coordinator):
    publication = publication_create(
        project=granted, summary=f"  {SUMMARY} ", acting_user=coordinator
    )
    assert publication.is_public and publication.summary == SUMMARY
    assert publication.grant_ref == granted.code
    (event,) = _audit(granted, AuditEvent.Kind.PUBLICATION_CREATED)
    assert event.actor == coordinator
    assert event.data["summary"] == [None, SUMMARY]
    assert event.data["grant_ref"] == granted.code


@pytest.mark.parametrize(
    "role", ["applicant", "outsider", "council", "decision_maker", "economist", "auditor"]
)
def test_only_the_coordinator_may_publish_or_withdraw(granted, published, users, role):
    with pytest.raises(PermissionDenied):
        publication_create(project=granted, summary="Annat.", acting_user=users[role])
    with pytest.raises(PermissionDenied):
        publication_withdraw(project=granted, acting_user=users[role])
    published.refresh_from_db()
    assert published.is_public and published.summary == SUMMARY
    assert not _audit(granted, AuditEvent.Kind.PUBLICATION_WITHDRAWN).exists()


@pytest.mark.parametrize(
    "text",
    [f"Familjen med {PNR} fick stöd.", "Barnet 19811218-9876 placerades.", "811278 9873 ringde."],
)
def test_a_personal_number_in_the_summary_blocks_publication(granted, coordinator, text):
    with pytest.raises(ValidationError) as caught:
        publication_create(project=granted, summary=text, acting_user=coordinator)
    message = caught.value.message_dict["summary"][0]
    assert "personal identity number" in message and "the public summary" in message
    assert not Publication.objects.exists()
    assert not _audit(granted, AuditEvent.Kind.PUBLICATION_CREATED).exists()


def test_a_personal_number_in_the_title_blocks_publication(granted, coordinator):
    """The project form refuses one; a title that holds one all the same (an old import) is
    caught before it is published."""
    Project.objects.filter(pk=granted.pk).update(title=f"Stöd till {PNR}")
    with pytest.raises(ValidationError) as caught:
        publication_create(project=granted, summary=SUMMARY, acting_user=coordinator)
    (message,) = caught.value.message_dict["__all__"]
    assert "the project's title" in message and PNR in message
    assert not Publication.objects.exists()


def test_a_personal_number_in_an_indicator_blocks_publication(granted, coordinator):
    from sifra.followup.models import ProjectIndicator

    ProjectIndicator.objects.create(
        project=granted,
        name=f"Placeringar ({PNR})",
        unit="st",
        baseline=10,
        baseline_year=2025,
        target=5,
    )
    with pytest.raises(ValidationError) as caught:
        publication_create(project=granted, summary=SUMMARY, acting_user=coordinator)
    assert "an indicator" in caught.value.message_dict["__all__"][0]


def test_an_empty_summary_is_refused(granted, coordinator):
    with pytest.raises(ValidationError) as caught:
        publication_create(project=granted, summary="   ", acting_user=coordinator)
    assert caught.value.message_dict == {"summary": [str(SUMMARY_REQUIRED)]}


def test_a_project_without_a_decided_grant_cannot_be_published(project, coordinator):
    """P-1 has no application and no commitment in the ledger."""
    with pytest.raises(ValidationError) as caught:
        publication_create(project=project, summary=SUMMARY, acting_user=coordinator)
    assert caught.value.message_dict == {"__all__": [str(NOT_DECIDED)]}


def test_a_fully_reversed_commitment_is_no_grant(funded, project, coordinator):
    import datetime as dt

    from sifra.funds.services import ledger_entry_post, ledger_entry_reverse

    entry = ledger_entry_post(
        fund=funded,
        kind="commitment",
        amount=100_000,
        date=dt.date(2026, 2, 1),
        text="Beslut",
        project=project,
        acting_user=coordinator,
    )
    ledger_entry_reverse(entry=entry, text="Fel projekt", acting_user=coordinator)
    with pytest.raises(ValidationError) as caught:
        publication_create(project=project, summary=SUMMARY, acting_user=coordinator)
    assert caught.value.message_dict == {"__all__": [str(NOT_DECIDED)]}


def test_without_an_organisation_number_nothing_is_published(granted, org, coordinator):
    org.org_number = ""
    org.save()
    with pytest.raises(ValidationError) as caught:
        publication_create(project=granted, summary=SUMMARY, acting_user=coordinator)
    assert caught.value.message_dict == {"__all__": [str(NO_ORG_NUMBER)]}


def test_withdraw_and_publish_again_keeps_the_grant_identifier(published, coordinator):
    project = published.project
    withdrawn = publication_withdraw(project=project, acting_user=coordinator)
    assert not withdrawn.is_public and withdrawn.withdrawn_at is not None
    (event,) = _audit(project, AuditEvent.Kind.PUBLICATION_WITHDRAWN)
    assert event.actor == coordinator and event.data == {"grant_ref": published.grant_ref}
    with pytest.raises(ValidationError) as caught:
        publication_withdraw(project=project, acting_user=coordinator)
    assert caught.value.message_dict == {"__all__": [str(NOT_PUBLISHED)]}

    from sifra.projects.services import project_update

    project_update(project=project, acting_user=coordinator, code="NY-KOD")
    again = publication_create(project=project, summary="Ny text.", acting_user=coordinator)
    assert again.pk == published.pk and again.is_public and again.withdrawn_at is None
    assert again.grant_ref == published.grant_ref != "NY-KOD"
    last = _audit(project, AuditEvent.Kind.PUBLICATION_CREATED).order_by("-id").first()
    assert last.data["summary"] == [SUMMARY, "Ny text."] and last.data["was_public"] is False


def test_two_funds_with_the_same_reference_get_different_grant_identifiers(
    published, org, coordinator, unit_a
):
    import datetime as dt

    from sifra.funds.services import fund_create, ledger_entry_post
    from sifra.projects.services import project_create

    other_fund = fund_create(organisation=org, acting_user=coordinator, name="Fond två")
    twin = project_create(
        fund=other_fund,
        acting_user=coordinator,
        code=published.project.code,
        title="Tvilling",
        lead_unit=unit_a,
    )
    for kind in ("deposit", "commitment"):
        ledger_entry_post(
            fund=other_fund,
            kind=kind,
            amount=100_000,
            date=dt.date(2026, 3, 1),
            text="x",
            project=twin if kind == "commitment" else None,
            acting_user=coordinator,
        )
    second = publication_create(project=twin, summary="Tvilling.", acting_user=coordinator)
    assert second.grant_ref == f"{other_fund.pk}-{published.project.code}"
