"""`sifra export 360giving FUND_ID [--csv]`."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.opendata.test_csv import TITLES
from tests.opendata.test_threesixty_schema import errors


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("export", *args, stdout=out)
    return out.getvalue()


def test_json_is_a_valid_grant_package(published):
    package = json.loads(run("360giving", str(published.project.fund_id)))
    assert errors(package) == []
    assert [g["id"] for g in package["grants"]] == [f"360G-testkommun-{published.project.code}"]


def test_csv_has_360givings_columns(published):
    text = run("360giving", str(published.project.fund_id), "--csv")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == TITLES and len(rows) == 2


def test_an_unknown_fund_is_an_error(db):
    with pytest.raises(CommandError, match="There is no fund 999"):
        run("360giving", "999")


def test_a_fund_with_nothing_published_is_an_error(granted):
    with pytest.raises(CommandError, match=f"Nothing from the fund {granted.fund_id} is published"):
        run("360giving", str(granted.fund_id))


def test_the_sifra_command_line_writes_the_file(published, tmp_path, capsys):
    """Through `sifra` itself, as `sifra export 360giving 1 --csv > file` runs it."""
    from sifra.cli import main

    assert main(["export", "360giving", str(published.project.fund_id), "--csv"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Identifier,Title,Description,Currency,Amount Awarded,")
