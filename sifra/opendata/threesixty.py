"""The published grants as 360Giving data (360Giving Data Standard 1.4): a grant package as JSON
and the same grants as CSV with 360Giving's column titles.

Identifiers, and why:
- A grant is `<prefix>-<grant reference>`. 360Giving gives each publisher a `360G-…` prefix when
  it first publishes; set it in `SIFRA_360GIVING_PREFIX`. Until then the prefix is built from
  the municipality's name (`360G-exempelkommun`), the form 360Giving's prefixes take. The
  grant reference is the project's reference, fixed when it was first published.
- The funder is the municipality, named by its organisation number in org-id.guide's list
  SE-ON (Organisationsnummer, Sweden): `SE-ON-2120009999`. (SE-BLV, Bolagsverket, is
  deprecated in the register in favour of SE-ON, and a municipality's number is not
  Bolagsverket's to give: group 2 numbers come from other authorities.)
- The recipient is the lead committee, which is part of the municipality and has no number of
  its own: the municipality's identifier, with the committee as the department.
- The beneficiaries are in the municipality.
"""

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from sifra.accounts.models import Organisation
from sifra.core.exports import inert
from sifra.core.money import ore_to_kronor
from sifra.funds.models import Fund
from sifra.opendata.privacy import holds_personal_number
from sifra.opendata.selectors import public_projects

SCHEMA_VERSION = "1.4"
CURRENCY = "SEK"
ORG_ID_LIST = "SE-ON"


def grant_prefix(org: Organisation) -> str:
    configured = getattr(settings, "SIFRA_360GIVING_PREFIX", "")
    return configured or f"360G-{slugify(org.name)}"


def org_identifier(org: Organisation) -> str | None:
    """The municipality's org-id.guide identifier, or None without a 10-digit number."""
    digits = re.sub(r"\D", "", org.org_number or "")
    return f"{ORG_ID_LIST}-{digits}" if len(digits) == 10 else None


def _number(ore: int) -> int | Decimal:
    """Kronor as a JSON number, exact: whole kronor as an integer, else two decimals."""
    kronor = ore_to_kronor(ore)
    return int(kronor) if ore % 100 == 0 else kronor


def duration_months(start: dt.date, end: dt.date) -> int:
    """Whole months from the first day to the day after the last (1 Mar 2014 – 31 Dec 2016:
    34)."""
    after = end + dt.timedelta(days=1)
    months = (after.year - start.year) * 12 + after.month - start.month
    return max(0, months - (1 if after.day < start.day else 0))


def _planned(project: Any) -> list[dict[str, Any]]:
    if project.start_date is None:
        return []
    event: dict[str, Any] = {"startDate": project.start_date.isoformat()}
    if project.end_date is not None and project.end_date >= project.start_date:
        event["endDate"] = project.end_date.isoformat()
        event["duration"] = duration_months(project.start_date, project.end_date)
    return [event]


def _timestamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


def public_url(path: str) -> str:
    """An address on the public site (SITE_URL): the feeds are the same wherever they are read."""
    return settings.SITE_URL + path


def grant_record(public: Any) -> dict[str, Any]:
    """One published project (a selectors.PublicProject) as a 360Giving grant."""
    project, publication = public.project, public.publication
    org = project.fund.organisation
    org_id = org_identifier(org) or f"{grant_prefix(org)}-ORG"
    lead = project.lead_unit.name
    grant: dict[str, Any] = {
        "id": f"{grant_prefix(org)}-{publication.grant_ref}",
        "title": project.title,
        "description": publication.summary,
        "currency": CURRENCY,
        "amountAwarded": _number(public.facts.amount_awarded),
        "amountDisbursed": _number(public.disbursed),
        "awardDate": public.facts.award_date.isoformat(),
        "plannedDates": _planned(project),
        "recipientOrganization": [
            {"id": org_id, "name": f"{org.name}, {lead}", "department": lead}
        ],
        "fundingOrganization": [{"id": org_id, "name": org.name}],
        "beneficiaryLocation": [{"name": org.name, "countryCode": "SE"}],
        "grantProgramme": [{"code": str(project.fund_id), "title": project.fund.name}],
        "dateModified": _timestamp(publication.updated_at),
        "url": public_url(reverse("opendata:project", args=[project.pk])),
    }
    if not grant["plannedDates"]:
        del grant["plannedDates"]
    return grant


def published_grants(fund: Fund) -> list[dict[str, Any]]:
    """The fund's published grants as 360Giving records, in reference order; a grant in which
    a personal identity number turns up is left out, whatever was checked when it was
    published."""
    grants = [grant_record(p) for p in public_projects(fund=fund)]
    return [g for g in grants if not holds_personal_number(g)]


def _json_number(value: Any) -> float:
    """A Decimal amount as a JSON number. Two decimals of up to 13 digits of kronor are written
    exactly (a float's shortest form reads back as the same decimal)."""
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"not JSON: {type(value).__name__}")


def package_json(package: dict[str, Any]) -> str:
    return json.dumps(package, ensure_ascii=False, indent=2, default=_json_number) + "\n"


def grant_package(fund: Fund, grants: list[dict[str, Any]]) -> dict[str, Any]:
    """A 360Giving grant package of `grants`, published by the fund's municipality."""
    org = fund.organisation
    publisher: dict[str, Any] = {"name": org.name}
    if org_identifier(org):
        publisher["identifier"] = org_identifier(org)
    return {
        "version": SCHEMA_VERSION,
        "title": f"{fund.name}, {org.name}",
        "description": f"Beviljade medel ur {fund.name.lower()} i {org.name} (360Giving).",
        "identifier": f"{grant_prefix(org)}-fund-{fund.pk}",
        "issued": timezone.localdate().isoformat(),
        "publisher": publisher,
        "license": settings.SIFRA_OPEN_DATA_LICENSE,
        "accessURL": public_url(reverse("opendata:public")),
        "downloadURL": public_url(reverse("api:opendata_360giving", args=[fund.pk])),
        "grants": grants,
    }


def _first(key: str, field: str) -> Callable[[dict[str, Any]], Any]:
    return lambda g: (g.get(key) or [{}])[0].get(field, "")


# 360Giving's column titles (its summary-table template), in its order, for what Sifra fills.
COLUMNS: list[tuple[str, Callable[[dict[str, Any]], Any]]] = [
    ("Identifier", lambda g: g["id"]),
    ("Title", lambda g: g["title"]),
    ("Description", lambda g: g["description"]),
    ("Currency", lambda g: g["currency"]),
    ("Amount Awarded", lambda g: g["amountAwarded"]),
    ("Amount Disbursed", lambda g: g["amountDisbursed"]),
    ("Award Date", lambda g: g["awardDate"]),
    ("URL", lambda g: g["url"]),
    ("Planned Dates:Start Date", _first("plannedDates", "startDate")),
    ("Planned Dates:End Date", _first("plannedDates", "endDate")),
    ("Planned Dates:Duration (months)", _first("plannedDates", "duration")),
    ("Recipient Org:Identifier", _first("recipientOrganization", "id")),
    ("Recipient Org:Name", _first("recipientOrganization", "name")),
    ("Recipient Org:Department", _first("recipientOrganization", "department")),
    ("Beneficiary Location:Name", _first("beneficiaryLocation", "name")),
    ("Beneficiary Location:Country Code", _first("beneficiaryLocation", "countryCode")),
    ("Funding Org:Identifier", _first("fundingOrganization", "id")),
    ("Funding Org:Name", _first("fundingOrganization", "name")),
    ("Grant Programme:Code", _first("grantProgramme", "code")),
    ("Grant Programme:Title", _first("grantProgramme", "title")),
    ("Last modified", lambda g: g["dateModified"]),
]


def grants_csv(grants: list[dict[str, Any]]) -> str:
    """The grants as 360Giving's CSV: UTF-8, commas, one row per grant, each cell made inert
    (a text starting with = + - @ cannot become a formula in a spreadsheet)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([title for title, _ in COLUMNS])
    for grant in grants:
        writer.writerow([inert(str(value)) for _, value in ((t, f(grant)) for t, f in COLUMNS)])
    return out.getvalue()
