from typing import Any

from django.shortcuts import get_object_or_404

from sifra.calculations.models import Calculation
from sifra.calculations.services import run_digest


def calculation_of(user: Any, calculation_id: Any) -> Calculation:
    """The person's own calculation; 404 for anyone else's, so ids reveal nothing."""
    return get_object_or_404(Calculation, pk=calculation_id, created_by=user)


def calculation_kept(case: dict[str, Any], iterations: int | None, seed: int) -> Calculation | None:
    """The latest finished result of exactly this run, by whoever ran it: the pages show it to
    anyone who may see the case."""
    digest = run_digest(case, iterations, seed)
    done = Calculation.objects.filter(digest=digest, status=Calculation.Status.DONE)
    return done.order_by("-finished_at").first()


def calculation_under_way(
    user: Any, case: dict[str, Any], iterations: int | None, seed: int
) -> Calculation | None:
    """The person's own calculation of exactly this run that has not finished yet."""
    unfinished = (Calculation.Status.QUEUED, Calculation.Status.RUNNING)
    mine = Calculation.objects.filter(created_by=user, status__in=unfinished)
    return mine.filter(digest=run_digest(case, iterations, seed)).first()
