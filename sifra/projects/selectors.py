from typing import Any

from django.db.models import QuerySet

from sifra.accounts import permissions
from sifra.accounts.models import Role
from sifra.projects.models import Project


def projects_visible(*, user: Any, fund: Any = None) -> QuerySet[Project]:
    """Staff roles see every project; an applicant those its units take part in."""
    qs = Project.objects.select_related("fund", "lead_unit").order_by("fund__name", "code")
    if fund is not None:
        qs = qs.filter(fund=fund)
    if permissions.can_view_whole_ledger(user):
        return qs
    if permissions.has_role(user, Role.APPLICANT):
        return qs.filter(units__in=user.units.all()).distinct()
    return qs.none()
