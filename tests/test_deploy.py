"""The shipped deployment files are valid."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_nginx_config_passes_nginx_t(tmp_path: Path) -> None:
    nginx = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if nginx is None:
        pytest.skip("nginx is not installed")
    main = tmp_path / "nginx.conf"
    main.write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{ include {ROOT}/deploy/nginx.conf; }}\n"
    )
    done = subprocess.run([nginx, "-t", "-c", str(main)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_nginx_config_does_not_pin_phones_or_log_them() -> None:
    config = (ROOT / "deploy/nginx.conf").read_text()
    directives = [line.split("#")[0] for line in config.splitlines()]
    assert not any("ip_hash" in line for line in directives)
    assert any("access_log off" in line for line in directives)
