import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from sifra.accounts.models import Organisation, Role, User
from sifra.applications.models import Application, Status
from sifra.audit.models import AuditEvent
from sifra.evaluation.expost import project_comparison
from sifra.funds.models import Fund, LedgerEntry
from sifra.funds.selectors import fund_balances
from sifra.projects.models import Project
from sifra.repayment.models import Claim, ClaimPayment, VerifiedSaving

MSEK = 100_000_000


@pytest.mark.django_db
def test_demo_data_builds_exempelkommun_once(capsys):
    call_command("demo_data")
    fund = Fund.objects.get()
    b = fund_balances(fund=fund)
    deposits = 65 * MSEK + 12 * 5 * MSEK
    payouts = 5_700_000_00 + 2_400_000_00 + 3_000_000_00 + 2_500_000_00 + 1_400_000_00
    payouts += 6_000_000_00  # the randomised trial of Norrköping's model
    repaid = sum(p.amount for p in ClaimPayment.objects.filter(kind="repayment"))
    settled = sum(p.amount for p in ClaimPayment.objects.all())
    assert repaid == 4_450_000_00  # the fund revolves: money came back
    assert b.capital == deposits - payouts + repaid
    assert b.available == b.capital - b.committed and b.available > 0
    standing = Claim.objects.filter(ledger_entry__reversed_by__isnull=True)
    assert b.claims == sum(c.amount for c in standing) - settled
    # a saving verified on a wrong figure, reversed with the reason, and verified again
    wrong, right = VerifiedSaving.objects.filter(year=2019).order_by("id")
    assert wrong.reversed_at and wrong.reversal_reason and right.reversed_at is None
    assert (wrong.unit, wrong.project) == (right.unit, right.project)
    assert all(c.ledger_entry.reversed_by for c in wrong.claims.all())
    assert ClaimPayment.objects.filter(kind="write_off").count() == 1
    statuses = set(Project.objects.values_list("status", flat=True))
    assert statuses == {"active", "reporting", "closed", "evaluated"}
    young = Project.objects.get(title="Unga till arbete")
    assert young.evaluations.get().council_assessment
    assert project_comparison(project=young) is not None  # the case after the fact
    assert Project.objects.count() == 6  # four registered, two from approved applications
    trial = Project.objects.get(evaluations__method="rct")
    expost = project_comparison(project=trial)
    assert expost is not None
    # the trial's effect is net of what would have happened anyway: no deadweight after the fact
    assert trial.application.case["outcomes"][0]["deadweight"] == 0.3
    # 118 children × 0.14 × 450 000 kr a year for three years at 3.5 %, less 15.9 MSEK
    saving = 118 * 0.14 * 450_000 * (1 + 1 / 1.035 + 1 / 1.035**2)
    assert expost.ex_post["npv"] == pytest.approx(saving - 15_900_000)
    assert set(Application.objects.values_list("status", flat=True)) == set(Status.values)
    assert {u.username: u.role for u in User.objects.all()} == {
        "samordnare": Role.COORDINATOR,
        "sokande": Role.APPLICANT,
        "radet": Role.COUNCIL,
        "beslut": Role.DECISION_MAKER,
        "ekonom": Role.ECONOMIST,
        "revisor": Role.AUDITOR,
    }
    assert User.objects.get(username="sokande").check_password("demo")
    audited = AuditEvent.objects.filter(kind__in=["ledger.posted", "ledger.reversed"])
    assert audited.count() == LedgerEntry.objects.count()
    assert max(LedgerEntry.objects.values_list("date", flat=True)) <= dt.date.today()
    call_command("demo_data")
    assert Fund.objects.count() == 1
    assert "samordnare" in capsys.readouterr().out


@pytest.mark.django_db
def test_demo_data_is_refused_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("demo_data")
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_setup_creates_the_organisation_and_first_coordinator(monkeypatch):
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "Ett-starkt-lösen-2026")
    call_command(
        "setup", organisation="Örebro kommun", org_number="212000-1819", coordinator="anna"
    )
    assert Organisation.current().name == "Örebro kommun"
    anna = User.objects.get(username="anna")
    assert anna.role == Role.COORDINATOR and anna.check_password("Ett-starkt-lösen-2026")
    with pytest.raises(CommandError):
        call_command("setup", organisation="Igen", coordinator="bo")


@pytest.mark.django_db
def test_setup_refuses_a_weak_password(monkeypatch):
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "demo")
    with pytest.raises(CommandError):
        call_command("setup", organisation="X", coordinator="anna")
    assert not Organisation.objects.exists()
