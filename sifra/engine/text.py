"""The Swedish summary `sifra calc` prints without --json.

Numbers follow Swedish practice: a no-break space between thousands, a decimal comma, a minus
sign (−), and a space before % and kr.
"""

from __future__ import annotations

from typing import Any

from sifra.engine.case import Case

SPACE = "\u00a0"  # no-break: a number never wraps between its thousands
MINUS = "\u2212"
NONE = "–"


def number(value: float | None, decimals: int = 0) -> str:
    if value is None:
        return NONE
    text = f"{abs(value):,.{decimals}f}".replace(",", SPACE).replace(".", ",")
    negative = round(value, decimals) < 0
    return f"{MINUS if negative else ''}{text}"


def kronor(value: float | None) -> str:
    return NONE if value is None else f"{number(value)}{SPACE}kr"


def percent(value: float | None, decimals: int = 1) -> str:
    return NONE if value is None else f"{number(value * 100, decimals)}{SPACE}%"


def years(value: float | None) -> str:
    return NONE if value is None else f"{number(value, 1)}{SPACE}år"


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    """Columns padded to their widest cell: the first left-aligned, the numbers right-aligned."""
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(row: list[str]) -> str:
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        return "  " + "  ".join(cells).rstrip()

    return [line(header), *(line(row) for row in rows)]


def summary(case: Case, result: dict[str, Any]) -> str:
    parts = [
        _heading(case, result),
        _key_figures(result),
        _per_year(result),
        _per_actor(case, result),
        _risk(result),
        _tornado(result),
    ]
    return "\n\n".join(part for part in parts if part) + "\n"


def _heading(case: Case, result: dict[str, Any]) -> str:
    last = case.start_year + case.horizon - 1
    title = case.title or "Kalkyl utan titel"
    return (
        f"{title}\n{'=' * len(title)}\n"
        f"Kalkylperiod {case.start_year}–{last} ({case.horizon} år), prisnivå {case.price_year}, "
        f"kalkylränta {percent(result['meta']['discount_rate'])}. Belopp i kronor."
    )


def _key_figures(r: dict[str, Any]) -> str:
    rows = [
        ["Nuvärde av kostnaderna", kronor(r["pv_costs"])],
        ["Nuvärde av nyttorna", kronor(r["pv_benefits"])],
        ["Nettonuvärde", kronor(r["npv"])],
        ["Nyttokvot (nytta/kostnad)", number(r["bcr"], 2)],
        ["Avkastning (ROI)", percent(r["roi"])],
        ["Internränta (IRR)", percent(r["irr"]) if r["irr"] is not None else "saknas"],
        ["Återbetalningstid", _reached(r["payback_years"])],
        ["Diskonterad återbetalningstid", _reached(r["discounted_payback_years"])],
        ["Brytpunkt för effekterna", number(r["break_even_effect_scale"], 2)],
    ]
    lines = ["Resultat", *table(["", ""], rows)[1:], _break_even(r["break_even_effect_scale"])]
    return "\n".join(lines)


def _reached(value: float | None) -> str:
    return years(value) if value is not None else "nås inte inom kalkylperioden"


def _median_payback(value: float | None) -> str:
    return years(value) if value is not None else NOT_PAID_BACK_IN_HALF


# where the Monte Carlo's payback median is null: fewer than half of the draws pay back
NOT_PAID_BACK_IN_HALF = "återbetalas inte inom kalkylperioden i minst hälften av fallen"


def _break_even(scale: float | None) -> str:
    if scale is None:
        return "  (Kalkylen har inga nyttor, så ingen brytpunkt.)"
    if scale <= 1:
        return f"  (Effekterna kan bli {percent(1 - scale, 0)} mindre innan kalkylen går jämnt ut.)"
    return (
        f"  (Effekterna måste bli {percent(scale - 1, 0)} större för att kalkylen ska gå jämnt ut.)"
    )


def _per_year(r: dict[str, Any]) -> str:
    header = ["År", "Kostnader", "Nyttor", "Netto", "Ackumulerat", "Diskonterat ack."]
    keys = ("costs", "benefits", "net", "cumulative_net", "cumulative_discounted_net")
    rows = [[str(y["year"]), *(number(y[k]) for k in keys)] for y in r["years"]]
    return "\n".join(["Per år (kr)", *table(header, rows)])


def _per_actor(case: Case, r: dict[str, Any]) -> str:
    header = ["Aktör", "Sektor", "Nuvärde kostnader", "Nuvärde nyttor", "Nettonuvärde"]
    rows = [
        [f"{a.name} ({a.id})", a.sector, *(number(r["by_actor"][a.id][k]) for k in _PV_KEYS)]
        for a in case.actors
    ]
    return "\n".join(["Per aktör (kr): vem betalar och vem vinner", *table(header, rows)])


_PV_KEYS = ("pv_costs", "pv_benefits", "npv")


def _risk(r: dict[str, Any]) -> str:
    mc = r["monte_carlo"]
    if mc is None:
        return ""
    npv, bcr, payback = mc["npv"], mc["bcr"], mc["payback_years"]
    rows = [
        ["Sannolikhet för positivt nettonuvärde", percent(mc["p_npv_positive"])],
        ["Nettonuvärde, medelvärde", kronor(npv["mean"])],
        ["Nettonuvärde, standardavvikelse", kronor(npv["sd"])],
        ["Nettonuvärde, 5:e percentilen", kronor(npv["p5"])],
        ["Nettonuvärde, 10:e percentilen", kronor(npv["p10"])],
        ["Nettonuvärde, median", kronor(npv["p50"])],
        ["Nettonuvärde, 90:e percentilen", kronor(npv["p90"])],
        ["Nettonuvärde, 95:e percentilen", kronor(npv["p95"])],
        ["Nyttokvot, medelvärde", number(bcr["mean"], 2)],
        ["Nyttokvot, 5:e – 95:e percentilen", f"{number(bcr['p5'], 2)} – {number(bcr['p95'], 2)}"],
        ["Återbetalningstid, median", _median_payback(payback["p50"])],
        ["Andel där återbetalning nås", percent(payback["share_reached"])],
    ]
    title = f"Risk (Monte Carlo: {number(mc['iterations'])} iterationer, frö {mc['seed']})"
    return "\n".join([title, *table(["", ""], rows)[1:]])


def _tornado(r: dict[str, Any]) -> str:
    bars = r["tornado"]
    if not bars:
        return ""
    header = ["Osäker indata", "NNV vid 10:e pct", "NNV vid 90:e pct", "Spännvidd"]
    rows = [
        [b["parameter"], number(b["low"]), number(b["high"]), number(abs(b["high"] - b["low"]))]
        for b in bars
    ]
    title = "Känslighet (kr): varje osäker indata ensam vid sin 10:e och 90:e percentil"
    return "\n".join([title, *table(header, rows)])
