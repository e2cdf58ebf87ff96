"""Every text field of every writable API schema refuses null, a NUL character and an over-long
string with a 400 naming the field, never a 500 (PostgreSQL refuses NUL and over-long text in
the database). The fields are found by reading the API's own schemas, so a new field or a new
endpoint is covered without touching this test; a text field without a max_length fails it."""

import json
import types
import typing
import urllib.parse

import pytest
from annotated_types import MaxLen
from django.test import Client
from pydantic import BaseModel

from sifra.accounts.models import Partner
from sifra.api.api import api
from sifra.applications.services import application_create
from sifra.core.text import NOT_NULL, NUL_CHARACTER

MISSING = 999_999  # an id no object has: validation answers before the handler looks


def _operations():
    _ = api.urls  # binds the routers
    for prefix, router in api._routers:
        for path, view in router.path_operations.items():
            for op in view.operations:
                yield "/api" + (prefix.rstrip("/") + "/" + path.lstrip("/")).rstrip("/"), op


def _text_annotation(annotation) -> bool:
    if annotation is str:
        return True
    return isinstance(annotation, types.UnionType | typing._UnionGenericAlias) and str in (
        typing.get_args(annotation)
    )


def _schema_of(annotation):
    """The schema class of a field (list[Schema] → Schema), or None."""
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) is list and args and isinstance(args[0], type):
        return args[0] if issubclass(args[0], BaseModel) else None
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def _text_fields(schema, prefix=()):
    """(path, max_length) of every text field of a schema, nested list items as index 0."""
    for name, field in schema.model_fields.items():
        alias = field.alias or name
        if _text_annotation(field.annotation):
            limits = [m.max_length for m in field.metadata if isinstance(m, MaxLen)]
            yield (*prefix, alias), (limits[0] if limits else None)
        nested = _schema_of(field.annotation)
        if nested is not None:
            index = (0,) if typing.get_origin(field.annotation) is list else ()
            yield from _text_fields(nested, (*prefix, alias, *index))


def _cases():
    for url, op in _operations():
        for model in op.models:
            source = model.__ninja_param_source__
            if source not in ("body", "form", "query"):
                continue
            for field in model.model_fields.values():
                schema = _schema_of(field.annotation)
                if schema is not None:
                    fields = list(_text_fields(schema))
                elif _text_annotation(field.annotation):
                    fields = list(_text_fields(model))
                else:
                    continue
                for path, limit in fields:
                    for method in op.methods:
                        yield pytest.param(
                            method,
                            url,
                            source,
                            path,
                            limit,
                            id=f"{method} {url} {'.'.join(map(str, path))}",
                        )


CASES = sorted(set(_cases()), key=lambda p: p.id)


def _nest(path, value):
    for key in reversed(path):
        value = [value] if isinstance(key, int) else {key: value}
    return value


@pytest.fixture
def ids(funded, project, unit_a, users):
    application = application_create(
        fund=funded, title="Tidigt stöd", lead_unit=unit_a, acting_user=users["applicant"]
    )
    partner = Partner.objects.create(organisation=unit_a.organisation, name="Region", kind="region")
    return {
        "fund_id": funded.pk,
        "project_id": project.pk,
        "application_id": application.pk,
        "unit_id": unit_a.pk,
        "partner_id": partner.pk,
        "user_id": users["applicant"].pk,
        "number": 1,
    }


def _send(client, method, url, source, path, value):
    if source == "query":
        return client.generic(method, url + "?" + urllib.parse.urlencode({path[-1]: value}))
    if source == "form":
        return client.post(url, {path[-1]: value})
    body = json.dumps(_nest(path, value))
    return client.generic(method, url, body, content_type="application/json")


def test_every_writable_schema_is_covered():
    """The introspection finds the fields the issue named, so an empty list cannot pass."""
    found = {(c.values[0], c.values[1], c.values[3]) for c in CASES}
    assert ("PATCH", "/api/applications/{application_id}", ("summary",)) in found
    assert ("PATCH", "/api/units/{unit_id}", ("code",)) in found
    assert ("PATCH", "/api/applications/{application_id}", ("budget", 0, "description")) in found
    assert ("POST", "/api/projects/{project_id}/documents", ("title",)) in found
    assert len(CASES) > 80


@pytest.mark.parametrize(("method", "url", "source", "path", "limit"), CASES)
def test_text_field_refuses_null_nul_and_overlong(ids, users, method, url, source, path, limit):
    assert limit is not None, "every text field declares a max_length"
    client = Client(headers={"accept-language": "en"})
    client.force_login(users["coordinator"])
    url = url.format(**{name: ids.get(name, MISSING) for name in _path_names(url)})
    key = ".".join(map(str, path))
    bad_values = {"nul": "a\x00b", "long": "x" * (limit + 1)}
    if source == "body":
        bad_values["null"] = None
    for case, value in bad_values.items():
        response = _send(client, method, url, source, path, value)
        assert response.status_code == 400, (case, response.content[:300])
        errors = response.json()["errors"]
        assert key in errors, (case, errors)
    assert (
        str(NUL_CHARACTER)
        in _send(client, method, url, source, path, "a\x00b").json()["errors"][key]
    )
    if source == "body":
        null = _send(client, method, url, source, path, None).json()["errors"][key]
        assert str(NOT_NULL) in null


def _path_names(url):
    return [part[1:-1] for part in url.split("/") if part.startswith("{")]
