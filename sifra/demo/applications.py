"""The demo's applications, one or more in every state of the lifecycle: the Norrköping
children's case awaiting decision, fall prevention with the region in review, and the rest."""

import datetime as dt
import json
import tomllib
from typing import Any

from sifra.accounts.models import Partner, Unit, User
from sifra.applications import services as s
from sifra.applications.models import Application, RuleSet
from sifra.core.examples import example_case_text
from sifra.funds.models import Fund
from sifra.funds.services import ledger_entry_post

MSEK = 100_000_000

NORRKOPING = {
    "summary": "120 barn i familjer med sammansatt problematik får tidigt, samordnat stöd från "
    "socialtjänst och skola. Om var femte av dem undviker placering i familjehem tjänas "
    "kostnaden in på ett och ett halvt år.",
    "problem": "Placeringar i familjehem är dyra och ofta sena; stödet kommer när problemen "
    "redan är stora.",
    "target_group": "Familjer med barn 4–12 år där skola och socialtjänst ser tidiga tecken "
    "på att barnet far illa. Omkring 120 barn per år.",
    "intervention": "Familjebehandlare och skolkuratorer arbetar i gemensamma team med ett "
    "evidensbaserat föräldraskapsprogram.",
    "activities": "Föräldragrupper, hembesök, samordnade möten skola–socialtjänst.",
    "outputs": "120 familjer per år får stöd inom fyra veckor.",
    "outcomes": "Färre orosanmälningar, bättre skolnärvaro.",
    "impact": "Var femte av barnen undviker placering i familjehem.",
    "evidence": "Systematiska översikter av föräldraskapsprogram (t.ex. Incredible Years).",
    "evidence_level": "systematic",
    "followup_plan": "Ekonomen följer kostnaden för placeringar per kvartal mot 2025 års nivå; "
    "redovisas i delrapport varje halvår.",
    "evaluation_plan": "Jämförelse med matchad historisk kontrollgrupp; extern utvärderare.",
    "risks": "Svårt att rekrytera familjebehandlare; effekten kan komma senare än beräknat.",
    "repayment_model": "savings_share",
    "repayment_notes": "Socialnämnden betalar tillbaka halva den verifierade besparingen per år "
    "upp till beviljat belopp.",
}
FALLS = {
    "summary": "Fysioterapeuter och balansträning för äldre i ordinärt boende, tillsammans med "
    "regionens primärvård. Kommunen bär kostnaden; besparingarna delas med regionen.",
    "target_group": "Personer 75 år och äldre med hemtjänst, omkring 300 per år.",
    "intervention": "Individuellt anpassad balansträning och hemmiljöbedömning.",
    "evidence": "Cochrane-översikter visar 20–30 % färre fall med träning.",
    "evidence_level": "systematic",
    "followup_plan": "Antal fallskador med ökat hemtjänstbehov och höftfrakturer per kvartal.",
    "evaluation_plan": "Före- och eftermätning med jämförelse mot län utan insatsen.",
    "repayment_model": "savings_share",
}


def _case(name: str) -> dict[str, Any] | None:
    text = example_case_text(name)
    if not text:
        return None
    return json.loads(text) if name.endswith(".json") else tomllib.loads(text)


def build_applications(fund: Fund, units: dict[str, Unit], partners: dict[str, Partner]) -> None:
    people = {u.username: u for u in User.objects.all()}
    coordinator, applicant = people["samordnare"], people["sokande"]
    council, decider = people["radet"], people["beslut"]
    RuleSet.objects.create(
        fund=fund,
        max_amount=8 * MSEK,
        max_duration_months=36,
        min_units=2,
        min_own_share=10,
        min_own_share_blocking=False,
    )

    def draft(
        title: str,
        unit: str,
        by: User,
        others: list[str],
        texts: dict[str, Any],
        budget: list[tuple[int, str, int, int]],
        case: str | None = None,
        period: tuple[dt.date, dt.date] = (dt.date(2027, 1, 1), dt.date(2028, 12, 31)),
        received_on: dt.date | None = None,
    ) -> Application:
        a = s.application_create(
            fund=fund, title=title, lead_unit=units[unit], acting_user=by, received_on=received_on
        )
        s.application_update(
            application=a,
            acting_user=by,
            units=[units[o] for o in others],
            start_date=period[0],
            end_date=period[1],
            budget=[
                {
                    "year": y,
                    "description": d,
                    "payer_unit_id": units[unit].pk,
                    "requested": r,
                    "own_contribution": o,
                }
                for y, d, r, o in budget
            ],
            **{
                "followup_plan": "Kvartalsvis uppföljning av kostnader.",
                "evaluation_plan": "Före- och eftermätning.",
                **texts,
            },
        )
        if case and (doc := _case(case)):
            s.application_case_set(application=a, case=doc, acting_user=by)
        a.refresh_from_db()
        return a

    def submit(a: Application, by: User) -> Application:
        return s.application_submit(application=a, acting_user=by)

    def review(a: Application, score: int, recommendation: str, comment: str) -> Application:
        a = s.application_send_to_review(
            application=a, reviewers=[council], acting_user=coordinator
        )
        s.review_submit(
            application=a,
            acting_user=council,
            evidence_strength=score,
            evaluation_quality=score - 1,
            case_realism=score,
            recommendation=recommendation,
            comments=comment,
        )
        return a

    # Draft
    draft(
        "Läxhjälp och skolnärvaro",
        "Barn- och utbildningsnämnden",
        coordinator,
        ["Socialnämnden"],
        {"summary": "Läxhjälp och närvaroteam på tre skolor."},
        [(2027, "Närvarocoacher", 12 * MSEK // 10, 3 * MSEK // 10)],
    )
    # Submitted: Norrköping's children, by the applicant for Socialnämnden
    norrkoping = draft(
        "Tidigt stöd till 120 barn (Norrköpingsmodellen)",
        "Socialnämnden",
        applicant,
        ["Barn- och utbildningsnämnden"],
        NORRKOPING,
        [
            (2027, "Familjebehandlare", 3 * MSEK, 5 * MSEK // 10),
            (2028, "Familjebehandlare", 3 * MSEK, 5 * MSEK // 10),
        ],
        "norrkoping-barn.toml",
    )
    submit(norrkoping, applicant)
    # Returned for completion
    returned = submit(
        draft(
            "Mötesplats för unga vuxna",
            "Arbetsmarknadsnämnden",
            coordinator,
            ["Socialnämnden"],
            {"summary": "En öppen mötesplats."},
            [(2027, "Personal", 2 * MSEK, 2 * MSEK // 10)],
        ),
        coordinator,
    )
    s.application_return(
        application=returned,
        acting_user=coordinator,
        comment="Beskriv hur besparingen ska mätas och vem som får den.",
    )
    # In review: fall prevention shared with the region
    falls = draft(
        "Fallprevention i ordinärt boende 2027",
        "Vård- och omsorgsnämnden",
        coordinator,
        ["Kommunstyrelsen"],
        FALLS,
        [
            (2027, "Fysioterapeuter", 12 * MSEK // 10, 2 * MSEK // 10),
            (2028, "Fysioterapeuter", 12 * MSEK // 10, 2 * MSEK // 10),
        ],
        "fallprevention.toml",
    )
    s.application_update(
        application=falls, acting_user=coordinator, partners=[partners["Region Exempellän"]]
    )
    s.application_send_to_review(
        application=submit(falls, coordinator), reviewers=[council], acting_user=coordinator
    )
    # Recommended and not recommended, awaiting decision
    for title, unit, ok in (
        ("Stöd till anhöriga som vårdar", "Vård- och omsorgsnämnden", True),
        ("Digital ensamhetsbrytare", "Socialnämnden", False),
    ):
        a = submit(
            draft(
                title,
                unit,
                coordinator,
                ["Kommunstyrelsen"],
                {"summary": title},
                [(2027, "Projektledning", 15 * MSEK // 10, 2 * MSEK // 10)],
            ),
            coordinator,
        )
        a = review(
            a,
            4 if ok else 2,
            "approve" if ok else "reject",
            "Väl underbyggt." if ok else "Svag evidens för effekten.",
        )
        s.application_recommend(
            application=a,
            recommend=ok,
            acting_user=coordinator,
            proposal="Bevilja." if ok else "Avslå: evidensen är för svag.",
        )
    # Approved, with a payout, and rejected
    for title, unit, ok in (
        ("Unga till arbete", "Arbetsmarknadsnämnden", True),
        ("Familjecentral i ytterområde", "Barn- och utbildningsnämnden", False),
    ):
        a = submit(
            draft(
                title,
                unit,
                coordinator,
                ["Socialnämnden"],
                {"summary": title},
                [
                    (2026, "Jobbcoacher och praktikplatser", 3 * MSEK, 12 * MSEK // 10),
                    (2027, "Jobbcoacher och praktikplatser", 3 * MSEK, 12 * MSEK // 10),
                ],
                "vag-till-arbete.json" if ok else None,
                (dt.date(2026, 1, 1), dt.date(2027, 12, 31)),
                dt.date(2025, 9, 1),
            ),
            coordinator,
        )
        a = review(a, 4 if ok else 2, "approve" if ok else "reject", "Bedömt av rådet.")
        a = s.application_recommend(
            application=a, recommend=ok, proposal="Enligt rådet.", acting_user=coordinator
        )
        s.decision_record(
            application=a,
            approve=ok,
            amount=5 * MSEK if ok else 0,
            minute_ref=f"KSAU § {140 if ok else 141}/2025",
            decided_on=dt.date(2025, 12, 10),
            acting_user=decider,
            conditions="Delrapport varje halvår." if ok else "",
            reason="" if ok else "Liknar ordinarie verksamhet.",
        )
        a.refresh_from_db()
        if a.project:
            ledger_entry_post(
                fund=fund,
                kind="disbursement",
                amount=25 * MSEK // 10,
                text="Första utbetalning",
                project=a.project,
                date=dt.date(2026, 1, 15),
                acting_user=coordinator,
            )
    # Withdrawn
    s.application_withdraw(
        application=draft("Sommarjobb för unga", "Arbetsmarknadsnämnden", coordinator, [], {}, []),
        acting_user=coordinator,
    )
