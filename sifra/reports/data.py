"""The annual fund report as plain data: frozen dataclasses of whole öre, dates, texts and a few
numbers, which the page, the PDF, the Excel workbook, the JSON of the API and the command line
all read, so that they cannot disagree."""

import dataclasses
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sifra.core.money import ore_to_kronor


@dataclass(frozen=True)
class Figures:
    """The fund's balances at the end of a day, in öre."""

    capital: int
    committed: int
    claims: int

    @property
    def available(self) -> int:
        return self.capital - self.committed


@dataclass(frozen=True)
class KindRow:
    """One kind of entry in the year: what was posted, what reversals took back (whenever the
    reversed entry was dated), and the net effect on the balances."""

    kind: str
    label: str
    entries: int
    posted: int
    reversed: int
    capital: int
    committed: int
    claims: int

    @property
    def net(self) -> int:
        return self.posted - self.reversed


@dataclass(frozen=True)
class ProjectMovement:
    project_id: int
    code: str
    title: str
    committed: int
    released: int
    disbursed: int
    claimed: int
    repaid: int
    written_off: int
    committed_end: int
    claims_end: int


@dataclass(frozen=True)
class DecisionRow:
    reference: str
    title: str
    unit: str
    outcome: str  # "approved" | "rejected"
    outcome_label: str
    requested: int | None  # None where the grant was made before the fund used Sifra
    granted: int
    minute_ref: str
    decided_on: dt.date


@dataclass(frozen=True)
class DecisionTotals:
    approved: int
    granted: int
    rejected: int
    rejected_requested: int


@dataclass(frozen=True)
class ProjectRow:
    project_id: int
    code: str
    title: str
    unit: str
    start_date: dt.date | None
    end_date: dt.date | None
    status: str
    status_label: str
    outcome_label: str
    granted: int
    disbursed: int
    committed_end: int
    repaid: int
    claims_end: int


@dataclass(frozen=True)
class IndicatorRow:
    project_code: str
    name: str
    unit: str
    baseline: Decimal
    baseline_year: int
    target: Decimal
    actual: Decimal | None
    actual_period_end: dt.date | None
    progress: float | None  # the share of the way from the baseline to the target
    reached: bool | None


@dataclass(frozen=True)
class SavingRow:
    project_code: str
    title: str
    year: int
    verified: int
    forecast: int | None  # the case's savings for the municipality's actors; None: no case

    @property
    def realisation(self) -> float | None:
        if not self.forecast or not self.verified:
            return None
        return self.verified / self.forecast


@dataclass(frozen=True)
class SavingTotals:
    verified: int
    forecast: int
    realisation: float | None  # over the years that were verified and forecast


@dataclass(frozen=True)
class UnitClaims:
    unit: str
    outstanding_start: int
    claimed: int
    repaid: int
    written_off: int
    outstanding_end: int
    overdue: int
    overdue_claims: int


@dataclass(frozen=True)
class EvaluationRow:
    project_code: str
    title: str
    method_label: str
    effect: Decimal
    ci_low: Decimal
    ci_high: Decimal
    evaluator: str
    recorded_on: dt.date
    assessed: bool


@dataclass(frozen=True)
class AnnualReport:
    fund_id: int
    fund_name: str
    organisation: str
    year: int
    start: dt.date
    end: dt.date
    as_of: dt.date  # 31 December, or today while the year runs
    ended: bool
    closed: bool
    closing_decision_ref: str
    closing_decided_on: dt.date | None
    source: str  # "snapshot" for a closed year, else "ledger"
    opening: Figures
    closing: Figures
    ledger_closing: Figures  # the ledger's own sum at 31 December, whatever the source
    kinds: list[KindRow]
    project_movements: list[ProjectMovement]
    decisions: list[DecisionRow]
    decision_totals: DecisionTotals
    projects: list[ProjectRow]
    indicators: list[IndicatorRow]
    savings: list[SavingRow]
    saving_totals: SavingTotals
    claims: list[UnitClaims]
    claim_totals: UnitClaims
    evaluations: list[EvaluationRow]
    series: list[dict[str, Any]]  # capital and available through the year, for the chart

    @property
    def agrees(self) -> bool:
        """The closing balances equal the sum of the ledger's entries to 31 December."""
        return self.closing == self.ledger_closing

    @property
    def change(self) -> Figures:
        return Figures(
            capital=self.closing.capital - self.opening.capital,
            committed=self.closing.committed - self.opening.committed,
            claims=self.closing.claims - self.opening.claims,
        )


# Fields that hold öre: the JSON gives each as `<name>_ore` (an integer) and `<name>` (kronor as
# a decimal string), as the rest of the API does.
MONEY = {
    "capital",
    "committed",
    "claims",
    "available",
    "posted",
    "reversed",
    "net",
    "released",
    "disbursed",
    "claimed",
    "repaid",
    "written_off",
    "committed_end",
    "claims_end",
    "requested",
    "granted",
    "rejected_requested",
    "verified",
    "forecast",
    "outstanding_start",
    "outstanding_end",
    "overdue",
}
# The chart's points are for drawing; the JSON has the balances they run between.
NOT_IN_JSON = {"series"}
# Properties the JSON includes beside the fields.
DERIVED = {
    Figures: ("available",),
    KindRow: ("net",),
    SavingRow: ("realisation",),
    AnnualReport: ("agrees", "change"),
}


def as_json(value: Any) -> Any:
    """`value` (a report or a part of one) as JSON types."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = [f.name for f in dataclasses.fields(value) if f.name not in NOT_IN_JSON]
        names += DERIVED.get(type(value), ())
        out: dict[str, Any] = {}
        for name in names:
            item = getattr(value, name)
            if name in MONEY and (isinstance(item, int) or item is None):
                out[f"{name}_ore"] = item
                out[name] = None if item is None else str(ore_to_kronor(item))
            else:
                out[name] = as_json(item)
        return out
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value
