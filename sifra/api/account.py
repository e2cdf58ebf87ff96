"""Account security: a user's own password, and the coordinator's reset of someone's second
factor. Only a session login (with its second factor) may do either, never a token."""

from django.contrib.auth import update_session_auth_hash
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Status

from sifra.accounts import permissions, services
from sifra.accounts.models import User
from sifra.api.auth import require_session
from sifra.api.schemas import In
from sifra.core.http import require

router = Router(tags=["account"])


class PasswordIn(In):
    old_password: str = Field(..., max_length=128)
    new_password: str = Field(..., max_length=128)


@router.post(
    "/me/password",
    response={204: None},
    summary="Change your own password (session login only; the session stays signed in)",
)
def change_password(request: HttpRequest, payload: PasswordIn) -> Status:
    require_session(request)
    user: User = request.user  # type: ignore[assignment]
    changed = services.user_password_change(
        user=user,
        old_password=payload.old_password,
        new_password=payload.new_password,
        acting_user=user,
    )
    update_session_auth_hash(request, changed)
    return Status(204, None)


@router.delete(
    "/users/{user_id}/second-factor",
    response={204: None},
    summary="Reset a user's second factor (coordinator, session login only)",
)
def reset_second_factor(request: HttpRequest, user_id: int) -> Status:
    require_session(request)
    require(permissions.can_reset_second_factor(request.user))
    person = get_object_or_404(User, pk=user_id)
    services.user_second_factor_reset(user=person, acting_user=request.user)
    return Status(204, None)
