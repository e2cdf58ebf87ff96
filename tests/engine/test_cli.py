"""`sifra calc` output: the JSON document alone, or a Swedish summary."""

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sifra.engine import calculate
from sifra.engine.cli import calc_main
from sifra.engine.text import NOT_PAID_BACK_IN_HALF, kronor, number, percent, years

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
NBSP = "\u00a0"


def test_json_is_the_calculate_document_alone(capsys: Any) -> None:
    case = EXAMPLES / "fallprevention.toml"
    assert calc_main([str(case), "--json", "--iterations", "500", "--seed", "4"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert json.loads(out) == calculate(case, iterations=500, seed=4)


def test_json_keys_follow_the_contract(capsys: Any) -> None:
    assert calc_main([str(EXAMPLES / "fallprevention.toml"), "--json", "--iterations", "200"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert list(document) == [
        *("npv", "pv_costs", "pv_benefits", "bcr", "roi", "irr", "payback_years"),
        *("discounted_payback_years", "break_even_effect_scale", "by_actor", "years"),
        *("monte_carlo", "tornado", "meta"),
    ]
    assert set(document["years"][0]) == {
        *("t", "year", "costs", "benefits", "net", "cumulative_net", "discounted_net"),
        "cumulative_discounted_net",
    }
    assert set(document["monte_carlo"]) == {
        *("iterations", "seed", "p_npv_positive", "npv", "bcr", "payback_years"),
    }


def test_the_summary_is_swedish(capsys: Any) -> None:
    assert calc_main([str(EXAMPLES / "norrkoping-barn.toml")]) == 0
    out = capsys.readouterr().out
    assert "Tidigt stöd till 120 barn i Norrköping" in out
    assert f"kalkylränta 3,5{NBSP}%" in out
    assert re.search(f"Nuvärde av kostnaderna +16{NBSP}200{NBSP}000{NBSP}kr\n", out)
    assert f"1,5{NBSP}år" in out
    assert "Per år" in out and "Per aktör" in out and "Socialnämnden (soc)" in out
    assert "Monte Carlo" not in out


def test_the_summary_shows_risk_when_uncertain(capsys: Any) -> None:
    assert calc_main([str(EXAMPLES / "fallprevention.toml"), "--iterations", "300"]) == 0
    out = capsys.readouterr().out
    assert "Monte Carlo: 300 iterationer, frö 0" in out
    assert "Sannolikhet för positivt nettonuvärde" in out
    assert "outcomes[0].effect" in out


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1234567.4, f"1{NBSP}234{NBSP}567{NBSP}kr"),
        (-1800000, f"\u22121{NBSP}800{NBSP}000{NBSP}kr"),
        (-0.4, f"0{NBSP}kr"),
        (None, "–"),
    ],
)
def test_kronor(value: float | None, text: str) -> None:
    assert kronor(value) == text


def test_numbers_percent_and_years() -> None:
    assert number(3.14159, 2) == "3,14"
    assert percent(0.035) == f"3,5{NBSP}%"
    assert percent(1.188519) == f"118,9{NBSP}%"
    assert years(1.5) == f"1,5{NBSP}år"


def test_the_engine_imports_no_django() -> None:
    code = "import sys, sifra.engine, sifra.engine.cli; print('django' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


EMPTY_YEAR_0 = """\
[case]
title = "Kostnaderna börjar år 1"
start_year = 2026
horizon = 4
discount_rate = 0.0

[[actors]]
id = "soc"
name = "Socialnämnden"
sector = "kommun"

[[costs]]
name = "Insats"
actor = "soc"
amounts = [0, 100_000]

[participants]
entering = [1]

[[outcomes]]
name = "Placering undviks"
effect = 1.0
lag = 2
duration = 2
[outcomes.unit_costs]
soc = 60_000
"""


def test_the_console_script_reports_the_last_crossing_after_an_empty_year_0(
    tmp_path: Path,
) -> None:
    # flows 0, −100 000, 60 000, 60 000: the cumulative net is 0 after year 0 (not yet paid
    # back: the costs have not come), −40 000 after year 2, and crosses 0 inside year 3
    path = tmp_path / "case.toml"
    path.write_text(EMPTY_YEAR_0, encoding="utf-8")
    sifra = Path(sys.executable).parent / "sifra"
    done = subprocess.run(
        [str(sifra), "calc", str(path), "--json"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert [y["net"] for y in document["years"]] == [0, -100_000, 60_000, 60_000]
    assert document["payback_years"] == pytest.approx(3 + 40 / 60)
    assert document["discounted_payback_years"] == pytest.approx(3 + 40 / 60)
    text = subprocess.run(
        [str(sifra), "calc", str(path)], capture_output=True, text=True, timeout=60
    ).stdout
    assert re.search(f"Återbetalningstid +3,7{NBSP}år\n", text)


def test_the_summary_says_when_fewer_than_half_pay_back(tmp_path: Path, capsys: Any) -> None:
    # 10 participants, an effect uniform on [0, 1] worth 1 000 kr a year for five years against
    # 4 550 kr: it pays back only where the effect is at least 0.91, in 9 % of the draws
    path = tmp_path / "case.toml"
    path.write_text(
        EMPTY_YEAR_0.replace("amounts = [0, 100_000]", "amounts = [4_550]")
        .replace("horizon = 4", "horizon = 5")
        .replace("effect = 1.0", 'effect = { dist = "uniform", low = 0, high = 1 }')
        .replace("entering = [1]", "entering = [10]")
        .replace("lag = 2\nduration = 2", "lag = 0\nduration = 5")
        .replace("soc = 60_000", "soc = 100"),
        encoding="utf-8",
    )
    assert calc_main([str(path), "--iterations", "5000"]) == 0
    out = capsys.readouterr().out
    assert re.search(f"Andel där återbetalning nås +[89],\\d{NBSP}%", out)
    assert re.search(f"Återbetalningstid, median +{NOT_PAID_BACK_IN_HALF}\n", out)
    assert "Nettonuvärde, 10:e percentilen" in out and "Nettonuvärde, 90:e percentilen" in out
