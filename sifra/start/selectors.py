"""What each role has to do, read from the owning apps' selectors: a few groups per role, each
with a count, the first items and a link to the full list. Every group costs a fixed number of
queries (a count and a slice), however many applications and projects there are."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from sifra.accounts.models import Role
from sifra.applications import selectors as applications
from sifra.applications.models import Status
from sifra.audit.presentation import event_object_label, kind_name, local_time, object_links
from sifra.audit.selectors import audit_events
from sifra.core.money import format_ore
from sifra.followup import selectors as followup
from sifra.followup.charts import SOON_DAYS
from sifra.projects.selectors import projects_visible
from sifra.repayment import selectors as repayment

# Items listed per group on the page; the count and the link cover the rest.
SHOWN = 10
# The auditor's "latest changes" count the events of this many days.
RECENT_DAYS = 7


@dataclass(frozen=True)
class TodoItem:
    title: str
    url: str
    reason: str  # why it is on the list
    due: dt.date | None = None  # by when, if there is a date
    since: dt.date | None = None  # waiting since, when there is no due date
    tag: str = ""  # the status tag's text
    tone: str = "todo"  # the tag's colour: overdue, soon, todo, returned, info


@dataclass
class TodoGroup:
    key: str
    title: str
    count: int
    link: str
    link_text: str
    empty: str
    items: list[TodoItem] = field(default_factory=list)


def _day(value: dt.datetime | dt.date | None) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date()
    return value


def _due_tag(due: dt.date | None, today: dt.date) -> tuple[str, str]:
    if due is None:
        return _("To do"), "todo"
    if due < today:
        return pgettext("todo", "Overdue"), "overdue"
    if due <= today + dt.timedelta(days=SOON_DAYS):
        return _("Due soon"), "soon"
    return _("To do"), "todo"


def _group(
    key: str,
    title: str,
    qs: QuerySet[Any],
    item: Callable[[Any], TodoItem],
    *,
    link: str,
    link_text: str,
    empty: str,
) -> TodoGroup:
    return TodoGroup(
        key=key,
        title=title,
        count=qs.count(),
        link=link,
        link_text=link_text,
        empty=empty,
        items=[item(obj) for obj in qs[:SHOWN]],
    )


def _application_title(a: Any) -> str:
    return f"{a.reference} {a.title}"


# --- The roles --------------------------------------------------------------------------------


def _coordinator(user: Any, today: dt.date) -> list[TodoGroup]:
    projects = projects_visible(user=user)
    apps_link = reverse("applications:list")

    def check(a: Any) -> TodoItem:
        return TodoItem(
            title=_application_title(a),
            url=reverse("applications:detail", args=[a.pk]),
            reason=_(
                "Submitted: check that it is complete, then return it or send it to the council."
            ),
            since=_day(a.submitted_at),
            tag=_("New"),
        )

    def propose(a: Any) -> TodoItem:
        return TodoItem(
            title=_application_title(a),
            url=reverse("applications:detail", args=[a.pk]),
            reason=_("Every review is in: write the proposal for the decision."),
            since=_day(a.updated_at),
            tag=_("To do"),
        )

    def approve(r: Any) -> TodoItem:
        due = r.due.due_date if r.due else None
        return TodoItem(
            title=f"{r.project.code} {r.get_kind_display()}",
            url=reverse("followup:report", args=[r.pk]),
            reason=_("Submitted report: approve it or return it for revision."),
            due=due,
            since=_day(r.submitted_at),
            tag=_("Submitted"),
        )

    def plan(p: Any) -> TodoItem:
        return TodoItem(
            title=str(p),
            url=reverse("followup:project", args=[p.pk]),
            reason=_("The project owes no report yet: set its reporting plan."),
            since=_day(p.created_at),
            tag=_("Missing"),
            tone="overdue",
        )

    return [
        _group(
            "applications_to_check",
            _("Applications to handle"),
            applications.applications_to_check(),
            check,
            link=f"{apps_link}?status={Status.SUBMITTED}",
            link_text=_("All submitted applications"),
            empty=_("No application waits for a completeness check."),
        ),
        _group(
            "decisions_to_prepare",
            _("Decisions to prepare"),
            applications.proposals_to_write(),
            propose,
            link=f"{apps_link}?status={Status.IN_REVIEW}",
            link_text=_("All applications in review"),
            empty=_("No application waits for a proposal."),
        ),
        _group(
            "reports_to_approve",
            _("Reports to approve"),
            followup.reports_to_approve(projects=projects),
            approve,
            link=reverse("followup:overview"),
            link_text=_("The follow-up overview"),
            empty=_("No report awaits approval."),
        ),
        _group(
            "reporting_plans_missing",
            _("Reporting plans missing"),
            followup.projects_without_schedule(projects=projects),
            plan,
            link=reverse("projects:list"),
            link_text=_("All projects"),
            empty=_("Every running project has a reporting plan."),
        ),
    ]


def _council(user: Any, today: dt.date) -> list[TodoGroup]:
    def review(r: Any) -> TodoItem:
        a = r.application
        return TodoItem(
            title=_application_title(a),
            url=reverse("applications:review", args=[a.pk]),
            reason=_("Assigned to you for review."),
            since=_day(r.assigned_at),
            tag=_("Not started"),
        )

    return [
        _group(
            "reviews",
            _("Reviews"),
            applications.reviews_pending(user=user),
            review,
            link=reverse("applications:list"),
            link_text=_("All your applications"),
            empty=_("No review is waiting for you."),
        )
    ]


def _decision_maker(user: Any, today: dt.date) -> list[TodoGroup]:
    def decide(a: Any) -> TodoItem:
        recommended = a.status == Status.RECOMMENDED
        return TodoItem(
            title=_application_title(a),
            url=reverse("applications:decide", args=[a.pk]),
            reason=_("The coordinator proposes approval: record the decision.")
            if recommended
            else _("The coordinator proposes rejection: record the decision."),
            since=_day(a.updated_at),
            tag=a.get_status_display(),
            tone="todo" if recommended else "info",
        )

    return [
        _group(
            "proposals",
            _("Proposals to decide"),
            applications.proposals_awaiting_decision(),
            decide,
            link=reverse("applications:list"),
            link_text=_("All applications"),
            empty=_("No proposal waits for a decision."),
        )
    ]


def _economist(user: Any, today: dt.date) -> list[TodoGroup]:
    year = today.year - 1

    def verify(agreement: Any) -> TodoItem:
        due = repayment.claim_due_date(due_months=agreement.due_months, year=year)
        tag, tone = _due_tag(due, today)
        return TodoItem(
            title=str(agreement.project),
            url=reverse("repayment:project", args=[agreement.project_id]),
            reason=_("Repaid from savings: verify the saving of %(year)s.") % {"year": year},
            due=due,
            tag=tag,
            tone=tone,
        )

    def claim(c: Any) -> TodoItem:
        return TodoItem(
            title=f"{c.project.code} {c.unit.name} {c.year}",
            url=reverse("repayment:project", args=[c.project_id]),
            reason=_("%(amount)s is overdue: register the repayment or write it off.")
            % {"amount": format_ore(int(c.overdue))},
            due=c.due_date,
            tag=pgettext("todo", "Overdue"),
            tone="overdue",
        )

    return [
        _group(
            "savings_to_verify",
            _("Savings to verify"),
            repayment.savings_to_verify(today=today),
            verify,
            link=reverse("projects:list"),
            link_text=_("All projects"),
            empty=_("No saving waits for verification."),
        ),
        _group(
            "overdue_claims",
            _("Overdue claims"),
            repayment.claims_overdue(today=today),
            claim,
            link=reverse("repayment:claims") + "?overdue=on",
            link_text=_("All claims"),
            empty=_("No claim is overdue."),
        ),
    ]


def _applicant(user: Any, today: dt.date) -> list[TodoGroup]:
    projects = projects_visible(user=user)

    def draft(a: Any) -> TodoItem:
        return TodoItem(
            title=_application_title(a),
            url=reverse("applications:edit", args=[a.pk]),
            reason=_("Draft: complete it and submit it."),
            since=_day(a.updated_at),
            tag=_("Draft"),
        )

    def due(d: Any) -> TodoItem:
        tag, tone = _due_tag(d.due_date, today)
        report = getattr(d, "report", None)
        # A report not begun is started by a button (a POST) on the project's follow-up page.
        url = (
            reverse("followup:report", args=[report.pk])
            if report is not None
            else reverse("followup:project", args=[d.project_id])
        )
        return TodoItem(
            title=f"{d.project.code} {d.get_kind_display()}",
            url=url,
            reason=_("Report for %(start)s – %(end)s.")
            % {"start": d.period_start.isoformat(), "end": d.period_end.isoformat()},
            due=d.due_date,
            tag=tag,
            tone=tone,
        )

    def returned_application(a: Any) -> TodoItem:
        return TodoItem(
            title=_application_title(a),
            url=reverse("applications:edit", args=[a.pk]),
            reason=_("Returned for completion: read the coordinator's comments and submit again."),
            since=_day(a.updated_at),
            tag=_("Returned"),
            tone="returned",
        )

    def returned_report(r: Any) -> TodoItem:
        return TodoItem(
            title=f"{r.project.code} {r.get_kind_display()}",
            url=reverse("followup:report", args=[r.pk]),
            reason=_("Returned for revision: read the comments and submit it again."),
            due=r.due.due_date if r.due else None,
            tag=_("Returned"),
            tone="returned",
        )

    return [
        _group(
            "drafts",
            _("Drafts"),
            applications.applications_of_user(user=user, statuses=(Status.DRAFT,)),
            draft,
            link=f"{reverse('applications:list')}?status={Status.DRAFT}",
            link_text=_("All your applications"),
            empty=_("You have no draft."),
        ),
        _group(
            "reports_due",
            _("Reports due"),
            followup.dues_open(projects=projects, today=today),
            due,
            link=reverse("followup:overview"),
            link_text=_("Your projects' follow-up"),
            empty=_("No report is due within %(days)s days.") % {"days": SOON_DAYS},
        ),
        _group(
            "returned_applications",
            _("Applications returned"),
            applications.applications_of_user(user=user, statuses=(Status.RETURNED,)),
            returned_application,
            link=f"{reverse('applications:list')}?status={Status.RETURNED}",
            link_text=_("All your applications"),
            empty=_("No application has been returned to you."),
        ),
        _group(
            "returned_reports",
            _("Reports returned"),
            followup.reports_returned(projects=projects),
            returned_report,
            link=reverse("followup:overview"),
            link_text=_("Your projects' follow-up"),
            empty=_("No report has been returned to you."),
        ),
    ]


def _auditor(user: Any, today: dt.date) -> list[TodoGroup]:
    recent = audit_events().filter(created_at__gte=timezone.now() - dt.timedelta(days=RECENT_DAYS))
    events = list(recent[:SHOWN])
    links = object_links(events)
    trail = reverse("audit:list")

    def event(e: Any) -> TodoItem:
        who = e.actor.username if e.actor else _("the system")
        return TodoItem(
            title=f"{kind_name(e)}: {event_object_label(e)}",
            url=links.get(e.pk, trail),
            reason=_("By %(who)s at %(time)s.") % {"who": who, "time": local_time(e.created_at)},
            tag=_("Changed"),
            tone="info",
        )

    return [
        TodoGroup(
            key="latest_changes",
            title=_("Latest changes"),
            count=recent.count(),
            link=trail,
            link_text=_("The whole audit trail"),
            empty=_("Nothing has changed in the last %(days)s days.") % {"days": RECENT_DAYS},
            items=[event(e) for e in events],
        )
    ]


ROLES: dict[str, Callable[[Any, dt.date], list[TodoGroup]]] = {
    Role.COORDINATOR: _coordinator,
    Role.COUNCIL: _council,
    Role.DECISION_MAKER: _decision_maker,
    Role.ECONOMIST: _economist,
    Role.APPLICANT: _applicant,
    Role.AUDITOR: _auditor,
}


def todo(*, user: Any, today: dt.date | None = None) -> list[TodoGroup]:
    """The work queue of `user`'s role: groups with counts, items and links."""
    build = ROLES.get(getattr(user, "role", ""))
    if build is None or not user.is_authenticated:
        return []
    return build(user, today or timezone.localdate())
