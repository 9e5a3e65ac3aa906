"""A live poll against a real server: 30 phones, flaky connections, replays, one exact tally."""

from __future__ import annotations

import time
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from .live import LiveServer, Recorder, wait_until

PHONES = 30
TICK_SECONDS = 0.2  # HEARTH_TICK_MS default; the server under test runs with it


def _msg_id() -> str:
    """A random message id, as the phone's outbox makes them."""
    return uuid.uuid4().hex


def _in_parallel(jobs: list[Callable[[], Any]]) -> list[Any]:
    """Run the jobs at the same time (as a room full of phones does) and return their results."""
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return list(pool.map(lambda job: job(), jobs))


def _latest(payloads: list[dict[str, Any]], activity_id: int) -> dict[str, Any] | None:
    """The newest (highest version) results of one activity among received payloads."""
    mine = [p for p in payloads if p and p.get("activity_id") == activity_id]
    return max(mine, key=lambda p: p["version"]) if mine else None


def _phone_results(phone: Recorder, activity_id: int) -> dict[str, Any] | None:
    """The newest results a phone holds, from `results` events or `state` snapshots."""
    states = [s.get("results") for s in phone.of("state")]
    return _latest([*phone.of("results"), *states], activity_id)


def test_thirty_phones_with_reconnects_and_replays_give_the_exact_tally(
    server: LiveServer, sockets: Callable[[str], Recorder]
) -> None:
    """Every answer is acked; replays are not counted twice; the revealed tally is exact."""
    workshop = server.create_workshop(min_group=3)
    projector = sockets("/present").listen("present", "results")
    projector.connect(server.base_url, {"key": workshop.present_key})
    wait_until(lambda: projector.of("present"), message="the projector's first snapshot")

    def join(token: str | None = None) -> Recorder:
        auth = {"code": workshop.code} | ({"token": token} if token else {})
        phone = sockets("/participant").listen("welcome", "state", "results")
        phone.connect(server.base_url, auth)
        wait_until(lambda: phone.of("welcome") and phone.of("state"), message="welcome + state")
        return phone

    phones: list[Recorder] = _in_parallel([join] * PHONES)
    tokens = [phone.of("welcome")[0]["token"] for phone in phones]
    assert len(set(tokens)) == PHONES
    assert all(phone.of("state")[0]["phase"] == "lobby" for phone in phones)

    activity = server.goto_first(workshop.id, "choice")
    activity_id = activity["id"]

    def showing(phone: Recorder) -> dict[str, Any] | None:
        state = max(phone.of("state"), key=lambda s: s["version"])
        current = state["activity"]
        return current if current and current["id"] == activity_id and state["accepting"] else None

    wait_until(lambda: all(showing(p) for p in phones), message="every phone to show the poll")
    options = showing(phones[0])["options"]  # type: ignore[index]
    assert len(options) >= 3

    final: dict[int, int] = {}  # phone number -> the option it ends with
    sent = 0
    last_msg: dict[int, tuple[str, int]] = {}

    def answer(phone: Recorder, number: int, value: int, msg_id: str) -> dict[str, Any]:
        ack = phone.call("answer", {"activity_id": activity_id, "value": value, "msg_id": msg_id})
        return {"number": number, "value": value, "msg_id": msg_id, "ack": ack}

    def check_acks(results: list[dict[str, Any]], expect: Callable[[int, int], int]) -> None:
        for result in results:
            ack, number = result["ack"], result["number"]
            assert ack.get("ok") is True, f"phone {number} sent {result}, got {ack}"
            assert ack["activity_id"] == activity_id
            assert ack["mine"] == {"value": expect(number, result["value"]), "passed": False}

    flaky = list(range(0, PHONES, 2))  # these lose their connection mid-poll
    steady = list(range(1, PHONES, 2))
    window_start = time.monotonic()
    results_before = len(projector.of("results"))

    # The flaky half answers first, then drops off while the steady half answers.
    jobs = []
    for number in flaky:
        value, msg_id = number % len(options), _msg_id()
        final[number], last_msg[number] = value, (msg_id, value)
        jobs.append(lambda p=phones[number], n=number, v=value, m=msg_id: answer(p, n, v, m))
    check_acks(_in_parallel(jobs), lambda _n, value: value)
    sent += len(jobs)
    for number in flaky:
        phones[number].disconnect()

    jobs = []
    for number in steady:
        value = (number * 7) % len(options)
        final[number] = value
        jobs.append(lambda p=phones[number], n=number, v=value: answer(p, n, v, _msg_id()))
    check_acks(_in_parallel(jobs), lambda _n, value: value)
    sent += len(jobs)

    # The flaky half comes back with the token from `welcome`: same participant, same answer.
    rejoined = _in_parallel([lambda n=n: join(tokens[n]) for n in flaky])
    for number, phone in zip(flaky, rejoined, strict=True):
        assert phone.of("welcome")[0]["token"] == tokens[number]
        first_state = phone.of("state")[0]
        assert first_state["activity"]["id"] == activity_id
        assert first_state["mine"] == {"value": final[number], "passed": False}, number
        phones[number] = phone

    # (a) Replays: the outbox re-sends the last answer with the same msg_id. A few replays
    # even carry another value: a msg_id already applied must change nothing.
    jobs = []
    for position, number in enumerate(flaky):
        msg_id, value = last_msg[number]
        if position < 3:
            value = (value + 1) % len(options)
        jobs.append(lambda p=phones[number], n=number, v=value, m=msg_id: answer(p, n, v, m))
    check_acks(_in_parallel(jobs), lambda number, _value: final[number])
    sent += len(jobs)

    # (b) Some change their minds: a new msg_id, another option.
    changers = flaky[::3]
    jobs = []
    for number in changers:
        final[number] = (final[number] + 1) % len(options)
        value = final[number]
        jobs.append(lambda p=phones[number], n=number, v=value: answer(p, n, v, _msg_id()))
    check_acks(_in_parallel(jobs), lambda _n, value: value)
    sent += len(jobs)

    # Let the last change reach the projector's (hidden) results before the window closes.
    wait_until(
        lambda: (_latest(projector.of("results"), activity_id) or {}).get("answered") == PHONES,
        message="the projector to count 30 responses before the reveal",
    )
    window = time.monotonic() - window_start
    during = projector.of("results")[results_before:]

    server.act(workshop.id, "reveal")
    expected = [0] * len(options)
    for value in final.values():
        expected[value] += 1
    assert sum(expected) == PHONES and Counter(final.values()) == Counter(
        {i: c for i, c in enumerate(expected) if c}
    )

    def revealed_tally() -> dict[str, Any] | None:
        latest = _latest(projector.of("results"), activity_id)
        return latest if latest and latest["hidden"] is None else None

    latest = wait_until(revealed_tally, message="revealed results on the projector")
    assert latest["counts"] == expected, (latest, final)
    assert latest["answered"] == PHONES
    assert "passed" not in latest  # a pass count is for the facilitator only

    # No broadcast per answer: at most one `results` per tick, far fewer than the answers.
    all_results = [r for r in projector.of("results") if r["activity_id"] == activity_id]
    print(f"{sent} answers, {len(during)} results in {window:.2f} s, {len(all_results)} in all")
    assert len(during) <= window / TICK_SECONDS + 2, (len(during), window)
    assert len(all_results) < sent / 3, (len(all_results), sent)
    versions = [r["version"] for r in all_results]
    assert versions == sorted(versions) and len(set(versions)) == len(versions), versions
    present_versions = [p["version"] for p in projector.of("present")]
    assert present_versions == sorted(present_versions)
    # Before the reveal the projector learns how many answered, never what they answered.
    for early in all_results:
        if early["hidden"] is not None:
            assert early["hidden"] in {"below_threshold", "not_revealed"}, early
            assert "counts" not in early, early

    # Every phone in the room sees the same revealed tally.
    for number, phone in enumerate(phones):
        wait_until(
            lambda p=phone: (_phone_results(p, activity_id) or {}).get("hidden", "x") is None,
            message=f"phone {number} to see the revealed results",
        )
        assert _phone_results(phone, activity_id)["counts"] == expected  # type: ignore[index]

    control = server.control(workshop.id)
    assert control["progress"]["answered"] == PHONES
    assert control["revealed"] is True
