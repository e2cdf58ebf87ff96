"""An independent reader of SIE 4 files, for the tests: written from the specification, not
from sifra.accounting.sie, so that a mistake in the writer is not repeated here.

It decodes code page 437, splits each line into fields (a field within quotation marks may hold
spaces, and \\" and \\\\ inside it are a quotation mark and a backslash; an object list within
braces is one field), and collects the labels the tests look at. Amounts are read as exact
öre; an amount with more than two decimals or a verification outside braces is an error."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal


class SieError(ValueError):
    pass


@dataclass
class Trans:
    account: str
    objects: list[tuple[str, str]]
    amount: int  # öre


@dataclass
class Ver:
    series: str
    number: str
    date: dt.date
    text: str
    registered_on: dt.date | None
    signature: str | None
    transactions: list[Trans] = field(default_factory=list)


@dataclass
class Sie:
    labels: list[str] = field(default_factory=list)  # every label, in order
    header: dict[str, list[str]] = field(default_factory=dict)
    accounts: dict[str, str] = field(default_factory=dict)
    account_types: dict[str, str] = field(default_factory=dict)
    objects: dict[tuple[str, str], str] = field(default_factory=dict)
    ib: dict[str, int] = field(default_factory=dict)
    ub: dict[str, int] = field(default_factory=dict)
    res: dict[str, int] = field(default_factory=dict)
    vers: list[Ver] = field(default_factory=list)

    def sums(self) -> dict[str, int]:
        """The sum of the #TRANS rows per account."""
        result: dict[str, int] = {}
        for v in self.vers:
            for t in v.transactions:
                result[t.account] = result.get(t.account, 0) + t.amount
        return result


def fields(line: str) -> list[str]:
    out: list[str] = []
    i, n = 0, len(line)
    while i < n:
        c = line[i]
        if c in " \t":
            i += 1
        elif c == '"':
            i, text = _quoted(line, i + 1)
            out.append(text)
        elif c == "{":
            end = line.find("}", i)
            if end < 0:
                raise SieError(f"an object list without its closing brace: {line!r}")
            out.append(line[i : end + 1])
            i = end + 1
        else:
            j = i
            while j < n and line[j] not in " \t":
                j += 1
            out.append(line[i:j])
            i = j
    return out


def _quoted(line: str, i: int) -> tuple[int, str]:
    text = []
    while i < len(line):
        c = line[i]
        if c == "\\" and i + 1 < len(line):
            text.append(line[i + 1])
            i += 2
        elif c == '"':
            return i + 1, "".join(text)
        else:
            text.append(c)
            i += 1
    raise SieError(f"a quotation without its end: {line!r}")


def ore(text: str) -> int:
    value = Decimal(text)
    if value != value.quantize(Decimal("0.01")):
        raise SieError(f"more than two decimals: {text}")
    return int(value * 100)


def date(text: str) -> dt.date:
    return dt.datetime.strptime(text, "%Y%m%d").date()


def object_list(text: str) -> list[tuple[str, str]]:
    inner = fields(text.strip()[1:-1])
    if len(inner) % 2:
        raise SieError(f"an object list of pairs: {text}")
    return [(inner[k], inner[k + 1]) for k in range(0, len(inner), 2)]


def read(data: bytes) -> Sie:
    text = data.decode("cp437")
    sie = Sie()
    current: Ver | None = None
    in_braces = False
    for raw in text.split("\r\n"):
        line = raw.strip()
        if not line:
            continue
        if line == "{":
            if current is None or in_braces:
                raise SieError("a brace that opens no verification")
            in_braces = True
            continue
        if line == "}":
            if not in_braces:
                raise SieError("a closing brace without an opening one")
            in_braces, current = False, None
            continue
        parts = fields(line)
        label, args = parts[0], parts[1:]
        sie.labels.append(label)
        if in_braces:
            if label != "#TRANS" or current is None:
                raise SieError(f"{label} inside a verification")
            current.transactions.append(Trans(args[0], object_list(args[1]), ore(args[2])))
        elif label == "#TRANS":
            raise SieError("#TRANS outside a verification")
        elif label == "#VER":
            current = Ver(
                series=args[0],
                number=args[1],
                date=date(args[2]),
                text=args[3] if len(args) > 3 else "",
                registered_on=date(args[4]) if len(args) > 4 else None,
                signature=args[5] if len(args) > 5 else None,
            )
            sie.vers.append(current)
        elif label == "#KONTO":
            sie.accounts[args[0]] = args[1]
        elif label == "#KTYP":
            sie.account_types[args[0]] = args[1]
        elif label == "#OBJEKT":
            sie.objects[(args[0], args[1])] = args[2]
        elif label in ("#IB", "#UB", "#RES"):
            if args[0] != "0":
                raise SieError(f"only year 0 is expected: {line}")
            target = {"#IB": sie.ib, "#UB": sie.ub, "#RES": sie.res}[label]
            target[args[1]] = ore(args[2])
        else:
            sie.header[label] = args
    if in_braces:
        raise SieError("the file ends inside a verification")
    return sie
