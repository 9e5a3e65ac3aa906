"""Per-client limits on phones: fresh identities from one address do not multiply what one
person can send (docs/privacy.md), and no address is ever stored or logged."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from hearth import throttle
from hearth.extensions import db
from hearth.models import Question


@pytest.fixture
def board(
    app: Flask, make_workshop: Callable[..., Any], act: Callable[..., None], phone: Any
) -> tuple[Any, int]:
    """A live workshop with Q&A open and one approved question on the board."""
    workshop = make_workshop()
    act(workshop, "start")
    asker = phone(workshop.code)
    asker.received()
    assert asker.call("ask", {"text": "How do we rebuild?", "msg_id": "q1"})["ok"] is True
    with app.app_context():
        question_id = db.session.scalar(select(Question.id))
    act(workshop, "qa_approve", question_id=question_id)
    return workshop, question_id


def votes(app: Flask, question_id: int) -> int:
    """The stored vote count of a question."""
    with app.app_context():
        question = db.session.get(Question, question_id)
        assert question is not None
        return question.votes


def test_an_identity_upvotes_once_even_across_reconnects(
    app: Flask, board: tuple[Any, int], phone: Callable[..., Any]
) -> None:
    workshop, question_id = board
    first = phone(workshop.code)
    token = first.received("welcome")[0]["token"]
    assert first.call("upvote", {"question_id": question_id}) == {
        "ok": True,
        "votes": 1,
        "counted": True,
    }
    first.disconnect(first.ns)
    for _ in range(3):
        again = phone(workshop.code, token)
        ack = again.call("upvote", {"question_id": question_id})
        assert ack == {"ok": True, "votes": 1, "counted": False}
        again.disconnect(again.ns)
    assert votes(app, question_id) == 1


@pytest.mark.app_config(PHONES_PER_ADDRESS=20)
def test_fresh_identities_cannot_stuff_upvotes(
    app: Flask, board: tuple[Any, int], phone: Callable[..., Any]
) -> None:
    """The attack from the issue: 150 fresh identities once gave 150 counted upvotes. From one
    address, only HEARTH_PHONES_PER_ADDRESS identities are issued (per workshop, per hour)."""
    workshop, question_id = board
    counted = refused = 0
    for _ in range(150):
        sock = phone(workshop.code)
        if not sock.alive:
            assert sock.refusal["code"] == "rate_limited"
            refused += 1
            continue
        counted += sock.call("upvote", {"question_id": question_id}).get("counted", False)
        sock.disconnect(sock.ns)
    # The asker was the first identity from this address; 19 more could join.
    assert counted == 19
    assert refused == 150 - 19
    assert votes(app, question_id) == 19


@pytest.mark.app_config(PHONES_PER_ADDRESS=20)
def test_a_phone_already_issued_a_token_is_never_held_back_by_the_address_limit(
    board: tuple[Any, int], phone: Callable[..., Any]
) -> None:
    workshop, _ = board
    first = phone(workshop.code)
    token = first.received("welcome")[0]["token"]
    while phone(workshop.code).alive:
        pass
    assert phone(workshop.code, token).alive


@pytest.mark.app_config(PHONES_PER_ADDRESS=2)
def test_the_address_limit_is_per_workshop(
    make_workshop: Callable[..., Any], phone: Callable[..., Any]
) -> None:
    one, two = make_workshop(), make_workshop()
    assert phone(one.code).alive and phone(one.code).alive
    assert phone(one.code).refusal["code"] == "rate_limited"
    assert phone(two.code).alive


@pytest.mark.app_config(PHONES_PER_ADDRESS=0)
def test_no_address_limit_when_it_is_zero(
    make_workshop: Callable[..., Any], phone: Callable[..., Any]
) -> None:
    workshop = make_workshop()
    assert all(phone(workshop.code).alive for _ in range(70))


@pytest.mark.parametrize("event", ["ask", "signal", "react"])
def test_fresh_identities_share_their_address_limit(
    app: Flask, board: tuple[Any, int], phone: Callable[..., Any], event: str
) -> None:
    """Each new identity brings its own per-phone allowance, but the address's runs out."""
    workshop, _ = board
    sent = itertools.count()

    def payload() -> dict[str, Any]:
        n = next(sent)
        return {
            "ask": {"text": f"Question {n}?", "msg_id": f"m{n}"},
            "signal": {"kind": "break"},
            "react": {"emoji": "💛"},
        }[event]

    accepted, identities = 0, 0
    while identities < 60:
        sock = phone(workshop.code)
        identities += 1
        ack = sock.call(event, payload())
        first_refused = not ack["ok"]
        while ack["ok"]:
            accepted += 1
            ack = sock.call(event, payload())
        assert ack["error"]["code"] == "rate_limited"
        sock.disconnect(sock.ns)
        if first_refused:
            break
    assert identities < 60, "the address limit never ran out"
    with app.app_context():
        limit = throttle.address_rate(event)
    assert limit == 6 * throttle.PHONE_RATES[event]  # 60 phones per address, by default
    # The board's asker already sent one question from this address.
    assert accepted == limit - (1 if event == "ask" else 0)


def test_one_phone_is_limited_by_its_own_rate_first(
    board: tuple[Any, int], phone: Callable[..., Any]
) -> None:
    workshop, _ = board
    sock = phone(workshop.code)
    acks = [
        sock.call("signal", {"kind": "break"}) for _ in range(throttle.PHONE_RATES["signal"] + 1)
    ]
    assert [a["ok"] for a in acks] == [True] * throttle.PHONE_RATES["signal"] + [False]
    assert acks[-1]["error"]["code"] == "rate_limited"


def test_the_address_limits_scale_with_phones_per_address(app: Flask) -> None:
    with app.app_context():
        app.config["HEARTH_PHONES_PER_ADDRESS"] = 60
        assert throttle.address_rate("upvote") == 6 * throttle.PHONE_RATES["upvote"]
        app.config["HEARTH_PHONES_PER_ADDRESS"] = 2000
        assert throttle.address_rate("ask") == 200 * throttle.PHONE_RATES["ask"]
        app.config["HEARTH_PHONES_PER_ADDRESS"] = 3
        assert throttle.address_rate("react") == throttle.PHONE_RATES["react"]


@pytest.mark.app_config(PHONES_PER_ADDRESS=0)
def test_zero_turns_the_address_limits_off(
    board: tuple[Any, int], phone: Callable[..., Any]
) -> None:
    workshop, _ = board
    limit = throttle.PHONE_RATES["signal"]
    for _ in range(20):
        sock = phone(workshop.code)
        assert all(sock.call("signal", {"kind": "break"})["ok"] for _ in range(limit))
        sock.disconnect(sock.ns)


def test_the_address_key_is_an_hmac_never_the_address(app: Flask) -> None:
    with app.test_request_context(environ_base={"REMOTE_ADDR": "192.0.2.44"}):
        key = throttle.client_key()
    assert "192.0.2.44" not in key
    assert len(key) == 32
    with app.test_request_context(environ_base={"REMOTE_ADDR": "192.0.2.45"}):
        assert throttle.client_key() != key
