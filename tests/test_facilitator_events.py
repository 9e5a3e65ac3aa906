"""The /facilitator and /present namespaces: who may connect, `act`, and who sees which results."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from hearth.extensions import db, writing
from hearth.models import Response, WorkshopFacilitator

RESULT_FIELDS = {"counts", "histogram", "mean", "median", "entries", "pending", "words"}


def results_for(sock: Any, activity: Any) -> list[dict[str, Any]]:
    """Drain a socket and return the `results` it got for one activity."""
    return [r for r in sock.received("results") if r["activity_id"] == activity.id]


def phone_results(sock: Any, activity: Any) -> list[dict[str, Any]]:
    """Drain a phone: the public results it got for an activity, by `results` or in a `state`.

    A tick that also re-sends `state` (say, because phones joined) carries results in it.
    """
    found = []
    for name, payload in sock.events():
        if name == "results" and payload["activity_id"] == activity.id:
            found.append(payload)
        elif name == "state" and (payload["results"] or {}).get("activity_id") == activity.id:
            found.append(payload["results"])
    return found


def moderation_of(app: Flask, response_id: int) -> str | None:
    """The moderation state of a stored response."""
    with app.app_context():
        return db.session.get(Response, response_id).moderation


# --- connecting ---------------------------------------------------------------------------


def test_facilitator_socket_refused_when_not_logged_in(
    app: Flask, make_workshop: Callable[..., Any], socket_client: Callable[..., Any]
) -> None:
    workshop = make_workshop()
    sock = socket_client("/facilitator", {"workshop_id": workshop.id}, app.test_client())
    assert not sock.alive
    assert sock.refusal["code"] == "unauthorized"
    assert sock.refusal["message"]


def test_participant_trying_the_facilitator_namespace_is_refused(
    make_workshop: Callable[..., Any], socket_client: Callable[..., Any]
) -> None:
    workshop = make_workshop()
    sock = socket_client("/facilitator", {"code": workshop.code, "workshop_id": workshop.id})
    assert not sock.alive
    assert sock.refusal["code"] == "unauthorized"


def test_facilitator_socket_refused_for_a_workshop_of_someone_else(
    make_workshop: Callable[..., Any],
    make_facilitator: Callable[..., Any],
    facilitator_socket: Callable[..., Any],
) -> None:
    theirs = make_workshop(by=make_facilitator())
    sock = facilitator_socket(theirs)
    assert not sock.alive
    assert sock.refusal["code"] == "forbidden"


@pytest.mark.parametrize(
    ("workshop_id", "code"),
    [(999_999, "not_found"), ("1", "invalid_payload"), (None, "invalid_payload")],
)
def test_facilitator_socket_refused_for_a_bad_workshop_id(
    facilitator_socket: Callable[..., Any], workshop_id: Any, code: str
) -> None:
    sock = facilitator_socket(0, workshop_id=workshop_id)
    assert not sock.alive
    assert sock.refusal["code"] == code


def test_facilitator_socket_accepts_a_bearer_token(
    app: Flask,
    make_workshop: Callable[..., Any],
    api_token: str,
    socket_client: Callable[..., Any],
) -> None:
    workshop = make_workshop()
    sock = socket_client("/facilitator", {"workshop_id": workshop.id, "token": api_token})
    assert sock.alive
    assert sock.received("control")[0]["workshop"]["id"] == workshop.id


def test_facilitator_socket_refuses_a_wrong_bearer_token(
    make_workshop: Callable[..., Any], socket_client: Callable[..., Any]
) -> None:
    workshop = make_workshop()
    sock = socket_client("/facilitator", {"workshop_id": workshop.id, "token": "not-a-token"})
    assert sock.refusal["code"] == "unauthorized"


def test_a_co_facilitator_may_connect(
    app: Flask,
    make_workshop: Callable[..., Any],
    make_facilitator: Callable[..., Any],
    logged_in_client: Callable[..., Any],
    facilitator_socket: Callable[..., Any],
) -> None:
    workshop = make_workshop()
    co = make_facilitator()
    with app.app_context(), writing():
        db.session.add(WorkshopFacilitator(workshop_id=workshop.id, facilitator_id=co.id))
    assert facilitator_socket(workshop, logged_in_client(co)).alive


def test_control_room_gets_control_and_every_activitys_results_on_connect(
    make_workshop: Callable[..., Any], facilitator_socket: Callable[..., Any]
) -> None:
    workshop = make_workshop()
    events = facilitator_socket(workshop).events()
    assert events[0][0] == "control"
    control = events[0][1]
    assert control["phase"] == "lobby"
    assert control["workshop"]["code"] == workshop.code
    assert len(control["activities"]) == len(workshop.activities)
    answerable = [a.id for a in workshop.activities if a.kind != "content"]
    assert [payload["activity_id"] for name, payload in events[1:]] == answerable
    assert all(name == "results" for name, _ in events[1:])


def test_present_socket_with_the_key_gets_a_present_snapshot(
    make_workshop: Callable[..., Any], present_socket: Callable[..., Any]
) -> None:
    workshop = make_workshop()
    (present,) = present_socket(workshop).received("present")
    assert present["workshop"]["code"] == workshop.code
    assert present["workshop"]["join_url"] == f"http://hearth.test/j/{workshop.code}"
    assert present["phase"] == "lobby"


@pytest.mark.parametrize(
    ("auth", "code"),
    [
        ({"key": "wrong-key"}, "not_found"),
        ({}, "unauthorized"),
        (None, "unauthorized"),
        ({"key": 5}, "unauthorized"),
        ({"workshop_id": 1}, "unauthorized"),
    ],
)
def test_present_socket_without_a_valid_key_or_login_is_refused(
    make_workshop: Callable[..., Any], socket_client: Callable[..., Any], auth: Any, code: str
) -> None:
    make_workshop()
    sock = socket_client("/present", auth)
    assert not sock.alive
    assert sock.refusal["code"] == code


def test_present_socket_for_a_logged_in_facilitator(
    make_workshop: Callable[..., Any],
    socket_client: Callable[..., Any],
    facilitator_client: Any,
) -> None:
    workshop = make_workshop()
    sock = socket_client("/present", {"workshop_id": workshop.id}, facilitator_client)
    assert sock.alive
    assert sock.received("present")[0]["workshop"]["code"] == workshop.code


# --- act ----------------------------------------------------------------------------------


def first_choice(workshop: Any) -> dict[str, Any]:
    return {"action": "goto", "index": workshop.first("choice").index}


def first_open(workshop: Any) -> dict[str, Any]:
    return {"action": "goto", "index": workshop.first("open").index}


def on_choice(*more: Any) -> list[Any]:
    """Setup steps: start, go to the first choice poll, then more actions."""
    return ["start", first_choice, *more]


def timer(seconds: int) -> dict[str, Any]:
    return {"action": "timer", "seconds": seconds}


Check = Callable[[dict[str, Any], Any], bool]
GOOD_ACTIONS: list[tuple[str, list[Any], Any, Check]] = [
    ("start", [], "start", lambda c, w: c["phase"] == "live" and c["index"] == 0),
    ("next", ["start"], "next", lambda c, w: c["index"] == 1 and c["accepting"]),
    ("prev", ["start", "next"], "prev", lambda c, w: c["index"] == 0),
    ("goto", ["start"], first_choice, lambda c, w: c["index"] == w.first("choice").index),
    ("close", on_choice(), "close", lambda c, w: not c["accepting"]),
    ("open", on_choice("close"), "open", lambda c, w: c["accepting"]),
    ("reveal", on_choice(), "reveal", lambda c, w: c["revealed"]),
    ("hide", on_choice("reveal"), "hide", lambda c, w: not c["revealed"]),
    ("timer", on_choice(), timer(30), lambda c, w: 28 <= c["closes_in"] <= 30),
    ("timer-cancel", on_choice(timer(30)), timer(0), lambda c, w: c["closes_in"] is None),
    ("timer-reopens", on_choice("close"), timer(60), lambda c, w: c["accepting"]),
    ("qa_open", ["start"], "qa_open", lambda c, w: c["qa"]["open"] is True),
    ("qa_close", ["start", "qa_open"], "qa_close", lambda c, w: c["qa"]["open"] is False),
    ("end", ["start"], "end", lambda c, w: c["phase"] == "ended" and not c["accepting"]),
    ("end-from-lobby", [], "end", lambda c, w: c["phase"] == "ended"),
]

BAD_ACTIONS: list[tuple[str, list[Any], Any, str]] = [
    ("none", [], None, "invalid_payload"),
    ("string", [], "start", "invalid_payload"),
    ("list", [], ["start"], "invalid_payload"),
    ("no-action", [], {}, "unknown_action"),
    ("unknown", [], {"action": "explode"}, "unknown_action"),
    ("number", [], {"action": 5}, "unknown_action"),
    ("action-list", [], {"action": ["start"]}, "unknown_action"),
    ("action-object", [], {"action": {"name": "start"}}, "unknown_action"),
    ("next-in-lobby", [], {"action": "next"}, "invalid_state"),
    ("open-in-lobby", [], {"action": "open"}, "invalid_state"),
    ("start-twice", ["start"], {"action": "start"}, "invalid_state"),
    ("goto-past-the-end", ["start"], {"action": "goto", "index": 99}, "invalid_state"),
    ("goto-negative", ["start"], {"action": "goto", "index": -1}, "invalid_state"),
    ("goto-string", ["start"], {"action": "goto", "index": "2"}, "invalid_payload"),
    ("goto-bool", ["start"], {"action": "goto", "index": True}, "invalid_payload"),
    ("goto-missing", ["start"], {"action": "goto"}, "invalid_payload"),
    ("prev-at-start", ["start"], {"action": "prev"}, "invalid_state"),
    ("open-content", ["start"], {"action": "open"}, "invalid_state"),
    ("reveal-content", ["start"], {"action": "reveal"}, "invalid_state"),
    ("timer-too-short", on_choice(), timer(4), "invalid_value"),
    ("timer-too-long", on_choice(), timer(3601), "invalid_value"),
    ("timer-string", on_choice(), {"action": "timer", "seconds": "30"}, "invalid_payload"),
    ("approve-nothing", ["start"], {"action": "approve"}, "invalid_payload"),
    ("approve-missing", ["start"], {"action": "approve", "response_id": 999_999}, "not_found"),
    ("reject-string-id", ["start"], {"action": "reject", "response_id": "1"}, "invalid_payload"),
    ("end-twice", ["start", "end"], {"action": "end"}, "invalid_state"),
    ("next-after-end", ["start", "end"], {"action": "next"}, "invalid_state"),
]


def arrange(act: Callable[..., None], workshop: Any, steps: list[Any]) -> None:
    """Apply setup actions (names, payloads, or payload makers) through the service."""
    for step in steps:
        payload = step(workshop) if callable(step) else step
        payload = {"action": payload} if isinstance(payload, str) else payload
        act(workshop, **payload)


@pytest.mark.parametrize(
    ("steps", "payload", "check"),
    [(steps, payload, check) for _, steps, payload, check in GOOD_ACTIONS],
    ids=[name for name, *_ in GOOD_ACTIONS],
)
def test_every_action_is_acked_with_a_fresh_control(
    make_workshop: Callable[..., Any],
    act: Callable[..., None],
    facilitator_socket: Callable[..., Any],
    steps: list[Any],
    payload: Any,
    check: Callable[..., bool],
) -> None:
    workshop = make_workshop()
    arrange(act, workshop, steps)
    sock = facilitator_socket(workshop)
    payload = payload(workshop) if callable(payload) else payload
    ack = sock.call("act", {"action": payload} if isinstance(payload, str) else payload)
    assert ack["ok"] is True, ack
    assert check(ack["control"], workshop), ack["control"]


@pytest.mark.parametrize(
    ("steps", "payload", "code"),
    [(steps, payload, code) for _, steps, payload, code in BAD_ACTIONS],
    ids=[name for name, *_ in BAD_ACTIONS],
)
def test_bad_actions_are_refused_with_a_specific_code(
    make_workshop: Callable[..., Any],
    act: Callable[..., None],
    facilitator_socket: Callable[..., Any],
    steps: list[Any],
    payload: Any,
    code: str,
) -> None:
    workshop = make_workshop()
    arrange(act, workshop, steps)
    sock = facilitator_socket(workshop)
    ack = sock.call("act", payload)
    assert ack["ok"] is False
    assert ack["error"]["code"] == code
    assert ack["error"]["message"]
    assert sock.alive


def test_goto_to_the_last_activity_then_next_is_refused(
    make_workshop: Callable[..., Any], act: Callable[..., None], facilitator_socket: Any
) -> None:
    workshop = make_workshop()
    act(workshop, "start")
    sock = facilitator_socket(workshop)
    assert sock.call("act", {"action": "goto", "index": len(workshop.activities) - 1})["ok"]
    assert sock.call("act", {"action": "next"})["error"]["code"] == "invalid_state"


def test_leaving_an_activity_closes_it_and_coming_back_does_not_reopen_it(
    make_workshop: Callable[..., Any], act: Callable[..., None], facilitator_socket: Any
) -> None:
    workshop = make_workshop()
    choice = workshop.first("choice")
    act(workshop, "start")
    sock = facilitator_socket(workshop)
    sock.call("act", {"action": "goto", "index": choice.index})
    control = sock.call("act", {"action": "next"})["control"]
    assert control["activities"][choice.index]["accepting"] is False
    control = sock.call("act", {"action": "prev"})["control"]
    assert control["accepting"] is False


def test_approve_and_reject_open_answers(
    app: Flask,
    make_workshop: Callable[..., Any],
    show: Callable[..., None],
    crowd: Callable[..., list[Any]],
    facilitator_socket: Any,
) -> None:
    workshop = make_workshop()
    open_ = workshop.first("open")
    show(workshop, open_)
    for sock, text in zip(crowd(workshop, 3), ["Kindness", "Time", "Patience"], strict=True):
        sock.answer(open_, text)
    control = facilitator_socket(workshop)
    queue = control.received("control")[0]["moderation"]
    assert sorted(item["text"] for item in queue) == ["Kindness", "Patience", "Time"]
    first, second = queue[0]["response_id"], queue[1]["response_id"]
    after = control.call("act", {"action": "approve", "response_id": first})["control"]
    assert first not in [item["response_id"] for item in after["moderation"]]
    assert control.call("act", {"action": "reject", "response_id": second})["ok"] is True
    assert (moderation_of(app, first), moderation_of(app, second)) == ("approved", "rejected")


def test_moderating_an_answer_of_another_workshop_is_not_found(
    app: Flask,
    make_workshop: Callable[..., Any],
    show: Callable[..., None],
    phone: Callable[..., Any],
    facilitator_socket: Any,
) -> None:
    mine, other = make_workshop(), make_workshop()
    show(other, other.first("open"))
    phone(other.code).answer(other.first("open"), "Not yours to moderate")
    with app.app_context():
        response_id = db.session.scalar(select(Response.id))
    show(mine, mine.first("open"))
    sock = facilitator_socket(mine)
    for action in ("approve", "reject"):
        ack = sock.call("act", {"action": action, "response_id": response_id})
        assert ack["error"]["code"] == "not_found"
    assert moderation_of(app, response_id) == "pending"


def test_moderating_a_choice_answer_is_not_found(
    app: Flask,
    make_workshop: Callable[..., Any],
    show: Callable[..., None],
    phone: Callable[..., Any],
    facilitator_socket: Any,
) -> None:
    workshop = make_workshop()
    show(workshop, workshop.first("choice"))
    phone(workshop.code).answer(workshop.first("choice"), 1)
    with app.app_context():
        response_id = db.session.scalar(select(Response.id))
    ack = facilitator_socket(workshop).call(
        "act", {"action": "approve", "response_id": response_id}
    )
    assert ack["error"]["code"] == "not_found"


def test_two_control_rooms_stay_in_sync(
    make_workshop: Callable[..., Any],
    logged_in_client: Callable[..., Any],
    owner: Any,
    facilitator_socket: Any,
    flush: Callable[[], int],
) -> None:
    workshop = make_workshop()
    laptop = facilitator_socket(workshop)
    tablet = facilitator_socket(workshop, logged_in_client(owner))
    laptop.received(), tablet.received()
    assert laptop.call("act", {"action": "start"})["ok"] is True
    assert laptop.received() == tablet.received() == []
    flush()
    for sock in (laptop, tablet):
        (control,) = sock.received("control")
        assert control["phase"] == "live"


def test_an_action_reaches_phones_and_projectors_on_the_tick(
    make_workshop: Callable[..., Any],
    phone: Callable[..., Any],
    present_socket: Callable[..., Any],
    facilitator_socket: Any,
    flush: Callable[[], int],
) -> None:
    workshop = make_workshop()
    sock, projector, control = (
        phone(workshop.code),
        present_socket(workshop),
        facilitator_socket(workshop),
    )
    sock.received(), projector.received(), control.received()
    control.call("act", {"action": "start"})
    flush()
    (state,) = sock.received("state")
    (present,) = projector.received("present")
    assert state["phase"] == present["phase"] == "live"
    assert state["activity"]["id"] == present["activity"]["id"] == workshop.activities[0].id
    assert "mine" not in state


# --- who sees which results ---------------------------------------------------------------


@pytest.fixture
def room(
    make_workshop: Callable[..., Any],
    show: Callable[..., None],
    facilitator_socket: Any,
    present_socket: Callable[..., Any],
    phone: Callable[..., Any],
) -> Callable[..., dict[str, Any]]:
    """A workshop (k=3) on an activity, with a control room, a projector and a watching phone."""

    def make(kind: str = "choice", plan: str | None = None) -> dict[str, Any]:
        workshop = make_workshop(min_group=3, **({"plan": plan} if plan else {}))
        activity = workshop.first(kind)
        show(workshop, activity)
        sockets = {
            "control": facilitator_socket(workshop),
            "present": present_socket(workshop),
            "watcher": phone(workshop.code),
        }
        for sock in sockets.values():
            sock.received()
        return {"workshop": workshop, "activity": activity, **sockets}

    return make


def test_below_k_every_audience_sees_only_how_many_answered(
    room: Callable[..., dict[str, Any]], crowd: Callable[..., list[Any]], act: Any, flush: Any
) -> None:
    r = room()
    act(r["workshop"], "reveal")
    flush()
    for sock in r["control"], r["present"], r["watcher"]:
        sock.received()
    for sock in crowd(r["workshop"], 2):
        sock.answer(r["activity"], 0)
    flush()
    (facilitator,) = results_for(r["control"], r["activity"])
    (projector,) = results_for(r["present"], r["activity"])
    (watcher,) = phone_results(r["watcher"], r["activity"])
    for result in facilitator, projector, watcher:
        assert result["hidden"] == "below_threshold"
        assert result["answered"] == 2
        assert not RESULT_FIELDS & set(result)
    assert facilitator["passed"] == 0
    assert "passed" not in projector and "passed" not in watcher


def test_the_room_gets_the_number_of_answers_and_never_the_passes(
    room: Callable[..., dict[str, Any]],
    crowd: Callable[..., list[Any]],
    act: Any,
    flush: Any,
    present_socket: Callable[..., Any],
    phone: Callable[..., Any],
    api: Any,
) -> None:
    # The finding of docs/privacy.md's pass rule: k=3, three answers and one pass showed
    # "4 responses" on the projector under bars that summed to 3.
    r = room()
    phones = crowd(r["workshop"], 4)
    for sock in phones[:3]:
        assert sock.answer(r["activity"], 0)["ok"]
    assert phones[3].pass_on(r["activity"])["ok"]
    act(r["workshop"], "reveal")
    flush()
    (facilitator,) = results_for(r["control"], r["activity"])[-1:]
    (projector,) = results_for(r["present"], r["activity"])[-1:]
    (watcher,) = phone_results(r["watcher"], r["activity"])[-1:]
    assert (facilitator["answered"], facilitator["passed"]) == (3, 1)
    for public in projector, watcher:
        assert public["answered"] == sum(public["counts"]) == 3
        assert "passed" not in public and "responded" not in public
    # A projector or phone that connects now gets the same in its snapshot.
    (present,) = present_socket(r["workshop"]).received("present")
    (state,) = phone(r["workshop"].code).received("state")
    for snapshot in present["results"], state["results"]:
        assert snapshot["answered"] == 3 and "passed" not in snapshot
    control = api.get(f"/workshops/{r['workshop'].id}").get_json()
    assert control["progress"] == {"answered": 3, "passed": 1}
    (row,) = [a for a in control["activities"] if a["id"] == r["activity"].id]
    assert (row["answered"], row["passed"]) == (3, 1)


def test_passes_do_not_count_towards_k(
    room: Callable[..., dict[str, Any]], crowd: Callable[..., list[Any]], flush: Any
) -> None:
    r = room()
    phones = crowd(r["workshop"], 5)
    for sock in phones[:2]:
        sock.answer(r["activity"], 0)
    for sock in phones[2:]:
        sock.pass_on(r["activity"])
    flush()
    (result,) = results_for(r["control"], r["activity"])
    assert (result["hidden"], result["answered"], result["passed"]) == ("below_threshold", 2, 3)
    assert "counts" not in result


def test_at_k_the_facilitator_sees_counts_before_the_projector_does(
    room: Callable[..., dict[str, Any]], crowd: Callable[..., list[Any]], flush: Any
) -> None:
    r = room()
    for sock, value in zip(crowd(r["workshop"], 3), [0, 0, 2], strict=True):
        sock.answer(r["activity"], value)
    flush()
    (facilitator,) = results_for(r["control"], r["activity"])
    assert facilitator["hidden"] is None
    assert facilitator["counts"] == [2, 0, 1, 0, 0, 0]
    assert facilitator["revealed"] is False
    assert facilitator["passed"] == 0
    (projector,) = results_for(r["present"], r["activity"])
    assert projector["hidden"] == "not_revealed"
    assert not RESULT_FIELDS & set(projector)
    for result in phone_results(r["watcher"], r["activity"]):
        assert result["hidden"] == "not_revealed"
        assert not RESULT_FIELDS & set(result)


def test_after_reveal_everyone_sees_counts_but_only_the_facilitator_sees_passes(
    room: Callable[..., dict[str, Any]], crowd: Callable[..., list[Any]], act: Any, flush: Any
) -> None:
    r = room()
    phones = crowd(r["workshop"], 4)
    for sock in phones[:3]:
        sock.answer(r["activity"], 1)
    phones[3].pass_on(r["activity"])
    act(r["workshop"], "reveal")
    flush()
    (facilitator,) = results_for(r["control"], r["activity"])
    (projector,) = results_for(r["present"], r["activity"])
    (state,) = r["watcher"].received("state")
    assert facilitator["passed"] == 1
    for public in projector, state["results"]:
        assert public["hidden"] is None
        assert public["counts"] == [0, 3, 0, 0, 0, 0]
        assert public["answered"] == 3 and "passed" not in public
        assert "revealed" not in public


def test_hide_takes_results_off_the_projector_again(
    room: Callable[..., dict[str, Any]], crowd: Callable[..., list[Any]], act: Any, flush: Any
) -> None:
    r = room()
    for sock in crowd(r["workshop"], 3):
        sock.answer(r["activity"], 1)
    act(r["workshop"], "reveal")
    act(r["workshop"], "hide")
    flush()
    (projector,) = results_for(r["present"], r["activity"])
    assert projector["hidden"] == "not_revealed"
    assert "counts" not in projector


def reveal_plan(make_plan: Callable[..., str], reveal: str) -> str:
    """A one-poll plan with a reveal mode."""
    poll = {"kind": "choice", "prompt": "Which?", "options": ["A", "B"], "reveal": reveal}
    return make_plan([poll])


def test_reveal_live_shows_results_as_soon_as_k_answered(
    room: Callable[..., dict[str, Any]],
    make_plan: Callable[..., str],
    crowd: Callable[..., list[Any]],
    flush: Any,
) -> None:
    r = room(plan=reveal_plan(make_plan, "live"))
    for sock in crowd(r["workshop"], 3):
        sock.answer(r["activity"], 1)
    flush()
    (projector,) = results_for(r["present"], r["activity"])
    (watcher,) = phone_results(r["watcher"], r["activity"])
    assert projector["counts"] == watcher["counts"] == [0, 3]


def test_reveal_on_close_waits_for_the_close(
    room: Callable[..., dict[str, Any]],
    make_plan: Callable[..., str],
    crowd: Callable[..., list[Any]],
    act: Any,
    flush: Any,
) -> None:
    r = room(plan=reveal_plan(make_plan, "on_close"))
    for sock in crowd(r["workshop"], 3):
        sock.answer(r["activity"], 0)
    flush()
    assert results_for(r["present"], r["activity"])[0]["hidden"] == "not_revealed"
    act(r["workshop"], "close")
    flush()
    (projector,) = results_for(r["present"], r["activity"])
    assert (projector["hidden"], projector["counts"]) == (None, [3, 0])


def test_reveal_manual_stays_hidden_after_close_until_revealed(
    room: Callable[..., dict[str, Any]],
    make_plan: Callable[..., str],
    crowd: Callable[..., list[Any]],
    act: Any,
    flush: Any,
) -> None:
    r = room(plan=reveal_plan(make_plan, "manual"))
    for sock in crowd(r["workshop"], 3):
        sock.answer(r["activity"], 0)
    act(r["workshop"], "close")
    flush()
    assert results_for(r["present"], r["activity"])[0]["hidden"] == "not_revealed"
    act(r["workshop"], "reveal")
    flush()
    assert results_for(r["present"], r["activity"])[0]["counts"] == [3, 0]


def test_open_text_is_masked_before_the_facilitator_sees_it(
    room: Callable[..., dict[str, Any]], crowd: Callable[..., list[Any]], flush: Any
) -> None:
    r = room("open")
    texts = ["Mail me at kim@example.org", "Call 0161 496 0000", "Listening"]
    for sock, text in zip(crowd(r["workshop"], 3), texts, strict=True):
        sock.answer(r["activity"], text)
    flush()
    (control,) = r["control"].received("control")
    shown = sorted(item["text"] for item in control["moderation"])
    assert shown == ["Call [number removed]", "Listening", "Mail me at [email removed]"]


def test_moderation_queue_is_empty_below_k(
    room: Callable[..., dict[str, Any]], crowd: Callable[..., list[Any]], flush: Any
) -> None:
    r = room("open")
    for sock in crowd(r["workshop"], 2):
        sock.answer(r["activity"], "Something personal")
    flush()
    (control,) = r["control"].received("control")
    assert control["moderation"] == []
    assert control["moderation_waiting"] == 2


def test_open_entries_reach_the_projector_only_once_approved_and_revealed(
    room: Callable[..., dict[str, Any]], crowd: Callable[..., list[Any]], act: Any, flush: Any
) -> None:
    r = room("open")
    for sock, text in zip(crowd(r["workshop"], 3), ["One", "Two", "Three"], strict=True):
        sock.answer(r["activity"], text)
    flush()
    r["present"].received()
    queue = r["control"].received("control")[0]["moderation"]
    approved = {item["text"]: item["response_id"] for item in queue}
    act(r["workshop"], "approve", response_id=approved["Two"])
    act(r["workshop"], "reveal")
    flush()
    (projector,) = results_for(r["present"], r["activity"])
    assert projector["entries"] == ["Two"]
    assert projector["pending"] == 2


WEIRD_VALUES = [None, True, -1, 1.5, "", "x" * 10_000, [], [1, [2]], {}, {"$gt": 0}]
BEYOND_64_BITS = 2**70
ACTION_NAMES = [
    "start", "goto", "next", "prev", "open", "close", "reveal", "hide", "timer", "approve",
    "reject", "qa_open", "qa_close", "qa_approve", "qa_dismiss", "qa_answered", "hide_word",
    "show_word", "resources", "end",
]  # fmt: skip


@pytest.fixture
def on_a_word_cloud(
    make_workshop: Callable[..., Any], act: Callable[..., None], facilitator_socket: Any
) -> Any:
    """A control-room socket of a live workshop showing its word cloud."""
    workshop = make_workshop()
    act(workshop, "start")
    act(workshop, "goto", index=workshop.first("words").index)
    return facilitator_socket(workshop)


def assert_no_server_error(sock: Any, action: str, weird: Any) -> None:
    """Send an action with every argument set to a weird value; the ack must name the problem."""
    fields = ("index", "seconds", "response_id", "question_id", "word", "resources")
    ack = sock.call("act", {"action": action, **{field: weird for field in fields}})
    assert isinstance(ack, dict), ack
    if not ack["ok"]:
        assert ack["error"]["code"] != "server_error", (action, weird, ack)
    assert sock.alive


@pytest.mark.parametrize("action", ACTION_NAMES)
def test_no_action_argument_causes_a_server_error(on_a_word_cloud: Any, action: str) -> None:
    for weird in WEIRD_VALUES:
        assert_no_server_error(on_a_word_cloud, action, weird)


@pytest.mark.parametrize("action", ACTION_NAMES)
def test_an_id_beyond_64_bits_causes_no_server_error(on_a_word_cloud: Any, action: str) -> None:
    assert_no_server_error(on_a_word_cloud, action, BEYOND_64_BITS)


def test_a_resource_checked_on_must_be_a_date(app: Any, make_workshop: Any, act: Any) -> None:
    from hearth.errors import HearthError

    workshop = make_workshop()
    resource = {"name": "Line", "contact": "Call 1", "purpose": "", "checked_on": "soon"}
    with pytest.raises(HearthError) as refused:
        act(workshop, "resources", resources=[resource])
    assert refused.value.code == "invalid_value"
    act(workshop, "resources", resources=[{**resource, "checked_on": "2026-11-27"}])
