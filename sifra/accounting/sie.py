"""A small writer of SIE type 4 files (SIE 4B, "Transaktioner"): plain Python, no Django, so it
can be tested and used on its own.

What it writes, in the order the specification lists the labels:
identification (#FLAGGA 0, #PROGRAM, #FORMAT PC8, #GEN, #SIETYP 4, #PROSA, #ORGNR, #FNAMN,
#RAR 0, #OMFATTN), the chart of accounts (#KONTO, #KTYP) and objects (#OBJEKT, dimension 6
is SIE's reserved "Projekt"), the balances (#IB and #UB for balance accounts, #RES for result
accounts, all for year 0) and one #VER per verification with its #TRANS rows between braces.

The rules it keeps:
- The file is code page 437 (#FORMAT PC8), lines end in CR LF. A character that code page 437
  does not have is written as its nearest plain form where there is one (– as -, ’ as ') and
  as ? otherwise; control characters (tabs, line breaks) become spaces.
- Text fields are always within quotation marks; a quotation mark inside is written \\" and a
  backslash \\\\ (the specification's escape). Numbers and dates are bare.
- Amounts are whole öre in, kronor out: a point and two decimals, a minus sign for credit
  (-1234.50). Dates are YYYYMMDD.
- A verification whose rows do not sum to zero is refused (ValueError), so an unbalanced file
  is never written.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

ENCODING = "cp437"
NEWLINE = "\r\n"
PROJECT_DIMENSION = 6  # reserved by SIE for projects

# Characters outside code page 437 that have an obvious plain form.
_PLAIN = str.maketrans(
    {
        "\u2013": "-",  # en dash
        "\u2014": "-",  # em dash
        "\u2212": "-",  # minus sign
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u00a0": " ",  # no-break space
        "\u202f": " ",  # narrow no-break space
        "\u2026": "...",
        "\u20ac": "EUR",
    }
)


@dataclass(frozen=True)
class Account:
    number: str
    name: str
    kind: str  # #KTYP: T tillgång, S skuld/eget kapital, K kostnad, I intäkt

    @property
    def is_balance(self) -> bool:
        return self.kind in ("T", "S")


@dataclass(frozen=True)
class Transaction:
    account: str
    amount: int  # öre; debit positive, credit negative
    objects: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True)
class Verification:
    series: str
    number: int
    date: dt.date
    text: str
    transactions: tuple[Transaction, ...]
    registered_on: dt.date | None = None
    signature: str = ""

    @property
    def total(self) -> int:
        return sum(t.amount for t in self.transactions)


@dataclass(frozen=True)
class SieFile:
    program: str
    program_version: str
    generated_on: dt.date
    company_name: str
    year_start: dt.date
    year_end: dt.date
    accounts: Sequence[Account]
    opening: dict[str, int]  # öre per balance account at the start of the year
    closing: dict[str, int]  # öre per balance account at the end of the year (or `covers`)
    results: dict[str, int]  # öre per result account for the year
    verifications: Sequence[Verification]
    org_number: str = ""
    comment: str = ""
    covers: dt.date | None = None  # #OMFATTN: the date the balances reach
    objects: Sequence[tuple[int, str, str]] = field(default_factory=tuple)


def plain(text: str) -> str:
    """Text as code page 437 can hold it, on one line."""
    text = text.translate(_PLAIN)
    text = "".join(" " if ord(c) < 32 or ord(c) == 127 else c for c in text)
    return text.encode(ENCODING, errors="replace").decode(ENCODING)


def quoted(text: str) -> str:
    escaped = plain(text).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def amount(ore: int) -> str:
    sign = "-" if ore < 0 else ""
    whole, cents = divmod(abs(ore), 100)
    return f"{sign}{whole}.{cents:02d}"


def day(date: dt.date) -> str:
    return date.strftime("%Y%m%d")


def _objects(objects: Iterable[tuple[int, str]]) -> str:
    return "{" + " ".join(f"{dim} {quoted(obj)}" for dim, obj in objects) + "}"


def _header(sie: SieFile) -> list[str]:
    lines = [
        "#FLAGGA 0",
        f"#PROGRAM {quoted(sie.program)} {quoted(sie.program_version)}",
        "#FORMAT PC8",
        f"#GEN {day(sie.generated_on)}",
        "#SIETYP 4",
    ]
    if sie.comment:
        lines.append(f"#PROSA {quoted(sie.comment)}")
    if sie.org_number:
        lines.append(f"#ORGNR {''.join(plain(sie.org_number).split())}")
    lines.append(f"#FNAMN {quoted(sie.company_name)}")
    lines.append(f"#RAR 0 {day(sie.year_start)} {day(sie.year_end)}")
    if sie.covers is not None:
        lines.append(f"#OMFATTN {day(sie.covers)}")
    return lines


def _chart(sie: SieFile) -> list[str]:
    lines = []
    for a in sie.accounts:
        lines.append(f"#KONTO {a.number} {quoted(a.name)}")
        lines.append(f"#KTYP {a.number} {a.kind}")
    for dim, obj, name in sie.objects:
        lines.append(f"#OBJEKT {dim} {quoted(obj)} {quoted(name)}")
    return lines


def _balances(sie: SieFile) -> list[str]:
    balance = [a.number for a in sie.accounts if a.is_balance]
    result = [a.number for a in sie.accounts if not a.is_balance]
    lines = [f"#IB 0 {n} {amount(sie.opening.get(n, 0))}" for n in balance]
    lines += [f"#UB 0 {n} {amount(sie.closing.get(n, 0))}" for n in balance]
    lines += [f"#RES 0 {n} {amount(sie.results.get(n, 0))}" for n in result]
    return lines


def _verification(v: Verification) -> list[str]:
    if v.total != 0:
        raise ValueError(f"verification {v.series} {v.number} does not balance: {v.total} öre")
    head = f"#VER {quoted(v.series)} {quoted(str(v.number))} {day(v.date)} {quoted(v.text)}"
    if v.registered_on is not None:
        head += f" {day(v.registered_on)}"
        if v.signature:
            head += f" {quoted(v.signature)}"
    rows = [
        f"\t#TRANS {t.account} {_objects(t.objects)} {amount(t.amount)}" for t in v.transactions
    ]
    return [head, "{", *rows, "}"]


def lines(sie: SieFile) -> list[str]:
    known = {a.number for a in sie.accounts}
    result = _header(sie) + _chart(sie) + _balances(sie)
    for v in sie.verifications:
        unknown = {t.account for t in v.transactions} - known
        if unknown:
            raise ValueError(f"verification {v.number} uses accounts not in the chart: {unknown}")
        result += _verification(v)
    return result


def write(sie: SieFile) -> bytes:
    """The whole file, encoded in code page 437."""
    text = NEWLINE.join(lines(sie)) + NEWLINE
    return text.encode(ENCODING)
