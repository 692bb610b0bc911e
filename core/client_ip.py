"""The address a request came from, for per-address limits (django-ratelimit and allauth).

`JOKESITE_TRUSTED_PROXIES` says how many reverse proxies stand in front of the site, each
appending the address it received the request from to `X-Forwarded-For`. With N proxies the
client is the N-th address from the right: anything left of it was written by the client and
proves nothing. With 0 (the default) the header is ignored and the client is `REMOTE_ADDR`, so
a made-up `X-Forwarded-For` can never dodge a limit or spend someone else's.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    """The client's address; `REMOTE_ADDR` when no proxy is trusted, or when the header holds
    fewer addresses than there are proxies (the request did not come through them all)."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.JOKESITE_TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    header = request.headers.get("X-Forwarded-For", "")
    hops = [hop.strip() for hop in header.split(",") if hop.strip()]
    if len(hops) < proxies:
        return remote
    try:
        return str(ipaddress.ip_address(hops[-proxies]))
    except ValueError:
        return remote
