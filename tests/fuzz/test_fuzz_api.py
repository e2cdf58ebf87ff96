"""Schemathesis against the API's own OpenAPI schema, in-process through the WSGI app, on the demo
municipality, as the coordinator and as an applicant: every request must answer without a
server error and, where the schema declares the answer, in its shape. `make fuzz` runs it and
prints how many requests were made and how many server errors were found."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from tests.fuzz.tally import TALLY

pytestmark = pytest.mark.fuzz

EXAMPLES_PER_OPERATION = 12
DEMO_IDS = 10
CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
]


@pytest.fixture
def tokens(db, demo_data):
    return demo_data


schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@schema.hook
def map_path_parameters(context, path_parameters):
    """Whole-number ids of ordinary size folded onto the demo's objects (1–10), so that most
    requests reach an existing fund, application or project instead of stopping at a 404; ids
    beyond 32 bits are sent as generated, so ids too large for the database are tried too."""
    if not path_parameters:
        return path_parameters
    return {name: _fold(name, value) for name, value in path_parameters.items()}


def _fold(name: str, value: object) -> object:
    if isinstance(value, int) and name.endswith("id") and abs(value) < 2**31:
        return 1 + abs(value) % DEMO_IDS
    return value


FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def call(case, key: str) -> None:
    headers = {"Authorization": f"Bearer {key}", "Accept-Language": "en"}
    response = case.call(headers=headers)
    TALLY.record(case, response)
    case.validate_response(response, checks=CHECKS, headers=headers)


@schema.parametrize()
@FUZZ_SETTINGS
def test_the_api_as_the_coordinator(case, tokens):
    call(case, tokens["coordinator"])


@schema.parametrize()
@FUZZ_SETTINGS
def test_the_api_as_an_applicant(case, tokens):
    call(case, tokens["applicant"])
