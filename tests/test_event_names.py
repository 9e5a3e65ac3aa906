"""Socket.IO names are spelled once (hearth.realtime.rooms) and every one is in docs/protocol.md."""

from __future__ import annotations

import re
from pathlib import Path

from facilitator.events import FacilitatorNamespace, PresentNamespace
from hearth.json_guard import RESERVED_EVENTS
from hearth.realtime import FACILITATOR_NS, PARTICIPANT_NS, PRESENT_NS, Events
from hearth.realtime.rooms import ANSWER, PASS
from participant.events import ParticipantNamespace

PROTOCOL = (Path(__file__).resolve().parent.parent / "docs" / "protocol.md").read_text("utf-8")


def documented_events() -> set[str]:
    """The events docs/protocol.md describes with their payload ("`name {...}`"), or as a list
    item of their own ("- `name` ...")."""
    with_payload = re.findall(r"`([a-z_]+) \{", PROTOCOL)
    listed = re.findall(r"^- `([a-z_]+)[ `]", PROTOCOL, flags=re.MULTILINE)
    return set(with_payload) | set(listed)


def test_every_event_the_server_sends_is_documented() -> None:
    sent = {value for name, value in vars(Events).items() if name.isupper()}
    assert sent == {"welcome", "state", "results", "qa", "present", "control"}
    assert sent <= documented_events()


def test_every_event_a_client_may_send_is_documented() -> None:
    taken = set()
    for namespace in (
        ParticipantNamespace(PARTICIPANT_NS),
        FacilitatorNamespace(FACILITATOR_NS),
        PresentNamespace(PRESENT_NS),
    ):
        taken |= set(namespace.events) - set(RESERVED_EVENTS)
    taken |= {ANSWER, PASS}  # the phones' direct path, beside the on_<event> methods
    assert taken - documented_events() == set()


def test_each_namespace_is_documented() -> None:
    for namespace in (PARTICIPANT_NS, FACILITATOR_NS, PRESENT_NS):
        assert f"## `{namespace}` namespace" in PROTOCOL
