"""Writes to the organisation, its units and partners, users and API tokens."""

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.models import TOTPDevice

from sifra.accounts import permissions
from sifra.accounts.models import ApiToken, Organisation, Partner, Role, Unit, User
from sifra.audit.models import AuditEvent
from sifra.audit.services import audit_record, changes
from sifra.core.personnummer import refuse_personal_numbers

NOT_ALLOWED = gettext_lazy("You may not do this.")
USERNAME_TAKEN = gettext_lazy("That username is taken.")
APPLICANT_NEEDS_UNIT = gettext_lazy("An applicant must belong to at least one unit.")
UNIT_CYCLE = gettext_lazy("A unit cannot belong to itself or to one of its own sub-units.")
CANNOT_DEMOTE_SELF = gettext_lazy(
    "You cannot remove your own coordinator role or deactivate yourself."
)
TOKEN_NOT_YOURS = gettext_lazy("You can revoke only your own tokens.")
NAME_REQUIRED = gettext_lazy("Enter a name.")
WRONG_PASSWORD = gettext_lazy("Your current password is wrong.")
WRONG_CODE = gettext_lazy("The code is wrong or has expired: enter the current code from the app.")
ALREADY_SET_UP = gettext_lazy(
    "Your second factor is already set up. If you lost it, ask the fund coordinator to reset it."
)

USER_FIELDS = ("first_name", "last_name", "email", "role", "is_active")


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(NOT_ALLOWED)


def _user_snapshot(user: User) -> dict[str, Any]:
    data: dict[str, Any] = {f: getattr(user, f) for f in USER_FIELDS}
    data["units"] = sorted(u.name for u in user.units.all()) if user.pk else []
    return data


def _check_applicant_units(role: str, units: list[Unit]) -> None:
    if role == Role.APPLICANT and not units:
        raise ValidationError({"units": str(APPLICANT_NEEDS_UNIT)})


@transaction.atomic(durable=True)
def user_create(
    *,
    username: str,
    password: str,
    role: str,
    acting_user: Any,
    units: list[Unit] | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> User:
    _require(permissions.can_manage_people(acting_user))
    units = list(units or [])
    if User.objects.filter(username__iexact=username.strip()).exists():
        raise ValidationError({"username": str(USERNAME_TAKEN)})
    _check_applicant_units(role, units)
    user = User(
        username=username.strip(),
        role=role,
        first_name=first_name,
        last_name=last_name,
        email=email,
    )
    user.full_clean(exclude=["password"])
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    user.set_password(password)
    user.save()
    user.units.set(units)
    audit_record(
        acting_user=acting_user,
        kind=AuditEvent.Kind.USER_CREATED,
        subject=user,
        data=_user_snapshot(user),
    )
    return user


@transaction.atomic(durable=True)
def user_update(
    *,
    user: User,
    acting_user: Any,
    units: list[Unit] | None = None,
    password: str = "",
    **fields: Any,
) -> User:
    _require(permissions.can_manage_people(acting_user))
    user = User.objects.select_for_update().get(pk=user.pk)
    before = _user_snapshot(user)
    for name, value in fields.items():
        if name not in USER_FIELDS:
            raise TypeError(f"unknown user field: {name}")
        setattr(user, name, value)
    if user.pk == acting_user.pk and (user.role != Role.COORDINATOR or not user.is_active):
        raise ValidationError({"role": str(CANNOT_DEMOTE_SELF)})
    new_units = list(units) if units is not None else list(user.units.all())
    _check_applicant_units(user.role, new_units)
    user.full_clean(exclude=["password"])
    if password:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ValidationError({"password": exc.messages}) from None
        user.set_password(password)
    user.save()
    user.units.set(new_units)
    diff = changes(before, _user_snapshot(user))
    if password:
        diff["password"] = ["…", "…"]
    if diff:
        audit_record(
            acting_user=acting_user, kind=AuditEvent.Kind.USER_UPDATED, subject=user, data=diff
        )
    return user


def _validated_password(password: str, user: User, field: str) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from None


@transaction.atomic(durable=True)
def user_password_change(
    *, user: User, old_password: str, new_password: str, acting_user: Any
) -> User:
    """A user's own new password, given the current one and passing Django's validators."""
    _require(acting_user is not None and acting_user.pk == user.pk)
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.check_password(old_password):
        raise ValidationError({"old_password": str(WRONG_PASSWORD)})
    _validated_password(new_password, user, "password")
    user.set_password(new_password)
    user.save(update_fields=["password"])
    audit_record(
        acting_user=acting_user,
        kind=AuditEvent.Kind.USER_UPDATED,
        subject=user,
        data={"password": ["…", "…"]},
    )
    return user


# --- The second factor ------------------------------------------------------------------------


@transaction.atomic(durable=True)
def second_factor_start(*, user: User, acting_user: Any) -> TOTPDevice:
    """The user's authenticator waiting to be confirmed, with a new random key. A confirmed one is
    never replaced here, or a stolen password would be enough to move the second factor."""
    _require(acting_user.pk == user.pk and permissions.can_use_second_factor(user))
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise ValidationError(str(ALREADY_SET_UP))
    pending = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return pending or TOTPDevice.objects.create(user=user, name="Sifra", confirmed=False)


def second_factor_confirm(*, user: User, code: str, acting_user: Any) -> TOTPDevice:
    """Confirm the waiting authenticator with a code from it. A wrong code is refused after its
    transaction commits, so that django-otp's throttling of wrong codes is kept."""
    _require(acting_user.pk == user.pk and permissions.can_use_second_factor(user))
    with transaction.atomic(durable=True):
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
        verified = device is not None and device.verify_token(code)
        if device is not None and verified:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            audit_record(
                acting_user=acting_user,
                kind=AuditEvent.Kind.USER_UPDATED,
                subject=user,
                data={"second_factor": ["none", "set up"]},
            )
    if device is None or not verified:
        raise ValidationError({"code": str(WRONG_CODE)})
    return device


@transaction.atomic(durable=True)
def user_second_factor_reset(*, user: User, acting_user: Any) -> None:
    """Recovery of a lost authenticator: the coordinator removes it, and the user sets up a new
    one at the next login. Any session verified with the old one is no longer verified."""
    _require(permissions.can_reset_second_factor(acting_user))
    deleted, _ = TOTPDevice.objects.filter(user=user).delete()
    audit_record(
        acting_user=acting_user,
        kind=AuditEvent.Kind.USER_UPDATED,
        subject=user,
        data={"second_factor": ["set up" if deleted else "none", "reset"]},
    )


# --- Units, partners, the organisation ---------------------------------------------------------

UNIT_FIELDS = ("name", "code", "kind", "parent", "is_active")
PARTNER_FIELDS = ("name", "kind", "org_number", "is_active")


def _snapshot(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {f: str(v) if hasattr((v := getattr(obj, f)), "pk") else v for f in fields}


def _check_no_cycle(unit: Unit) -> None:
    if unit.parent is not None and (
        unit.parent.pk == unit.pk or unit.pk in {a.pk for a in unit.parent.ancestors()}
    ):
        raise ValidationError({"parent": str(UNIT_CYCLE)})


def _create(
    model: Any,
    organisation: Organisation,
    fields: dict[str, Any],
    allowed: tuple[str, ...],
    kind: str,
    acting_user: Any,
) -> Any:
    obj = model(organisation=organisation, **fields)
    obj.full_clean()
    obj.save()
    audit_record(acting_user=acting_user, kind=kind, subject=obj, data=_snapshot(obj, allowed))
    return obj


def _update(
    obj: Any,
    fields: dict[str, Any],
    allowed: tuple[str, ...],
    kind: str,
    acting_user: Any,
    check: Any = None,
) -> Any:
    """Change the given fields of a locked row and audit what changed."""
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    before = _snapshot(obj, allowed)
    for name, value in fields.items():
        if name not in allowed:
            raise TypeError(f"unknown {type(obj).__name__} field: {name}")
        setattr(obj, name, value)
    if check is not None:
        check(obj)
    obj.full_clean()
    obj.save()
    diff = changes(before, _snapshot(obj, allowed))
    if diff:
        audit_record(acting_user=acting_user, kind=kind, subject=obj, data=diff)
    return obj


@transaction.atomic(durable=True)
def unit_create(*, organisation: Organisation, acting_user: Any, **fields: Any) -> Unit:
    _require(permissions.can_manage_people(acting_user))
    return _create(
        Unit, organisation, fields, UNIT_FIELDS, AuditEvent.Kind.UNIT_CREATED, acting_user
    )


@transaction.atomic(durable=True)
def unit_update(*, unit: Unit, acting_user: Any, **fields: Any) -> Unit:
    _require(permissions.can_manage_people(acting_user))
    return _update(
        unit, fields, UNIT_FIELDS, AuditEvent.Kind.UNIT_UPDATED, acting_user, check=_check_no_cycle
    )


@transaction.atomic(durable=True)
def partner_create(*, organisation: Organisation, acting_user: Any, **fields: Any) -> Partner:
    _require(permissions.can_manage_people(acting_user))
    return _create(
        Partner, organisation, fields, PARTNER_FIELDS, AuditEvent.Kind.PARTNER_CREATED, acting_user
    )


@transaction.atomic(durable=True)
def partner_update(*, partner: Partner, acting_user: Any, **fields: Any) -> Partner:
    _require(permissions.can_manage_people(acting_user))
    return _update(partner, fields, PARTNER_FIELDS, AuditEvent.Kind.PARTNER_UPDATED, acting_user)


@transaction.atomic(durable=True)
def organisation_update(
    *, organisation: Organisation, acting_user: Any, name: str, org_number: str
) -> Organisation:
    _require(permissions.can_manage_people(acting_user))
    before = {"name": organisation.name, "org_number": organisation.org_number}
    organisation.name, organisation.org_number = name.strip(), org_number.strip()
    if not organisation.name:
        raise ValidationError({"name": str(NAME_REQUIRED)})
    organisation.full_clean()
    organisation.save()
    diff = changes(before, {"name": organisation.name, "org_number": organisation.org_number})
    if diff:
        audit_record(
            acting_user=acting_user,
            kind=AuditEvent.Kind.ORGANISATION_UPDATED,
            subject=organisation,
            data=diff,
        )
    return organisation


# --- API tokens ---------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def api_token_create(*, user: User, name: str, acting_user: Any) -> tuple[ApiToken, str]:
    """A new token for `user`; returns the key, which is never stored and cannot be shown again.
    `acting_user` is the user itself, or None when an administrator runs `sifra token`."""
    if acting_user is not None:
        _require(permissions.can_use_api_tokens(acting_user) and acting_user.pk == user.pk)
    if not name.strip():
        raise ValidationError({"name": str(NAME_REQUIRED)})
    refuse_personal_numbers(name=name)
    key, digest, hint = ApiToken.new_key()
    token = ApiToken.objects.create(user=user, name=name.strip(), digest=digest, hint=hint)
    audit_record(
        acting_user=acting_user,
        kind=AuditEvent.Kind.TOKEN_CREATED,
        subject=token,
        data={"user": user.username, "name": token.name},
    )
    return token, key


@transaction.atomic(durable=True)
def api_token_revoke(*, token: ApiToken, acting_user: Any) -> ApiToken:
    if token.user_id != getattr(acting_user, "pk", None):
        raise PermissionDenied(TOKEN_NOT_YOURS)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            acting_user=acting_user,
            kind=AuditEvent.Kind.TOKEN_REVOKED,
            subject=token,
            data={"user": token.user.username, "name": token.name},
        )
    return token
