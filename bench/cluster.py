"""Server mode for the bench: two `hearth serve` workers on PostgreSQL and Redis behind nginx.

As docs/deploy.md describes it, on this machine: the workers share a fresh PostgreSQL schema
(created in the database `test` on 127.0.0.1:5432 and dropped afterwards, so no other data is
touched), a Redis message-queue channel of their own and one secret key; nginx listens on one
port, WebSocket only, `least_conn` over the workers (no `ip_hash`: every simulated phone comes
from 127.0.0.1). nginx runs as a child of the bench with its own temporary configuration, as
`nobody` when the bench runs as root.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
from pathlib import Path
from typing import Any

PG_DSN = "host=127.0.0.1 port=5432 dbname=test user=postgres"
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test?options=-csearch_path%3D{schema}"
REDIS_URL = "redis://127.0.0.1:6379/0"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
WORKERS = 2

NGINX_CONF = """\
worker_processes 1;
worker_rlimit_nofile 32768;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 16384; }}
http {{
    access_log off;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    upstream hearth_workers {{
        least_conn;
{servers}
    }}
    map $http_upgrade $connection_upgrade {{
        default upgrade;
        ''      close;
    }}
    server {{
        listen 127.0.0.1:{port} backlog=2048;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_set_header X-Forwarded-Host $host;
        location /socket.io/ {{
            proxy_pass http://hearth_workers;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_read_timeout 3600s;
            proxy_buffering off;
        }}
        location / {{
            proxy_pass http://hearth_workers;
        }}
    }}
}}
"""


def create_schema() -> str:
    """A fresh PostgreSQL schema for this run."""
    import psycopg

    schema = f"hearth_bench_{secrets.token_hex(4)}"
    with psycopg.connect(PG_DSN, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    return schema


def drop_schema(schema: str) -> None:
    """Drop this run's schema (and only it)."""
    import psycopg

    with psycopg.connect(PG_DSN, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def cluster_env(schema: str, channel: str, instance: Path, public_url: str) -> dict[str, str]:
    """The HEARTH_* settings every worker shares."""
    return {
        "HEARTH_DATABASE_URL": PG_URL.format(schema=schema),
        "HEARTH_MESSAGE_QUEUE": REDIS_URL,
        "HEARTH_MESSAGE_QUEUE_CHANNEL": channel,
        "HEARTH_SECRET_KEY": f"bench-{secrets.token_hex(16)}",
        "HEARTH_INSTANCE": str(instance),
        "HEARTH_PUBLIC_URL": public_url,
        "HEARTH_TRUSTED_PROXIES": "1",
        # Every simulated phone comes from 127.0.0.1: no limit on identities per address.
        "HEARTH_PHONES_PER_ADDRESS": "0",
    }


def _drop_root() -> None:
    """In nginx's child before exec: run as nobody when the bench runs as root."""
    if os.getuid() == 0:
        os.setgid(65534)
        os.setgroups([])
        os.setuid(65534)


def start_nginx(folder: Path, port: int, worker_ports: list[int]) -> subprocess.Popen[Any]:
    """nginx in the foreground on 127.0.0.1:port, proxying to the workers.

    `folder` must be one nobody can reach (a `tempfile.mkdtemp` of its own): it is handed over.
    """
    servers = "\n".join(f"        server 127.0.0.1:{p};" for p in worker_ports)
    conf = folder / "nginx.conf"
    conf.write_text(NGINX_CONF.format(dir=folder, port=port, servers=servers))
    if os.getuid() == 0:
        os.chown(folder, 65534, 65534)
    log = (folder / "nginx.out").open("w")
    return subprocess.Popen(
        [
            NGINX,
            "-p",
            str(folder),
            "-c",
            str(conf),
            "-e",
            str(folder / "error.log"),
            "-g",
            "daemon off;",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        preexec_fn=_drop_root,
    )


def children(pid: int) -> list[int]:
    """The child processes of a process (nginx's workers)."""
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(x) for x in text.split()]
