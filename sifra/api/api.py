"""The REST API under /api/: the same services, selectors and permission checks as the pages,
with the OpenAPI schema at /api/openapi.json and interactive docs at /api/docs."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from sifra import __version__
from sifra.api import (
    account,
    applications,
    audit,
    calc,
    evaluation,
    followup,
    funds,
    people,
    projects,
    repayment,
)
from sifra.api.auth import API_AUTH

api = NinjaAPI(
    title="Sifra API",
    version=__version__,
    description=(
        "Sifra's REST API. Authenticate with the browser session (send the CSRF token on "
        "writes) or with `Authorization: Bearer <token>` (create tokens on your account page "
        "or with `sifra token USERNAME`). Amounts are exact: `amount_ore` is whole öre, "
        '`amount` a decimal string in kronor. Errors are JSON: `{"errors": {field: [message]}}`.'
    ),
    auth=API_AUTH,
    urls_namespace="api",
)


def _errors(
    api: NinjaAPI, request: HttpRequest, errors: dict[str, list[str]], status: int
) -> HttpResponse:
    return api.create_response(request, {"errors": errors}, status=status)


@api.exception_handler(DjangoValidationError)
def service_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return _errors(api, request, errors, 400)


@api.exception_handler(NinjaValidationError)
def schema_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path", "payload")]
        errors.setdefault(".".join(loc) or "__all__", []).append(_translate_pydantic(err))
    return _errors(api, request, errors, 400)


def _translate_pydantic(err: dict[str, Any]) -> str:
    messages = {
        "missing": _("This field is required."),
        "int_parsing": _("Enter a whole number."),
        "decimal_parsing": _("Enter a number."),
        "date_from_datetime_parsing": _("Enter a date as YYYY-MM-DD."),
        "date_parsing": _("Enter a date as YYYY-MM-DD."),
        "json_invalid": _("The request body is not valid JSON."),
    }
    return str(messages.get(err.get("type", ""), err.get("msg", _("Invalid value."))))


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _errors(api, request, {"__all__": [str(exc) or _("You may not do this.")]}, 403)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _errors(api, request, {"__all__": [_("Not found.")]}, 404)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _errors(api, request, {"__all__": [_("Log in or send a valid API token.")]}, 401)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _errors(api, request, {"__all__": [str(exc)]}, exc.status_code)


api.add_router("/", people.router)
api.add_router("/", account.router)
api.add_router("/funds", funds.router)
api.add_router("/funds", applications.rules_router)
api.add_router("/applications", applications.router)
api.add_router("/projects", projects.router)
api.add_router("/audit", audit.router)
api.add_router("/", followup.router)
api.add_router("/", repayment.router)
api.add_router("/", evaluation.router)
api.add_router("/calc", calc.router)
