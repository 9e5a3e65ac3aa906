"""Co-facilitators: the owner adds colleagues by email; they run the same control room."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

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
    ack = colleague_socket.call("act", {"action": "next"})
    assert ack["ok"] is False
    assert ack["error"]["code"] == "forbidden"
