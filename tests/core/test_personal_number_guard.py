"""Issue 9, item 5: one guard refuses a valid personal identity number, however it is written,
in every stored free-text field, through the services (and so the pages and the API); a
look-alike with a wrong check digit passes."""

import datetime as dt
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sifra.accounts import services as accounts
from sifra.applications import services as applications
from sifra.core.models import PersonalNumberFree
from sifra.core.personnummer import find_personal_numbers
from sifra.documents.services import document_upload
from sifra.followup import services as followup
from sifra.funds import services as funds
from sifra.funds.models import LedgerEntry
from sifra.projects import services as projects
from sifra.repayment import services as repayment
from tests.factories import CASE, MSEK

SEPARATORS = ["", "-", "+", " - ", " -", "- ", " ", ".", " . ", "\u2013", " + ", "\u00a0-\u00a0"]
WORDS = st.sampled_from(["Barnet", "familjen", "dnr", "se", "bor i området", "KS", "§ 12", ""])


def luhn_digit(nine: str) -> int:
    total = sum(sum(divmod(int(c) * (2 - i % 2), 10)) for i, c in enumerate(nine))
    return (10 - total % 10) % 10


@st.composite
def personal_numbers(draw, valid=True):
    """A personal identity or coordination number in one of the ways people write it."""
    day = draw(st.dates(dt.date(1900, 1, 1), dt.date(2025, 12, 31)))
    dd = day.day + (60 if draw(st.booleans()) else 0)
    nine = f"{day:%y%m}{dd:02d}{draw(st.integers(0, 999)):03d}"
    check = luhn_digit(nine)
    if not valid:
        check = (check + draw(st.integers(1, 9))) % 10
    digits = f"{nine}{check}"
    century = f"{day.year // 100}" if draw(st.booleans()) else ""
    return century + digits[:6] + draw(st.sampled_from(SEPARATORS)) + digits[6:]


@st.composite
def texts(draw, valid=True):
    """A number embedded in ordinary text."""
    return f"{draw(WORDS)} {draw(personal_numbers(valid))} {draw(WORDS)}".strip()


@given(number=personal_numbers())
def test_every_variant_is_found(number):
    assert find_personal_numbers(f"Pojken {number}, född i Norrköping") == [number]


@given(number=personal_numbers(valid=False))
def test_a_wrong_check_digit_is_not(number):
    assert find_personal_numbers(f"Pojken {number}, född i Norrköping") == []


@pytest.mark.parametrize(
    "text",
    [
        "19121212 - 1212",
        "19121212-1212",
        "121212.1212",
        "121212 1212",
        "121212+1212",
        "121272-1219",
    ],
)
def test_the_forms_from_the_issue_are_found(text):
    assert find_personal_numbers(f"Se {text}.") == [text]


@pytest.mark.parametrize(
    "text", ["nr.121212-1212", "(121212-1212)", "pnr:19121212-1212,", "Se\n121212 - 1212"]
)
def test_numbers_next_to_punctuation_are_found(text):
    assert len(find_personal_numbers(text)) == 1


@pytest.mark.parametrize(
    "text",
    ["Budget 1 250 000 kr", "Dnr KS-106/2010", "tel 070-123 45 67", "2026-03-01", "1,5 121212"],
)
def test_ordinary_numbers_are_not_found(text):
    assert find_personal_numbers(text) == []


# --- Through the services ---------------------------------------------------------------------


def in_review(w):
    """An application of unit A, submitted with the Norrköping case and sent to the council."""
    applicant = w["users"]["applicant"]
    a = applications.application_create(
        fund=w["fund"], title="Tidigt stöd", lead_unit=w["unit"], acting_user=applicant
    )
    a = applications.application_update(
        application=a,
        acting_user=applicant,
        followup_plan="Kvartalsvis.",
        evaluation_plan="Kontrollgrupp.",
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 12, 31),
        budget=[
            {
                "year": 2026,
                "description": "Familjebehandlare",
                "payer_unit_id": w["unit"].pk,
                "requested": MSEK,
                "own_contribution": 0,
            }
        ],
    )
    applications.application_case_set(application=a, case=CASE, acting_user=applicant)
    a = applications.application_submit(application=a, acting_user=applicant)
    return applications.application_send_to_review(
        application=a, reviewers=[w["users"]["council"]], acting_user=w["coordinator"]
    )


def reviewed(w):
    a = in_review(w)
    applications.review_submit(
        application=a,
        acting_user=w["users"]["council"],
        evidence_strength=4,
        evaluation_quality=3,
        case_realism=4,
        recommendation="approve",
        comments="Bra.",
    )
    return a


def recommended(w):
    return applications.application_recommend(
        application=reviewed(w), recommend=True, proposal="Bevilja.", acting_user=w["coordinator"]
    )


def review(w, field, text):
    fields = {
        "evidence_strength": 4,
        "evaluation_quality": 3,
        "case_realism": 4,
        "recommendation": "approve",
        field: text,
    }
    applications.review_submit(application=w["state"], acting_user=w["users"]["council"], **fields)


def decide(w, field, text):
    fields = {"minute_ref": "KSAU § 1", "conditions": "", field: text}
    applications.decision_record(
        application=w["state"],
        approve=True,
        amount=MSEK,
        decided_on=dt.date(2026, 1, 1),
        acting_user=w["users"]["decision_maker"],
        **fields,
    )


def agreement(w, field, text):
    repayment.agreement_set(
        project=w["project"],
        model="none",
        shares=[],
        acting_user=w["users"]["economist"],
        **{field: text},
    )


def saving(w, field, text):
    repayment.agreement_set(
        project=w["project"],
        model="savings_share",
        share=Decimal(50),
        cap=MSEK,
        shares=[(w["unit"], Decimal(100))],
        acting_user=w["users"]["economist"],
    )
    repayment.saving_verify(
        project=w["project"],
        year=2026,
        unit=w["unit"],
        amount=1000,
        evidence_kind="report",
        evidence=text,
        acting_user=w["users"]["economist"],
    )


def ledger(w, field, text):
    fields = {"text": "Insättning", field: text}
    funds.ledger_entry_post(
        fund=w["fund"], kind="deposit", amount=100, acting_user=w["coordinator"], **fields
    )


def reverse(w, field, text):
    entry = LedgerEntry.objects.filter(fund=w["fund"], kind="deposit").first()
    funds.ledger_entry_reverse(entry=entry, text=text, acting_user=w["coordinator"])


def document(w, field, text):
    upload = SimpleUploadedFile(
        f"{text}.pdf" if field == "file" else "rapport.pdf", b"%PDF-1.4\n%%EOF\n"
    )
    title = text if field == "title" else "Rapport"
    document_upload(project=w["project"], title=title, upload=upload, acting_user=w["coordinator"])


def indicator(w, field, text):
    fields = {"name": "Placeringar", "unit": "st", "baseline": 1, "target": 0}
    fields.update({"baseline_year": 2025, field: text})
    followup.indicator_add(project=w["project"], acting_user=w["coordinator"], **fields)


def budget_line(w, field, text):
    followup.budget_line_add(
        project=w["project"], acting_user=w["coordinator"], year=2026, description=text
    )


# (field, state to start from, the service call). The state is built once per test.
CASES = [
    ("text", None, ledger),
    ("decision_ref", None, ledger),
    ("text", None, reverse),
    *[
        (
            f,
            None,
            lambda w, f, t: funds.fund_update(
                fund=w["fund"], acting_user=w["coordinator"], **{f: t}
            ),
        )
        for f in ("name", "description", "rules", "rules_decision_ref")
    ],
    *[
        (
            f,
            None,
            lambda w, f, t: projects.project_update(
                project=w["project"], acting_user=w["coordinator"], **{f: t}
            ),
        )
        for f in ("title", "description", "decision_ref")
    ],
    (
        "name",
        None,
        lambda w, f, t: accounts.unit_create(
            organisation=w["org"], name=t, kind="committee", acting_user=w["coordinator"]
        ),
    ),
    (
        "name",
        None,
        lambda w, f, t: accounts.partner_create(
            organisation=w["org"], name=t, kind="region", acting_user=w["coordinator"]
        ),
    ),
    (
        "name",
        None,
        lambda w, f, t: accounts.api_token_create(
            user=w["coordinator"], name=t, acting_user=w["coordinator"]
        ),
    ),
    (
        "title",
        None,
        lambda w, f, t: applications.application_create(
            fund=w["fund"], title=t, lead_unit=w["unit"], acting_user=w["users"]["applicant"]
        ),
    ),
    *[
        (
            f,
            "draft",
            lambda w, f, t: applications.application_update(
                application=w["state"], acting_user=w["users"]["applicant"], **{f: t}
            ),
        )
        for f in ("summary", "target_group", "risks", "repayment_notes")
    ],
    (
        "comment",
        "in_review",
        lambda w, f, t: applications.application_return(
            application=w["state"], comment=t, acting_user=w["coordinator"]
        ),
    ),
    ("comments", "in_review", review),
    ("conditions", "in_review", review),
    (
        "proposal",
        "reviewed",
        lambda w, f, t: applications.application_recommend(
            application=w["state"], recommend=True, proposal=t, acting_user=w["coordinator"]
        ),
    ),
    ("conditions", "recommended", decide),
    ("minute_ref", "recommended", decide),
    ("notes", None, agreement),
    ("decision_ref", None, agreement),
    ("evidence", None, saving),
    ("title", None, document),
    ("file", None, document),
    ("name", None, indicator),
    ("method", None, indicator),
    ("description", None, budget_line),
]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def world(org, users, funded, project, unit_a):
    return {
        "org": org,
        "users": users,
        "coordinator": users["coordinator"],
        "fund": funded,
        "project": project,
        "unit": unit_a,
    }


def _state(w, name):
    if name == "draft":
        return applications.application_create(
            fund=w["fund"], title="T", lead_unit=w["unit"], acting_user=w["users"]["applicant"]
        )
    if name == "in_review":
        return in_review(w)
    if name == "reviewed":
        return reviewed(w)
    if name == "recommended":
        return recommended(w)
    return None


@pytest.mark.parametrize(
    ("field", "state", "call"),
    CASES,
    ids=[f"{i}-{field}" for i, (field, _s, _c) in enumerate(CASES)],
)
def test_the_service_refuses_a_personal_number_naming_the_field(world, field, state, call):
    world["state"] = _state(world, state)

    @settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
    @given(text=texts())
    def refused(text):
        with pytest.raises(ValidationError) as exc:
            call(world, field, text)
        assert field in exc.value.message_dict, exc.value.message_dict
        assert "personal identity number" in " ".join(exc.value.message_dict[field])

    refused()


@pytest.mark.parametrize(
    ("field", "state", "call"),
    [c for c in CASES if c[2] in (ledger, document) or c[0] in ("description", "summary")],
)
def test_a_look_alike_with_a_wrong_check_digit_is_stored(world, field, state, call):
    world["state"] = _state(world, state)

    @settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck))
    @given(text=texts(valid=False))
    def stored(text):
        call(world, field, text)

    stored()


# Not free text: codes, choices, identifiers the system makes, and staff accounts.
NOT_FREE_TEXT = {
    "accounts.Organisation": {"org_number"},
    "accounts.Partner": {"org_number"},
    "accounts.User": {"password", "username", "first_name", "last_name", "email"},
    "accounts.ApiToken": {"digest", "hint"},
    "audit.AuditEvent": {"object_type", "object_id", "object_repr"},
    "applications.Application": {"reference"},
    "notifications.Notification": {"subject", "body", "url"},
    "documents.Document": {"content_type", "sha256"},
    "calculations.Calculation": {"digest"},  # a sha-256; its case (JSON) is guarded on start
    "accounting.FundAccount": {"number"},  # 3 to 6 digits (a validator refuses anything else)
    "forecasts.ForecastRun": {"error"},  # the system's own message when a run fails
    "portfolio.CaseSummary": {"engine_version", "case_digest"},  # made by the system
}


def test_every_stored_free_text_field_is_guarded():
    """A new text field must join its model's free_text_fields or say here why it needs not."""
    unguarded = []
    for model in apps.get_models():
        label = model._meta.label
        if not model.__module__.startswith("sifra."):
            continue
        guarded = set(model.free_text_fields) if issubclass(model, PersonalNumberFree) else set()
        exempt = guarded | NOT_FREE_TEXT.get(label, set())
        for f in model._meta.get_fields():
            text = isinstance(f, models.CharField | models.TextField) and not f.choices
            if text and f.name not in exempt:
                unguarded.append(f"{label}.{f.name}")
    assert unguarded == []


# --- The page and the API answer with the message, not a 500 ------------------------------------


def test_the_ledger_page_and_api_refuse_it_with_the_message(client, world):
    client.force_login(world["coordinator"])
    fund = world["fund"]
    before = LedgerEntry.objects.count()
    page = client.post(
        f"/funds/{fund.pk}/ledger/new/",
        {"kind": "deposit", "date": "2026-01-02", "amount": "100", "text": "19121212 - 1212"},
        headers={"accept-language": "en"},
    )
    assert page.status_code == 200 and "personal identity number" in page.content.decode()
    api = client.post(
        f"/api/funds/{fund.pk}/ledger",
        {"kind": "deposit", "amount": "100", "text": "Avser 19121212-1212"},
        content_type="application/json",
        headers={"accept-language": "en"},
    )
    assert api.status_code == 400 and "text" in api.json()["errors"]
    assert LedgerEntry.objects.count() == before
