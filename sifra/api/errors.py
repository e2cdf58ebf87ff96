"""Every API error is JSON, `{"errors": {field: [message]}}`, in production too: the body parser
refuses what is not a JSON object, unknown paths and unexpected failures answer in the same
shape, and the OpenAPI schema declares these answers on every operation."""

import json
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja.parser import Parser

from sifra.core.text import NOT_NULL, TOO_LONG

NOT_JSON = gettext_lazy("Send the body as JSON (Content-Type: application/json).")
NOT_AN_OBJECT = gettext_lazy("The request body must be a JSON object.")
INVALID_JSON = gettext_lazy("The request body is not valid JSON.")
TOO_LARGE = gettext_lazy("The request body is too large.")
NOT_FOUND = gettext_lazy("Not found.")
SERVER_ERROR = gettext_lazy("Something went wrong on the server; it has been logged.")


class BodyError(ValueError):
    """The body cannot be read as this API's JSON; `status` is the answer (400 or 415)."""

    def __init__(self, message: Any, status: int) -> None:
        super().__init__(str(message))
        self.status = status


class JsonObjectParser(Parser):
    """Only `application/json` (or `…+json`) bodies holding one JSON object: a text/plain body
    was parsed as JSON, and `[null]` passed for an empty PATCH."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        content_type = request.content_type or ""
        if content_type != "application/json" and not content_type.endswith("+json"):
            raise BodyError(NOT_JSON, 415)
        try:
            data = json.loads(request.body)
        except ValueError:
            raise BodyError(INVALID_JSON, 400) from None
        if not isinstance(data, dict):
            raise BodyError(NOT_AN_OBJECT, 400)
        return data


def errors(messages: dict[str, list[str]], status: int) -> JsonResponse:
    return JsonResponse({"errors": messages}, status=status)


def api_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Any path under /api/ that no operation answers."""
    return errors({"__all__": [str(NOT_FOUND)]}, 404)


def text_message(err: dict[str, Any]) -> str | None:
    """The message for a null, an over-long text or a NUL character; None for other errors."""
    if err.get("input_is_null"):
        return str(NOT_NULL)
    if err.get("type") == "string_too_long":
        length = err.get("input_length") or "?"
        max_length = (err.get("ctx") or {}).get("max_length")
        return str(TOO_LONG) % {"max": max_length, "length": length}
    if err.get("type") == "string_type":
        return _("Enter text.")
    if err.get("type") == "nul_character":
        return str(err.get("msg", ""))
    return None


ERROR_SCHEMA = {
    "title": "Errors",
    "type": "object",
    "properties": {
        "errors": {
            "type": "object",
            "description": "Messages per field; `__all__` for the request as a whole",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        }
    },
    "required": ["errors"],
}
ERROR_ANSWERS = {
    "400": "Invalid input: the messages name the fields",
    "401": "Not signed in: log in or send a valid API token",
    "403": "Signed in but not allowed to do this",
    "404": "No such object, or not one you may see",
}
BODY_ANSWERS = {
    "413": "The request body is too large",
    "415": "The body is not JSON (send Content-Type: application/json)",
}


def declare_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the error answers, with the error schema, to every operation of an OpenAPI schema."""
    schema.setdefault("components", {}).setdefault("schemas", {})["Errors"] = ERROR_SCHEMA
    ref = {"application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}}
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            answers = dict(ERROR_ANSWERS)
            body = operation.get("requestBody", {}).get("content", {})
            if body:
                answers["413"] = BODY_ANSWERS["413"]
            if "application/json" in body:
                answers["415"] = BODY_ANSWERS["415"]
            responses = operation.setdefault("responses", {})
            for code, text in answers.items():
                responses.setdefault(code, {"description": text, "content": ref})
    return schema
