"""Reads behind the public page and the 360Giving feed: the published projects and, for each, only
what may be shown to anyone: amounts from the ledger, the committees, the indicators against
their targets, the evaluation's result. No person's name is read here, so none can leak out."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet, Sum

from sifra.applications.models import Decision
from sifra.evaluation.models import Evaluation
from sifra.followup.charts import IndicatorRow, indicator_rows
from sifra.funds.models import EntryKind, Fund, LedgerEntry
from sifra.opendata.models import Publication
from sifra.opendata.privacy import personal_number_errors, published_texts
from sifra.projects.models import Project


@dataclass(frozen=True)
class GrantFacts:
    """What was decided: the amount (öre) and the date of the decision."""

    amount_awarded: int
    award_date: dt.date


def grant_facts(project: Project) -> GrantFacts | None:
    """The decided grant behind a project, or None where there is none.

    An approved application's decision says it; a project registered directly (work decided
    before the fund used Sifra) has its decision in the ledger: its commitments that stand."""
    application = getattr(project, "application", None)
    decision = getattr(application, "decision", None) if application is not None else None
    if decision is not None:
        if decision.outcome != Decision.Outcome.APPROVED or decision.amount <= 0:
            return None
        return GrantFacts(decision.amount, decision.decided_on)
    commitments = _standing(project, EntryKind.COMMITMENT)
    first = commitments.order_by("date", "number").first()
    if first is None:
        return None
    return GrantFacts(_total(commitments), first.date)


def _standing(project: Project, kind: str) -> QuerySet[LedgerEntry]:
    """The project's entries of `kind` that no reversal has cancelled."""
    return LedgerEntry.objects.filter(project=project, kind=kind, reversed_by__isnull=True)


def _total(entries: QuerySet[LedgerEntry]) -> int:
    return int(entries.aggregate(s=Sum("amount"))["s"] or 0)


def disbursed(project: Project) -> int:
    return _total(_standing(project, EntryKind.DISBURSEMENT))


def repaid(project: Project) -> int:
    return _total(_standing(project, EntryKind.REPAYMENT))


@dataclass
class PublicProject:
    """One published project as the public sees it."""

    publication: Publication
    facts: GrantFacts
    disbursed: int
    repaid: int
    committees: list[str]
    indicators: list[IndicatorRow] = field(default_factory=list)
    evaluation: Evaluation | None = None

    @property
    def project(self) -> Project:
        return self.publication.project


def publications_public(*, fund: Fund | None = None) -> QuerySet[Publication]:
    """The publications that are public now, of decided grants."""
    qs = Publication.objects.filter(is_public=True).select_related(
        "project", "project__fund", "project__fund__organisation", "project__lead_unit"
    )
    return qs.filter(project__fund=fund) if fund is not None else qs


def committees(project: Project) -> list[str]:
    """The lead unit first, then the other participating units, by name."""
    others = sorted(u.name for u in project.units.all() if u.pk != project.lead_unit_id)
    return [project.lead_unit.name, *others]


def public_project(publication: Publication) -> PublicProject | None:
    """The public view of one publication; None if the grant is no longer a decided one or a
    text to be shown has come to hold a personal identity number."""
    project = publication.project
    facts = grant_facts(project)
    if facts is None or personal_number_errors(published_texts(project, publication.summary)):
        return None
    return PublicProject(
        publication=publication,
        facts=facts,
        disbursed=disbursed(project),
        repaid=repaid(project),
        committees=committees(project),
        indicators=indicator_rows(project=project),
        evaluation=project.evaluations.order_by("-created_at", "-pk").first(),
    )


def public_projects(*, fund: Fund | None = None) -> list[PublicProject]:
    rows = (public_project(p) for p in publications_public(fund=fund))
    return [r for r in rows if r is not None]


def funds_with_publications() -> QuerySet[Fund]:
    return Fund.objects.filter(projects__publication__is_public=True).distinct().order_by("name")
