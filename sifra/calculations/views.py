import uuid

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sifra.calculations.selectors import calculation_of


@login_required
@require_GET
def progress(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """A calculation's progress: the fragment htmx polls every second until it is finished, or,
    without JavaScript, a page that reloads itself until then."""
    calculation = calculation_of(request.user, pk)
    fragment = request.headers.get("HX-Request") == "true"
    template = "calculations/_progress.html" if fragment else "calculations/progress.html"
    return render(request, template, {"calculation": calculation})
