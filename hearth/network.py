"""The address phones use to reach this laptop: HEARTH_PUBLIC_URL, else the LAN address."""

from __future__ import annotations

import fcntl
import socket
import struct

from flask import current_app

SIOCGIFADDR = 0x8915  # Linux ioctl: an interface's IPv4 address


def _interface_addresses() -> list[str]:
    """IPv4 addresses of this machine's interfaces (Linux), without sending any packet."""
    addresses = []
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        for _index, name in socket.if_nameindex():
            request = struct.pack("256s", name[:15].encode())
            try:
                reply = fcntl.ioctl(probe.fileno(), SIOCGIFADDR, request)
            except OSError:
                continue
            addresses.append(socket.inet_ntoa(reply[20:24]))
    finally:
        probe.close()
    return addresses


def lan_address() -> str:
    """The best guess at this machine's LAN address; 127.0.0.1 when there is none."""
    candidates: list[str] = []
    try:
        candidates += _interface_addresses()
    except OSError:
        pass
    try:
        candidates += socket.gethostbyname_ex(socket.gethostname())[2]
    except OSError:
        pass
    private = [a for a in candidates if a.startswith(("192.168.", "10.", "172."))]
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
