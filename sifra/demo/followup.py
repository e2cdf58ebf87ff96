"""The demo's follow-up and repayment: reports, verified savings, claims, repayments, a
write-off and a closed project, so that the fund's capital visibly revolves."""

import datetime as dt
from decimal import Decimal

from sifra.accounts.models import Unit, User
from sifra.followup import services as f
from sifra.followup.models import ProgressReport, ReportKind
from sifra.projects.models import Project
from sifra.projects.services import project_close
from sifra.repayment import services as r

MSEK = 100_000_000


def _report(
    project: Project,
    by: User,
    coordinator: User,
    kind: str,
    start: dt.date,
    end: dt.date,
    participants: int,
    values: list[str],
    costs: list[int],
    narrative: str,
    approve: bool = True,
) -> ProgressReport:
    due = project.dues.filter(kind=kind, period_end=end).first()
    report = f.report_create(
        project=project, acting_user=by, due=due, kind=kind, period_start=start, period_end=end
    )
    indicators = list(project.indicators.all())
    lines = list(project.budget_lines.all())
    f.report_update(
        report=report,
        acting_user=by,
        participants=participants,
        narrative=narrative,
        values={i.pk: Decimal(v) for i, v in zip(indicators, values, strict=True)},
        costs={b.pk: c for b, c in zip(lines, costs, strict=False)},
    )
    f.report_submit(report=report, acting_user=by)
    if approve:
        f.report_approve(report=report, acting_user=coordinator)
    return report


def _setup(
    project: Project,
    coordinator: User,
    indicator: dict,
    budget: list[tuple[int, int]],
    every_months: int = 6,
) -> None:
    f.indicator_add(project=project, acting_user=coordinator, **indicator)
    for year, amount in budget:
        f.budget_line_add(
            project=project,
            acting_user=coordinator,
            year=year,
            description="Personal och material",
            from_fund=amount,
        )
    f.schedule_set(project=project, every_months=every_months, acting_user=coordinator)


def build_followup(units: dict[str, Unit]) -> None:
    people = {u.username: u for u in User.objects.all()}
    coordinator, economist = people["samordnare"], people["ekonom"]
    applicant = people["sokande"]
    children = Project.objects.get(code="SIF-2014-01")
    falls = Project.objects.get(code="SIF-2015-02")
    work = Project.objects.get(code="SIF-2024-03")
    sn, bun = units["Socialnämnden"], units["Barn- och utbildningsnämnden"]

    # Norrköping's children: reported, closed, savings verified and mostly repaid.
    _setup(
        children,
        coordinator,
        {
            "name": "Barn placerade i familjehem",
            "unit": "antal",
            "baseline": Decimal(24),
            "baseline_year": 2013,
            "target": Decimal(19),
            "method": "Verksamhetssystemet",
            "frequency": "Halvår",
        },
        [(2014, 19 * MSEK // 10), (2015, 19 * MSEK // 10), (2016, 19 * MSEK // 10)],
        every_months=12,
    )
    for year, placed in ((2014, "23"), (2015, "20")):
        _report(
            children,
            applicant,
            coordinator,
            ReportKind.PROGRESS,
            dt.date(year, 3, 1),
            dt.date(year + 1, 2, 28),
            120,
            [placed],
            [18 * MSEK // 10],
            "Teamen arbetar som planerat; färre nya placeringar.",
        )
    _report(
        children,
        applicant,
        coordinator,
        ReportKind.FINAL,
        dt.date(2014, 3, 1),
        dt.date(2016, 12, 31),
        360,
        ["18"],
        [18 * MSEK // 10, 18 * MSEK // 10, 18 * MSEK // 10],
        "Målet nåddes: 18 placerade barn mot 24 vid start. Arbetssättet införs i "
        "ordinarie verksamhet.",
    )
    r.agreement_set(
        project=children,
        model="savings_share",
        share=Decimal(50),
        shares=[(sn, Decimal(70)), (bun, Decimal(30))],
        acting_user=economist,
        decision_ref="KSAU § 21/2017",
        notes="Halva den verifierade besparingen, upp till beviljat belopp.",
    )
    for year, amount in ((2017, 4 * MSEK), (2018, 5 * MSEK)):
        saving = r.saving_verify(
            project=children,
            year=year,
            unit=sn,
            amount=amount,
            evidence_kind="finance",
            evidence=f"Placeringskostnad {year} jämfört med 2013 års nivå (ekonomisystemet).",
            acting_user=economist,
            date=dt.date(year + 1, 3, 15),
        )
        for claim in saving.claims.all():
            paid = claim.amount if year == 2017 else claim.amount // 2
            r.claim_pay(
                claim=claim,
                amount=paid,
                kind="repayment",
                acting_user=economist,
                date=dt.date(year + 1, 6, 30),
            )
    _corrected_saving(children, sn, economist)
    project_close(
        project=children,
        outcome="implement",
        acting_user=coordinator,
        note="Arbetssättet ingår i Socialnämndens ordinarie budget från 2017.",
    )

    # Fall prevention: the saving landed partly with the region; part of the claim written off.
    von = units["Vård- och omsorgsnämnden"]
    _setup(
        falls,
        coordinator,
        {
            "name": "Fallskador med ökat hemtjänstbehov",
            "unit": "antal per år",
            "baseline": Decimal(120),
            "baseline_year": 2014,
            "target": Decimal(95),
            "method": "Avvikelserapporter",
            "frequency": "Halvår",
        },
        [(2015, 12 * MSEK // 10), (2016, 12 * MSEK // 10)],
    )
    _report(
        falls,
        coordinator,
        coordinator,
        ReportKind.PROGRESS,
        dt.date(2015, 9, 1),
        dt.date(2016, 2, 29),
        150,
        ["112"],
        [6 * MSEK // 10],
        "300 personer har fått träning; fallen minskar.",
    )
    # The next two reports: one awaits the coordinator's approval, one was sent back.
    _report(
        falls,
        coordinator,
        coordinator,
        ReportKind.PROGRESS,
        dt.date(2016, 3, 1),
        dt.date(2016, 8, 31),
        150,
        ["104"],
        [6 * MSEK // 10],
        "Träningen fortsätter; hemtjänsttimmarna efter fall har minskat.",
        approve=False,
    )
    returned = _report(
        falls,
        coordinator,
        coordinator,
        ReportKind.PROGRESS,
        dt.date(2016, 9, 1),
        dt.date(2017, 2, 28),
        140,
        ["99"],
        [0],
        "Sista perioden.",
        approve=False,
    )
    f.report_return(
        report=returned,
        acting_user=coordinator,
        comment="Redovisa de faktiska kostnaderna för perioden.",
    )
    r.agreement_set(
        project=falls,
        model="budget_adjustment",
        shares=[(von, Decimal(100))],
        acting_user=economist,
        decision_ref="KSAU § 40/2015",
    )
    saving = r.saving_verify(
        project=falls,
        year=2018,
        unit=von,
        amount=18 * MSEK // 10,
        evidence_kind="report",
        evidence="Hemtjänsttimmar efter fallskador, delrapport och ekonomisystemet.",
        acting_user=economist,
        date=dt.date(2019, 4, 1),
    )
    claim = saving.claims.get()
    r.claim_pay(
        claim=claim,
        amount=12 * MSEK // 10,
        kind="repayment",
        acting_user=economist,
        date=dt.date(2019, 9, 30),
    )
    r.claim_pay(
        claim=claim,
        amount=6 * MSEK // 10,
        kind="write_off",
        acting_user=economist,
        date=dt.date(2020, 2, 28),
        reason="Besparingen hamnade hos regionen (färre höftfrakturer), inte hos nämnden.",
    )

    # The road to work: running; one report approved, the next one overdue; a fixed schedule.
    amn = units["Arbetsmarknadsnämnden"]
    _setup(
        work,
        coordinator,
        {
            "name": "Deltagare i arbete eller studier efter 12 månader",
            "unit": "andel (%)",
            "baseline": Decimal(15),
            "baseline_year": 2023,
            "target": Decimal(40),
            "method": "Uppföljning via Arbetsförmedlingen",
            "frequency": "Halvår",
        },
        [(2024, 15 * MSEK // 10), (2025, 15 * MSEK // 10), (2026, 15 * MSEK // 10)],
    )
    _report(
        work,
        coordinator,
        coordinator,
        ReportKind.PROGRESS,
        dt.date(2024, 9, 1),
        dt.date(2025, 2, 28),
        40,
        ["22,5".replace(",", ".")],
        [7 * MSEK // 10],
        "40 unga vuxna deltar; 9 har börjat arbeta eller studera.",
    )
    r.agreement_set(
        project=work,
        model="fixed",
        shares=[(amn, Decimal(60)), (sn, Decimal(40))],
        instalments=[(2028, MSEK), (2029, MSEK)],
        acting_user=economist,
        decision_ref="KSAU § 102/2024",
    )


def _corrected_saving(project: Project, unit: Unit, economist: User) -> None:
    """A saving verified on the wrong account's figure, reversed with the reason, and verified
    again on the right one: the page shows the first struck through, with who and why."""
    wrong = r.saving_verify(
        project=project,
        year=2019,
        unit=unit,
        amount=52 * MSEK // 10,
        evidence_kind="finance",
        evidence="Placeringskostnad 2019 jämfört med 2013 års nivå (ekonomisystemet, konto 4560).",
        acting_user=economist,
        date=dt.date(2020, 3, 16),
    )
    r.saving_reverse(
        saving=wrong,
        reason="Fel underlag: konto 4560 omfattar även placeringar av vuxna. Barn och unga "
        "bokförs på konto 4561.",
        acting_user=economist,
        date=dt.date(2020, 4, 2),
    )
    r.saving_verify(
        project=project,
        year=2019,
        unit=unit,
        amount=24 * MSEK // 10,
        evidence_kind="finance",
        evidence="Placeringskostnad 2019 för barn och unga jämfört med 2013 års nivå "
        "(ekonomisystemet, konto 4561). Ersätter den rättade besparingen.",
        acting_user=economist,
        date=dt.date(2020, 4, 2),
    )


def build_expost() -> None:
    """The project that came from the approved application "Unga till arbete": a report, an
    interim evaluation with a smaller effect than hoped, the council's assessment, and so an
    ex-post case beside the ex-ante one. Then the randomised trial (build_trial)."""
    from sifra.evaluation.services import evaluation_assess, evaluation_record

    people = {u.username: u for u in User.objects.all()}
    coordinator, council = people["samordnare"], people["radet"]
    project = Project.objects.get(title="Unga till arbete", application__isnull=False)
    f.schedule_set(project=project, every_months=6, acting_user=coordinator)
    _report(
        project,
        coordinator,
        coordinator,
        ReportKind.PROGRESS,
        dt.date(2026, 1, 1),
        dt.date(2026, 6, 30),
        55,
        [],
        [2_300_000_00],
        "55 deltagare har börjat; rekryteringen gick långsammare än planerat.",
    )
    evaluation = evaluation_record(
        project=project,
        method="before_after",
        effect=Decimal("0.15"),
        ci_low=Decimal("0.08"),
        ci_high=Decimal("0.22"),
        evaluator="FoU-enheten, Region Exempellän",
        acting_user=coordinator,
        summary="Delutvärdering efter ett halvår: 15 % av deltagarna har lön i stället för "
        "försörjningsstöd, mot antagna 20 %.",
    )
    evaluation_assess(
        evaluation=evaluation,
        acting_user=council,
        assessment="Före–efter-design utan kontrollgrupp: effekten är troligen "
        "överskattad. Rådet rekommenderar en matchad jämförelsegrupp.",
    )
    build_trial()


TRIAL_TITLE = "Tidigt stöd till familjer, prövat i en randomiserad studie"


def _trial_case() -> dict:
    """Norrköping's case as an applicant would write it today: vart femte barn slipper
    placeras, of whom 30 % would have avoided placement anyway (deadweight 0.3)."""
    import tomllib

    from sifra.core.examples import example_case_text

    case = tomllib.loads(example_case_text("norrkoping-barn.toml"))
    case["case"]["title"] = TRIAL_TITLE
    case["outcomes"][0]["deadweight"] = 0.3
    return case


def _trial_application(sn: Unit, bun: Unit) -> Project:
    """Applied for, reviewed and approved in December 2025: 6 MSEK from the fund for the
    spring term 2026, Socialnämnden paying the rest of the 16.2 MSEK itself."""
    from sifra.applications import services as a
    from sifra.funds.models import Fund

    people = {u.username: u for u in User.objects.all()}
    coordinator, council = people["samordnare"], people["radet"]
    application = a.application_create(
        fund=Fund.objects.get(),
        title=TRIAL_TITLE,
        lead_unit=sn,
        acting_user=coordinator,
        received_on=dt.date(2025, 9, 15),
    )
    a.application_update(
        application=application,
        acting_user=coordinator,
        units=[bun],
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 6, 30),
        summary="Familjebehandlare och förskolans personal ger 120 familjer tidigt stöd under "
        "vårterminen 2026, enligt Norrköpings modell.",
        followup_plan="Socialförvaltningens ekonom följer placeringskostnaderna varje kvartal.",
        evaluation_plan="Randomiserad kontrollerad studie: 240 familjer som anmäls lottas till "
        "tidigt stöd eller ordinarie insatser; placeringar följs i tolv månader.",
        budget=[
            {
                "year": 2026,
                "description": "Familjebehandlare och familjepedagoger",
                "payer_unit_id": sn.pk,
                "requested": 6 * MSEK,
                "own_contribution": 102 * MSEK // 10,
            }
        ],
    )
    a.application_case_set(application=application, case=_trial_case(), acting_user=coordinator)
    a.application_submit(application=application, acting_user=coordinator)
    a.application_send_to_review(
        application=application, reviewers=[council], acting_user=coordinator
    )
    a.review_submit(
        application=application,
        acting_user=council,
        evidence_strength=4,
        evaluation_quality=5,
        case_realism=4,
        recommendation="approve",
        comments="Stark design: lottningen ger en jämförelsegrupp.",
    )
    a.application_recommend(
        application=application, recommend=True, proposal="Bevilja.", acting_user=coordinator
    )
    a.decision_record(
        application=application,
        approve=True,
        amount=6 * MSEK,
        minute_ref="KSAU § 142/2025",
        decided_on=dt.date(2025, 12, 10),
        acting_user=people["beslut"],
        conditions="Slutrapport och utvärdering av den randomiserade studien.",
    )
    application.refresh_from_db()
    assert application.project is not None
    return application.project


def build_trial() -> None:
    """Norrköping's children once more, now as an approved application whose effect was
    measured by a randomised trial: the trial's 14 percentage points are already net of what
    would have happened anyway, so the case after the fact keeps no deadweight."""
    from sifra.evaluation.services import evaluation_assess, evaluation_record
    from sifra.funds.services import ledger_entry_post

    people = {u.username: u for u in User.objects.all()}
    coordinator, economist = people["samordnare"], people["ekonom"]
    sn = Unit.objects.get(name="Socialnämnden")
    project = _trial_application(sn, Unit.objects.get(name="Barn- och utbildningsnämnden"))
    ledger_entry_post(
        fund=project.fund,
        kind="disbursement",
        amount=6 * MSEK,
        text="Utbetalning",
        project=project,
        date=dt.date(2026, 1, 15),
        acting_user=coordinator,
    )
    _report(
        project,
        coordinator,
        coordinator,
        ReportKind.FINAL,
        dt.date(2026, 1, 1),
        dt.date(2026, 6, 30),
        118,
        [],
        [159 * MSEK // 10],
        "118 av 120 familjer fullföljde stödet; två flyttade från kommunen.",
    )
    evaluation = evaluation_record(
        project=project,
        method="rct",
        effect=Decimal("0.14"),
        ci_low=Decimal("0.04"),
        ci_high=Decimal("0.24"),
        evaluator="FoU-enheten, Region Exempellän",
        acting_user=economist,
        summary="240 familjer lottades. Efter tolv månader var andelen barn placerade i "
        "familjehem 14 procentenheter lägre i insatsgruppen än i kontrollgruppen (95 % "
        "konfidensintervall 4–24).",
    )
    evaluation_assess(
        evaluation=evaluation,
        acting_user=people["radet"],
        assessment="Randomiserad design med god följsamhet. Effekten är mätt mot "
        "kontrollgruppen och är redan en nettoeffekt: dödvikten ska inte dras av en gång till.",
    )


def build_evaluated() -> None:
    """Norrköping's children, closed in 2017, evaluated afterwards: the project's last state."""
    from sifra.evaluation.services import evaluation_assess, evaluation_record

    people = {u.username: u for u in User.objects.all()}
    children = Project.objects.get(code="SIF-2014-01")
    evaluation = evaluation_record(
        project=children,
        method="historical",
        effect=Decimal("0.25"),
        ci_low=Decimal("0.15"),
        ci_high=Decimal("0.35"),
        evaluator="Extern utvärderare, Örebro universitet",
        acting_user=people["ekonom"],
        summary="Jämfört med 2010–2013 undvek var fjärde av barnen placering i familjehem.",
    )
    evaluation_assess(
        evaluation=evaluation,
        acting_user=people["radet"],
        assessment="Historisk jämförelse; rimlig men osäker. Effekten stöder att "
        "arbetssättet införs i ordinarie verksamhet.",
    )


def build_closed(units: dict[str, Unit]) -> None:
    """A project that ended without results in the budget: closed and stopped."""
    from sifra.funds.models import Fund
    from sifra.funds.services import ledger_entry_post
    from sifra.projects.services import project_create

    people = {u.username: u for u in User.objects.all()}
    coordinator = people["samordnare"]
    fund = Fund.objects.get()
    project = project_create(
        fund=fund,
        acting_user=coordinator,
        code="SIF-2019-04",
        title="Språkstöd i förskolan",
        lead_unit=units["Barn- och utbildningsnämnden"],
        units=[units["Socialnämnden"]],
        decision_ref="KSAU § 55/2019",
        description="Språkutvecklare i förskolor i två stadsdelar.",
        start_date=dt.date(2019, 8, 1),
        end_date=dt.date(2021, 6, 30),
    )
    ledger_entry_post(
        fund=fund,
        kind="commitment",
        amount=15 * MSEK // 10,
        text="Beviljat belopp",
        project=project,
        date=dt.date(2019, 6, 10),
        decision_ref="KSAU § 55/2019",
        acting_user=coordinator,
    )
    ledger_entry_post(
        fund=fund,
        kind="disbursement",
        amount=14 * MSEK // 10,
        text="Utbetalning",
        project=project,
        date=dt.date(2019, 9, 2),
        acting_user=coordinator,
    )
    _setup(
        project,
        coordinator,
        {
            "name": "Barn med godkänd språkscreening vid 5 år",
            "unit": "andel (%)",
            "baseline": Decimal(72),
            "baseline_year": 2018,
            "target": Decimal(85),
            "method": "Språkscreening",
            "frequency": "År",
        },
        [(2019, 14 * MSEK // 10)],
        every_months=12,
    )
    _report(
        project,
        coordinator,
        coordinator,
        ReportKind.FINAL,
        dt.date(2019, 8, 1),
        dt.date(2021, 6, 30),
        210,
        ["74"],
        [14 * MSEK // 10],
        "Ingen mätbar skillnad mot jämförelseområdena.",
    )
    project_close(
        project=project,
        outcome="stop",
        acting_user=coordinator,
        note="Effekten uteblev; arbetet avslutas och 100 000 kr återförs till fonden.",
    )
