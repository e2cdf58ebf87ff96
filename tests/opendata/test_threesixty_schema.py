"""The 360Giving grant package validates against the standard's own schemas (vendored in
sifra/opendata/schemas/, resolved locally: nothing is fetched), and holds what was decided."""

import json
from pathlib import Path

import pytest
import referencing
import referencing.jsonschema
from jsonschema import Draft202012Validator

import sifra.opendata
from sifra.opendata.threesixty import grant_package, package_json, published_grants

SCHEMAS = Path(sifra.opendata.__file__).parent / "schemas"
PACKAGE = json.loads((SCHEMAS / "360-giving-package-schema.json").read_text("utf-8"))
GRANT = json.loads((SCHEMAS / "360-giving-schema.json").read_text("utf-8"))
# The package schema names the grant schema by the 1.4.2 URL; the grant schema's $id is 1.4.3.
GRANT_URLS = [
    "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.2/schema/360-giving-schema.json",
    GRANT["$id"],
]


def _refused(uri: str):
    raise referencing.exceptions.NoSuchResource(ref=uri)  # no network, ever


def validator() -> Draft202012Validator:
    grant = referencing.Resource(contents=GRANT, specification=referencing.jsonschema.DRAFT202012)
    registry = referencing.Registry(retrieve=_refused).with_resources(
        [(url, grant) for url in GRANT_URLS]
    )
    return Draft202012Validator(
        PACKAGE, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def errors(document) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator().iter_errors(document)]


def _package(fund):
    return json.loads(package_json(grant_package(fund, published_grants(fund))))


def test_the_package_refers_to_the_grant_schema_that_is_resolved_locally():
    assert PACKAGE["properties"]["grants"]["items"]["$ref"] == GRANT_URLS[0]


def test_the_published_package_validates(published, registered, coordinator):
    from sifra.opendata.services import publication_create

    publication_create(project=registered, summary="Fallprevention.", acting_user=coordinator)
    package = _package(published.project.fund)
    assert errors(package) == []
    assert len(package["grants"]) == 2


def test_the_validator_has_teeth(published):
    """A grant without an amount, with a currency that is no code, or with a date that is no
    date is refused: the validation above could have failed."""
    package = _package(published.project.fund)
    assert errors(package) == []
    for field, bad in (("amountAwarded", None), ("currency", "KR"), ("awardDate", "20/1/2026")):
        broken = json.loads(json.dumps(package))
        if bad is None:
            del broken["grants"][0][field]
        else:
            broken["grants"][0][field] = bad
        assert errors(broken), field


def test_the_grant_holds_what_was_decided(published):
    grant = _package(published.project.fund)["grants"][0]
    code = published.project.code
    assert grant["id"] == f"360G-testkommun-{code}"
    assert grant["title"] == "Tidigt stöd"
    assert grant["description"] == published.summary
    assert (grant["currency"], grant["amountAwarded"], grant["awardDate"]) == (
        "SEK",
        3_000_000,
        "2026-01-20",
    )
    assert grant["plannedDates"] == [
        {"startDate": "2026-01-01", "endDate": "2026-12-31", "duration": 12}
    ]
    assert grant["fundingOrganization"] == [{"id": "SE-ON-2120000001", "name": "Testkommun"}]
    assert grant["recipientOrganization"] == [
        {
            "id": "SE-ON-2120000001",
            "name": "Testkommun, Socialnämnden",
            "department": "Socialnämnden",
        }
    ]
    assert grant["beneficiaryLocation"] == [{"name": "Testkommun", "countryCode": "SE"}]


def test_a_registered_project_is_granted_its_standing_commitments_to_the_ore(
    registered, coordinator
):
    """1 234 567,89 kr committed on 1 February; the reversed 1 MSEK of 25 January is no grant."""
    from sifra.opendata.services import publication_create

    publication_create(project=registered, summary="Fallprevention.", acting_user=coordinator)
    text = package_json(grant_package(registered.fund, published_grants(registered.fund)))
    assert '"amountAwarded": 1234567.89,' in text
    assert '"amountDisbursed": 200000,' in text
    grant = json.loads(text)["grants"][0]
    assert grant["awardDate"] == "2026-02-01"
    assert "plannedDates" not in grant  # no period registered
    assert errors(json.loads(text)) == []


def test_a_configured_prefix_is_used(published, settings):
    settings.SIFRA_360GIVING_PREFIX = "360G-testkommunsif"
    grant = _package(published.project.fund)["grants"][0]
    assert grant["id"] == f"360G-testkommunsif-{published.project.code}"


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        ("2014-03-01", "2016-12-31", 34),
        ("2015-09-01", "2017-08-31", 24),
        ("2026-01-15", "2026-02-14", 1),
        ("2026-01-15", "2026-02-13", 0),
        ("2026-01-31", "2026-01-31", 0),
    ],
)
def test_duration_is_whole_months(start, end, months):
    import datetime as dt

    from sifra.opendata.threesixty import duration_months

    assert duration_months(dt.date.fromisoformat(start), dt.date.fromisoformat(end)) == months
