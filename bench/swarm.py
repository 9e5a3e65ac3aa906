"""The load generator: a swarm of python-socketio AsyncClients in one asyncio process.

Started by bench/run.py as `python -m bench.swarm --config FILE`; it reads the server and
workshop from FILE, connects the phones (WebSocket only, in waves) and a projector, drives
the facilitator over /api/v1, runs the scenarios, writes its figures as JSON to the config's
`out` path and exits by itself (every wait has a deadline).

Clock: every timestamp is `time.perf_counter()` in this process, so ack times and projector
receive times are comparable. Server CPU and RSS come from /proc/<server pid>.

Lines on stdout starting with "@" are for bench/run.py ("@begin burst", "@end burst"), so it
can attach a profiler to the server during one scenario.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import gc
import json
import math
import os
import random
import resource
import sys
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import socketio

PARTICIPANT = "/participant"
PRESENT = "/present"
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024

now = time.perf_counter


def log(message: str) -> None:
    """Progress on stderr (stdout is for "@" markers)."""
    print(f"[swarm {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def marker(text: str) -> None:
    """A line for bench/run.py."""
    print(f"@{text}", flush=True)


# --- measuring --------------------------------------------------------------------------


def proc_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by a process."""
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def proc_run_delay(pid: int) -> float:
    """Seconds a process has waited, runnable, for a CPU (all its threads): contention."""
    total = 0
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/schedstat") as fh:
                total += int(fh.read().split()[1])
        except OSError:
            pass
    return total / 1e9


def proc_mem(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM of a process, in kB."""
    out = {}
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith(("VmRSS:", "VmHWM:")):
                key, value = line.split(":", 1)
                out[key] = int(value.split()[0])
    return out


def machine_busy() -> float:
    """CPU seconds all processes on this machine have used (from /proc/stat)."""
    with open("/proc/stat") as fh:
        fields = [int(x) for x in fh.readline().split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields[:8]) - idle) / CLK_TCK


LISTEN_COUNTERS = ("ListenOverflows", "ListenDrops", "TCPReqQFullDoCookies")


def listen_counters() -> dict[str, int]:
    """Kernel counters of connections refused by a full accept queue (machine-wide)."""
    out: dict[str, int] = {}
    with open("/proc/net/netstat") as fh:
        lines = fh.read().splitlines()
    for header, values in zip(lines[::2], lines[1::2], strict=False):
        if header.startswith("TcpExt:"):
            row = dict(zip(header.split()[1:], values.split()[1:], strict=False))
            out = {k: int(row.get(k, 0)) for k in LISTEN_COUNTERS}
    return out


def counters_delta(before: dict[str, int]) -> dict[str, int]:
    after = listen_counters()
    return {k: after.get(k, 0) - before.get(k, 0) for k in LISTEN_COUNTERS}


def own_cpu() -> float:
    """CPU seconds used by this swarm process."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def pct(values: list[float], q: float) -> float | None:
    """The q-th percentile (nearest rank), or None without values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, int(round(q / 100 * len(ordered) + 0.5)) - 1))
    return ordered[rank]


def ms(seconds: float | None) -> float | None:
    """Seconds to milliseconds, rounded; None stays None."""
    return None if seconds is None else round(seconds * 1000, 1)


def timeline(tally: Tally, step: float = 0.1) -> list[list[float]]:
    """Acks by when they were sent, in `step`-second buckets: [start s, answers, max ack ms]."""
    if not tally.timed:
        return []
    first = min(t for t, _ in tally.timed)
    buckets: dict[int, list[float]] = collections.defaultdict(list)
    for t, latency in tally.timed:
        buckets[int((t - first) / step)].append(latency)
    return [
        [round(i * step, 1), len(values), ms(max(values)) or 0.0]
        for i, values in sorted(buckets.items())
    ]


def dist_ms(values: list[float]) -> dict[str, Any]:
    """p50/p95/p99/max of durations in seconds, as milliseconds."""
    return {
        "n": len(values),
        "p50": ms(pct(values, 50)),
        "p95": ms(pct(values, 95)),
        "p99": ms(pct(values, 99)),
        "max": ms(max(values)) if values else None,
    }


class LoopLag:
    """How late this event loop wakes up: when it lags, the swarm (not the server) is slow."""

    def __init__(self, period: float = 0.05) -> None:
        self.period = period
        self.samples: list[tuple[float, float]] = []
        self.task: asyncio.Task[None] | None = None

    async def run(self) -> None:
        while True:
            start = now()
            await asyncio.sleep(self.period)
            self.samples.append((start, now() - start - self.period))

    def between(self, start: float, end: float) -> dict[str, Any]:
        lags = [lag for t, lag in self.samples if start <= t <= end]
        return {"p99_ms": ms(pct(lags, 99)), "max_ms": ms(max(lags)) if lags else None}


@dataclass
class Book:
    """What every phone sent to each activity, over the whole run (activities can be reused)."""

    # activity id -> phone index -> last acked value
    final: dict[int, dict[int, Any]] = field(default_factory=lambda: collections.defaultdict(dict))
    # activity id -> phone index -> "sent" | "ok" | "refused" | "unknown" (of its last send)
    status: dict[int, dict[int, str]] = field(default_factory=lambda: collections.defaultdict(dict))

    def expected(self, activity_id: int) -> tuple[collections.Counter[Any], int, int]:
        """(counts the tally must show, phones whose last send has no answer, phones that sent)."""
        status = self.status.get(activity_id, {})
        final = self.final.get(activity_id, {})
        certain = [p for p, s in status.items() if s in ("ok", "refused") and p in final]
        uncertain = sum(1 for s in status.values() if s not in ("ok", "refused"))
        return collections.Counter(final[p] for p in certain), uncertain, len(status)


@dataclass
class Tally:
    """The answers of one scenario: latencies, refusals, time-outs."""

    book: Book
    sent: int = 0
    latencies: list[float] = field(default_factory=list)
    # (emit time, latency) of every acked answer, for the latency-over-time buckets
    timed: list[tuple[float, float]] = field(default_factory=list)
    refused: collections.Counter[str] = field(default_factory=collections.Counter)
    unacked: int = 0
    errors: collections.Counter[str] = field(default_factory=collections.Counter)
    first_emit: float | None = None
    last_ack: float | None = None

    def emitted(self, phone: int, activity_id: int, t: float) -> None:
        self.sent += 1
        self.book.status[activity_id][phone] = "sent"
        if self.first_emit is None or t < self.first_emit:
            self.first_emit = t

    def acked(self, phone: int, activity_id: int, value: Any, t0: float, t1: float) -> None:
        self.latencies.append(t1 - t0)
        self.timed.append((t0, t1 - t0))
        self.book.final[activity_id][phone] = value
        self.book.status[activity_id][phone] = "ok"
        if self.last_ack is None or t1 > self.last_ack:
            self.last_ack = t1

    def refusal(self, phone: int, activity_id: int, code: str) -> None:
        self.refused[code] += 1
        self.book.status[activity_id][phone] = "refused"

    def lost_track(self, phone: int, activity_id: int, why: str) -> None:
        """No ack came: the server may or may not have stored the answer."""
        if why == "timeout":
            self.unacked += 1
        else:
            self.errors[why] += 1
        self.book.status[activity_id][phone] = "unknown"

    @property
    def acked_count(self) -> int:
        return len(self.latencies)


# --- clients ------------------------------------------------------------------------------


class Phone:
    """One participant: a Socket.IO client on /participant that keeps its token."""

    def __init__(self, index: int, swarm: Swarm) -> None:
        self.index = index
        self.swarm = swarm
        self.token: str | None = None
        self.activity_id: int | None = None
        self.snapshot_mine: Any = None
        self.ready = asyncio.Event()
        self.messages = 0
        self.dropped = 0  # disconnects we did not ask for
        self.leaving = False
        self.sio: socketio.AsyncClient | None = None

    def _client(self) -> socketio.AsyncClient:
        sio = socketio.AsyncClient(
            reconnection=False,
            http_session=self.swarm.http,
            handle_sigint=False,
            request_timeout=30,
        )
        sio.on("welcome", self._on_welcome, namespace=PARTICIPANT)
        sio.on("state", self._on_state, namespace=PARTICIPANT)
        sio.on("results", self._on_results, namespace=PARTICIPANT)
        sio.on("disconnect", self._on_disconnect, namespace=PARTICIPANT)
        return sio

    async def _on_welcome(self, data: Any) -> None:
        self.messages += 1
        if isinstance(data, dict) and data.get("token"):
            self.token = data["token"]

    async def _on_state(self, data: Any) -> None:
        self.messages += 1
        if not isinstance(data, dict):
            return
        if "mine" in data:
            self.snapshot_mine = data["mine"]
        activity = data.get("activity") or {}
        activity_id = activity.get("id")
        if activity_id != self.activity_id:
            self.activity_id = activity_id
            self.swarm.saw_activity(self, activity_id)
        self.ready.set()

    async def _on_results(self, data: Any) -> None:
        self.messages += 1

    async def _on_disconnect(self, reason: Any = None) -> None:
        if not self.leaving:
            self.dropped += 1

    async def connect(self) -> tuple[float, float]:
        """Connect (again, with the token if we have one): (connected, ready) durations."""
        self.ready.clear()
        self.leaving = False
        self.activity_id = None
        self.snapshot_mine = None
        auth: dict[str, Any] = {"code": self.swarm.code}
        if self.token:
            auth["token"] = self.token
        self.sio = self._client()
        start = now()
        await self.sio.connect(
            self.swarm.base,
            auth=auth,
            transports=["websocket"],
            namespaces=[PARTICIPANT],
            wait_timeout=60,
        )
        connected = now()
        if self.swarm.hearth:
            await asyncio.wait_for(self.ready.wait(), 60)
        else:
            self.ready.set()
        return connected - start, now() - start

    async def disconnect(self) -> None:
        """Leave on purpose (the server sees the socket close)."""
        self.leaving = True
        if self.sio is not None:
            try:
                await asyncio.wait_for(self.sio.disconnect(), 10)
            except (TimeoutError, Exception):
                pass

    async def answer(
        self,
        tally: Tally,
        activity_id: int,
        value: Any,
        msg_id: str | None = None,
        timeout: float = 30.0,
    ) -> dict[str, Any] | None:
        """Send one answer and wait for its ack; record latency, refusal or time-out."""
        msg_id = msg_id or uuid.uuid4().hex
        payload = {"activity_id": activity_id, "value": value, "msg_id": msg_id}
        start = now()
        tally.emitted(self.index, activity_id, start)
        try:
            assert self.sio is not None
            ack = await self.sio.call("answer", payload, namespace=PARTICIPANT, timeout=timeout)
        except socketio.exceptions.TimeoutError:
            tally.lost_track(self.index, activity_id, "timeout")
            return None
        except Exception as error:  # disconnected, bad namespace
            tally.lost_track(self.index, activity_id, type(error).__name__)
            return None
        end = now()
        if isinstance(ack, dict) and ack.get("ok"):
            tally.acked(self.index, activity_id, value, start, end)
        else:
            code = (ack or {}).get("error", {}).get("code", "?") if isinstance(ack, dict) else "?"
            tally.refusal(self.index, activity_id, code)
        return ack if isinstance(ack, dict) else None


class Projector:
    """The /present client: records `results` and `present` with receive times."""

    def __init__(self, swarm: Swarm) -> None:
        self.swarm = swarm
        # A projector in a room reconnects by itself (a saturated server can starve its pings).
        self.sio = socketio.AsyncClient(
            reconnection=True,
            reconnection_delay=0.5,
            reconnection_delay_max=2,
            http_session=swarm.http,
            handle_sigint=False,
        )
        self.results: dict[int, list[tuple[float, dict[str, Any]]]] = collections.defaultdict(list)
        self.activity: dict[str, Any] | None = None
        self.changed = asyncio.Event()
        self.messages = 0
        self.sio.on("present", self._on_present, namespace=PRESENT)
        self.sio.on("results", self._on_results, namespace=PRESENT)

    async def _on_present(self, data: Any) -> None:
        t = now()
        self.messages += 1
        if not isinstance(data, dict):
            return
        self.activity = data.get("activity")
        if isinstance(data.get("results"), dict):
            self._record(t, data["results"])
        self.changed.set()

    async def _on_results(self, data: Any) -> None:
        t = now()
        self.messages += 1
        if isinstance(data, dict):
            self._record(t, data)
        self.changed.set()

    def _record(self, t: float, payload: dict[str, Any]) -> None:
        activity_id = payload.get("activity_id")
        if isinstance(activity_id, int):
            self.results[activity_id].append((t, payload))

    async def connect(self, key: str) -> None:
        await self.sio.connect(
            self.swarm.base,
            auth={"key": key},
            transports=["websocket"],
            namespaces=[PRESENT],
            wait_timeout=30,
        )

    async def wait_activity(self, activity_id: int, timeout: float) -> dict[str, Any] | None:
        deadline = now() + timeout
        while now() < deadline:
            if self.activity and self.activity.get("id") == activity_id:
                return self.activity
            self.changed.clear()
            try:
                await asyncio.wait_for(self.changed.wait(), max(0.01, deadline - now()))
            except TimeoutError:
                break
        return None


# --- tallies ------------------------------------------------------------------------------


def shown_counts(payload: dict[str, Any]) -> collections.Counter[int] | None:
    """The per-value counts a results payload shows (choice `counts`, scale `histogram`)."""
    if payload.get("hidden"):
        return None
    if isinstance(payload.get("counts"), list):
        return collections.Counter({i: c for i, c in enumerate(payload["counts"]) if c})
    if isinstance(payload.get("histogram"), dict):
        return collections.Counter({int(k): c for k, c in payload["histogram"].items() if c})
    return None


def compare(
    expected: collections.Counter[Any],
    uncertain: int,
    senders: int,
    shown: collections.Counter[int] | None,
) -> dict[str, Any]:
    """Lost (acked but not counted) and duplicated (counted beyond the phones that sent).

    A phone whose last answer got no ack (`uncertain`) may or may not be counted: then `exact`
    asks only that every acked answer is there and nothing beyond what was sent.
    """
    if shown is None:
        return {"exact": False, "lost": None, "duplicated": None}
    lost = sum((expected - shown).values())
    duplicated = max(0, sum(shown.values()) - senders)
    if uncertain:
        exact = lost == 0 and sum(shown.values()) <= sum(expected.values()) + uncertain
    else:
        exact = expected == shown
    return {"exact": exact, "lost": lost, "duplicated": duplicated}


# --- the swarm ----------------------------------------------------------------------------


class Swarm:
    """Everything one run needs: config, clients, facilitator calls and the scenarios."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config
        self.base: str = config["base"]
        self.hearth = config["mode"] == "hearth"
        # The server's processes: one, or in server mode both workers and nginx.
        self.pids: list[int] = config["server_pids"]
        self.rng = random.Random(config.get("seed", 1))
        workshop = config.get("workshop") or {}
        self.code: str = workshop.get("code", "BARE00")
        self.workshop_id: int | None = workshop.get("id")
        self.api_token: str | None = config.get("api_token")
        self.answerable: list[dict[str, Any]] = workshop.get("answerable", [])
        self.http: aiohttp.ClientSession = None  # type: ignore[assignment]
        self.phones: list[Phone] = []
        self.projector: Projector | None = None
        self.lag = LoopLag()
        self.seen_waiters: dict[int, tuple[int, asyncio.Event, list[float]]] = {}
        self.out: dict[str, Any] = {"mode": config["mode"], "scenarios": {}, "notes": []}
        self.next_activity = 0
        self.book = Book()

    # the server's processes ------------------------------------------------------------------

    def server_cpu(self) -> float:
        return sum(proc_cpu(pid) for pid in self.pids)

    def server_wait(self) -> float:
        return sum(proc_run_delay(pid) for pid in self.pids)

    def server_mem(self) -> dict[str, int]:
        total: collections.Counter[str] = collections.Counter()
        for pid in self.pids:
            total.update(proc_mem(pid))
        return dict(total)

    # facilitator ---------------------------------------------------------------------------

    async def act(self, action: str, **extra: Any) -> dict[str, Any]:
        url = f"{self.base}/api/v1/workshops/{self.workshop_id}/actions"
        headers = {"Authorization": f"Bearer {self.api_token}"}
        async with self.http.post(
            url,
            json={"action": action, **extra},
            headers=headers,
            timeout=aiohttp.ClientTimeout(total=60),
        ) as response:
            body = await response.json()
        if response.status >= 400:
            raise RuntimeError(f"action {action} failed: {response.status} {body}")
        return body

    async def control(self) -> dict[str, Any]:
        url = f"{self.base}/api/v1/workshops/{self.workshop_id}"
        headers = {"Authorization": f"Bearer {self.api_token}"}
        async with self.http.get(
            url, headers=headers, timeout=aiohttp.ClientTimeout(total=60)
        ) as response:
            return await response.json()

    # fan-out ------------------------------------------------------------------------------

    def saw_activity(self, phone: Phone, activity_id: int | None) -> None:
        waiter = self.seen_waiters.get(activity_id) if activity_id is not None else None
        if waiter is None:
            return
        target, event, times = waiter
        times.append(now())
        if len(times) >= target:
            event.set()

    async def show(
        self, index: int, activity_id: int, timeout: float, reopen: bool = False
    ) -> dict[str, Any]:
        """goto (+ open) + reveal; wait for every phone's `state` and the projector's."""
        connected = [p for p in self.phones if p.sio is not None and p.sio.connected]
        event = asyncio.Event()
        times: list[float] = []
        self.seen_waiters[activity_id] = (len(connected), event, times)
        start = now()
        await self.act("goto", index=index)
        if reopen:  # leaving an activity closed it; going back does not reopen it
            await self.act("open")
        await self.act("reveal")
        try:
            await asyncio.wait_for(event.wait(), timeout)
        except TimeoutError:
            pass
        spec = await self.projector.wait_activity(activity_id, timeout) if self.projector else None
        if spec is None:
            raise RuntimeError(f"the projector never showed activity {activity_id}")
        return {
            "spec": spec,
            "fanout": {
                "phones": len(connected),
                "saw": len(times),
                "p50_ms": ms(pct([t - start for t in times], 50)),
                "p95_ms": ms(pct([t - start for t in times], 95)),
                "all_ms": ms(max(times) - start) if len(times) >= len(connected) else None,
            },
        }

    def take_activity(self) -> dict[str, Any]:
        """The next answerable activity of the plan (each scenario gets a fresh one)."""
        if not self.answerable:
            raise RuntimeError("the plan has no choice or scale activity")
        # Past the last one, start again: answers then change instead of being new rows.
        activity = dict(self.answerable[self.next_activity % len(self.answerable)])
        activity["reused"] = self.next_activity >= len(self.answerable)
        self.next_activity += 1
        return activity

    def values_for(self, spec: dict[str, Any] | None, kind: str) -> list[Any]:
        """Every valid answer of an activity."""
        if self.hearth and spec is not None:
            if kind == "choice":
                return list(range(len(spec["options"])))
            if kind == "scale":
                return list(range(spec["min"], spec["max"] + 1))
        return [0, 1, 2, 3]

    async def exact_results(self, activity_id: int, tally: Tally, timeout: float) -> dict[str, Any]:
        """Freshness: wait for the projector's results to equal the acked answers.

        Then lost and duplicated, from a fresh `present` snapshot (read from the database
        after every acked answer was committed), so a late tick is not counted as loss.
        """
        expected, uncertain, senders = self.book.expected(activity_id)
        out: dict[str, Any] = {
            "expected_answers": sum(expected.values()),
            "uncertain": uncertain,
            "senders": senders,
        }
        if not self.hearth or self.projector is None:
            return out
        last_ack = tally.last_ack or now()
        deadline = now() + timeout
        messages = self.projector.results[activity_id]

        def exact(payload: dict[str, Any]) -> bool:
            return bool(compare(expected, uncertain, senders, shown_counts(payload))["exact"])

        while not (messages and exact(messages[-1][1])) and now() < deadline:
            self.projector.changed.clear()
            try:
                await asyncio.wait_for(self.projector.changed.wait(), max(0.005, deadline - now()))
            except TimeoutError:
                pass
        out["projector_messages"] = len(messages)
        if uncertain > 0.1 * max(1, senders):
            # Too many answers without an ack: "the final results" are not known.
            out["freshness_ms"] = None
            out["freshness_note"] = "over 10% of answers unacked"
        elif messages and exact(messages[-1][1]):
            # The first message of the final run of exact ones.
            first = len(messages) - 1
            while first > 0 and exact(messages[first - 1][1]):
                first -= 1
            raw = messages[first][0] - last_ack
            out["freshness_ms"] = ms(max(0.0, raw))
            out["freshness_raw_ms"] = ms(raw)
            if uncertain:
                out["freshness_note"] = f"{uncertain} answers unacked: checked acked ones only"
        else:
            out["freshness_ms"] = None
            out["projector_last"] = messages[-1][1] if messages else None
        snapshot = await self.snapshot_results(activity_id)
        out["snapshot"] = snapshot
        out.update(
            compare(expected, uncertain, senders, shown_counts(snapshot) if snapshot else None)
        )
        if self.workshop_id is not None:
            control = await self.control()
            row: dict[str, Any] = next(
                (a for a in control["activities"] if a["id"] == activity_id), {}
            )
            out["control_answered"] = row.get("answered")
        return out

    async def snapshot_results(self, activity_id: int) -> dict[str, Any] | None:
        """The results in a new projector's first `present` (straight from the database)."""
        checker = Projector(self)
        try:
            await asyncio.wait_for(checker.connect(self.config["workshop"]["present_key"]), 20)
            deadline = now() + 20
            while now() < deadline:
                if checker.results.get(activity_id):
                    return checker.results[activity_id][-1][1]
                checker.changed.clear()
                try:
                    await asyncio.wait_for(checker.changed.wait(), max(0.01, deadline - now()))
                except TimeoutError:
                    break
            return None
        except Exception as error:
            log(f"snapshot check failed: {error!r}")
            return None
        finally:
            try:
                await asyncio.wait_for(checker.sio.disconnect(), 5)
            except Exception:
                pass

    # scenario bookkeeping -----------------------------------------------------------------

    def window_start(self) -> dict[str, float]:
        return {
            "t": now(),
            "server_cpu": self.server_cpu(),
            "server_wait": self.server_wait(),
            "swarm_wait": proc_run_delay(os.getpid()),
            "swarm_cpu": own_cpu(),
            "machine_cpu": machine_busy(),
            "listen": listen_counters(),  # type: ignore[dict-item]
            "messages": sum(p.messages for p in self.phones),
            "dropped": sum(p.dropped for p in self.phones),
        }

    def window_end(self, start: dict[str, float], tally: Tally) -> dict[str, Any]:
        end_t = now()
        wall = end_t - start["t"]
        server_cpu = self.server_cpu() - start["server_cpu"]
        swarm_cpu = own_cpu() - start["swarm_cpu"]
        others = machine_busy() - start["machine_cpu"] - server_cpu - swarm_cpu
        acked = tally.acked_count
        span = None
        if tally.first_emit is not None and tally.last_ack is not None:
            span = tally.last_ack - tally.first_emit
        return {
            "wall_s": round(wall, 2),
            "sent": tally.sent,
            "acked": acked,
            "refused": dict(tally.refused),
            "unacked": tally.unacked,
            "errors": dict(tally.errors),
            "ack_ms": dist_ms(tally.latencies),
            "ack_ms_by_emit_time": timeline(tally),
            "answers_per_s": round(acked / span, 1) if span else None,
            "server_cpu_s": round(server_cpu, 3),
            "server_cpu_util": round(server_cpu / wall, 3) if wall else None,
            "server_cpu_s_per_1000": round(server_cpu / acked * 1000, 3) if acked else None,
            "swarm_cpu_util": round(swarm_cpu / wall, 3) if wall else None,
            # Time spent runnable but waiting for a CPU, per second of wall time.
            "server_cpu_wait": round((self.server_wait() - start["server_wait"]) / wall, 3)
            if wall
            else None,
            "swarm_cpu_wait": round((proc_run_delay(os.getpid()) - start["swarm_wait"]) / wall, 3)
            if wall
            else None,
            "swarm_loop_lag": self.lag.between(start["t"], end_t),
            # Other processes on this machine (a busy neighbour skews every figure above).
            "others_cpu_util": round(max(0.0, others) / wall, 3) if wall else None,
            # SYNs/handshakes dropped because the server's accept queue was full.
            "listen_overflows": counters_delta(start["listen"]),  # type: ignore[arg-type]
            "phone_messages": sum(p.messages for p in self.phones) - int(start["messages"]),
            "dropped_phones": sum(p.dropped for p in self.phones) - int(start["dropped"]),
        }

    # scenarios ------------------------------------------------------------------------------

    async def connect_all(self) -> dict[str, Any]:
        n, wave = self.config["phones"], self.config["wave"]
        self.phones = [Phone(i, self) for i in range(n)]
        before = self.server_mem()
        cpu0 = self.server_cpu()
        listen0 = listen_counters()
        connected: list[float] = []
        ready: list[float] = []
        failures: collections.Counter[str] = collections.Counter()
        start = now()
        for offset in range(0, n, wave):
            batch = self.phones[offset : offset + wave]
            results = await asyncio.gather(*(p.connect() for p in batch), return_exceptions=True)
            for phone, result in zip(batch, results, strict=True):
                if isinstance(result, BaseException):
                    failures[f"{type(result).__name__}: {result}"[:120]] += 1
                    phone.sio = None
                else:
                    connected.append(result[0])
                    ready.append(result[1])
            if offset // wave % 5 == 4:
                log(f"connected {offset + len(batch)}/{n}")
        total = now() - start
        await asyncio.sleep(1.0)  # let the server settle (pings, the tick) before RSS
        after = self.server_mem()
        ok = len(connected)
        rss_delta = after["VmRSS"] - before["VmRSS"]
        return {
            "phones": n,
            "connected": ok,
            "failures": dict(failures),
            "connect_ms": dist_ms(connected),
            "ready_ms": dist_ms(ready),
            "total_s": round(total, 2),
            "server_cpu_s": round(self.server_cpu() - cpu0, 3),
            "listen_overflows": counters_delta(listen0),
            "rss_before_kb": before["VmRSS"],
            "rss_after_kb": after["VmRSS"],
            "rss_per_phone_kb": round(rss_delta / ok, 1) if ok else None,
        }

    def live_phones(self) -> list[Phone]:
        return [p for p in self.phones if p.sio is not None and p.sio.connected]

    async def _prepare(self, name: str) -> tuple[dict[str, Any], int, list[Any], dict[str, Any]]:
        """Pick and show the next activity: (activity, id, valid values, info)."""
        if not self.hearth:
            return {"id": 0, "index": 0, "kind": "choice"}, 0, [0, 1, 2, 3], {}
        activity = self.take_activity()
        shown = await self.show(
            activity["index"], activity["id"], timeout=30, reopen=activity["reused"]
        )
        # Nobody answers a question before it is on their phone: let the goto/reveal fan-out to
        # every phone finish (server idle) before the scenario's clock starts.
        await self.settle(self.config.get("settle_s", 30))
        values = self.values_for(shown["spec"], activity["kind"])
        info = {
            "activity": {k: activity[k] for k in ("id", "index", "kind", "reused")},
            "fanout": shown["fanout"],
        }
        return activity, activity["id"], values, info

    async def _run_tasks(self, tasks: list[Any], deadline: float) -> int:
        """Run phone coroutines until they finish or the deadline; return how many timed out."""
        pending_tasks = [asyncio.ensure_future(t) for t in tasks]
        done, pending = await asyncio.wait(pending_tasks, timeout=max(0.1, deadline - now()))
        for task in pending:
            task.cancel()
        for task in done:
            if task.exception() is not None:
                log(f"phone task failed: {task.exception()!r}")
        return len(pending)

    async def _think_answer(
        self, phone: Phone, tally: Tally, activity_id: int, values: list[Any]
    ) -> None:
        """Think (lognormal, from the moment the question showed), then answer."""
        median, cap = self.config["think_median_s"], self.config["think_max_s"]
        delay = min(cap, max(1.0, self.rng.lognormvariate(math.log(median), 0.5)))
        await asyncio.sleep(delay)
        await phone.answer(
            tally, activity_id, self.rng.choice(values), timeout=self.config["ack_timeout_s"]
        )

    async def think(self) -> dict[str, Any]:
        """Each phone answers three activities, each after a realistic think time."""
        rounds = []
        cfg = self.config
        for _ in range(3):
            activity, activity_id, values, info = await self._prepare("think")
            tally = Tally(self.book)
            window = self.window_start()
            phones = self.live_phones()
            cap = cfg["think_max_s"]
            stuck = await self._run_tasks(
                [self._think_answer(p, tally, activity_id, values) for p in phones],
                now() + cap + cfg["ack_timeout_s"] + 5,
            )
            fresh = await self.exact_results(activity_id, tally, cfg["fresh_timeout_s"])
            row = {**info, **self.window_end(window, tally), "results": fresh, "stuck": stuck}
            rounds.append(row)
            log(
                f"think {activity_id}: acked {tally.acked_count}/{len(phones)}, "
                f"p99 {row['ack_ms']['p99']} ms, fresh {fresh.get('freshness_ms')} ms"
            )
            if tally.unacked or stuck:
                await self.settle(self.config.get("settle_s", 30))  # let a backlog drain
        return _merge_rounds(rounds)

    async def burst(self) -> dict[str, Any]:
        """Every phone answers within `burst_s` (2 s) of one moment."""
        cfg = self.config
        activity, activity_id, values, info = await self._prepare("burst")
        phones = self.live_phones()
        tally = Tally(self.book)
        window = self.window_start()
        t0 = now() + 0.05
        offsets = [self.rng.uniform(0, cfg["burst_s"]) for _ in phones]

        async def one(phone: Phone, offset: float) -> None:
            await asyncio.sleep(max(0.0, t0 + offset - now()))
            await phone.answer(
                tally, activity_id, self.rng.choice(values), timeout=cfg["ack_timeout_s"]
            )

        stuck = await self._run_tasks(
            [one(p, o) for p, o in zip(phones, offsets, strict=True)],
            t0 + cfg["burst_s"] + cfg["ack_timeout_s"] + 2,
        )
        fresh = await self.exact_results(activity_id, tally, cfg["fresh_timeout_s"])
        result = {**info, **self.window_end(window, tally), "results": fresh, "stuck": stuck}
        return result

    async def reconnect(self) -> dict[str, Any]:
        """Half the phones drop and reconnect (with their token) in the middle of a poll.

        Of the half that reconnects, a third drops before answering, a third sends its answer
        and drops before the ack (then resends the same msg_id, as the phone app does), and a
        third drops after its ack (its reconnect snapshot's `mine` must show that answer).
        """
        cfg = self.config
        activity, activity_id, values, info = await self._prepare("reconnect")
        phones = self.live_phones()
        self.rng.shuffle(phones)
        half = len(phones) // 2
        movers, stayers = phones[:half], phones[half:]
        tally = Tally(self.book)
        window = self.window_start()
        t0 = now()
        poll = cfg["reconnect_poll_s"]
        reconnect_times: list[float] = []
        mine_checks: collections.Counter[str] = collections.Counter()
        failures: collections.Counter[str] = collections.Counter()

        async def stay(phone: Phone) -> None:
            await asyncio.sleep(self.rng.uniform(0.3, poll))
            await phone.answer(
                tally, activity_id, self.rng.choice(values), timeout=cfg["ack_timeout_s"]
            )

        async def rejoin(phone: Phone) -> bool:
            await phone.disconnect()
            await asyncio.sleep(self.rng.uniform(0.1, 0.8))
            try:
                _, ready = await phone.connect()
            except Exception as error:
                failures[type(error).__name__] += 1
                return False
            reconnect_times.append(ready)
            return True

        async def drop_before(phone: Phone) -> None:
            await asyncio.sleep(self.rng.uniform(0.2, poll / 2))
            if await rejoin(phone):
                mine_checks["before_ok" if phone.snapshot_mine is None else "before_bad"] += 1
                await asyncio.sleep(self.rng.uniform(0.1, poll / 2))
                await phone.answer(
                    tally, activity_id, self.rng.choice(values), timeout=cfg["ack_timeout_s"]
                )

        async def drop_in_flight(phone: Phone) -> None:
            await asyncio.sleep(self.rng.uniform(0.2, poll / 2))
            value, msg_id = self.rng.choice(values), uuid.uuid4().hex
            payload = {"activity_id": activity_id, "value": value, "msg_id": msg_id}
            tally.emitted(phone.index, activity_id, now())
            tally.sent -= 1  # counted when it is sent again below
            try:
                assert phone.sio is not None
                await phone.sio.emit("answer", payload, namespace=PARTICIPANT)
            except Exception:
                pass
            tally.book.status[activity_id][phone.index] = "unknown"
            if await rejoin(phone):
                mine = phone.snapshot_mine
                if mine is None or (isinstance(mine, dict) and mine.get("value") == value):
                    mine_checks["in_flight_ok"] += 1
                else:
                    mine_checks["in_flight_bad"] += 1
                await phone.answer(
                    tally, activity_id, value, msg_id=msg_id, timeout=cfg["ack_timeout_s"]
                )

        async def drop_after(phone: Phone) -> None:
            await asyncio.sleep(self.rng.uniform(0.2, poll / 2))
            value = self.rng.choice(values)
            ack = await phone.answer(tally, activity_id, value, timeout=cfg["ack_timeout_s"])
            if not (ack and ack.get("ok")):
                return
            if await rejoin(phone):
                mine = phone.snapshot_mine
                good = isinstance(mine, dict) and mine.get("value") == value
                mine_checks["after_ok" if good else "after_bad"] += 1

        kinds = [drop_before, drop_in_flight, drop_after]
        tasks = [stay(p) for p in stayers]
        tasks += [kinds[i % 3](p) for i, p in enumerate(movers)]
        stuck = await self._run_tasks(tasks, t0 + poll + 2 * cfg["ack_timeout_s"] + 10)
        fresh = await self.exact_results(activity_id, tally, cfg["fresh_timeout_s"])
        result = {
            **info,
            **self.window_end(window, tally),
            "results": fresh,
            "stuck": stuck,
            "reconnected": len(reconnect_times),
            "reconnect_failures": dict(failures),
            "reconnect_ms": dist_ms(reconnect_times),
            "mine_checks": dict(mine_checks) if self.hearth else {},
            # Only Hearth sends a snapshot with `mine`; the bare server has nothing to check.
            "mine_wrong": sum(v for k, v in mine_checks.items() if k.endswith("_bad"))
            if self.hearth
            else None,
            "still_connected": len(self.live_phones()),
        }
        return result

    async def flood(self) -> dict[str, Any]:
        """Throughput: every phone answers again the moment its ack arrives, for `flood_s`."""
        cfg = self.config
        activity, activity_id, values, info = await self._prepare("flood")
        phones = self.live_phones()
        tally = Tally(self.book)
        window = self.window_start()
        stop = now() + cfg["flood_s"]

        async def loop(phone: Phone) -> None:
            k = phone.index
            while now() < stop:
                k += 1
                ack = await phone.answer(
                    tally, activity_id, values[k % len(values)], timeout=cfg["ack_timeout_s"]
                )
                if ack is None:
                    return

        stuck = await self._run_tasks([loop(p) for p in phones], stop + cfg["ack_timeout_s"] + 2)
        fresh = await self.exact_results(activity_id, tally, cfg["fresh_timeout_s"])
        result = {**info, **self.window_end(window, tally), "results": fresh, "stuck": stuck}
        return result

    async def settle(self, limit: float) -> bool:
        """Wait until the server idles (under 25% of a core for half a second)."""
        deadline = now() + limit
        while now() < deadline:
            cpu, t = self.server_cpu(), now()
            await asyncio.sleep(0.5)
            if (self.server_cpu() - cpu) / (now() - t) < 0.25:
                return True
        return False

    # the run --------------------------------------------------------------------------------

    async def run(self) -> dict[str, Any]:
        connector = aiohttp.TCPConnector(limit=0, force_close=False)
        self.http = aiohttp.ClientSession(connector=connector)
        self.lag.task = asyncio.ensure_future(self.lag.run())
        out = self.out
        out["server_idle_rss_kb"] = self.server_mem()["VmRSS"]
        if self.hearth:
            control = await self.control()
            if control.get("phase") == "lobby":
                await self.act("start")
            self.projector = Projector(self)
            await self.projector.connect(self.config["workshop"]["present_key"])
        log(f"connecting {self.config['phones']} phones in waves of {self.config['wave']}")
        marker("begin connect")
        out["connect"] = await self.connect_all()
        marker("end connect")
        # The swarm is measured as little as it can be: 2,000 clients are about a million
        # objects, and CPython's full collections of them stopped this loop for 200+ ms in the
        # middle of scenarios (acks then look late). Freeze what the connects built and run
        # full collections only between scenarios.
        gc.collect()
        gc.freeze()
        young, middle, _ = gc.get_threshold()
        gc.set_threshold(young, middle, 1_000_000)
        log(
            f"connected {out['connect']['connected']} in {out['connect']['total_s']} s, "
            f"{out['connect']['rss_per_phone_kb']} kB/phone"
        )
        for name in self.config["scenarios"]:
            gc.collect()
            log(f"scenario {name}")
            started = now()
            marker(f"begin {name}")
            try:
                result = await getattr(self, name)()
            except Exception as error:
                log(f"scenario {name} failed: {error!r}")
                out["scenarios"][name] = {"error": repr(error)}
                break
            finally:
                marker(f"end {name}")
            result["scenario_wall_s"] = round(now() - started, 2)
            out["scenarios"][name] = result
            summary = {k: result.get(k) for k in ("acked", "unacked", "ack_ms")}
            log(f"scenario {name}: {summary}")
            if result.get("unacked") or result.get("stuck"):
                out["notes"].append(
                    f"{name}: {result.get('unacked')} answers unacked at the deadline"
                )
                if self.config.get("stop_when_saturated"):
                    out["notes"].append(f"{name}: saturated; later scenarios skipped")
                    out["saturated_in"] = name
                    break
            # A backlog left on the server would be charged to the next scenario.
            if not await self.settle(self.config.get("settle_s", 30)):
                out["notes"].append(
                    f"{name}: the server was still busy {self.config.get('settle_s', 30)} s "
                    "later (a backlog); later scenarios skipped"
                )
                out["saturated_in"] = name
                break
        out["server_end_mem_kb"] = self.server_mem()
        out["phones_dropped"] = sum(p.dropped for p in self.phones)
        return out


def _merge_rounds(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """Combine the think rounds: pooled latencies are not kept, so take the worst round."""
    merged: dict[str, Any] = {"rounds": rounds}
    if not rounds:
        return merged
    keys_sum = (
        "sent",
        "acked",
        "unacked",
        "server_cpu_s",
        "wall_s",
        "stuck",
        "phone_messages",
        "dropped_phones",
    )
    for key in keys_sum:
        merged[key] = round(sum(r.get(key) or 0 for r in rounds), 3)
    for key in ("p50", "p95", "p99", "max"):
        values = [r["ack_ms"][key] for r in rounds if r["ack_ms"][key] is not None]
        merged.setdefault("ack_ms", {})[key] = max(values) if values else None
    merged["ack_ms"]["n"] = merged["acked"]
    merged["server_cpu_s_per_1000"] = (
        round(merged["server_cpu_s"] / merged["acked"] * 1000, 3) if merged["acked"] else None
    )
    fresh = [r["results"].get("freshness_ms") for r in rounds]
    merged["results"] = {
        "exact": all(r["results"].get("exact", True) for r in rounds),
        "lost": _sum_or_none(r["results"].get("lost") for r in rounds),
        "duplicated": _sum_or_none(r["results"].get("duplicated") for r in rounds),
        "freshness_ms": None if any(f is None for f in fresh) else max(fresh, default=None),
    }
    merged["refused"] = dict(
        sum((collections.Counter(r["refused"]) for r in rounds), collections.Counter())
    )
    merged["errors"] = dict(
        sum((collections.Counter(r["errors"]) for r in rounds), collections.Counter())
    )
    merged["swarm_cpu_util"] = max((r.get("swarm_cpu_util") or 0) for r in rounds)
    merged["server_cpu_util"] = max((r.get("server_cpu_util") or 0) for r in rounds)
    merged["others_cpu_util"] = max((r.get("others_cpu_util") or 0) for r in rounds)
    merged["swarm_loop_lag"] = {"max_ms": max((r["swarm_loop_lag"]["max_ms"] or 0) for r in rounds)}
    return merged


def _sum_or_none(values: Any) -> int | None:
    values = list(values)
    if any(v is None for v in values):
        return None
    return sum(values)


def raise_nofile() -> None:
    """Two thousand sockets need more than the usual 1,024 descriptors."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = 65536 if hard == resource.RLIM_INFINITY else min(hard, 65536)
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))


async def amain(config: dict[str, Any]) -> dict[str, Any]:
    swarm = Swarm(config)
    try:
        return await asyncio.wait_for(swarm.run(), config["deadline_s"])
    except TimeoutError:
        swarm.out["notes"].append(f"the swarm hit its {config['deadline_s']} s deadline")
        return swarm.out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--config", required=True, help="JSON file written by bench/run.py")
    args = parser.parse_args()
    with open(args.config) as fh:
        config = json.load(fh)
    raise_nofile()
    started = time.time()
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    result = loop.run_until_complete(amain(config))
    result["swarm_wall_s"] = round(time.time() - started, 2)
    with open(config["out"], "w") as fh:
        json.dump(result, fh, indent=1)
    marker("done")
    # 2,000 clients take a while to close politely; the server is stopped next anyway.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
