"""The start page: a signed-in person's work queue, "To do"; the landing page for visitors."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from sifra.start.selectors import todo


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "core/home.html")
    groups = todo(user=request.user)
    return render(
        request,
        "start/home.html",
        {
            "groups": groups,
            "total": sum(g.count for g in groups),
            "today": timezone.localdate(),
        },
    )
