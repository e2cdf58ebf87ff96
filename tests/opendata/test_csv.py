"""The CSV export: 360Giving's column titles, one row per published grant, and no cell that a
spreadsheet would run as a formula."""

import csv
import io

from sifra.opendata.threesixty import grants_csv, published_grants

# Written out from 360Giving's summary-table template (schema/summary-table/…/grants.csv of
# ThreeSixtyGiving/standard) for the fields Sifra fills, plus the recipient's department.
TITLES = [
    "Identifier",
    "Title",
    "Description",
    "Currency",
    "Amount Awarded",
    "Amount Disbursed",
    "Award Date",
    "URL",
    "Planned Dates:Start Date",
    "Planned Dates:End Date",
    "Planned Dates:Duration (months)",
    "Recipient Org:Identifier",
    "Recipient Org:Name",
    "Recipient Org:Department",
    "Beneficiary Location:Name",
    "Beneficiary Location:Country Code",
    "Funding Org:Identifier",
    "Funding Org:Name",
    "Grant Programme:Code",
    "Grant Programme:Title",
    "Last modified",
]


def rows(fund) -> list[dict[str, str]]:
    text = grants_csv(published_grants(fund))
    assert not text.startswith("\ufeff")  # plain UTF-8, as 360Giving's tools read it
    return list(csv.DictReader(io.StringIO(text)))


def test_the_columns_are_360givings(published):
    text = grants_csv(published_grants(published.project.fund))
    assert next(csv.reader(io.StringIO(text))) == TITLES


def test_a_row_per_grant_with_its_values(published):
    (row,) = rows(published.project.fund)
    assert row["Identifier"] == f"360G-testkommun-{published.project.code}"
    assert row["Currency"] == "SEK"
    assert row["Amount Awarded"] == "3000000"
    assert row["Award Date"] == "2026-01-20"
    assert row["Planned Dates:Start Date"] == "2026-01-01"
    assert row["Planned Dates:End Date"] == "2026-12-31"
    assert row["Planned Dates:Duration (months)"] == "12"
    assert row["Recipient Org:Identifier"] == "SE-ON-2120000001"
    assert row["Recipient Org:Department"] == "Socialnämnden"
    assert row["Funding Org:Identifier"] == "SE-ON-2120000001"
    assert row["Funding Org:Name"] == "Testkommun"
    assert row["Beneficiary Location:Name"] == "Testkommun"


def test_amounts_in_ore_are_exact(registered, coordinator):
    from sifra.opendata.services import publication_create

    publication_create(project=registered, summary="Fallprevention.", acting_user=coordinator)
    (row,) = rows(registered.fund)
    assert row["Amount Awarded"] == "1234567.89"


def test_a_text_that_would_be_a_formula_is_made_inert(granted, coordinator):
    from sifra.opendata.services import publication_create
    from sifra.projects.services import project_update

    project_update(project=granted, acting_user=coordinator, title='=HYPERLINK("http://x";"y")')
    publication_create(project=granted, summary="-1+2 @SUM(A1)", acting_user=coordinator)
    (row,) = rows(granted.fund)
    assert row["Title"] == '\'=HYPERLINK("http://x";"y")'
    assert row["Description"] == "'-1+2 @SUM(A1)"
    assert row["Amount Awarded"] == "3000000"  # numbers stay numbers
