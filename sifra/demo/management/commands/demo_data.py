"""`sifra demo_data`: Exempelkommun, built from the seeds (Örebro's 65 MSEK fund, Norrköping's
children's case, fall prevention shared with the region). Idempotent; refused in production."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sifra.accounts.models import Organisation, Partner, Role, Unit, User
from sifra.accounts.services import partner_create, unit_create, user_create
from sifra.demo.applications import build_applications
from sifra.demo.closing import build_closing
from sifra.demo.followup import (
    build_closed,
    build_evaluated,
    build_expost,
    build_followup,
)
from sifra.demo.forecast import build_forecast
from sifra.demo.opendata import build_publications
from sifra.demo.timeline import order_the_dates
from sifra.funds.models import EntryKind, Fund
from sifra.funds.services import fund_create, ledger_entry_post
from sifra.portfolio.summaries import case_summaries_refresh
from sifra.projects.services import project_create

DEMO_PASSWORD = "demo"
MSEK = 100_000_000  # öre in a million kronor

COMMITTEES = {
    "Kommunstyrelsen": ("KS", "Kommunledningsförvaltningen"),
    "Socialnämnden": ("SN", "Socialförvaltningen"),
    "Barn- och utbildningsnämnden": ("BUN", "Barn- och utbildningsförvaltningen"),
    "Vård- och omsorgsnämnden": ("VON", "Vård- och omsorgsförvaltningen"),
    "Arbetsmarknadsnämnden": ("AMN", "Arbetsmarknadsförvaltningen"),
}
PARTNERS = [
    ("Region Exempellän", Partner.Kind.REGION),
    ("Försäkringskassan", Partner.Kind.STATE),
    ("Arbetsförmedlingen", Partner.Kind.STATE),
    ("Exempelstadens stadsmission", Partner.Kind.CIVIC),
]
USERS = [
    ("samordnare", "Sara", "Samordnare", Role.COORDINATOR, []),
    ("sokande", "Sven", "Sökande", Role.APPLICANT, ["Socialnämnden"]),
    ("radet", "Rut", "Rådsledamot", Role.COUNCIL, []),
    ("beslut", "Bo", "Beslutsfattare", Role.DECISION_MAKER, []),
    ("ekonom", "Eva", "Ekonom", Role.ECONOMIST, []),
    ("revisor", "Rolf", "Revisor", Role.AUDITOR, []),
]
RULES = """Fonden finansierar förebyggande insatser som går över nämndgränser och som inte är \
ordinarie verksamhet. Finansieringen får inte minska nämndernas ordinarie driftbudget.

1. Varje ansökan ska beskriva hur den ekonomiska uppföljningen ska göras, och projektet ska \
följas upp, värderas och mätas under och efter projekttiden.
2. Det vetenskapliga rådet bedömer evidensen bakom insatsen och metoden för uppföljning.
3. Beviljade medel betalas tillbaka till fonden när det förebyggande arbetet visar resultat i \
budgeten, enligt ett återbetalningsavtal per projekt.
4. Delrapport varje halvår och slutrapport senast sex månader efter projekttidens slut."""


class Command(BaseCommand):
    help = "Create the demo municipality Exempelkommun with a fund, projects and users."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--projects",
            type=int,
            default=None,
            help="Also build a synthetic fund with this many projects over twenty years "
            "(2000: a large municipality), for benchmarks.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("demo_data is for development only (SIFRA_ENV=production).")
        projects = options.get("projects")
        if projects is not None and not 1 <= projects <= 20_000:
            raise CommandError("--projects: must be between 1 and 20000.")
        if Organisation.objects.exists():
            self.stdout.write("The demo data is already there.")
        else:
            build_demo()  # each service is its own durable transaction
            self.stdout.write(self.style.SUCCESS("Created Exempelkommun and its fund."))
        if projects is not None:
            self._build_scale(projects)
        self._print_users()

    def _build_scale(self, projects: int) -> None:
        from sifra.demo.scale import FUND_NAME, build_scale

        if Fund.objects.filter(name=FUND_NAME).exists():
            self.stdout.write(f"{FUND_NAME} is already there.")
            return
        report = build_scale(projects)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {FUND_NAME} (fund {report.fund.pk}): {report.projects} projects, "
                f"{report.entries} ledger entries, {report.indicator_values} indicator values "
                f"in {report.seconds:.1f} s."
            )
        )

    def _print_users(self) -> None:
        self.stdout.write(f"\nDemo users (password '{DEMO_PASSWORD}', demo data only):")
        for username, _first, _last, role, units in USERS:
            where = f" för {', '.join(units)}" if units else ""
            self.stdout.write(f"  {username:<11} {Role(role).label}{where}")
        self.stdout.write("")


def _bootstrap_coordinator() -> User:
    """The first coordinator cannot be made by a service that needs a coordinator; as with
    createsuperuser, it is made directly."""
    user = User.objects.create_user(
        "samordnare",
        first_name="Sara",
        last_name="Samordnare",
        role=Role.COORDINATOR,
        password=DEMO_PASSWORD,
    )
    return user


def build_demo() -> None:
    org = Organisation.objects.create(name="Exempelkommun", org_number="212000-9999")
    coordinator = _bootstrap_coordinator()
    units = _build_units(org, coordinator)
    partners = {
        name: partner_create(organisation=org, acting_user=coordinator, name=name, kind=kind)
        for name, kind in PARTNERS
    }
    _build_users(coordinator, units)
    fund = _build_fund(org, coordinator)
    _build_projects(fund, coordinator, units, partners)
    build_followup(units)
    build_closed(units)
    build_applications(fund, units, partners)
    build_expost()
    build_evaluated()
    order_the_dates()
    build_publications()
    build_closing(fund)  # last: a closed year takes no more entries
    build_forecast(fund)  # reads everything above
    case_summaries_refresh(fund=fund)  # the portfolio's figures of each project's case


def _build_units(org: Organisation, coordinator: User) -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    for name, (code, administration) in COMMITTEES.items():
        committee = unit_create(
            organisation=org,
            acting_user=coordinator,
            name=name,
            code=code,
            kind=Unit.Kind.COMMITTEE,
        )
        units[name] = committee
        units[administration] = unit_create(
            organisation=org,
            acting_user=coordinator,
            name=administration,
            code=f"{code}F",
            kind=Unit.Kind.ADMINISTRATION,
            parent=committee,
        )
    return units


def _build_users(coordinator: User, units: dict[str, Unit]) -> None:
    for username, first, last, role, unit_names in USERS[1:]:
        user = user_create(
            username=username,
            password="Demo-lösenord-2026!",
            role=role,
            first_name=first,
            last_name=last,
            acting_user=coordinator,
            units=[units[n] for n in unit_names],
            email=f"{username}@exempelkommun.se",
        )
        # The demo's published password is too weak for the validators, on purpose.
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])


def _build_fund(org: Organisation, coordinator: User) -> Fund:
    fund = fund_create(
        organisation=org,
        acting_user=coordinator,
        name="Social investeringsfond",
        description="Fond för socialt utvecklingsarbete: förebyggande insatser över nämndgränser.",
        rules=RULES,
        rules_decision_ref="KF § 12/2013",
        established_on=dt.date(2013, 1, 1),
        annual_topup=5 * MSEK,
        target_capital=130 * MSEK,
    )
    _post(
        fund,
        coordinator,
        EntryKind.DEPOSIT,
        65 * MSEK,
        dt.date(2013, 1, 15),
        "Kapitaltillskott: återbetalda AFA-premier",
        "KF § 12/2013",
    )
    for year in range(2014, 2026):
        _post(
            fund,
            coordinator,
            EntryKind.DEPOSIT,
            5 * MSEK,
            dt.date(year, 1, 20),
            f"Årligt kapitaltillskott {year}",
            f"KF § 4/{year}",
        )
    return fund


def _post(
    fund: Fund,
    user: User,
    kind: str,
    amount: int,
    date: dt.date,
    text: str,
    ref: str = "",
    project: Any = None,
) -> None:
    ledger_entry_post(
        fund=fund,
        kind=kind,
        amount=amount,
        date=date,
        text=text,
        project=project,
        decision_ref=ref,
        acting_user=user,
    )


def _build_projects(
    fund: Fund, coordinator: User, units: dict[str, Unit], partners: dict[str, Partner]
) -> None:
    children = project_create(
        fund=fund,
        acting_user=coordinator,
        code="SIF-2014-01",
        title="Tidigt stöd till familjer",
        description="120 barn får tidigt och samordnat stöd; om var femte undviker placering i "
        "familjehem tjänas kostnaden in på ett och ett halvt år (Norrköpings kalkyl).",
        lead_unit=units["Socialnämnden"],
        units=[units["Barn- och utbildningsnämnden"]],
        decision_ref="KSAU § 88/2014",
        start_date=dt.date(2014, 3, 1),
        end_date=dt.date(2016, 12, 31),
        status="reporting",
    )
    _post(
        fund,
        coordinator,
        EntryKind.COMMITMENT,
        6 * MSEK,
        dt.date(2014, 2, 20),
        "Beviljat belopp",
        "KSAU § 88/2014",
        children,
    )
    for year in (2014, 2015, 2016):
        _post(
            fund,
            coordinator,
            EntryKind.DISBURSEMENT,
            19 * MSEK // 10,
            dt.date(year, 4, 1),
            f"Utbetalning {year}",
            project=children,
        )

    falls = project_create(
        fund=fund,
        acting_user=coordinator,
        code="SIF-2015-02",
        title="Fallprevention i ordinärt boende",
        description="Fysioterapeuter och träning för äldre i ordinärt boende; kostnaden bärs av "
        "kommunen, besparingarna delas med regionen (färre höftfrakturer).",
        lead_unit=units["Vård- och omsorgsnämnden"],
        partners=[partners["Region Exempellän"]],
        decision_ref="KSAU § 40/2015",
        start_date=dt.date(2015, 9, 1),
        end_date=dt.date(2017, 8, 31),
        status="reporting",
    )
    _post(
        fund,
        coordinator,
        EntryKind.COMMITMENT,
        24 * MSEK // 10,
        dt.date(2015, 6, 10),
        "Beviljat belopp",
        "KSAU § 40/2015",
        falls,
    )
    for year in (2015, 2016):
        _post(
            fund,
            coordinator,
            EntryKind.DISBURSEMENT,
            12 * MSEK // 10,
            dt.date(year, 9, 15),
            f"Utbetalning {year}",
            project=falls,
        )

    work = project_create(
        fund=fund,
        acting_user=coordinator,
        code="SIF-2024-03",
        title="Vägen till arbete",
        description="Samordnade insatser för unga vuxna med enbart grundskoleutbildning som "
        "länge stått utanför arbetsmarknaden.",
        lead_unit=units["Arbetsmarknadsnämnden"],
        units=[units["Socialnämnden"]],
        partners=[partners["Arbetsförmedlingen"], partners["Försäkringskassan"]],
        decision_ref="KSAU § 102/2024",
        start_date=dt.date(2024, 9, 1),
        end_date=dt.date(2027, 8, 31),
    )
    _post(
        fund,
        coordinator,
        EntryKind.COMMITMENT,
        45 * MSEK // 10,
        dt.date(2024, 6, 12),
        "Beviljat belopp",
        "KSAU § 102/2024",
        work,
    )
    for year in (2024, 2025):
        _post(
            fund,
            coordinator,
            EntryKind.DISBURSEMENT,
            15 * MSEK // 10,
            dt.date(year, 9, 2),
            f"Utbetalning {year}",
            project=work,
        )
