"""How long a failed login takes for a known and an unknown email (they should match).

    .venv/bin/python -m bench.login_timing [--logins 20]

Logs in through the real form with the real scrypt hashing, alternating the three kinds so
that drift in the machine's load falls on all of them alike, and prints the mean, median and
standard deviation of each in milliseconds. The login rate limit is lifted for the run.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import warnings
from pathlib import Path

PASSWORD = "the right password"


def main() -> None:
    """Time N logins of each kind and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--logins", type=int, default=20)
    args = parser.parse_args()
    warnings.filterwarnings("ignore", message="(?s).*[Ee]ventlet is deprecated")

    from hearth import create_app
    from hearth.cli import upgrade_database
    from hearth.services.accounts import create_facilitator

    folder = Path(tempfile.mkdtemp(prefix="hearth-login-"))
    app = create_app(
        {
            "SECRET_KEY": "bench-secret-key-long-enough-for-hmac",
            "DATABASE_URL": f"sqlite:///{folder / 'bench.db'}",
            "ASYNC_MODE": "threading",
            "PUBLIC_URL": "http://hearth.test",
            "WTF_CSRF_ENABLED": False,
            "LOGIN_RATE": "100000/minute",
            "HEARTH_TICKER": False,
        }
    )
    with app.app_context():
        upgrade_database()
        create_facilitator("known@example.org", PASSWORD, PASSWORD)
    kinds = {
        "known email, wrong password": ("known@example.org", "not the password", 401),
        "unknown email": ("nobody@example.org", "not the password", 401),
        "known email, right password": ("known@example.org", PASSWORD, 302),
    }
    timings: dict[str, list[float]] = {kind: [] for kind in kinds}
    client = app.test_client()
    client.post("/facilitator/login", data={"email": "warm@example.org", "password": "x"})
    for _ in range(args.logins):
        for kind, (email, password, status) in kinds.items():
            started = time.perf_counter()
            reply = client.post("/facilitator/login", data={"email": email, "password": password})
            timings[kind].append((time.perf_counter() - started) * 1000)
            assert reply.status_code == status, (kind, reply.status_code)
            if status == 302:
                client.post("/facilitator/logout")
    print(f"{args.logins} logins of each kind, milliseconds")
    print(f"{'kind':<30} {'mean':>7} {'median':>7} {'stdev':>7}")
    for kind, values in timings.items():
        print(
            f"{kind:<30} {statistics.mean(values):7.1f} {statistics.median(values):7.1f} "
            f"{statistics.stdev(values):7.1f}"
        )


if __name__ == "__main__":
    main()
