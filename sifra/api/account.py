"""The signed-in user's own account: the password. Only a session login may change it."""

from django.contrib.auth import update_session_auth_hash
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from sifra.accounts import services
from sifra.accounts.models import User
from sifra.api.auth import require_session

router = Router(tags=["account"])


class PasswordIn(Schema):
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
