"""`sifra forecast FUND_ID …`: the JSON document of the issue, a table without --json, exit 2
naming the option for a bad policy."""

import io
import json

import pytest
from django.core.management import call_command


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("forecast", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_json_is_one_document_of_the_issues_shape(verified_half):
    out, _err = run(verified_half.fund_id, "--years", 4, "--iterations", 500, "--seed", 9, "--json")
    doc = json.loads(out)
    assert set(doc) >= {
        "fund",
        "start",
        "policy",
        "years",
        "without_repayment",
        "first_year_likely_below_zero",
        "sustainable_pace",
        "meta",
    }
    assert set(doc["start"]) == {
        "date",
        "capital_ore",
        "committed_ore",
        "available_ore",
        "claims_ore",
    }
    assert len(doc["years"]) == 5 and len(doc["without_repayment"]["years"]) == 5
    row = doc["years"][2]
    assert set(row) == {
        "year",
        "capital",
        "available",
        "committed",
        "topups",
        "disbursements",
        "repayments",
        "p_above_floor",
    }
    assert set(row["capital"]) == {"p10", "p50", "p90"}
    assert set(doc["sustainable_pace"]) >= {"new_grants_per_year", "p_above_floor"}
    assert doc["meta"]["iterations"] == 500 and doc["meta"]["seed"] == 9
    assert doc["meta"]["engine_version"]


def test_the_same_seed_gives_the_same_document(verified_half):
    def document():
        out, _ = run(verified_half.fund_id, "--years", 6, "--iterations", 800, "--json")
        doc = json.loads(out)
        doc["meta"].pop("seconds")
        return doc

    assert document() == document()


def test_options_reach_the_policy(verified_half):
    out, _ = run(
        verified_half.fund_id,
        "--years",
        2,
        "--iterations",
        10,
        "--tax-share",
        "2",
        "--tax-revenue",
        "1 000 000 000",
        "--growth",
        "3",
        "--new-grants",
        "1000000",
        "--floor",
        "500000",
        "--no-repayment",
        "--json",
    )
    doc = json.loads(out)
    assert doc["policy"]["topup"] == {
        "kind": "tax_share",
        "tax_share_pct": 2.0,
        "tax_revenue": 1_000_000_000.0,
        "growth_pct": 3.0,
    }
    # 2 % of 1 000 000 000 kr grown 3 %: 20 600 000 kr in the first year
    assert doc["years"][1]["topups"] == 20_600_000.0
    assert doc["policy"]["new_grants_per_year"] == 1_000_000.0
    assert doc["policy"]["floor"] == 500_000.0
    assert doc["policy"]["repayment"] is False
    assert all(y["repayments"]["p90"] == 0 for y in doc["years"])


def test_without_json_a_readable_table(verified_half):
    out, _ = run(verified_half.fund_id, "--years", 3, "--iterations", 100)
    assert "2029" in out and "P10" in out
    assert "90 %" in out


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["--years", "0"], "--years"),
        (["--years", "many"], "--years"),
        (["--iterations", "-5"], "--iterations"),
        (["--seed", "-1"], "--seed"),
        (["--topup", "5 000 000", "--tax-share", "2", "--tax-revenue", "9"], "--topup"),
        (["--tax-share", "2"], "--tax-revenue"),
        (["--tax-share", "250", "--tax-revenue", "9"], "--tax-share"),
        (["--growth", "3"], "--tax-share"),
        (["--new-grants", "lots"], "--new-grants"),
        (["--floor", "1,005"], "--floor"),
    ],
)
def test_a_bad_policy_exits_2_naming_the_option(verified_half, args, option):
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("forecast", str(verified_half.fund_id), *args, stdout=out, stderr=err)
    assert exit_.value.code == 2
    assert err.getvalue().startswith(f"{option}: ")
    assert out.getvalue() == ""


def test_an_unknown_fund_exits_2(db):
    with pytest.raises(SystemExit) as exit_:
        run(999)
    assert exit_.value.code == 2
