"""The shipped deployment files are valid and keep their promises (docs/deploy.md)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "deploy/nginx.conf"
PLACEHOLDER_CERT = "/etc/ssl/hearth/fullchain.pem"
PLACEHOLDER_KEY = "/etc/ssl/hearth/privkey.pem"


def _tool(name: str) -> str:
    """The path of nginx or openssl; skip without it (fail in CI, HEARTH_REQUIRE_SERVICES=1)."""
    found = shutil.which(name) or next(
        (p for p in (f"/usr/sbin/{name}", f"/usr/bin/{name}") if Path(p).exists()), None
    )
    if found is None:
        if os.environ.get("HEARTH_REQUIRE_SERVICES") == "1":
            pytest.fail(f"{name} is not installed (.ci/run installs it)")
        pytest.skip(f"{name} is not installed")
    return found


def _directives() -> list[str]:
    """The config's lines without comments."""
    return [line.split("#")[0].strip() for line in CONFIG.read_text().splitlines()]


def test_nginx_config_passes_nginx_t_with_a_real_certificate(tmp_path: Path) -> None:
    nginx, openssl = _tool("nginx"), _tool("openssl")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    made = subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=hearth.example.org", "-keyout", str(key), "-out", str(cert)],
        capture_output=True,
        text=True,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    config = CONFIG.read_text()
    assert PLACEHOLDER_CERT in config and PLACEHOLDER_KEY in config
    site = tmp_path / "hearth.conf"
    site.write_text(config.replace(PLACEHOLDER_CERT, str(cert)).replace(PLACEHOLDER_KEY, str(key)))
    main = tmp_path / "nginx.conf"
    main.write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{ include {site}; }}\n"
    )
    done = subprocess.run([nginx, "-t", "-c", str(main)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_nginx_config_does_not_pin_phones_or_log_them() -> None:
    directives = _directives()
    assert not any("ip_hash" in line for line in directives)
    access = [line for line in directives if line.startswith("access_log")]
    assert access and all(line == "access_log off;" for line in access)


def test_nginx_redirects_http_to_https_and_serves_tls() -> None:
    text = "\n".join(_directives())
    servers = re.split(r"\nserver\s*\{", text)[1:]
    plain = next(s for s in servers if "listen 80;" in s)
    tls = next(s for s in servers if "listen 443 ssl" in s)
    assert "return 301 https://$host$request_uri;" in plain
    assert "proxy_pass" not in plain
    assert f"ssl_certificate     {PLACEHOLDER_CERT};" in tls


def test_nginx_forwards_the_client_address_protocol_and_host() -> None:
    text = "\n".join(_directives())
    # Once for the server block, once in /socket.io/ (its own proxy_set_header lines replace
    # the inherited ones in nginx).
    for header in (
        "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
        "proxy_set_header X-Forwarded-Proto $scheme;",
        "proxy_set_header X-Forwarded-Host $host;",
    ):
        assert text.count(header) == 2, header
