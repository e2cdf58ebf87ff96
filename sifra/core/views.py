"""Error pages in the app's layout. 403 and 404 use Django's handlers with the templates
403.html and 404.html (rendered with the request); 500.html is rendered by Django without a
request or database, so it extends nothing that needs them."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """settings.CSRF_FAILURE_VIEW: a form sent without a valid token (an expired session, cookies
    blocked, a page open for too long) gets a page that says what to do, not Django's."""
    return render(request, "403_csrf.html", {"reason": reason}, status=403)
