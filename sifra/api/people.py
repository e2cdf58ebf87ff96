import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from sifra.accounts import permissions, services
from sifra.accounts.models import ApiToken, Organisation, Partner, Role, Unit, User
from sifra.api.auth import require_session
from sifra.api.schemas import In, kept
from sifra.core.http import require

router = Router(tags=["people"])
# Long enough for any passphrase, short enough that hashing it costs nothing unusual.
PASSWORD_MAX = 4096


class MeOut(Schema):
    id: int
    username: str
    name: str
    role: str
    unit_ids: list[int]


class TokenIn(In):
    name: str = Field(..., max_length=100)


class TokenOut(Schema):
    id: int
    name: str
    hint: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class NewTokenOut(TokenOut):
    key: str = Field(..., description="Shown once; store it now.")


class UnitIn(In):
    name: str = Field(..., max_length=200)
    code: str = Field("", max_length=20)
    kind: Unit.Kind
    parent_id: int | None = None
    is_active: bool = True


class UnitPatch(In):
    name: str = kept(max_length=200)
    code: str = kept(max_length=20)
    kind: Unit.Kind = kept()
    parent_id: int | None = None
    is_active: bool = kept()


class UnitOut(Schema):
    id: int
    name: str
    code: str
    kind: str
    parent_id: int | None
    is_active: bool


class PartnerIn(In):
    name: str = Field(..., max_length=200)
    kind: Partner.Kind
    org_number: str = Field("", max_length=11)
    is_active: bool = True


class PartnerPatch(In):
    name: str = kept(max_length=200)
    kind: Partner.Kind = kept()
    org_number: str = kept(max_length=11)
    is_active: bool = kept()


class PartnerOut(Schema):
    id: int
    name: str
    kind: str
    org_number: str
    is_active: bool


class UserIn(In):
    username: str = Field(..., max_length=150)
    password: str = Field(..., max_length=PASSWORD_MAX)
    role: Role
    unit_ids: list[int] = []
    first_name: str = Field("", max_length=150)
    last_name: str = Field("", max_length=150)
    email: str = Field("", max_length=254)


class UserPatch(In):
    role: Role = kept()
    unit_ids: list[int] = kept()
    first_name: str = kept(max_length=150)
    last_name: str = kept(max_length=150)
    email: str = kept(max_length=254)
    is_active: bool = kept()
    password: str = kept(max_length=PASSWORD_MAX)


class UserOut(Schema):
    id: int
    username: str
    first_name: str
    last_name: str
    email: str
    role: str
    unit_ids: list[int]
    is_active: bool


class OrganisationIn(In):
    name: str = Field(..., max_length=200)
    org_number: str = Field("", max_length=11)


class OrganisationOut(Schema):
    id: int
    name: str
    org_number: str


def _user_out(user: User) -> dict[str, Any]:
    return {
        "id": user.pk,
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "role": user.role,
        "unit_ids": [u.pk for u in user.units.all()],
        "is_active": user.is_active,
    }


def _units(ids: list[int] | None) -> list[Unit] | None:
    if ids is None:
        return None
    return [get_object_or_404(Unit, pk=pk) for pk in ids]


@router.get("/me", response=MeOut, tags=["people"], summary="Who the caller is")
def me(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    return {
        "id": user.pk,
        "username": user.username,
        "name": str(user),
        "role": user.role,
        "unit_ids": [u.pk for u in user.units.all()],
    }


@router.get(
    "/tokens",
    response=list[TokenOut],
    tags=["tokens"],
    summary="Your API tokens (session login only)",
)
def list_tokens(request: HttpRequest) -> Any:
    require_session(request)
    return ApiToken.objects.filter(user=request.user)


@router.post(
    "/tokens",
    response={201: NewTokenOut},
    tags=["tokens"],
    summary="Create an API token for yourself (session login only); the key is returned once",
)
def create_token(request: HttpRequest, payload: TokenIn) -> Status:
    require_session(request)
    user: User = request.user  # type: ignore[assignment]
    token, key = services.api_token_create(user=user, name=payload.name, acting_user=user)
    return Status(201, {**TokenOut.from_orm(token).dict(), "key": key})


@router.delete(
    "/tokens/{token_id}",
    response=TokenOut,
    tags=["tokens"],
    summary="Revoke one of your tokens (session login only)",
)
def revoke_token(request: HttpRequest, token_id: int) -> ApiToken:
    require_session(request)
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    return services.api_token_revoke(token=token, acting_user=request.user)


@router.get("/organisation", response=OrganisationOut, tags=["people"])
def get_organisation(request: HttpRequest) -> Organisation:
    require(permissions.can_view_people(request.user))
    return get_object_or_404(Organisation.objects.order_by("pk")[:1])


@router.put("/organisation", response=OrganisationOut, tags=["people"])
def update_organisation(request: HttpRequest, payload: OrganisationIn) -> Organisation:
    require(permissions.can_manage_people(request.user))
    organisation = get_object_or_404(Organisation.objects.order_by("pk")[:1])
    return services.organisation_update(
        organisation=organisation,
        acting_user=request.user,
        name=payload.name,
        org_number=payload.org_number,
    )


@router.get(
    "/units", response=list[UnitOut], tags=["people"], summary="Committees and administrations"
)
def list_units(request: HttpRequest) -> Any:
    return Unit.objects.all()


@router.post("/units", response={201: UnitOut}, tags=["people"])
def create_unit(request: HttpRequest, payload: UnitIn) -> Status:
    require(permissions.can_manage_people(request.user))
    data = payload.dict()
    pid = data.pop("parent_id")
    parent = get_object_or_404(Unit, pk=pid) if pid else None
    unit = services.unit_create(
        organisation=Organisation.current(),
        acting_user=request.user,
        parent=parent,
        **data,
    )
    return Status(201, unit)


@router.patch("/units/{unit_id}", response=UnitOut, tags=["people"])
def update_unit(request: HttpRequest, unit_id: int, payload: UnitPatch) -> Unit:
    require(permissions.can_manage_people(request.user))
    unit = get_object_or_404(Unit, pk=unit_id)
    data = payload.dict(exclude_unset=True)
    if "parent_id" in data:
        pid = data.pop("parent_id")
        data["parent"] = get_object_or_404(Unit, pk=pid) if pid else None
    return services.unit_update(unit=unit, acting_user=request.user, **data)


@router.get("/partners", response=list[PartnerOut], tags=["people"], summary="External partners")
def list_partners(request: HttpRequest) -> Any:
    return Partner.objects.all()


@router.post("/partners", response={201: PartnerOut}, tags=["people"])
def create_partner(request: HttpRequest, payload: PartnerIn) -> Status:
    require(permissions.can_manage_people(request.user))
    partner = services.partner_create(
        organisation=Organisation.current(),
        acting_user=request.user,
        **payload.dict(),
    )
    return Status(201, partner)


@router.patch("/partners/{partner_id}", response=PartnerOut, tags=["people"])
def update_partner(request: HttpRequest, partner_id: int, payload: PartnerPatch) -> Partner:
    require(permissions.can_manage_people(request.user))
    partner = get_object_or_404(Partner, pk=partner_id)
    return services.partner_update(
        partner=partner, acting_user=request.user, **payload.dict(exclude_unset=True)
    )


@router.get("/users", response=list[UserOut], tags=["people"])
def list_users(request: HttpRequest) -> list[dict[str, Any]]:
    require(permissions.can_view_people(request.user))
    return [_user_out(u) for u in User.objects.prefetch_related("units")]


@router.get("/users/{user_id}", response=UserOut, tags=["people"])
def get_user(request: HttpRequest, user_id: int) -> dict[str, Any]:
    require(permissions.can_view_people(request.user))
    return _user_out(get_object_or_404(User, pk=user_id))


@router.post("/users", response={201: UserOut}, tags=["people"])
def create_user(request: HttpRequest, payload: UserIn) -> Status:
    require(permissions.can_manage_people(request.user))
    data = payload.dict()
    units = _units(data.pop("unit_ids"))
    user = services.user_create(acting_user=request.user, units=units, **data)
    return Status(201, _user_out(user))


@router.patch("/users/{user_id}", response=UserOut, tags=["people"])
def update_user(request: HttpRequest, user_id: int, payload: UserPatch) -> dict[str, Any]:
    require(permissions.can_manage_people(request.user))
    user = get_object_or_404(User, pk=user_id)
    data = payload.dict(exclude_unset=True)
    units = _units(data.pop("unit_ids", None))
    password = data.pop("password", None) or ""
    user = services.user_update(
        user=user, acting_user=request.user, units=units, password=password, **data
    )
    return _user_out(user)
