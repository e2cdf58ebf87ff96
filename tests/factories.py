"""Objects many tests need, made through the services as a user would make them."""

import datetime as dt
import tomllib
from pathlib import Path

MSEK = 100_000_000
CASE = tomllib.loads(
    (Path(__file__).parent.parent / "examples" / "norrkoping-barn.toml").read_text("utf-8")
)


def approved_case_project(funded, unit_a, users):
    """An approved application with the Norrköping case (2026, five years), its project
    committed 3 MSEK, with a 2026 budget line of 3 MSEK from the fund and 1 MSEK own."""
    from sifra.applications import services as s

    applicant, coordinator = users["applicant"], users["coordinator"]
    a = s.application_create(
        fund=funded, title="Tidigt stöd", lead_unit=unit_a, acting_user=applicant
    )
    a = s.application_update(
        application=a,
        acting_user=applicant,
        followup_plan="Ekonomen följer placeringskostnaderna varje kvartal.",
        evaluation_plan="Jämförelse med matchad kontrollgrupp.",
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 12, 31),
        budget=[
            {
                "year": 2026,
                "description": "Familjebehandlare",
                "payer_unit_id": unit_a.pk,
                "requested": 3 * MSEK,
                "own_contribution": 1 * MSEK,
            }
        ],
    )
    s.application_case_set(application=a, case=CASE, acting_user=applicant)
    a = s.application_submit(application=a, acting_user=applicant)
    a = s.application_send_to_review(
        application=a, reviewers=[users["council"]], acting_user=coordinator
    )
    s.review_submit(
        application=a,
        acting_user=users["council"],
        evidence_strength=4,
        evaluation_quality=3,
        case_realism=4,
        recommendation="approve",
        comments="Stark evidens.",
    )
    a = s.application_recommend(
        application=a, recommend=True, proposal="Bevilja.", acting_user=coordinator
    )
    s.decision_record(
        application=a,
        approve=True,
        amount=3 * MSEK,
        minute_ref="KSAU § 88/2026",
        decided_on=dt.date(2026, 1, 20),  # after the fund's deposit of 15 January
        acting_user=users["decision_maker"],
    )
    a.refresh_from_db()
    return a.project
