"""The REST API under /api/: the same services, selectors and permission checks as the pages,
with the OpenAPI schema at /api/openapi.json and interactive docs at /api/docs."""

import logging
import re
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from sifra import __version__
from sifra.api import (
    account,
    accounting,
    applications,
    audit,
    calc,
    evaluation,
    followup,
    forecasts,
    funds,
    opendata,
    people,
    portfolio,
    projects,
    repayment,
    reports,
    todo,
)
from sifra.api.auth import API_AUTH
from sifra.api.errors import (
    SERVER_ERROR,
    TOO_LARGE,
    BodyError,
    JsonObjectParser,
    declare_errors,
    text_message,
)

logger = logging.getLogger("sifra.api")


class SifraAPI(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        return declare_errors(super().get_openapi_schema(*args, **kwargs))

    def validation_error_from_error_contexts(self, error_contexts: Any) -> NinjaValidationError:
        """Ninja drops each error's input; keep what the messages need (null? how long?)."""
        exc = super().validation_error_from_error_contexts(error_contexts)
        inputs = [e for c in error_contexts for e in c.pydantic_validation_error.errors()]
        for err, raw in zip(exc.errors, inputs, strict=True):
            value = raw.get("input")
            err["input_is_null"] = value is None and raw.get("type") != "missing"
            err["input_length"] = len(value) if isinstance(value, str) else None
        return exc


api = SifraAPI(
    title="Sifra API",
    version=__version__,
    description=(
        "Sifra's REST API. Authenticate with the browser session (send the CSRF token on "
        "writes) or with `Authorization: Bearer <token>` (create tokens on your account page "
        "or with `sifra token USERNAME`). Amounts are exact: `amount_ore` is whole öre, "
        '`amount` a decimal string in kronor. Errors are JSON: `{"errors": {field: [message]}}`. '
        "Bodies are JSON objects (Content-Type: application/json). In a PATCH a field may be left "
        "out but not sent as null. Text fields have a maxLength (narrative fields 8 000 "
        "characters) and cannot hold a NUL character."
    ),
    auth=API_AUTH,
    urls_namespace="api",
    parser=JsonObjectParser(),
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
        messages = errors.setdefault(_field(err.get("loc", ())), [])
        message = _translate_pydantic(err)
        if message not in messages:  # each member of a union reports the same mistake
            messages.append(message)
    return _errors(api, request, errors, 400)


def _translate_pydantic(err: dict[str, Any]) -> str:
    text = text_message(err)
    if text is not None:
        return text
    messages = {
        "missing": _("This field is required."),
        "int_parsing": _("Enter a whole number."),
        "decimal_parsing": _("Enter a number."),
        "date_from_datetime_parsing": _("Enter a date as YYYY-MM-DD."),
        "date_parsing": _("Enter a date as YYYY-MM-DD."),
        "json_invalid": _("The request body is not valid JSON."),
    }
    bounds = {
        "greater_than_equal": ("ge", _("Enter a number of at least %(limit)s.")),
        "less_than_equal": ("le", _("Enter a number of at most %(limit)s.")),
        "greater_than": ("gt", _("Enter a number greater than %(limit)s.")),
        "less_than": ("lt", _("Enter a number less than %(limit)s.")),
    }
    kind = err.get("type", "")
    if kind in bounds and bounds[kind][0] in (err.get("ctx") or {}):
        key, text = bounds[kind]
        return text % {"limit": err["ctx"][key]}
    return str(messages.get(kind, err.get("msg", _("Invalid value."))))


# Where the value came from, and the tags pydantic adds per member of a union
# ("enum[EvidenceLevel]", "literal['']"): neither is part of the field's name.
_SOURCES = ("body", "query", "path", "form", "file", "payload")
_UNION_TAG = re.compile(r"^[a-z-]+\[.*\]$")


def _field(loc: Any) -> str:
    parts = [str(p) for p in loc if p not in _SOURCES and not _UNION_TAG.match(str(p))]
    return ".".join(parts) or "__all__"


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
    cause = exc.__cause__
    if isinstance(cause, BodyError):  # ninja wraps the parser's error in a 400
        return _errors(api, request, {"__all__": [str(cause)]}, cause.status)
    return _errors(api, request, {"__all__": [str(exc)]}, exc.status_code)


@api.exception_handler(RequestDataTooBig)
def too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return _errors(api, request, {"__all__": [str(TOO_LARGE)]}, 413)


@api.exception_handler(Exception)
def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """In production a failure answers JSON like every other error (Django's page is HTML);
    in development it propagates, so the traceback shows."""
    if settings.DEBUG:
        raise exc
    logger.exception("API error on %s %s", request.method, request.path)
    return _errors(api, request, {"__all__": [str(SERVER_ERROR)]}, 500)


api.add_router("/", people.router)
api.add_router("/", account.router)
api.add_router("/funds", funds.router)
api.add_router("/funds", applications.rules_router)
api.add_router("/funds", accounting.router)
api.add_router("/applications", applications.router)
api.add_router("/projects", projects.router)
api.add_router("/audit", audit.router)
api.add_router("/", followup.router)
api.add_router("/", repayment.router)
api.add_router("/", evaluation.router)
api.add_router("/calc", calc.router)
api.add_router("/", opendata.router)
api.add_router("/funds", reports.router)
api.add_router("/", forecasts.router)
api.add_router("/funds", portfolio.router)
api.add_router("/", todo.router)
