"""The address phones use to reach this laptop: HEARTH_PUBLIC_URL, else the LAN address.

Found the same way on Linux, macOS and Windows, with the socket module only: the address of
the interface that holds the default route (connecting a UDP socket picks it and sends
nothing), then the addresses the machine's own name resolves to (how Windows and most Macs
list every interface). Private addresses win, because phones reach the laptop on the room's
Wi-Fi; HEARTH_PUBLIC_URL overrides the guess.
"""

from __future__ import annotations

import ipaddress
import socket

from flask import current_app

# TEST-NET-1 (RFC 5737): a route to it is looked up, but connecting a UDP socket sends nothing.
ROUTE_PROBE = ("192.0.2.1", 9)


def _route_address() -> list[str]:
    """The IPv4 address of the interface with the default route; none without a route."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(ROUTE_PROBE)
        return [str(probe.getsockname()[0])]
    except OSError:
        return []
    finally:
        probe.close()


def _name_addresses() -> list[str]:
    """The IPv4 addresses this machine's host name resolves to."""
    try:
        return socket.gethostbyname_ex(socket.gethostname())[2]
    except OSError:
        return []


def _is_lan(address: str) -> bool:
    """A private address a phone on the same Wi-Fi can reach (not loopback, not link-local)."""
    ip = ipaddress.ip_address(address)
    return ip.is_private and not ip.is_loopback and not ip.is_link_local


def lan_address() -> str:
    """The best guess at this machine's LAN address; 127.0.0.1 when there is none."""
    candidates = _route_address() + _name_addresses()
    private = [a for a in candidates if _is_lan(a)]
    others = [a for a in candidates if not a.startswith("127.")]
    return (private or others or ["127.0.0.1"])[0]


def public_url() -> str:
    """The base URL printed on the projector and encoded in the QR code, without a slash."""
    configured = current_app.config.get("HEARTH_PUBLIC_URL")
    if configured:
        return str(configured).rstrip("/")
    port = int(current_app.config["HEARTH_PORT"])
    suffix = "" if port == 80 else f":{port}"
    return f"http://{lan_address()}{suffix}"


def join_url(code: str) -> str:
    """The QR target for a workshop: <public url>/j/<code>."""
    return f"{public_url()}/j/{code}"


def present_url(present_key: str) -> str:
    """The projector link for a second device; the key in it is the only credential."""
    return f"{public_url()}/present/{present_key}"


def summary_url(summary_key: str) -> str:
    """The take-home summary a facilitator published: <public url>/s/<key>."""
    return f"{public_url()}/s/{summary_key}"
