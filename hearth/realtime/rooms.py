"""Socket.IO names in one place: the namespaces, the events the server sends, the events with
a direct path, and the rooms each audience listens in (docs/protocol.md).

The events clients send are the namespaces' `on_<event>` methods (`hearth.acks.GuardedNamespace`
takes nothing else); the two that skip Flask-SocketIO's dispatch are named here.
"""

from __future__ import annotations

from typing import Final

from sqlalchemy import select

from hearth.extensions import db, socketio
from hearth.models import Workshop, WorkshopFacilitator

PARTICIPANT_NS: Final = "/participant"
FACILITATOR_NS: Final = "/facilitator"
PRESENT_NS: Final = "/present"


class Events:
    """Events the server sends (docs/protocol.md, one section per namespace)."""

    WELCOME: Final = "welcome"  # a phone joined: its token and the workshop's title
    STATE: Final = "state"  # the phones' snapshot
    RESULTS: Final = "results"  # one activity's results, for one audience
    QA: Final = "qa"  # the phones' Q&A board alone
    PRESENT: Final = "present"  # the projector's snapshot
    CONTROL: Final = "control"  # the control room's snapshot


# Phone → server events taken on the direct path (participant.events.ParticipantNamespace).
ANSWER: Final = "answer"
PASS: Final = "pass"


def phones_room(workshop_id: int) -> str:
    """Room of every phone in a workshop."""
    return f"w{workshop_id}:phones"


def facilitator_room(workshop_id: int, facilitator_id: int) -> str:
    """Room of one facilitator's control-room sockets in a workshop."""
    return f"w{workshop_id}:f{facilitator_id}"


def present_room(workshop_id: int) -> str:
    """Room of the projectors of a workshop."""
    return f"w{workshop_id}:present"


def team_rooms(workshop: Workshop) -> list[str]:
    """Rooms of the control rooms of a workshop: one per member of its team, as it is now.

    Read at every send, so a co-facilitator taken off the team receives nothing more even
    from a socket on another worker (docs/protocol.md).
    """
    team = db.session.scalars(
        select(WorkshopFacilitator.facilitator_id).where(
            WorkshopFacilitator.workshop_id == workshop.id
        )
    )
    return [facilitator_room(workshop.id, fid) for fid in [workshop.owner_id, *team]]


def close_control_rooms(facilitator_id: int, workshop_ids: list[int]) -> None:
    """Take a facilitator's control-room sockets out of these workshops at once.

    Sockets on this worker are disconnected (the page reconnects and is told why: logged out,
    or no longer on the team); sockets on other workers leave the room through the message
    queue (`close_room`), and `team_rooms` leaves them out of every later send.
    """
    for workshop_id in workshop_ids:
        room = facilitator_room(workshop_id, facilitator_id)
        local = socketio.server.manager.get_participants(FACILITATOR_NS, room)
        for sid, _eio_sid in list(local):
            socketio.server.disconnect(sid, namespace=FACILITATOR_NS)
        socketio.close_room(room, namespace=FACILITATOR_NS)
