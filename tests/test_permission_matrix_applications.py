"""The permission matrix for applications, reviews, decisions, memos and notifications: every
page and endpoint, every role, own and other units, anonymous."""

import datetime as dt
import tomllib
from pathlib import Path

import pytest

from sifra.applications import services as s
from tests.test_permission_matrix import ROLES, SIGNED_IN, _fill, _request, check_api, check_page

MSEK = 100_000_000
COORD = {"coordinator"}
APPLICANT_SIDE = {"coordinator", "applicant"}
READ_SUBMITTED = {"coordinator", "applicant", "auditor", "economist", "decision_maker"}
READ_IN_REVIEW = READ_SUBMITTED | {"council"}
REVIEW_READERS = {"coordinator", "auditor", "decision_maker", "council"}

PAGES = [
    ("get", "/applications/", SIGNED_IN, None),
    ("get", "/applications/new/", APPLICANT_SIDE | {"outsider"}, None),
    (
        "get",
        "/applications/{draft}/case/export/?format=toml",
        {"coordinator", "applicant", "auditor"},
        None,
    ),
    ("get", "/applications/{draft}/", {"coordinator", "applicant", "auditor"}, None),
    ("get", "/applications/{draft}/edit/", APPLICANT_SIDE, None),
    ("get", "/applications/{shared}/edit/", APPLICANT_SIDE | {"outsider"}, None),
    ("get", "/applications/{draft}/checklist/", {"coordinator", "applicant", "auditor"}, None),
    ("get", "/applications/{draft}/case/", {"coordinator", "applicant", "auditor"}, None),
    ("get", "/applications/{review}/", READ_IN_REVIEW, None),
    ("get", "/applications/{review}/memo/", READ_IN_REVIEW, None),
    ("get", "/applications/{review}/memo.pdf", READ_IN_REVIEW, None),
    ("get", "/applications/{review}/return/", COORD, None),
    ("get", "/applications/{review}/send-to-review/", COORD, None),
    ("get", "/applications/{review}/review/", {"council"}, None),
    ("get", "/applications/{review}/recommend/", COORD, None),
    ("get", "/applications/{review}/decide/", {"decision_maker"}, None),
    ("get", "/applications/rules/{fund}/", COORD, None),
    ("get", "/notifications/", SIGNED_IN, None),
]
API = [
    ("get", "/api/applications", SIGNED_IN, None),
    (
        "post",
        "/api/applications",
        APPLICANT_SIDE,
        {"fund_id": "{fund}", "title": "Ny", "lead_unit_id": "{unit}"},
    ),
    ("get", "/api/applications/{draft}", {"coordinator", "applicant", "auditor"}, None),
    ("patch", "/api/applications/{draft}", APPLICANT_SIDE, {"summary": "Kort."}),
    ("get", "/api/applications/{review}", READ_IN_REVIEW, None),
    ("get", "/api/applications/{review}/case", READ_IN_REVIEW, None),
    ("get", "/api/applications/{review}/reviews", REVIEW_READERS, None),
    (
        "post",
        "/api/applications/{review}/review",
        {"council"},
        {
            "evidence_strength": 4,
            "evaluation_quality": 3,
            "case_realism": 4,
            "recommendation": "approve",
        },
    ),
    ("post", "/api/applications/{review}/return", COORD, {"comment": "Komplettera."}),
    ("post", "/api/applications/{draft}/withdraw", APPLICANT_SIDE, None),
    # {shared} is led by the applicant's unit; the outsider's unit only takes part.
    ("patch", "/api/applications/{shared}", APPLICANT_SIDE | {"outsider"}, {"summary": "Kort."}),
    ("patch", "/api/applications/{shared}", APPLICANT_SIDE, {"unit_ids": []}),
    ("patch", "/api/applications/{shared}", APPLICANT_SIDE, {"repayment_unit_ids": []}),
    ("post", "/api/applications/{shared}/withdraw", APPLICANT_SIDE, None),
    ("get", "/api/funds/{fund}/rules", SIGNED_IN, None),
    ("put", "/api/funds/{fund}/rules", COORD, {"min_units": 2}),
]


@pytest.fixture
def world(funded, unit_a, unit_b, users):
    applicant, coordinator = users["applicant"], users["coordinator"]
    draft = s.application_create(
        fund=funded, title="Utkast", lead_unit=unit_a, acting_user=applicant
    )
    case = tomllib.loads(
        (Path(__file__).parent.parent / "examples" / "norrkoping-barn.toml").read_text(
            encoding="utf-8"
        )
    )
    s.application_case_set(application=draft, case=case, acting_user=applicant)
    review = s.application_create(
        fund=funded, title="Granskas", lead_unit=unit_a, acting_user=applicant
    )
    s.application_update(
        application=review,
        acting_user=applicant,
        followup_plan="Plan",
        evaluation_plan="Plan",
        budget=[{"year": 2027, "description": "x", "requested": MSEK}],
    )
    review = s.application_submit(application=review, acting_user=applicant)
    s.application_send_to_review(
        application=review, reviewers=[users["council"]], acting_user=coordinator
    )
    shared = s.application_create(
        fund=funded, title="Gemensamt", lead_unit=unit_a, acting_user=applicant
    )
    s.application_update(
        application=shared, acting_user=applicant, units=[unit_b], repayment_units=[unit_b]
    )
    return {
        "fund": funded.pk,
        "unit": unit_a.pk,
        "draft": draft.pk,
        "shared": shared.pk,
        "review": review.pk,
        "today": dt.date.today().isoformat(),
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "url", "allowed", "body"), PAGES, ids=[f"{m} {u}" for m, u, _a, _b in PAGES]
)
def test_application_page_permissions(client, users, world, role, method, url, allowed, body):
    response = _request(client, users, role, method, _fill(url, world), body)
    check_page(response, role, allowed)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "url", "allowed", "body"), API, ids=[f"{m} {u}" for m, u, _a, _b in API]
)
def test_application_api_permissions(client, users, world, role, method, url, allowed, body):
    response = _request(client, users, role, method, _fill(url, world), _fill(body, world))
    if (role, method, url) == ("outsider", "post", "/api/applications"):
        assert response.status_code == 400  # may apply, but only for its own unit
        assert "lead_unit" in response.json()["errors"]
    else:
        check_api(response, role, allowed)
