"""The address a request comes from, behind as many trusted reverse proxies as the operator says.

Each proxy appends the address it saw connect to X-Forwarded-For, so with N proxies in front the
N-th entry from the right was written by the outermost proxy; everything to its left the client
wrote itself and may be forged. With no proxies (the default) the header is ignored.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    remote = str(request.META.get("REMOTE_ADDR", ""))
    count = int(getattr(settings, "SIFRA_TRUSTED_PROXY_COUNT", 0))
    if count <= 0:
        return remote
    header = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    hops = [hop.strip() for hop in header.split(",") if hop.strip()]
    if len(hops) < count:
        # Fewer hops than proxies: the request did not come through all of them.
        return remote
    return _normalised(hops[-count]) or remote


def _normalised(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None
