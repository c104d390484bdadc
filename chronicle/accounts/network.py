"""The client's address, trusting a proxy's X-Forwarded-For only from the proxies named in
CHRONICLE_TRUSTED_PROXIES (django-axes calls ``client_ip`` through AXES_CLIENT_IP_CALLABLE).

Without a trusted proxy the address is the connection's (REMOTE_ADDR), whatever headers say: a
client could otherwise send any X-Forwarded-For and sign in from an address of its choosing.
Behind a trusted proxy, X-Forwarded-For is read from the right (the proxies append to it), skipping
trusted proxies; the first address left is the client's.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(values: Iterable[str]) -> list[Network]:
    """Addresses or networks ("10.0.0.5", "10.0.0.0/24"); ValueError names a malformed one."""
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError:
            raise ValueError(f"{value!r} is not an IP address or network") from None
    return networks


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address, proxies: list[Network]) -> bool:
    return any(address in network for network in proxies)


def client_ip(request: HttpRequest) -> str | None:
    remote = _address(request.META.get("REMOTE_ADDR", ""))
    if remote is None:
        return None
    proxies = parse_networks(getattr(settings, "TRUSTED_PROXIES", []))
    if not proxies or not _trusted(remote, proxies):
        return str(remote)
    hops = [_address(hop) for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed(hops):
        if hop is None:
            break  # a malformed entry: what lies to its left cannot be trusted
        if not _trusted(hop, proxies):
            return str(hop)
    return str(remote)
