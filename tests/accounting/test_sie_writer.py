"""The SIE 4 writer on its own (no database): the labels and their order, quoting, amounts,
code page 437, refusal of an unbalanced verification; read back by the tests' own reader."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sifra.accounting import sie
from tests.accounting.siereader import fields, read

D = dt.date


def small_file(**changes):
    base = dict(
        program="Sifra",
        program_version="1.2",
        generated_on=D(2026, 2, 3),
        company_name="Exempelkommun",
        org_number="212000-0001",
        year_start=D(2025, 1, 1),
        year_end=D(2025, 12, 31),
        accounts=[
            sie.Account("1930", "Koncernkonto", "T"),
            sie.Account("2031", "Öronmärkt eget kapital", "S"),
            sie.Account("4590", "Lämnade bidrag", "K"),
        ],
        opening={"1930": 100_000, "2031": -100_000},
        closing={"1930": 75_050, "2031": -100_000},
        results={"4590": 24_950},
        verifications=[
            sie.Verification(
                series="SIF",
                number=7,
                date=D(2025, 3, 4),
                text='Utbetalning "Q1" för äldre',
                transactions=(
                    sie.Transaction("4590", 24_950, ((6, "P-1"),)),
                    sie.Transaction("1930", -24_950, ((6, "P-1"),)),
                ),
                registered_on=D(2025, 3, 5),
                signature="samordnare",
            )
        ],
        covers=D(2025, 12, 31),
        objects=[(6, "P-1", "Tidigt stöd")],
    )
    base.update(changes)
    return sie.SieFile(**base)


def test_the_file_holds_the_labels_in_the_specifications_order():
    data = sie.write(small_file())
    labels = read(data).labels
    expected_start = ["#FLAGGA", "#PROGRAM", "#FORMAT", "#GEN", "#SIETYP", "#ORGNR", "#FNAMN"]
    assert labels[:7] == expected_start
    assert labels.index("#RAR") < labels.index("#KONTO") < labels.index("#IB")
    assert labels.index("#IB") < labels.index("#UB") < labels.index("#RES") < labels.index("#VER")
    head = read(data).header
    assert head["#FLAGGA"] == ["0"] and head["#FORMAT"] == ["PC8"] and head["#SIETYP"] == ["4"]
    assert head["#RAR"] == ["0", "20250101", "20251231"]
    assert head["#GEN"] == ["20260203"]
    assert head["#ORGNR"] == ["212000-0001"]


def test_lines_end_in_cr_lf_and_the_braces_stand_alone():
    data = sie.write(small_file())
    assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"")
    text = data.decode("cp437").split("\r\n")
    ver = next(i for i, line in enumerate(text) if line.startswith("#VER"))
    assert text[ver + 1] == "{" and text[ver + 4] == "}"
    assert text[ver + 2] == '\t#TRANS 4590 {6 "P-1"} 249.50'
    assert text[ver + 3] == '\t#TRANS 1930 {6 "P-1"} -249.50'


def test_balances_and_verifications_read_back_as_written():
    back = read(sie.write(small_file()))
    assert back.ib == {"1930": 100_000, "2031": -100_000}
    assert back.ub == {"1930": 75_050, "2031": -100_000}
    assert back.res == {"4590": 24_950}
    assert back.account_types == {"1930": "T", "2031": "S", "4590": "K"}
    (ver,) = back.vers
    assert (ver.series, ver.number, ver.date) == ("SIF", "7", D(2025, 3, 4))
    assert ver.text == 'Utbetalning "Q1" för äldre'
    assert (ver.registered_on, ver.signature) == (D(2025, 3, 5), "samordnare")
    assert [(t.account, t.amount, t.objects) for t in ver.transactions] == [
        ("4590", 24_950, [("6", "P-1")]),
        ("1930", -24_950, [("6", "P-1")]),
    ]
    assert back.objects == {("6", "P-1"): "Tidigt stöd"}


def test_swedish_letters_are_code_page_437_bytes():
    data = sie.write(small_file(company_name="Åre Älvdalen Öckerö åäö"))
    # code page 437: å 0x86, ä 0x84, ö 0x94, Å 0x8F, Ä 0x8E, Ö 0x99
    assert b'#FNAMN "\x8fre \x8elvdalen \x99cker\x94 \x86\x84\x94"' in data
    assert read(data).header["#FNAMN"] == ["Åre Älvdalen Öckerö åäö"]


def test_characters_outside_code_page_437_become_plain_or_a_question_mark():
    assert sie.plain("Fas 1–2 ’ok’ “så”") == "Fas 1-2 'ok' \"så\""
    assert sie.plain("Łódź") == "?ód?"
    assert sie.plain("rad ett\nrad två\ttab") == "rad ett rad två tab"


def test_quotation_marks_and_backslashes_are_escaped():
    assert sie.quoted('a "b" c\\d') == '"a \\"b\\" c\\\\d"'
    assert fields('#VER "A" "1" 20250101 "a \\"b\\" c\\\\d"')[4] == 'a "b" c\\d'


@pytest.mark.parametrize(
    ("ore", "text"),
    [(0, "0.00"), (5, "0.05"), (-5, "-0.05"), (123456, "1234.56"), (-100, "-1.00")],
)
def test_amounts_have_two_decimals_and_a_point(ore, text):
    assert sie.amount(ore) == text


def test_an_unbalanced_verification_is_refused():
    v = sie.Verification("SIF", 1, D(2025, 1, 1), "x", (sie.Transaction("1930", 100),))
    with pytest.raises(ValueError, match="does not balance"):
        sie.write(small_file(verifications=[v]))


def test_an_account_outside_the_chart_is_refused():
    v = sie.Verification(
        "SIF", 1, D(2025, 1, 1), "x", (sie.Transaction("1930", 1), sie.Transaction("9999", -1))
    )
    with pytest.raises(ValueError, match="not in the chart"):
        sie.write(small_file(verifications=[v]))


# code page 437's printable characters; its no-break space is written as a plain space
texts = st.text(
    alphabet=st.characters(codec="cp437", exclude_categories=("Cc",), exclude_characters="\xa0"),
    max_size=40,
)


@given(
    text=texts,
    amounts=st.lists(st.integers(min_value=-(10**12), max_value=10**12), min_size=1, max_size=6),
)
def test_any_balanced_verification_reads_back_exactly(text, amounts):
    rows = [sie.Transaction("1930", a) for a in amounts]
    rows.append(sie.Transaction("4590", -sum(amounts)))
    v = sie.Verification("SIF", 1, D(2025, 6, 1), text, tuple(rows))
    (ver,) = read(sie.write(small_file(verifications=[v]))).vers
    assert ver.text == text
    assert [t.amount for t in ver.transactions] == [*amounts, -sum(amounts)]
    assert sum(t.amount for t in ver.transactions) == 0
