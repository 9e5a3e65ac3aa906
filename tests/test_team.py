"""Co-facilitators: the owner adds colleagues by email; they run the same control room."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient


def test_the_owner_adds_a_colleague_who_then_opens_the_control_room(
    make_workshop: Callable[..., Any],
    make_facilitator: Callable[..., Any],
    facilitator_client: FlaskClient,
    logged_in_client: Callable[..., FlaskClient],
) -> None:
    workshop = make_workshop()
    colleague = make_facilitator("colleague@example.org")
    colleague_client = logged_in_client(colleague)
    room = f"/facilitator/workshops/{workshop.id}"
    assert colleague_client.get(room).status_code == 403
    reply = facilitator_client.post(f"{room}/team", data={"email": " Colleague@Example.org "})
    assert reply.status_code == 302
    assert colleague_client.get(room).status_code == 200
    page = facilitator_client.get(room).get_data(as_text=True)
    assert "can now open this control room" in page
    assert "colleague@example.org" in page or "Counsellor" in page


def test_only_the_owner_changes_the_team_and_unknown_emails_are_explained(
    make_workshop: Callable[..., Any],
    make_facilitator: Callable[..., Any],
    facilitator_client: FlaskClient,
    logged_in_client: Callable[..., FlaskClient],
) -> None:
    workshop = make_workshop()
    room = f"/facilitator/workshops/{workshop.id}"
    colleague, outsider = make_facilitator(), make_facilitator()
    facilitator_client.post(f"{room}/team", data={"email": colleague.email})
    colleague_client = logged_in_client(colleague)
    colleague_client.post(f"{room}/team", data={"email": outsider.email})
    assert logged_in_client(outsider).get(room).status_code == 403
    assert "Only the facilitator who started" in colleague_client.get(room).get_data(as_text=True)
    facilitator_client.post(f"{room}/team", data={"email": "nobody@example.org"})
    assert "No facilitator account has that email" in facilitator_client.get(room).get_data(
        as_text=True
    )


def test_a_removed_colleague_loses_control_even_with_the_room_open(
    make_workshop: Callable[..., Any],
    make_facilitator: Callable[..., Any],
    facilitator_client: FlaskClient,
    logged_in_client: Callable[..., FlaskClient],
    facilitator_socket: Callable[..., Any],
) -> None:
    workshop = make_workshop()
    room = f"/facilitator/workshops/{workshop.id}"
    colleague = make_facilitator()
    facilitator_client.post(f"{room}/team", data={"email": colleague.email})
    colleague_socket = facilitator_socket(workshop, logged_in_client(colleague))
    assert colleague_socket.alive
    assert colleague_socket.call("act", {"action": "start"})["ok"] is True
    facilitator_client.post(f"{room}/team/{colleague.id}/remove")
    # Their socket is put out of the workshop at once, and coming back is refused.
    assert not colleague_socket.alive
    again = facilitator_socket(workshop, logged_in_client(colleague))
    assert not again.alive
    assert again.refusal["code"] == "forbidden"


@pytest.mark.parametrize("socket_elsewhere", [False, True])
def test_a_removed_colleague_stops_receiving_control_and_results(
    socket_elsewhere: bool,
    monkeypatch: pytest.MonkeyPatch,
    make_workshop: Callable[..., Any],
    make_facilitator: Callable[..., Any],
    facilitator_client: FlaskClient,
    logged_in_client: Callable[..., FlaskClient],
    facilitator_socket: Callable[..., Any],
    crowd: Callable[..., list[Any]],
    show: Callable[..., None],
    flush: Callable[[], int],
) -> None:
    workshop = make_workshop(min_group=3)
    room = f"/facilitator/workshops/{workshop.id}"
    colleague = make_facilitator()
    facilitator_client.post(f"{room}/team", data={"email": colleague.email})
    owner_socket = facilitator_socket(workshop)
    colleague_socket = facilitator_socket(workshop, logged_in_client(colleague))
    show(workshop, workshop.first("open"))
    phones = crowd(workshop, 3)
    for i, phone in enumerate(phones):
        assert phone.answer(workshop.first("open"), f"answer {i}")["ok"]
    flush()
    assert colleague_socket.received("control")[-1]["moderation"]
    owner_socket.received()

    if socket_elsewhere:
        # As if the colleague's socket were on another worker that the close did not reach:
        # sends go to the team as it is now, so it still gets nothing.
        monkeypatch.setattr("hearth.realtime.rooms.close_control_rooms", lambda *args: None)
    facilitator_client.post(f"{room}/team/{colleague.id}/remove")
    assert phones[0].answer(workshop.first("open"), "changed")["ok"]
    flush()
    assert owner_socket.received("control")
    if socket_elsewhere:
        assert colleague_socket.alive
        assert colleague_socket.received() == []
    else:
        assert not colleague_socket.alive


def test_removing_a_colleague_changes_the_projector_link(
    make_workshop: Callable[..., Any],
    make_facilitator: Callable[..., Any],
    facilitator_client: FlaskClient,
    present_socket: Callable[..., Any],
    socket_client: Callable[..., Any],
) -> None:
    workshop = make_workshop()
    room = f"/facilitator/workshops/{workshop.id}"
    colleague = make_facilitator()
    facilitator_client.post(f"{room}/team", data={"email": colleague.email})
    old_key = workshop.present_key
    assert facilitator_client.get(f"/present/{old_key}").status_code == 200
    reply = facilitator_client.post(f"{room}/team/{colleague.id}/remove", follow_redirects=True)
    assert "The projector link has changed" in reply.get_data(as_text=True)
    assert facilitator_client.get(f"/present/{old_key}").status_code == 404
    stale = socket_client("/present", {"key": old_key})
    assert not stale.alive and stale.refusal["code"] == "not_found"
    assert old_key not in reply.get_data(as_text=True)
