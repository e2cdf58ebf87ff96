"""The second factor (TOTP, django-otp): who must give one and checking a code at login.

The coordinator, decision maker and economist move or decide on money; they must verify a code
after the password when SIFRA_REQUIRE_2FA is on, and whenever they have set up an authenticator.
"""

from base64 import b32encode
from typing import Any

import segno
from django.conf import settings
from django.utils.safestring import SafeString, mark_safe
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from sifra.accounts import permissions


def confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def second_factor_required(user: Any) -> bool:
    if not permissions.can_use_second_factor(user):
        return False
    return bool(settings.SIFRA_REQUIRE_2FA) or confirmed_device(user) is not None


def needs_verification(user: Any) -> bool:
    """Signed in with the password only, where a second factor is required."""
    if not permissions.can_use_second_factor(user):
        return False
    verified = getattr(user, "is_verified", None)
    if verified is not None and verified():
        return False
    return second_factor_required(user)


def verify_code(user: Any, code: str) -> TOTPDevice | None:
    """The user's device if `code` is its current code. django-otp refuses a code used before
    and, after each wrong one, any code for 1, 2, 4, 8 ... seconds."""
    device = confirmed_device(user)
    if device is None:
        return None
    return verify_token(user, device.persistent_id, code)  # type: ignore[no-any-return]


def secret_text(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for typing into an authenticator app."""
    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_svg(device: TOTPDevice) -> SafeString:
    """The otpauth:// address as an inline SVG: no script, no style, so it passes a strict CSP."""
    svg = segno.make(device.config_url, error="m").svg_inline(scale=4, svgclass="qr-code")
    return mark_safe(svg)  # segno's own markup, built from our own data
