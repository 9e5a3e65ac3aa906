"""`make bench`: load-test Hearth against its two baselines and print one table.

    python -m bench.run [--mode room|server|both] [--phones 2000] [--quick]
                        [--scenarios think burst reconnect flood]
                        [--servers hearth tick0 bare server] [--out bench/results/NAME.json]
                        [--profile burst]

Servers, each started here on 127.0.0.1 with a free port and stopped at the end:
  hearth  `hearth serve` as shipped (the tick, HEARTH_TICK_MS default 200)
  tick0   the same server with HEARTH_TICK_MS=0: a broadcast per answer (baseline a)
  bare    bench/bare_server.py: python-socketio on eventlet that only acks (baseline b)
  server  server mode: two `hearth serve` workers on PostgreSQL + Redis behind nginx
          (bench/cluster.py; --mode server or both)

For each, a separate process (bench/swarm.py) connects the phones and a projector and runs the
scenarios; see docs/performance.md for what each figure means and the targets.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import os
import platform
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import requests

from bench import cluster

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HEARTH = str(BIN / "hearth")
PY = sys.executable
RESULTS = ROOT / "bench" / "results"
SCENARIOS = ("think", "burst", "reconnect", "flood")
SERVERS = ("hearth", "tick0", "bare", "server")
LABELS = {
    "hearth": "hearth (tick)",
    "tick0": "(a) tick off",
    "bare": "(b) bare ack",
    "server": "server mode (2 workers)",
}
# --mode: which servers run unless --servers names them.
MODES = {
    "room": ["hearth", "tick0", "bare"],
    "server": ["server", "bare"],
    "both": ["hearth", "tick0", "bare", "server"],
}
FACILITATOR = "bench@example.org"
PASSWORD = "bench-password-123"

# The listen backlog `hearth serve` opens its port with (LISTEN_BACKLOG in hearth/cli/serve.py),
# given to the bare server too so both floors drop the same connections.
LISTEN_BACKLOG = 2048

TARGETS = {
    "phones": 2000,
    "ack_p99_ms": 250,
    "fresh_ms": 500,
    "rss_per_phone_kb": 150,
    "throughput_ratio": 0.5,
    "reconnect_ratio": 1.3,
}


def say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def raise_nofile() -> None:
    """Servers inherit this limit: 2,000 phones need more than 1,024 descriptors."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = 65536 if hard == resource.RLIM_INFINITY else min(hard, 65536)
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))


def machine_busy() -> float:
    """CPU seconds every process on this machine has used (from /proc/stat)."""
    with open("/proc/stat") as fh:
        fields = [int(x) for x in fh.readline().split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def wait_quiet(limit: float, threshold: float = 0.3) -> float:
    """Wait (up to `limit` s) until other processes use under `threshold` cores; return it."""
    deadline = time.monotonic() + limit
    while True:
        busy, t = machine_busy(), time.monotonic()
        time.sleep(2)
        load = (machine_busy() - busy) / (time.monotonic() - t)
        if load < threshold or time.monotonic() >= deadline:
            return round(load, 2)
        say(f"the machine is busy ({load:.1f} cores in use by others); waiting")


NICE = 0  # set from --nice: added priority for the server and the swarm


def _prioritise() -> None:
    """Run in the child before exec: raise its priority over the machine's other work."""
    if NICE:
        os.nice(-NICE)


def clean_env(**extra: str) -> dict[str, str]:
    """This environment without any HEARTH_* setting of the caller's, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEARTH_")}
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


def wait_healthy(base: str, proc: subprocess.Popen[Any], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode} before answering")
        try:
            if requests.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{base}/healthz did not answer within {timeout} s")


def stop(proc: subprocess.Popen[Any] | None) -> None:
    """Stop a process this script started (SIGTERM, then SIGKILL)."""
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


class Server:
    """One server under test, started in its own temporary instance folder."""

    def __init__(
        self, kind: str, workdir: Path, tick_ms: int | None, bare_backlog: int = LISTEN_BACKLOG
    ) -> None:
        self.kind = kind
        self.bare_backlog = bare_backlog
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.dir = workdir / kind
        self.dir.mkdir(parents=True)
        self.proc: subprocess.Popen[Any] | None = None
        self.token: str | None = None
        self.workshop: dict[str, Any] | None = None
        self.log = self.dir / "server.log"
        env = {
            "HEARTH_INSTANCE": str(self.dir / "instance"),
            "HEARTH_PUBLIC_URL": self.base,
            "HEARTH_HOST": "127.0.0.1",
            "HEARTH_PORT": str(self.port),
            # Every simulated phone comes from 127.0.0.1: no limit on identities per address.
            "HEARTH_PHONES_PER_ADDRESS": "0",
        }
        if kind == "tick0":
            env["HEARTH_TICK_MS"] = "0"
        elif tick_ms is not None:
            env["HEARTH_TICK_MS"] = str(tick_ms)
        self.env = clean_env(**env)

    def _cli(self, *args: str, stdin: str | None = None) -> str:
        done = subprocess.run(
            [HEARTH, *args],
            input=stdin,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            cwd=ROOT,
        )
        if done.returncode != 0:
            raise RuntimeError(f"hearth {' '.join(args)} failed: {done.stderr.strip()[-500:]}")
        return done.stdout

    def _set_up_database(self) -> None:
        """Migrate, then make the bench's facilitator and the API token it creates workshops
        with (`self.token`), through the same commands a person would run."""
        self._cli("db", "upgrade")
        self._cli(
            "facilitator",
            "create",
            FACILITATOR,
            "--name",
            "Bench",
            stdin=f"{PASSWORD}\n{PASSWORD}\n",
        )
        self.token = self._cli("token", "create", FACILITATOR).strip().splitlines()[-1]

    def start(self) -> None:
        if self.kind == "bare":
            command = [
                PY,
                "-m",
                "bench.bare_server",
                "--port",
                str(self.port),
                "--backlog",
                str(self.bare_backlog),
            ]
        else:
            self._set_up_database()
            command = [HEARTH, "serve", "--host", "127.0.0.1", "--port", str(self.port)]
        with self.log.open("w") as log:
            self.proc = subprocess.Popen(
                command,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=ROOT,
                preexec_fn=_prioritise,
            )
        wait_healthy(self.base, self.proc)
        if self.kind != "bare":
            self.workshop = self._create_workshop()

    def _create_workshop(self) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {self.token}"}
        made = requests.post(
            f"{self.base}/api/v1/workshops",
            json={"plan": "rebuilding-trust", "settings": {"min_group": 3}},
            headers=headers,
            timeout=30,
        )
        made.raise_for_status()
        created = made.json()
        control = requests.get(
            f"{self.base}/api/v1/workshops/{created['id']}", headers=headers, timeout=30
        ).json()
        answerable = [
            {"id": a["id"], "index": a["index"], "kind": a["kind"]}
            for a in control["activities"]
            if a["kind"] in ("choice", "scale")
        ]
        return {
            "id": created["id"],
            "code": created["code"],
            "present_key": created["present_url"].rstrip("/").rsplit("/", 1)[1],
            "answerable": answerable,
        }

    def pids(self) -> list[int]:
        """The processes whose CPU, memory and waiting the swarm measures."""
        return [self.proc.pid] if self.proc is not None else []

    def stop(self) -> None:
        stop(self.proc)


class ClusterServer(Server):
    """Server mode: two workers on PostgreSQL + Redis behind nginx (bench/cluster.py)."""

    def __init__(self, workdir: Path, tick_ms: int | None) -> None:
        super().__init__("server", workdir, tick_ms)
        self.schema: str | None = None
        self.workers: list[subprocess.Popen[Any]] = []
        self.nginx_dir = Path(tempfile.mkdtemp(prefix="hearth-bench-nginx-"))
        channel = f"hearth-bench-{os.getpid()}-{self.port}"
        self.shared = cluster.cluster_env("", channel, self.dir / "instance", self.base)
        if tick_ms is not None:
            self.shared["HEARTH_TICK_MS"] = str(tick_ms)

    def start(self) -> None:
        self.schema = cluster.create_schema()
        self.shared["HEARTH_DATABASE_URL"] = cluster.PG_URL.format(schema=self.schema)
        self.env = clean_env(**self.shared)
        self._set_up_database()
        ports = [free_port() for _ in range(cluster.WORKERS)]
        for number, port in enumerate(ports):
            with (self.dir / f"worker{number}.log").open("w") as log:
                worker = subprocess.Popen(
                    [HEARTH, "serve", "--host", "127.0.0.1", "--port", str(port)],
                    env=self.env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    cwd=ROOT,
                    preexec_fn=_prioritise,
                )
            self.workers.append(worker)
            wait_healthy(f"http://127.0.0.1:{port}", worker)
        self.proc = cluster.start_nginx(self.nginx_dir, self.port, ports)
        wait_healthy(self.base, self.proc)
        self.workshop = self._create_workshop()

    def pids(self) -> list[int]:
        """Both workers, nginx and its worker process (the first worker is the one profiled)."""
        pids = [w.pid for w in self.workers]
        if self.proc is not None:
            pids += [self.proc.pid, *cluster.children(self.proc.pid)]
        return pids

    def stop(self) -> None:
        for proc in [self.proc, *self.workers]:
            stop(proc)
        shutil.rmtree(self.nginx_dir, ignore_errors=True)
        if self.schema is not None:
            cluster.drop_schema(self.schema)
            self.schema = None


class Profiler:
    """py-spy on the server during one scenario: a flame graph and folded stacks."""

    def __init__(self, pid: int, out_dir: Path, label: str) -> None:
        self.pid, self.out_dir, self.label = pid, out_dir, label
        self.procs: list[subprocess.Popen[Any]] = []
        self.raw = out_dir / f"{label}.folded"
        self.svg = out_dir / f"{label}.svg"

    def start(self) -> None:
        spy = shutil.which("py-spy", path=str(BIN)) or shutil.which("py-spy")
        if spy is None:
            say("py-spy is not installed (pip install -e '.[dev]'): no profile")
            return
        for fmt, path in (("raw", self.raw), ("flamegraph", self.svg)):
            self.procs.append(
                subprocess.Popen(
                    [
                        spy,
                        "record",
                        "--pid",
                        str(self.pid),
                        "--rate",
                        "200",
                        "--nonblocking",
                        "--format",
                        fmt,
                        "--output",
                        str(path),
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )

    def finish(self) -> dict[str, Any] | None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGINT)
        for proc in self.procs:
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
        if not self.raw.exists():
            return None
        return summarise_folded(self.raw, self.out_dir / f"{self.label}-top.txt")


OUR_CODE = ("hearth/", "participant/", "facilitator/")


def _function(frame: str) -> str:
    """A py-spy frame without its line number: "name (path)"."""
    name, _, where = frame.partition(" (")
    return f"{name} ({where.rsplit(':', 1)[0]})" if where else name


def summarise_folded(path: Path, out: Path, top: int = 30) -> dict[str, Any]:
    """Where the server's samples go, from py-spy's folded stacks.

    `self`: the function on top of the stack; `inclusive`: every function on the stack (by
    name, lines merged); `our_lines`: the deepest line of Hearth's own code in each stack, so
    a library's cost is charged to the line of ours that called it.
    """
    own: collections.Counter[str] = collections.Counter()
    inclusive: collections.Counter[str] = collections.Counter()
    ours: collections.Counter[str] = collections.Counter()
    total = 0
    for line in path.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [f for f in stack.split(";") if f and not f.startswith(("process ", "thread "))]
        if not frames:
            continue
        total += count
        own[_function(frames[-1])] += count
        for name in {_function(f) for f in frames}:
            inclusive[name] += count
        mine = [f for f in frames if any(f"({p}" in f for p in OUR_CODE)]
        ours[mine[-1] if mine else "(no Hearth frame: the hub, sockets, Socket.IO)"] += count

    def rows(counter: collections.Counter[str]) -> list[tuple[float, str]]:
        return [(round(100 * c / total, 1), f) for f, c in counter.most_common(top)]

    own_rows, inclusive_rows, our_rows = rows(own), rows(inclusive), rows(ours)
    summary = {
        "samples": total,
        "self": own_rows,
        "inclusive": inclusive_rows,
        "our_lines": our_rows,
    }
    lines = [f"{path.name}: {total} samples", "", "self %  function"]
    lines += [f"{p:6.1f}  {f}" for p, f in own_rows]
    lines += ["", "incl %  function"] + [f"{p:6.1f}  {f}" for p, f in inclusive_rows]
    lines += ["", "incl %  deepest line of Hearth's code"]
    lines += [f"{p:6.1f}  {f}" for p, f in our_rows]
    out.write_text("\n".join(lines) + "\n")
    return summary


def run_swarm(
    server: Server, args: argparse.Namespace, scenarios: list[str], workdir: Path
) -> dict[str, Any]:
    """Run bench/swarm.py against a started server and return its figures."""
    assert server.proc is not None
    out = server.dir / "swarm.json"
    config = {
        "mode": "bare" if server.kind == "bare" else "hearth",
        "base": server.base,
        "server_pids": server.pids(),
        "phones": args.phones,
        "wave": args.wave,
        "scenarios": scenarios,
        "seed": args.seed,
        "api_token": server.token,
        "workshop": server.workshop,
        "think_median_s": args.think_median,
        "think_max_s": args.think_max,
        "burst_s": 2.0,
        "reconnect_poll_s": 4.0,
        "flood_s": args.flood_seconds,
        "ack_timeout_s": args.ack_timeout,
        "fresh_timeout_s": 5.0,
        "deadline_s": args.swarm_deadline,
        # Baseline (a) is expected to collapse under load; once it has, stop measuring it.
        "stop_when_saturated": server.kind == "tick0",
        "out": str(out),
    }
    config_path = server.dir / "swarm-config.json"
    config_path.write_text(json.dumps(config, indent=1))
    proc = subprocess.Popen(
        [PY, "-m", "bench.swarm", "--config", str(config_path)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=clean_env(),
        preexec_fn=_prioritise,
    )
    profile: dict[str, Any] = {}
    profiler: Profiler | None = None
    deadline = time.monotonic() + args.swarm_deadline + 60
    assert proc.stdout is not None
    try:
        for line in proc.stdout:
            line = line.strip()
            if line.startswith("@begin ") and server.kind in args.profile_servers:
                if line.split()[1] in args.profile:
                    label = f"{server.kind}-{line.split()[1]}"
                    profiler = Profiler(server.pids()[0], args.profile_dir, label)
                    profiler.start()
            elif line.startswith("@end ") and profiler is not None:
                summary = profiler.finish()
                if summary:
                    profile[profiler.label] = summary
                profiler = None
            if time.monotonic() > deadline:
                break
        proc.wait(max(1, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        say("the swarm overran its deadline; stopping it")
    finally:
        stop(proc)
        if profiler is not None:
            profiler.finish()
    if not out.exists():
        return {"error": "the swarm wrote no results", "profile": profile}
    result: dict[str, Any] = json.loads(out.read_text())
    if profile:
        result["profile"] = profile
    return result


# --- the table ------------------------------------------------------------------------------


def get(result: dict[str, Any] | None, *path: str) -> Any:
    node: Any = result
    for key in path:
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


def fmt(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def ratio(ours: Any, base: Any) -> str:
    if not isinstance(ours, int | float) or not isinstance(base, int | float) or not base:
        return "—"
    return f"{ours / base:.2f}×"


def lost_dup(result: dict[str, Any] | None, field: str) -> int | None:
    """Lost or duplicated answers summed over every scenario that checked results."""
    scenarios = get(result, "scenarios") or {}
    checked = [s["results"] for s in scenarios.values() if isinstance(get(s, "results"), dict)]
    values = [r.get(field) for r in checked if field in r]
    if not values:
        return None
    if any(v is None for v in values):
        return None
    return int(sum(values))


ROWS: list[tuple[str, tuple[str, ...], str]] = [
    # (label, path into the swarm result, better: "low" / "high" / "")
    ("phones connected", ("connect", "connected"), "high"),
    ("connect p50 ms", ("connect", "ready_ms", "p50"), "low"),
    ("connect p95 ms", ("connect", "ready_ms", "p95"), "low"),
    ("connect all, s", ("connect", "total_s"), "low"),
    ("connect: accept-queue overflows", ("connect", "listen_overflows", "ListenOverflows"), "low"),
    ("server RSS per phone, KB", ("connect", "rss_per_phone_kb"), "low"),
    ("think: ack p50 ms", ("scenarios", "think", "ack_ms", "p50"), "low"),
    ("think: ack p99 ms", ("scenarios", "think", "ack_ms", "p99"), "low"),
    ("think: phones dropped", ("scenarios", "think", "dropped_phones"), "low"),
    (
        "think: exact results after last ack, ms",
        ("scenarios", "think", "results", "freshness_ms"),
        "low",
    ),
    ("burst: answers acked", ("scenarios", "burst", "acked"), "high"),
    ("burst: answers unacked at deadline", ("scenarios", "burst", "unacked"), "low"),
    ("burst: ack p50 ms", ("scenarios", "burst", "ack_ms", "p50"), "low"),
    ("burst: ack p95 ms", ("scenarios", "burst", "ack_ms", "p95"), "low"),
    ("burst: ack p99 ms", ("scenarios", "burst", "ack_ms", "p99"), "low"),
    (
        "burst: exact results after last ack, ms",
        ("scenarios", "burst", "results", "freshness_ms"),
        "low",
    ),
    ("burst: server CPU s / 1,000 answers", ("scenarios", "burst", "server_cpu_s_per_1000"), "low"),
    ("burst: messages to phones", ("scenarios", "burst", "phone_messages"), "low"),
    ("burst: server CPU use (1.0 = a core)", ("scenarios", "burst", "server_cpu_util"), ""),
    ("burst: server waiting for a CPU (s per s)", ("scenarios", "burst", "server_cpu_wait"), ""),
    ("burst: swarm CPU use", ("scenarios", "burst", "swarm_cpu_util"), ""),
    ("burst: swarm waiting for a CPU (s per s)", ("scenarios", "burst", "swarm_cpu_wait"), ""),
    ("burst: other processes' CPU use", ("scenarios", "burst", "others_cpu_util"), ""),
    (
        "burst: phones dropped (server too slow to ping)",
        ("scenarios", "burst", "dropped_phones"),
        "low",
    ),
    ("reconnect: phones reconnected", ("scenarios", "reconnect", "reconnected"), "high"),
    ("reconnect: reconnect p95 ms", ("scenarios", "reconnect", "reconnect_ms", "p95"), "low"),
    (
        "reconnect: accept-queue overflows",
        ("scenarios", "reconnect", "listen_overflows", "ListenOverflows"),
        "low",
    ),
    ("reconnect: snapshots with a wrong `mine`", ("scenarios", "reconnect", "mine_wrong"), "low"),
    ("reconnect: ack p99 ms", ("scenarios", "reconnect", "ack_ms", "p99"), "low"),
    ("flood: answers/s (throughput)", ("scenarios", "flood", "answers_per_s"), "high"),
    ("flood: ack p99 ms", ("scenarios", "flood", "ack_ms", "p99"), "low"),
    ("flood: server CPU s / 1,000 answers", ("scenarios", "flood", "server_cpu_s_per_1000"), "low"),
    ("flood: server CPU use (1.0 = a core)", ("scenarios", "flood", "server_cpu_util"), ""),
    ("flood: server waiting for a CPU (s per s)", ("scenarios", "flood", "server_cpu_wait"), ""),
    ("flood: swarm CPU use", ("scenarios", "flood", "swarm_cpu_util"), ""),
    ("flood: swarm waiting for a CPU (s per s)", ("scenarios", "flood", "swarm_cpu_wait"), ""),
    ("flood: other processes' CPU use", ("scenarios", "flood", "others_cpu_util"), ""),
]


def table(results: dict[str, Any]) -> str:
    servers = [s for s in SERVERS if s in results]
    header = ["metric", *(LABELS[s] for s in servers)]
    # (column, ours, baseline): each of our servers against each baseline that ran.
    ratios = [
        (title, ours, base)
        for title, ours, base in (
            ("ours ÷ (a)", "hearth", "tick0"),
            ("ours ÷ (b)", "hearth", "bare"),
            ("server mode ÷ (b)", "server", "bare"),
        )
        if ours in results and base in results
    ]
    header += [title for title, _, _ in ratios]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    extra_rows = [
        ("lost answers (all scenarios)", "lost"),
        ("duplicated answers (all scenarios)", "duplicated"),
    ]
    for label, path, _ in ROWS:
        values = [get(results.get(s), *path) for s in servers]
        if all(v is None for v in values):
            continue
        row = [label, *(fmt(v) for v in values)]
        for _, ours, base in ratios:
            row.append(ratio(get(results.get(ours), *path), get(results.get(base), *path)))
        lines.append("| " + " | ".join(row) + " |")
    for label, field in extra_rows:
        values = [lost_dup(results.get(s), field) if s != "bare" else None for s in servers]
        row = [label, *(fmt(v) for v in values)]
        row += ["" for _ in range(len(header) - len(row))]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def _ratio_of(ours: Any, base: Any, *path: str, invert: bool = False) -> float | None:
    """ours ÷ base of one figure (base ÷ ours with `invert`), or None when either is missing."""
    a, b = get(ours, *path), get(base, *path)
    if not a or not b:
        return None
    return round(b / a, 2) if invert else round(a / b, 2)


def verdicts(results: dict[str, Any], phones: int) -> list[dict[str, Any]]:
    """The issue's targets, checked on Hearth's figures (room mode, and server mode if run)."""
    checks: list[dict[str, Any]] = []
    for kind, where in (("hearth", "one process"), ("server", "two workers")):
        if results.get(kind):
            checks += _verdicts_of(results[kind], results.get("bare"), phones, kind, where)
    return checks


def _verdicts_of(
    ours: dict[str, Any], bare: dict[str, Any] | None, phones: int, kind: str, where: str
) -> list[dict[str, Any]]:
    prefix = "" if kind == "hearth" else "server mode: "
    checks: list[dict[str, Any]] = []

    def check(name: str, value: Any, goal: str, ok: bool) -> None:
        checks.append(
            {
                "target": prefix + name,
                "value": value,
                "goal": goal,
                "pass": value is not None and ok,
            }
        )

    def at_most(name: str, value: Any, limit: float) -> None:
        check(name, value, f"<= {limit}", value is not None and value <= limit)

    def at_least(name: str, value: Any, limit: float) -> None:
        check(name, value, f">= {limit}", value is not None and value >= limit)

    connected = get(ours, "connect", "connected")
    check(f"{phones} phones connected on {where}", connected, f"= {phones}", connected == phones)
    lost, dup = lost_dup(ours, "lost"), lost_dup(ours, "duplicated")
    check("lost answers", lost, "0", lost == 0)
    check("duplicated answers", dup, "0", dup == 0)
    at_most(
        "burst ack p99 (ms)",
        get(ours, "scenarios", "burst", "ack_ms", "p99"),
        TARGETS["ack_p99_ms"],
    )
    at_most(
        "burst: exact final results after last ack (ms)",
        get(ours, "scenarios", "burst", "results", "freshness_ms"),
        TARGETS["fresh_ms"],
    )
    at_most(
        "server RSS per phone (KB)",
        get(ours, "connect", "rss_per_phone_kb"),
        TARGETS["rss_per_phone_kb"],
    )
    at_least(
        "flood throughput ÷ bare-ack floor",
        _ratio_of(ours, bare, "scenarios", "flood", "answers_per_s"),
        TARGETS["throughput_ratio"],
    )
    at_least(
        "CPU capacity ÷ bare-ack floor (bare CPU/answer ÷ ours)",
        _ratio_of(ours, bare, "scenarios", "flood", "server_cpu_s_per_1000", invert=True),
        TARGETS["throughput_ratio"],
    )
    at_most(
        "reconnect p95 ÷ bare floor",
        _ratio_of(ours, bare, "scenarios", "reconnect", "reconnect_ms", "p95"),
        TARGETS["reconnect_ratio"],
    )
    return checks


def verdict_table(checks: list[dict[str, Any]]) -> str:
    lines = ["| target | measured | goal | verdict |", "|---|---|---|---|"]
    for c in checks:
        lines.append(
            f"| {c['target']} | {fmt(c['value'])} | {c['goal']} | "
            f"{'PASS' if c['pass'] else 'FAIL'} |"
        )
    return "\n".join(lines)


def machine() -> dict[str, Any]:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_kb = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            mem_kb = int(line.split()[1])
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "kernel": platform.release(),
        "load_average_at_start": os.getloadavg(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--phones", type=int, default=None, help="phones per server (2000)")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 200 phones")
    parser.add_argument("--scenarios", nargs="+", choices=SCENARIOS, default=list(SCENARIOS))
    parser.add_argument(
        "--mode",
        choices=list(MODES),
        default="room",
        help="room: one process on SQLite and its baselines; server: two workers on "
        "PostgreSQL + Redis behind nginx, and the bare floor; both (make bench)",
    )
    parser.add_argument("--servers", nargs="+", choices=SERVERS, default=None)
    parser.add_argument(
        "--baseline-a-scenarios",
        nargs="+",
        choices=SCENARIOS,
        default=["burst", "think", "reconnect", "flood"],
        help="scenarios for tick0, in order; it stops at the first that "
        "saturates it (default: the burst first)",
    )
    parser.add_argument(
        "--tick-ms",
        type=int,
        default=None,
        help="HEARTH_TICK_MS for the hearth server (default: its own)",
    )
    parser.add_argument(
        "--bare-backlog",
        type=int,
        default=LISTEN_BACKLOG,
        help=f"listen backlog of the bare server ({LISTEN_BACKLOG}: what hearth serve opens with)",
    )
    parser.add_argument("--wave", type=int, default=100, help="phones connecting at once")
    parser.add_argument("--flood-seconds", type=float, default=None)
    parser.add_argument(
        "--think-median",
        type=float,
        default=5.0,
        help="median think time, s (lognormal, sigma 0.5)",
    )
    parser.add_argument("--think-max", type=float, default=12.0)
    parser.add_argument("--ack-timeout", type=float, default=15.0)
    parser.add_argument(
        "--swarm-deadline", type=float, default=150.0, help="seconds one swarm may run in all"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--profile",
        nargs="*",
        default=[],
        choices=[*SCENARIOS, "connect"],
        help="py-spy the server during these scenarios (skews its figures)",
    )
    parser.add_argument("--profile-servers", nargs="+", default=["hearth"], choices=SERVERS)
    parser.add_argument("--profile-dir", type=Path, default=RESULTS / "profiles")
    parser.add_argument("--out", type=Path, default=None, help="results JSON")
    parser.add_argument(
        "--nice",
        type=int,
        default=0,
        metavar="N",
        help="run the server and the swarm N steps above normal priority "
        "(needs root; for a machine shared with other work)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the servers' temp folders")
    parser.add_argument(
        "--wait-quiet",
        type=float,
        default=0,
        metavar="SECONDS",
        help="before each server, wait up to this long for other processes "
        "to use under 0.3 of a core (a shared machine skews every figure)",
    )
    args = parser.parse_args(argv)
    if args.servers is None:
        args.servers = MODES[args.mode]
    if args.phones is None:
        args.phones = 200 if args.quick else 2000
    if args.flood_seconds is None:
        args.flood_seconds = 3.0 if args.quick else 5.0
    if args.profile:
        args.profile_dir.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    out = args.out or RESULTS / f"bench-{args.phones}-{stamp}.json"
    raise_nofile()
    global NICE
    NICE = args.nice

    command = "python -m bench.run " + " ".join(sys.argv[1:] if argv is None else argv)
    started = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="hearth-bench-"))
    results: dict[str, Any] = {}
    quiet: dict[str, float] = {}
    try:
        for kind in args.servers:
            scenarios = args.baseline_a_scenarios if kind == "tick0" else args.scenarios
            scenarios = [s for s in scenarios if s in args.scenarios]
            if args.wait_quiet:
                quiet[kind] = wait_quiet(args.wait_quiet)
            say(f"{LABELS[kind]}: starting the server")
            server = (
                ClusterServer(workdir, args.tick_ms)
                if kind == "server"
                else Server(kind, workdir, args.tick_ms, args.bare_backlog)
            )
            try:
                server.start()
                say(f"{LABELS[kind]}: {args.phones} phones, scenarios {' '.join(scenarios)}")
                t0, load0 = time.monotonic(), os.getloadavg()
                results[kind] = run_swarm(server, args, scenarios, workdir)
                results[kind]["run_s"] = round(time.monotonic() - t0, 1)
                # A shared machine: the 1-minute load average before and after this server.
                results[kind]["load_average"] = [round(load0[0], 2), round(os.getloadavg()[0], 2)]
            except Exception as error:
                say(f"{LABELS[kind]} failed: {error!r} (log: {server.log})")
                results[kind] = {"error": repr(error)}
            finally:
                server.stop()
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    elapsed = time.monotonic() - started

    checks = verdicts(results, args.phones)
    report = {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "command": command,
        "machine": machine(),
        "phones": args.phones,
        "elapsed_s": round(elapsed, 1),
        "others_load_before_each_server": quiet,
        "nice": args.nice,
        "targets": checks,
        "results": results,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=1))
    print()
    print(
        f"Hearth bench — {args.phones} phones, {report['date']}, "
        f"{report['machine']['cpus']} CPUs, {elapsed:.0f} s"
    )
    print(f"$ {command}")
    print()
    print(table(results))
    loads = [
        f"{LABELS[k]} {r['load_average'][0]}→{r['load_average'][1]}"
        for k, r in results.items()
        if isinstance(r, dict) and r.get("load_average")
    ]
    if loads:
        print(f"\nload average (1 min) before→after each server: {'; '.join(loads)}")
    print()
    print(verdict_table(checks))
    for kind, result in results.items():
        for note in get(result, "notes") or []:
            print(f"- {LABELS[kind]}: {note}")
        if get(result, "error"):
            print(f"- {LABELS[kind]}: error {result['error']}")
    for label, summary in (get(results.get("hearth"), "profile") or {}).items():
        print(f"\nprofile {label} ({summary['samples']} samples), by Hearth's own lines:")
        for share, frame in summary["our_lines"][:15]:
            print(f"  {share:5.1f}%  {frame}")
    print(f"\nJSON: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
