"""Writes to a fund's account mapping: created with the defaults on first use, changed by the
coordinator. Each is one durable transaction with an audit row."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy

from sifra.accounting import chart, selectors
from sifra.accounting.models import FundAccount
from sifra.accounts import permissions
from sifra.audit.models import AuditEvent
from sifra.audit.services import audit_record, changes
from sifra.funds.models import Fund

NOT_ALLOWED = gettext_lazy("You may not do this.")
NUMBER_REQUIRED = gettext_lazy("Enter the account number.")
NAME_REQUIRED = gettext_lazy("Enter the account name.")
NAME_TOO_LONG = gettext_lazy("The account name can be at most 100 characters.")
WRONG_CLASS = gettext_lazy("This account must be in account class %(classes)s of the chart.")
NUMBER_TWICE = gettext_lazy("Account %(number)s is already used for another role.")


def _snapshot(fund: Fund) -> dict[str, Any]:
    """The accounts in force (stored, else the defaults), as {"cash_number": "1930", …}."""
    return {
        f"{role}_{part}": getattr(account, part)
        for role, account in selectors.fund_accounts(fund=fund).items()
        for part in ("number", "name")
    }


def _create(fund: Fund, accounts: dict[str, tuple[str, str]]) -> None:
    FundAccount.objects.filter(fund=fund).delete()
    for role in chart.ROLES:
        number, name = accounts[role.key]
        row = FundAccount(fund=fund, role=role.key, number=number, name=name)
        try:  # the number's format, a personal number in a name: named as the mapping's field
            row.full_clean(exclude=["fund"], validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            raise ValidationError(
                {f"{role.key}_{k}": v for k, v in exc.message_dict.items()}
            ) from None
        row.save()


@transaction.atomic(durable=True)
def account_mapping_ensure(*, fund: Fund) -> None:
    """On first use, store the default mapping (chart.ROLES), so that what the export used is
    on record; the audit row has no actor, as the system made it."""
    fund = Fund.objects.select_for_update().get(pk=fund.pk)
    if FundAccount.objects.filter(fund=fund).exists():
        return
    _create(fund, {r.key: (r.number, r.name) for r in chart.ROLES})
    audit_record(
        acting_user=None,
        kind=AuditEvent.Kind.ACCOUNT_MAPPING_CREATED,
        subject=fund,
        data=_snapshot(fund),
    )


def _clean(accounts: dict[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    """Every role's number and name, trimmed; errors name the field `<role>_number` or
    `<role>_name`."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, tuple[str, str]] = {}
    used: dict[str, str] = {}
    for role in chart.ROLES:
        number, name = (s.strip() for s in accounts.get(role.key, ("", "")))
        field = f"{role.key}_number"
        if not number:
            errors[field] = [str(NUMBER_REQUIRED)]
        elif number[0] not in role.classes and number.isdigit():
            errors[field] = [str(WRONG_CLASS) % {"classes": _classes(role.classes)}]
        elif number in used:
            errors[field] = [str(NUMBER_TWICE) % {"number": number}]
        used.setdefault(number, role.key)
        if not name:
            errors[f"{role.key}_name"] = [str(NAME_REQUIRED)]
        elif len(name) > 100:
            errors[f"{role.key}_name"] = [str(NAME_TOO_LONG)]
        cleaned[role.key] = (number, name)
    if errors:
        raise ValidationError(errors)
    return cleaned


def _classes(classes: str) -> str:
    return classes if len(classes) == 1 else f"{classes[0]}–{classes[-1]}"


@transaction.atomic(durable=True)
def account_mapping_update(
    *, fund: Fund, accounts: dict[str, tuple[str, str]], acting_user: Any
) -> Fund:
    """Replace the fund's accounts (number, name) per role. The double entries stay those of
    sifra.accounting.chart; only where they are booked changes."""
    if not permissions.can_manage_account_mapping(acting_user):
        raise PermissionDenied(NOT_ALLOWED)
    fund = Fund.objects.select_for_update().get(pk=fund.pk)
    cleaned = _clean(accounts)
    before = _snapshot(fund)
    _create(fund, cleaned)
    diff = changes(before, _snapshot(fund))
    if diff:
        audit_record(
            acting_user=acting_user,
            kind=AuditEvent.Kind.ACCOUNT_MAPPING_UPDATED,
            subject=fund,
            data=diff,
        )
    return fund
