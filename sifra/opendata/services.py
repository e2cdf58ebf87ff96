"""Publishing a decided grant as open data, and withdrawing it. Each is one durable transaction
with its audit row on the project, so the project's trail shows what was made public when."""

import re
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from sifra.accounts import permissions
from sifra.audit.models import AuditEvent
from sifra.audit.services import audit_record
from sifra.opendata.models import Publication
from sifra.opendata.privacy import personal_number_errors, published_texts
from sifra.opendata.selectors import grant_facts
from sifra.opendata.threesixty import org_identifier
from sifra.projects.models import Project

NOT_ALLOWED = gettext_lazy("You may not do this.")
SUMMARY_REQUIRED = gettext_lazy("Write a summary for the public.")
NOT_DECIDED = gettext_lazy(
    "Only a decided grant can be published: the project has no approved decision and no "
    "commitment in the ledger."
)
NO_ORG_NUMBER = gettext_lazy(
    "Enter the organisation's 10-digit organisation number first (under People and units): "
    "the open data names the funder by it."
)
NOT_PUBLISHED = gettext_lazy("The project is not published.")


def _require(user: Any) -> None:
    if not permissions.can_publish(user):
        raise PermissionDenied(NOT_ALLOWED)


def _locked(project: Project) -> Project:
    return (
        Project.objects.select_for_update()
        .select_related("fund__organisation", "lead_unit")
        .get(pk=project.pk)
    )


def _check(project: Project, summary: str) -> None:
    if not summary:
        raise ValidationError({"summary": str(SUMMARY_REQUIRED)})
    if grant_facts(project) is None:
        raise ValidationError({"__all__": str(NOT_DECIDED)})
    if org_identifier(project.fund.organisation) is None:
        raise ValidationError({"__all__": str(NO_ORG_NUMBER)})
    errors = personal_number_errors(published_texts(project, summary))
    if errors:
        raise ValidationError(errors)


def _free_ref(project: Project) -> str:
    """The project's reference, or one made unique with the fund where two funds share it."""
    code = re.sub(r"\s+", "-", project.code.strip())
    for ref in (code, f"{project.fund_id}-{code}", f"P{project.pk}"):
        if not Publication.objects.filter(grant_ref=ref).exists():
            return ref
    raise ValidationError({"__all__": "no free grant reference"})  # pragma: no cover


@transaction.atomic(durable=True)
def publication_create(*, project: Project, summary: str, acting_user: Any) -> Publication:
    """Publish `project` with `summary`; publish it again if withdrawn, or change the summary
    if it is public. Refused unless it is a decided grant and nothing to be published holds a
    personal identity number."""
    _require(acting_user)
    project = _locked(project)
    summary = (summary or "").strip()
    _check(project, summary)
    now = timezone.now()
    publication = Publication.objects.filter(project=project).first()
    before = None if publication is None else (publication.is_public, publication.summary)
    if publication is None:
        publication = Publication(project=project, grant_ref=_free_ref(project), published_at=now)
    publication.summary, publication.is_public = summary, True
    publication.updated_at, publication.withdrawn_at = now, None
    publication.published_by = acting_user
    publication.full_clean()
    publication.save()
    audit_record(
        acting_user=acting_user,
        kind=AuditEvent.Kind.PUBLICATION_CREATED,
        subject=project,
        data={
            "grant_ref": publication.grant_ref,
            "summary": [before[1] if before else None, summary],
            "was_public": bool(before and before[0]),
        },
    )
    return publication


@transaction.atomic(durable=True)
def publication_withdraw(*, project: Project, acting_user: Any) -> Publication:
    """Take `project` out of the public page and the feeds; its record is kept."""
    _require(acting_user)
    project = _locked(project)
    publication = Publication.objects.filter(project=project, is_public=True).first()
    if publication is None:
        raise ValidationError({"__all__": str(NOT_PUBLISHED)})
    now = timezone.now()
    publication.is_public, publication.withdrawn_at, publication.updated_at = False, now, now
    publication.save(update_fields=["is_public", "withdrawn_at", "updated_at"])
    audit_record(
        acting_user=acting_user,
        kind=AuditEvent.Kind.PUBLICATION_WITHDRAWN,
        subject=project,
        data={"grant_ref": publication.grant_ref},
    )
    return publication
