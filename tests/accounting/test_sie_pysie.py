"""A second, outside reader of the SIE 4 file: pysie-accounting (PyPI). Its parser is lenient
and narrow (it reads verifications; its balances need #SRU codes, which a municipality's chart
does not carry), so it checks what it can: the verifications and their rows, read from the
golden file's bytes in code page 437."""

import pandas as pd
from pysie_accounting import pysie

from tests.accounting.test_export import GOLDEN


def read_with_pysie(path):
    reader = pysie.PySIE()
    reader.sie_encoding = "cp437"  # its default is UTF-8, though SIE 4 is code page 437
    # its translation table from SRU codes to tax-return fields, which this file does not need
    reader.dftrans = pd.DataFrame({"SRU": pd.Series(dtype=int), "Ink2": pd.Series(dtype=str)})
    reader.open(str(path))
    return reader


def test_pysie_reads_every_verification_balanced_with_the_ledgers_sums():
    reader = read_with_pysie(GOLDEN)
    assert reader.fnamn == "Testkommun"
    # the fixture's 2025 entries are numbers 5 to 12
    assert sorted(int(n) for n in reader.verifikat) == list(range(5, 13))
    sums: dict[str, int] = {}
    for _date, _text, _registered, rows in reader.verifikat.values():
        assert sum(round(float(amount) * 100) for _acc, _obj, amount in rows) == 0
        for account, _objects, amount in rows:
            sums[account] = sums.get(account, 0) + round(float(amount) * 100)
    # the same movements test_export states by hand for 2025
    assert sums == {
        "1930": 80_000_050,
        "1680": 39_999_950,
        "2031": -400_000_000,
        "2032": 200_000_000,
        "2039": -39_999_950,
        "4590": 150_000_000,
        "3590": -30_000_050,
    }


def test_pysie_reads_the_swedish_text_of_a_verification():
    reader = read_with_pysie(GOLDEN)
    texts = [text for _date, text, _reg, _rows in reader.verifikat.values()]
    assert "Kapitaltillskott: Årets tillskott" in texts
    assert any(
        t.startswith("Rättelse av nr 8 (utbetalning): Bokades på fel projekt") for t in texts
    )
