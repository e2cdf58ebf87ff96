"""Send a user who must give a second factor to set it up or verify it before anything else."""

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy

from sifra.accounts.second_factor import confirmed_device, needs_verification

SECOND_FACTOR_NEEDED = gettext_lazy(
    "Verify your second factor first: log in in the browser and enter the code from your app."
)
# Always reachable: what the user needs to get verified, to leave, or to change language.
_OPEN_PREFIXES = ("/static/", "/i18n/")


def _exempt(request: HttpRequest) -> bool:
    path = request.path_info
    open_paths = {
        reverse("accounts:second_factor"),
        reverse("accounts:second_factor_verify"),
        reverse("logout"),
    }
    if path in open_paths or path.startswith(_OPEN_PREFIXES):
        return True
    # A bearer token is made only after the second factor; the API's own session check
    # still refuses an unverified session if the token is wrong.
    bearer = request.headers.get("Authorization", "").startswith("Bearer ")
    return path.startswith("/api/") and bearer


def _refuse(request: HttpRequest) -> HttpResponse:
    if request.path_info.startswith("/api/"):
        return JsonResponse({"errors": {"__all__": [str(SECOND_FACTOR_NEEDED)]}}, status=403)
    name = "second_factor_verify" if confirmed_device(request.user) else "second_factor"
    target = reverse(f"accounts:{name}")
    if request.method == "GET":
        target += "?" + urlencode({"next": request.get_full_path()})
    return redirect(target)


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if needs_verification(request.user) and not _exempt(request):
            return _refuse(request)
        return self.get_response(request)
