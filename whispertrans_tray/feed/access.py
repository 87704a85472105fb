"""Who may read what: the loopback (this computer: every page, no token) and the room (the
local network: only under ``/TOKEN/``, read-only); Host and Origin checks against DNS rebinding
and other sites' pages; the viewer link.

Every endpoint of the feed is a read (GET); from the network, a path without the token is a
404, so nothing (not even which pages exist) is told without it.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

PAGES = ("/", "/overlay", "/events")


def new_token() -> str:
    """A fresh random token for the viewer link (about 96 bits)."""
    return secrets.token_urlsafe(12)


def is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def _host_name(netloc: str) -> str:
    """``host`` of ``host:port`` (``[v6]:port`` too)."""
    return urlsplit("//" + netloc).hostname or ""


def host_allowed(host_header: str) -> bool:
    """A Host this computer answers to: an IP address or ``localhost`` (a domain name could be
    another site's, made to resolve here: DNS rebinding)."""
    name = _host_name(host_header)
    return name == "localhost" or _is_ip(name)


def origin_allowed(origin: str | None, host_header: str) -> bool:
    """No Origin (a same-origin page, OBS, curl), or the feed's own (``http://HOST``)."""
    if origin is None:
        return True
    parts = urlsplit(origin)
    return parts.scheme == "http" and parts.netloc.lower() == host_header.lower()


@dataclass(frozen=True)
class Decision:
    """What a request may see: ``status`` 200 with the page ``path`` (the token taken off),
    301 to ``path`` (the viewer link without its last ``/``), else 403 or 404."""

    status: int
    path: str = ""


def decide(client: str, path: str, host_header: str, origin: str | None,
           token: str) -> Decision:
    """The page a GET of ``path`` (without its query) from ``client`` may read."""
    if not host_allowed(host_header) or not origin_allowed(origin, host_header):
        return Decision(403)
    prefix = f"/{token}"
    if token and hmac.compare_digest(path[:len(prefix)].encode("utf-8", "replace"),
                                     prefix.encode("utf-8")) \
            and path[len(prefix):len(prefix) + 1] in ("", "/"):
        if path == prefix:  # the pages' relative links need the last "/"
            return Decision(301, prefix + "/")
        path = path[len(prefix):]
    elif not is_loopback(client):
        return Decision(404)
    return Decision(200, path) if path in PAGES else Decision(404)


def lan_address() -> str | None:
    """This computer's address on the local network (IPv4), if it has one: the one the system
    would send a LAN packet from (a UDP socket is connected, nothing is sent), else an address
    its host name resolves to."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # no packet leaves: a UDP connect only routes
            address = str(probe.getsockname()[0])
        if not ipaddress.ip_address(address).is_loopback:
            return address
    except OSError:
        pass
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            address = str(info[4][0])
            if not ipaddress.ip_address(address).is_loopback:
                return address
    except OSError:
        pass
    return None
