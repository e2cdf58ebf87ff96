"""Charts and numbers in Swedish: one locale for the page (charts.js) and the PDF (vl-convert)."""

import datetime as dt
import re

import pytest
import vl_convert
from django.template import Context, Template
from django.utils import translation

from sifra.core.charts import chart_locale, money_axis, money_steps_chart
from sifra.core.http import download_name


def _svg(spec, language):
    loc = chart_locale(language)
    return vl_convert.vegalite_to_svg(
        spec, format_locale=loc["number"], time_format_locale=loc["time"], allowed_base_urls=[]
    )


def _labels(svg):
    return [re.sub(r"\s", " ", t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]


def _fund_chart():
    points = [
        {"date": dt.date(2024, 1, 15), "capital": 12_000_000_000, "committed": 0},
        {"date": dt.date(2024, 5, 2), "capital": 12_000_000_000, "committed": 250_000_000},
        {"date": dt.date(2025, 3, 1), "capital": 12_500_000_000, "committed": 300_000_000},
    ]
    series = [("Kapital", "capital", "#000"), ("Reserverat", "committed", "#00f")]
    spec = money_steps_chart(points, series, title="Fonden")
    spec["width"] = 600
    return spec


def test_the_swedish_locale_has_swedish_months_and_separators():
    loc = chart_locale("sv")
    assert loc["time"]["shortMonths"][:5] == ["jan", "feb", "mar", "apr", "maj"]
    assert loc["time"]["shortMonths"][-1] == "dec"
    assert loc["number"]["decimal"] == ","
    assert loc["number"]["thousands"] == "\u00a0"
    assert chart_locale("en")["time"]["shortMonths"][4] == "May"


def test_a_fund_chart_in_swedish_reads_mnkr_and_swedish_months_with_years():
    with translation.override("sv"):
        labels = _labels(_svg(_fund_chart(), "sv"))
    # 120 million kronor on the axis as "120 mnkr", never d3's SI "120M".
    assert "120 mnkr" in labels
    assert not any(re.fullmatch(r"\d+(\.\d+)?[kMG]", t) for t in labels)
    # Months are Swedish and carry their year.
    months = [t for t in labels if re.fullmatch(r"[a-zåäö]{3} \d{4}", t)]
    assert months, labels
    assert {m.split()[0] for m in months} <= set(chart_locale("sv")["time"]["shortMonths"])
    assert any(m.startswith("maj ") or m.startswith("okt ") for m in months)


def test_the_same_chart_in_english_reads_msek():
    with translation.override("en"):
        labels = _labels(_svg(_fund_chart(), "en"))
    assert "120 MSEK" in labels
    assert any(re.fullmatch(r"(Jan|Apr|Jul|Oct|May) \d{4}", t) for t in labels)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(2_500_000, "2,5 mnkr"), (500_000, "500 tkr"), (-1_250_000, "−1,3 mnkr"), (750, "750 kr")],
)
def test_the_money_axis_labels_values_in_swedish(value, expected):
    spec = {
        "data": {"values": [{"v": value}]},
        "mark": "tick",
        "encoding": {"x": {"field": "v", "type": "quantitative", "axis": None}},
        "width": 10,
    }
    with translation.override("sv"):
        axis = money_axis().to_dict()
    # Draw one label through the axis's expression: a y axis whose only tick is the value.
    spec["encoding"]["y"] = {
        "field": "v",
        "type": "quantitative",
        "scale": {"domain": [value, value], "nice": False},
        "axis": {**axis, "values": [value]},
    }
    assert expected in _labels(_svg(spec, "sv"))


def test_the_page_gives_charts_js_the_locale_of_the_language():
    html = Template("{% load sifra %}{% chart_locale_script %}")
    with translation.override("sv"):
        sv = html.render(Context())
    with translation.override("en"):
        en = html.render(Context())
    assert 'id="chart-locale"' in sv
    assert '"maj"' in sv and '"May"' not in sv
    assert '"May"' in en


def test_counts_have_thousands_separators():
    html = Template("{% load sifra %}{{ n|thousands }}")
    with translation.override("sv"):
        assert html.render(Context({"n": 5000})) == "5\xa0000"
    with translation.override("en"):
        assert html.render(Context({"n": 5000})) == "5,000"


def test_download_names_are_translated_slugs():
    with translation.override("sv"):
        from django.utils.translation import gettext as _

        assert download_name(_("ledger"), "Social investeringsfond Åby") == (
            "huvudbok-Social-investeringsfond-Åby"
        )
        assert download_name(_("decision-memo"), "SIF-2026-003") == "beslutsunderlag-SIF-2026-003"


def test_no_chart_labels_kronor_with_d3s_si_prefixes():
    """'120M' is not Swedish: every chart of kronor uses money_axis/money_expr instead."""
    from pathlib import Path

    import sifra

    root = Path(sifra.__file__).parent
    offenders = [
        str(p.relative_to(root))
        for p in root.rglob("*.py")
        if "engine" not in p.parts and 'format="~s"' in p.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_the_tests_validate_every_chart_and_pages_do_not(settings):
    """spec_of validates against the Vega-Lite schema where the setting says so: on in every
    test (tests/conftest.py), so a chart builder that writes a wrong spec fails its tests; off
    by default, so a page is spared the schema walk."""
    import altair as alt
    import pytest

    from sifra.core.charts import spec_of

    wrong = alt.Chart(alt.Data(values=[{"x": 1}])).mark_line().encode(x="x:Q")
    wrong.mark = "no such mark"
    assert settings.SIFRA_VALIDATE_CHARTS is True
    with pytest.raises(alt.utils.schemapi.SchemaValidationError):
        spec_of(wrong)
    settings.SIFRA_VALIDATE_CHARTS = False
    assert spec_of(wrong)["mark"] == {"type": "no such mark"}
    from config import settings as defaults

    assert defaults.SIFRA_VALIDATE_CHARTS is False  # SIFRA_VALIDATE_CHARTS unset: off
