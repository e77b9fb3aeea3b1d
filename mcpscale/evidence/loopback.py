"""The one loopback rule: which hosts name this machine, so traffic to them never leaves it.

`evidence scan` and `evidence probe` both ask it: plain http:// to a loopback host is not a
finding, and a server bound there is not reachable from the network.
"""

from __future__ import annotations

import ipaddress

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})


def is_loopback(host: str | None) -> bool:
    """True for localhost (and *.localhost, RFC 6761), 127.0.0.0/8, ::1 and ::ffff:127.x."""
    if not host:
        return False
    name = host.strip().strip("[]").rstrip(".").lower()
    if name in LOOPBACK_NAMES or name.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(name.partition("%")[0])
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback
