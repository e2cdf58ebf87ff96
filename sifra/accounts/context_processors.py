from typing import Any

from django.http import HttpRequest

from sifra.accounts import permissions


def nav(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    return {
        "perms_nav": {
            "people": permissions.can_view_people(user),
            "audit": permissions.can_view_audit(user),
            "claims": permissions.can_view_claims(user),
        }
    }
