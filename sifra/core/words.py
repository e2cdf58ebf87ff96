"""Amounts in words, for the confirmation before money is committed: "2 500 000 kr (två
miljoner femhundratusen kronor)". A mistyped zero is easy to miss in digits and hard to miss in
words.

Swedish follows Språkrådet: a number below a million is one word ("tvåhundratusenett"), miljon,
miljard and biljon are nouns written apart ("en miljon", "två miljoner"). English is written in
the plain international style ("two million five hundred thousand")."""

from django.utils.translation import get_language

from sifra.core.money import MAX_ORE, ORE_PER_KRONA

_SV_ONES = [
    "noll",
    "ett",
    "två",
    "tre",
    "fyra",
    "fem",
    "sex",
    "sju",
    "åtta",
    "nio",
    "tio",
    "elva",
    "tolv",
    "tretton",
    "fjorton",
    "femton",
    "sexton",
    "sjutton",
    "arton",
    "nitton",
]
_SV_TENS = [
    "_",
    "_",
    "tjugo",
    "trettio",
    "fyrtio",
    "femtio",
    "sextio",
    "sjuttio",
    "åttio",
    "nittio",
]
# (size, singular, plural) of the nouns above a million.
_SV_LARGE = (
    (10**12, "biljon", "biljoner"),
    (10**9, "miljard", "miljarder"),
    (10**6, "miljon", "miljoner"),
)

_EN_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_EN_TENS = [
    "_",
    "_",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
]
_EN_LARGE = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (10**3, "thousand"))

LIMIT = MAX_ORE // ORE_PER_KRONA  # every amount the ledger can hold, in whole kronor


def _sv_below_thousand(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    text = f"{_SV_ONES[hundreds]}hundra" if hundreds else ""
    if rest >= 20:
        tens, ones = divmod(rest, 10)
        text += _SV_TENS[tens] + (_SV_ONES[ones] if ones else "")
    elif rest:
        text += _SV_ONES[rest]
    return text


def _sv_below_million(n: int) -> str:
    thousands, rest = divmod(n, 1000)
    text = ""
    if thousands:
        text = _sv_below_thousand(thousands)
        # "ett" + "tusen" drops one t (Språkrådet: ettusen, tjugoettusen).
        text = (text[:-1] if text.endswith("ett") else text) + "tusen"
    return text + (_sv_below_thousand(rest) if rest else "")


def number_in_words_sv(n: int) -> str:
    """A whole number from 0 to LIMIT − 1 in Swedish words."""
    _check(n)
    if n == 0:
        return _SV_ONES[0]
    parts = []
    for size, singular, plural in _SV_LARGE:
        count, n = divmod(n, size)
        if count == 1:
            parts.append(f"en {singular}")
        elif count:
            parts.append(f"{_sv_below_million(count)} {plural}")
    if n:
        parts.append(_sv_below_million(n))
    return " ".join(parts)


def _en_below_thousand(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    parts = [f"{_EN_ONES[hundreds]} hundred"] if hundreds else []
    if rest >= 20:
        tens, ones = divmod(rest, 10)
        parts.append(_EN_TENS[tens] + (f"-{_EN_ONES[ones]}" if ones else ""))
    elif rest:
        parts.append(_EN_ONES[rest])
    return " ".join(parts)


def number_in_words_en(n: int) -> str:
    """A whole number from 0 to LIMIT − 1 in English words."""
    _check(n)
    if n == 0:
        return _EN_ONES[0]
    parts = []
    for size, name in _EN_LARGE:
        count, n = divmod(n, size)
        if count:
            parts.append(f"{_en_below_thousand(count)} {name}")
    if n:
        parts.append(_en_below_thousand(n))
    return " ".join(parts)


def _check(n: int) -> None:
    if not 0 <= n < LIMIT:
        raise ValueError(f"a whole number from 0 to {LIMIT - 1}")


def amount_in_words(ore: int) -> str:
    """Öre as kronor (and öre) in words, in the active language: 250 000 000 öre is
    "två miljoner femhundratusen kronor" in Swedish, "two million five hundred thousand kronor"
    in English. Negative amounts are written with "minus"."""
    sign = "minus " if ore < 0 else ""  # the same word in both languages
    kronor, rest = divmod(abs(ore), ORE_PER_KRONA)
    if (get_language() or "sv").startswith("en"):
        text = f"{number_in_words_en(kronor)} {'krona' if kronor == 1 else 'kronor'}"
        if rest:
            text += f" and {number_in_words_en(rest)} öre"
        return sign + text
    text = "en krona" if kronor == 1 else f"{number_in_words_sv(kronor)} kronor"
    if rest:
        text += f" och {number_in_words_sv(rest)} öre"
    return sign + text
