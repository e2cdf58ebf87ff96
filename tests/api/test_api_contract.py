"""What the API promises about bodies and errors: JSON endpoints take only a JSON object sent
as JSON, and the OpenAPI schema declares the error answers of every operation."""

import json

import pytest
from django.test import Client

from sifra.api.errors import NOT_AN_OBJECT, NOT_JSON
from sifra.applications.services import application_create


@pytest.fixture
def client(users):
    client = Client(headers={"accept-language": "en"})
    client.force_login(users["applicant"])
    return client


@pytest.fixture
def draft(funded, unit_a, users):
    return application_create(
        fund=funded, title="Tidigt stöd", lead_unit=unit_a, acting_user=users["applicant"]
    )


def test_a_text_plain_body_is_refused_with_415(client, draft):
    response = client.patch(
        f"/api/applications/{draft.pk}", json.dumps({"summary": "x"}), content_type="text/plain"
    )
    assert response.status_code == 415
    assert response.json() == {"errors": {"__all__": [str(NOT_JSON)]}}
    draft.refresh_from_db()
    assert draft.summary == ""


@pytest.mark.parametrize("body", ["[null]", "[]", '"text"', "3", "null"])
def test_a_body_that_is_not_a_json_object_is_a_400(client, draft, body):
    response = client.patch(f"/api/applications/{draft.pk}", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"errors": {"__all__": [str(NOT_AN_OBJECT)]}}


def test_a_json_object_with_a_json_content_type_and_charset_is_read(client, draft):
    response = client.patch(
        f"/api/applications/{draft.pk}",
        json.dumps({"summary": "Stöd."}),
        content_type="application/json; charset=utf-8",
    )
    assert response.status_code == 200 and response.json()["content"]["summary"] == "Stöd."


def test_every_operation_declares_its_error_answers(client):
    schema = client.get("/api/openapi.json").json()
    assert "errors" in schema["components"]["schemas"]["Errors"]["properties"]
    operations = [
        (path, method, op)
        for path, methods in schema["paths"].items()
        for method, op in methods.items()
    ]
    assert len(operations) > 60
    for path, method, op in operations:
        expected = {"400", "401", "403", "404"}
        body = op.get("requestBody", {}).get("content", {})
        if body:
            expected.add("413")
        if "application/json" in body:
            expected.add("415")
        missing = expected - set(op["responses"])
        assert not missing, (method, path, missing)
        for code in expected:
            ref = op["responses"][code]["content"]["application/json"]["schema"]["$ref"]
            assert ref == "#/components/schemas/Errors"
