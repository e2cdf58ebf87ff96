"""The investment case page: rows ⇄ case document, the htmx preview, saving, TOML mode, export
and import, the personal identity number guard and who may do what."""

import copy
import io
import json
import tomllib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from sifra.applications import case_forms as cf
from sifra.applications.case_text import case_toml
from sifra.applications.models import Application, Status
from sifra.applications.services import PERSONAL_NUMBER, application_create
from sifra.engine import calculate

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
NORRKOPING = tomllib.loads((EXAMPLES / "norrkoping-barn.toml").read_text("utf-8"))
FALLPREVENTION_TEXT = (EXAMPLES / "fallprevention.toml").read_text("utf-8")
FALLPREVENTION = tomllib.loads(FALLPREVENTION_TEXT)

# Everything the rows can hold: ranges in every kind of field, both kinds of cost and outcome.
RANGES = {
    "case": {
        "title": "Väg till arbete",
        "start_year": 2026,
        "horizon": 8,
        "discount_rate": 0.035,
        "price_year": 2026,
    },
    "actors": [
        {"id": "amn", "name": "Arbetsmarknadsnämnden", "sector": "kommun"},
        {"id": "stat", "name": "Staten", "sector": "stat"},
    ],
    "costs": [
        {
            "name": "Jobbcoacher",
            "actor": "amn",
            "per_participant": {"dist": "pert", "low": 45000, "mode": 60000, "high": 90000},
        },
        {
            "name": "Projektledning",
            "actor": "amn",
            "amounts": [
                600000,
                600000.5,
                {"dist": "pert", "low": 500000, "mode": 600000, "high": 800000},
            ],
        },
    ],
    "participants": {"entering": [60, {"dist": "pert", "low": 40, "mode": 60, "high": 70}, 0]},
    "outcomes": [
        {
            "name": "Försörjningsstöd ersätts av lön",
            "effect": {"dist": "pert", "low": 0.1, "mode": 0.2, "high": 0.3},
            "kind": "annual",
            "lag": 1,
            "duration": 3,
            "drop_off": 0.15,
            "deadweight": 0.3,
            "displacement": 0.05,
            "attribution": {"dist": "pert", "low": 0, "mode": 0.1, "high": 0.25},
            "unit_costs": {
                "amn": 110000,
                "stat": {"dist": "pert", "low": 30000, "mode": 40000, "high": 60000},
            },
        },
        {
            "name": "Engångsvinst",
            "effect": 0.035,
            "kind": "once",
            "lag": 0,
            "unit_costs": {"stat": 12345.67},
        },
    ],
}


# --- helpers ----------------------------------------------------------------------------------


def client_for(user) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def form_data(editor: cf.RowEditor) -> dict[str, str]:
    """What a browser posts for the editor as rendered: every field's shown value."""
    data: dict[str, str] = {}
    forms = [editor.header]
    for formset in editor.formsets().values():
        forms += [formset.management_form, *formset.forms]
    for form in forms:
        for bound in form:
            value = bound.value()
            if isinstance(value, bool):
                if value:
                    data[bound.html_name] = "on"
                continue
            data[bound.html_name] = "" if value is None else str(value)
    return data


def rows_data(case: dict) -> dict[str, str]:
    return {"mode": "rows", **form_data(cf.RowEditor(initial=cf.case_to_initial(case)))}


@pytest.fixture
def application(fund, unit_a, users):
    return application_create(
        fund=fund, title="Tidigt stöd", lead_unit=unit_a, acting_user=users["applicant"]
    )


@pytest.fixture
def applicant(users):
    return client_for(users["applicant"])


def url(name: str, application: Application) -> str:
    return reverse(f"applications:{name}", args=[application.pk])


def fresh(application: Application) -> Application:
    return Application.objects.get(pk=application.pk)


# --- rows ⇄ case ------------------------------------------------------------------------------


@pytest.mark.parametrize("case", [NORRKOPING, RANGES], ids=["norrkoping", "ranges"])
def test_case_to_initial_and_back_is_exact(case):
    assert cf.forms_to_case(**cf.case_to_initial(case)) == case


@pytest.mark.parametrize("case", [NORRKOPING, RANGES], ids=["norrkoping", "ranges"])
def test_the_rows_as_typed_give_back_the_same_case(case):
    """Through the forms as a browser sees them: numbers as text, shares in per cent."""
    editor = cf.RowEditor(rows_data(case))
    assert editor.clean_case() == case


def test_rows_show_swedish_numbers_and_shares_in_per_cent():
    data = rows_data(RANGES)
    assert data["costs-1-amounts"] == "600 000; 600 000,5; 500 000 / 600 000 / 800 000"
    assert data["case-discount_rate"] == "3,5"
    assert data["outcomes-0-effect"] == "10 / 20 / 30"
    assert data["outcomes-0-unit_costs"] == "amn: 110 000; stat: 30 000 / 40 000 / 60 000"
    assert data["case-entering"] == "60; 40 / 60 / 70; 0"


def test_fallprevention_is_beyond_the_rows():
    """Normal, lognormal, triangular and uniform distributions and an effect given as baseline ×
    relative effect: the rows would lose them, so the case is refused, not corrupted."""
    with pytest.raises(cf.Unrepresentable) as exc:
        cf.case_to_initial(FALLPREVENTION)
    assert "normal" in exc.value.reason


@pytest.mark.parametrize(
    "change",
    [
        lambda c: c["outcomes"][0].update(
            effect={"dist": "pert", "low": 0.1, "mode": 0.2, "high": 0.3, "base": 0.25}
        ),
        lambda c: (
            c["outcomes"][0].update(baseline=0.5, relative_effect=0.4)
            or c["outcomes"][0].pop("effect")
        ),
        lambda c: c["actors"][0].update(id="soc nämnd"),
        lambda c: c.update(extra=1),
    ],
)
def test_anything_else_the_rows_cannot_hold_is_refused(change):
    case = copy.deepcopy(NORRKOPING)
    change(case)
    with pytest.raises(cf.Unrepresentable):
        cf.case_to_initial(case)


@pytest.mark.parametrize(
    ("text", "percent", "value"),
    [
        ("3 000 000", False, 3_000_000),
        ("3\u00a0000\u00a0000 kr", False, 3_000_000),
        ("16200000", False, 16_200_000),
        ("3,5", True, 0.035),
        ("3.5 %", True, 0.035),
        ("−500", False, -500),
        ("1 / 3 / 6", True, {"dist": "pert", "low": 0.01, "mode": 0.03, "high": 0.06}),
    ],
)
def test_numbers_typed_the_swedish_way(text, percent, value):
    assert cf.UncertainField(percent=percent).clean(text) == value


@pytest.mark.parametrize("text", ["3,000,000", "tre", "1 / 2", "3 / 2 / 1", "nan", "1e999999"])
def test_numbers_that_are_not(text):
    with pytest.raises(cf.ValidationError):
        cf.UncertainField().clean(text)


# --- the page ---------------------------------------------------------------------------------


def test_a_new_case_starts_from_the_applications_units(application, unit_b, applicant):
    application.units.add(unit_b)
    response = applicant.get(url("case", application))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="socialnamnden"' in html and 'value="vard-och"' in html
    assert f'hx-post="{url("case_preview", application)}"' in html


def test_saving_the_rows(application, applicant):
    response = applicant.post(url("case", application), {**rows_data(RANGES), "action": "save"})
    assert response.status_code == 302
    assert fresh(application).case == RANGES
    page = applicant.get(url("case", application)).content.decode()
    assert "Chance that NPV is positive" in page and 'id="case-chart"' in page


def test_the_preview_computes_without_saving(application, applicant):
    response = applicant.post(url("case_preview", application), rows_data(NORRKOPING))
    assert response.status_code == 200
    html = response.content.decode()
    npv = calculate(NORRKOPING)["npv"]
    assert f"{round(npv):,}" in html  # English money format: SEK 5,104,…
    assert "Who pays and who gains" in html and "Socialnämnden" in html
    assert fresh(application).case is None


def test_the_preview_of_bad_rows_lists_the_problems(application, applicant):
    data = {**rows_data(NORRKOPING), "outcomes-0-effect": "170"}
    response = applicant.post(url("case_preview", application), data)
    assert response.status_code == 200
    assert "Outcomes, row 1 – Effect (%): Must be at most 100." in response.content.decode()


def test_bad_input_shows_field_errors_and_saves_nothing(application, applicant):
    data = {
        **rows_data(NORRKOPING),
        "action": "save",
        "outcomes-0-effect": "170",
        "costs-0-amounts": "16,200,000",
        "case-horizon": "",
    }
    response = applicant.post(url("case", application), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_outcomes-0-effect_error"' in html and "Must be at most 100." in html
    assert "is not a number" in html and 'id="id_case-horizon_error"' in html
    assert fresh(application).case is None


def test_the_engines_complaints_land_on_the_field_it_names(application, applicant):
    """Outcomes need participants: the forms let it through, the engine says so."""
    data = {**rows_data(NORRKOPING), "action": "save", "case-entering": ""}
    response = applicant.post(url("case", application), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_case-entering_error"' in html
    assert "participants.entering: is required when there are outcomes" in html
    assert fresh(application).case is None


def test_an_empty_row_is_skipped_and_a_removed_row_is_gone(application, applicant):
    data = {
        **rows_data(RANGES),
        "action": "save",
        "costs-0-DELETE": "on",
        "costs-0-amounts": "not a number",
    }  # a removed row is not validated
    assert applicant.post(url("case", application), data).status_code == 302
    assert [c["name"] for c in fresh(application).case["costs"]] == ["Projektledning"]


def test_adding_a_row_without_javascript(application, applicant):
    data = {**rows_data(NORRKOPING), "action": "add-costs"}
    response = applicant.post(url("case", application), data)
    assert response.status_code == 200
    assert 'name="costs-2-name"' in response.content.decode()  # one case row, one blank, one new
    assert fresh(application).case is None


def test_a_personal_identity_number_is_refused(application, applicant):
    data = {**rows_data(NORRKOPING), "action": "save", "costs-0-name": "Stöd till 811218-9876"}
    response = applicant.post(url("case", application), data)
    assert response.status_code == 200
    assert str(PERSONAL_NUMBER) % {"number": "811218-9876"} in response.content.decode()
    assert fresh(application).case is None


@pytest.mark.parametrize(
    "data",
    [
        {"mode": "rows", "action": "save"},
        {"mode": "rows", "action": "add-costs", "costs-TOTAL_FORMS": "x"},
        {"mode": "rows", "actors-TOTAL_FORMS": "999999", "actors-INITIAL_FORMS": "-1"},
        {"mode": "toml", "text": "[case\n"},
        {"mode": "nonsense"},
    ],
)
def test_garbage_is_an_error_message_not_a_500(application, applicant, data):
    assert applicant.post(url("case", application), data).status_code == 200
    assert applicant.post(url("case_preview", application), data).status_code == 200
    assert fresh(application).case is None


# --- TOML mode, export and import ---------------------------------------------------------------


def test_a_case_the_rows_cannot_show_is_edited_as_toml(application, applicant):
    response = applicant.post(
        url("case", application), {"mode": "toml", "text": FALLPREVENTION_TEXT, "action": "save"}
    )
    assert response.status_code == 302 and response["Location"].endswith("?mode=toml")
    assert fresh(application).case == FALLPREVENTION
    html = applicant.get(url("case", application)).content.decode()
    assert 'name="text"' in html and 'name="costs-TOTAL_FORMS"' not in html
    assert "the rows cannot show all of it" in html and "normal distribution" in html


def test_the_toml_mode_is_always_there(application, applicant):
    applicant.post(url("case", application), {**rows_data(NORRKOPING), "action": "save"})
    html = applicant.get(url("case", application) + "?mode=toml").content.decode()
    assert 'name="text"' in html and "Tidigt stöd till 120 barn" in html


def test_bad_toml_names_the_field_and_saves_nothing(application, applicant):
    text = FALLPREVENTION_TEXT.replace("deadweight = 0.1", "deadweight = 1.7")
    response = applicant.post(
        url("case", application), {"mode": "toml", "text": text, "action": "save"}
    )
    assert response.status_code == 200
    assert "outcomes[0].deadweight: must be between 0 and 1, got 1.7" in response.content.decode()
    assert fresh(application).case is None


@pytest.mark.parametrize("fmt", ["toml", "json"])
def test_export_and_import_round_trip(application, fund, unit_a, users, applicant, fmt):
    applicant.post(url("case", application), {**rows_data(RANGES), "action": "save"})
    response = applicant.get(url("case_export", application) + f"?format={fmt}")
    assert response.status_code == 200
    assert f'filename="case-{application.reference}.{fmt}"' in response["Content-Disposition"]
    body = response.content
    assert (json.loads(body) if fmt == "json" else tomllib.loads(body.decode())) == RANGES

    other = application_create(
        fund=fund, title="Kopia", lead_unit=unit_a, acting_user=users["applicant"]
    )
    upload = SimpleUploadedFile(f"case.{fmt}", body)
    response = applicant.post(url("case_import", other), {"import-file": upload})
    assert response.status_code == 302
    assert fresh(other).case == RANGES


def test_import_pasted_toml(application, applicant):
    response = applicant.post(url("case_import", application), {"import-text": FALLPREVENTION_TEXT})
    assert response.status_code == 302
    assert fresh(application).case == FALLPREVENTION


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"import-text": "[case]\nstart_year = 2026\n"}, "case.horizon: is required"),
        ({"import-text": "not = [toml"}, "Not valid TOML"),
        ({"file": io.BytesIO(b'{"case": ')}, "Not valid JSON"),
        ({}, "Choose a file or paste a case"),
        ({"import-text": FALLPREVENTION_TEXT.replace("60_000", "1" + "0" * 400)}, "too large"),
    ],
)
def test_a_bad_import_says_why_and_changes_nothing(application, applicant, data, message):
    if "file" in data:
        data = {"import-file": SimpleUploadedFile("case.json", data["file"].getvalue())}
    response = applicant.post(url("case_import", application), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert fresh(application).case is None


def test_an_imported_personal_identity_number_is_refused(application, applicant):
    text = FALLPREVENTION_TEXT.replace("Regionen", "Regionen 811218-9876")
    response = applicant.post(url("case_import", application), {"import-text": text})
    assert response.status_code == 200
    assert "811218-9876" in response.content.decode()
    assert fresh(application).case is None


def test_export_without_a_case_is_404(application, applicant):
    assert applicant.get(url("case_export", application)).status_code == 404


# --- who may ----------------------------------------------------------------------------------


def test_outsiders_may_not_see_or_touch_the_case(application, users):
    outsider = client_for(users["outsider"])
    assert outsider.get(url("case", application)).status_code == 403
    assert outsider.post(url("case", application), rows_data(NORRKOPING)).status_code == 403
    assert outsider.post(url("case_preview", application), rows_data(NORRKOPING)).status_code == 403
    assert outsider.get(url("case_export", application)).status_code == 403
    assert (
        outsider.post(
            url("case_import", application), {"import-text": FALLPREVENTION_TEXT}
        ).status_code
        == 403
    )
    assert fresh(application).case is None


@pytest.mark.parametrize("role", ["applicant", "coordinator"])
def test_the_applying_unit_and_the_coordinator_edit(application, users, role):
    client = client_for(users[role])
    response = client.get(url("case", application))
    assert response.status_code == 200 and 'id="case-form"' in response.content.decode()


def test_after_submission_the_case_is_read_only(application, users, applicant):
    applicant.post(url("case", application), {**rows_data(NORRKOPING), "action": "save"})
    Application.objects.filter(pk=application.pk).update(status=Status.SUBMITTED)
    for role in ("applicant", "auditor", "economist"):
        html = client_for(users[role]).get(url("case", application)).content.decode()
        assert 'id="case-form"' not in html and "<fieldset disabled" in html
        assert "Net present value" in html
    data = {**rows_data(RANGES), "action": "save"}
    assert applicant.post(url("case", application), data).status_code == 403
    assert applicant.post(url("case_preview", application), data).status_code == 403
    assert (
        applicant.post(
            url("case_import", application), {"import-text": FALLPREVENTION_TEXT}
        ).status_code
        == 403
    )
    assert applicant.get(url("case_export", application)).status_code == 200
    assert fresh(application).case == NORRKOPING


def test_returned_for_completion_may_be_edited_again(application, applicant):
    Application.objects.filter(pk=application.pk).update(status=Status.RETURNED)
    response = applicant.post(url("case", application), {**rows_data(NORRKOPING), "action": "save"})
    assert response.status_code == 302 and fresh(application).case == NORRKOPING


def test_anonymous_visitors_are_sent_to_log_in(application):
    response = Client().get(url("case", application))
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize(
    "case",
    [
        NORRKOPING,
        RANGES,
        FALLPREVENTION,
        json.loads((EXAMPLES / "vag-till-arbete.json").read_text()),
    ],
)
def test_the_toml_text_reads_back_as_the_same_case(case):
    text = case_toml(case)
    assert tomllib.loads(text) == case
    assert "[[outcomes]]" in text and "[case]" in text


def test_the_toml_text_of_an_odd_document_is_still_toml():
    odd = {"case": {"title": "x"}, "costs": [], "extra": {"a": [1, 2]}}
    assert tomllib.loads(case_toml(odd)) == odd
