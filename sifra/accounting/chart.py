"""How the fund's ledger is booked in the municipality's accounts: the accounts a fund uses (one
per *role*), their defaults in Kommun-Bas, and the double entry each kind of ledger entry makes.

Why these accounts (the default mapping, for a fund kept as earmarked equity)
-----------------------------------------------------------------------------
A Swedish social investment fund is not a legal entity: the council marks part of the
municipality's equity for it (*öronmärkt eget kapital*, "i eget kapital reservera ett avsatt
belopp"), and the money stays in the municipality's bank (its group account, *koncernkonto*).
Kommun-Bas, SKR's chart of accounts for municipalities, groups the accounts we need as
kontoklass 1 tillgångar (group 16 short-term receivables, group 19 kassa och bank), kontoklass
2 eget kapital och skulder (group 20 eget kapital), kontoklass 3 intäkter (group 35 bidrag) and
kontoklass 4 (group 45 lämnade bidrag). So:

- cash (1930, T): the fund's share of the group account. Its balance is the fund's *capital*.
- claims (1680, T): repayment claims on committees. Its balance is the fund's *claims*.
- available (2031, S) and committed (2032, S): the earmarked equity, split into what is free
  and what is granted but not yet paid out. A commitment moves equity from the first to the
  second; a release moves it back. Their balances are the fund's *available* and *committed*.
- claims offset (2039, S): the other side of a claim. A claim is not yet money in the fund
  (DOMAIN.md: capital grows by repayments, not by claims), so it is held against this account
  until it is repaid or written off; it never touches the result.
- grants (4590, K): a disbursement is a grant the fund gives (group 45, lämnade bidrag), a cost
  in the year it is paid; the committed equity it used goes back to the free part, which the
  cost then lowers when the year's result is carried to equity.
- repayments (3590, I): a repayment is income of the fund (group 35) in the year it is paid.

The year's result (repayments less grants) is carried into *available* at the turn of the year,
as the annual accounts carry the result into equity. So at every 31 December the balances of
the five balance accounts, after that carry, are exactly the fund's capital, claims, available,
committed and claims (the offset) of DOMAIN.md, and a closed year's file ends where its closing
snapshot says. The numbers are defaults only: every municipality has its own sub-accounts of
Kommun-Bas, so the coordinator edits the numbers and names per fund (audited); the double
entries below stay the same, which keeps every verification balanced and the balances whole.
"""

from dataclasses import dataclass

CASH = "cash"
CLAIMS = "claims"
AVAILABLE = "available"
COMMITTED = "committed"
CLAIMS_OFFSET = "claims_offset"
GRANTS = "grants"
REPAYMENTS = "repayments"

# The role whose account takes the year's result at the turn of the year.
RESULT_CARRIED_TO = AVAILABLE


@dataclass(frozen=True)
class Role:
    key: str
    kind: str  # #KTYP: T tillgång, S skuld/eget kapital, K kostnad, I intäkt
    classes: str  # the account classes (first digit) a number for this role may start with
    number: str  # the default account
    name: str  # the default account name (Swedish: it goes into the municipality's books)


ROLES: tuple[Role, ...] = (
    Role(CASH, "T", "1", "1930", "Koncernkonto, social investeringsfond"),
    Role(CLAIMS, "T", "1", "1680", "Återbetalningskrav på nämnder, social investeringsfond"),
    Role(AVAILABLE, "S", "2", "2031", "Öronmärkt eget kapital, social investeringsfond, fritt"),
    Role(COMMITTED, "S", "2", "2032", "Öronmärkt eget kapital, social investeringsfond, beviljat"),
    Role(CLAIMS_OFFSET, "S", "2", "2039", "Ej inbetalda återbetalningskrav, motkonto"),
    Role(GRANTS, "K", "4567", "4590", "Lämnade bidrag, social investeringsfond"),
    Role(REPAYMENTS, "I", "3", "3590", "Återbetalningar till social investeringsfond"),
)
ROLE_KEYS = tuple(r.key for r in ROLES)
BY_KEY = {r.key: r for r in ROLES}

# Each kind of ledger entry as (debit role, credit role) pairs, each for the entry's amount.
# A reversal books the pairs of the entry it reverses with debit and credit swapped.
POSTINGS: dict[str, tuple[tuple[str, str], ...]] = {
    "deposit": ((CASH, AVAILABLE),),
    "commitment": ((AVAILABLE, COMMITTED),),
    "release": ((COMMITTED, AVAILABLE),),
    "disbursement": ((GRANTS, CASH), (COMMITTED, AVAILABLE)),
    "claim": ((CLAIMS, CLAIMS_OFFSET),),
    "repayment": ((CASH, REPAYMENTS), (CLAIMS_OFFSET, CLAIMS)),
    "write_off": ((CLAIMS_OFFSET, CLAIMS),),
}

# The kind's name in the verification text (the file is read by the finance office).
KIND_TEXT = {
    "deposit": "Kapitaltillskott",
    "commitment": "Beviljat belopp",
    "release": "Återfört åtagande",
    "disbursement": "Utbetalning",
    "claim": "Återbetalningskrav",
    "repayment": "Återbetalning",
    "write_off": "Avskrivning av krav",
    "reversal": "Rättelse",
}


def movements(kind: str, amount: int, *, reverses: str | None = None) -> dict[str, int]:
    """The entry's effect per role in öre, debit positive: `kind` is the entry's own kind and
    `reverses` the kind of the entry a reversal cancels."""
    sign = 1
    if kind == "reversal":
        if reverses is None:
            raise ValueError("a reversal needs the kind of the entry it reverses")
        kind, sign = reverses, -1
    effect: dict[str, int] = {}
    for debit, credit in POSTINGS[kind]:
        effect[debit] = effect.get(debit, 0) + sign * amount
        effect[credit] = effect.get(credit, 0) - sign * amount
    return effect
