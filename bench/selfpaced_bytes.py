"""Bytes a phone of a self-paced workshop receives per tick while others answer.

    .venv/bin/python -m bench.selfpaced_bytes [--phones 12] [--ticks 40]

A self-paced workshop of the built-in plan is started and `--phones` phones connect. Three of
them answer every activity first (open answers approved), so every activity shows its results;
then each tick one more answer arrives (the activities in turn) and the tick is flushed by
hand, as if a second had passed since the last (phones get results at most once a second).
Everything one watching phone received in that tick is measured as JSON, the size Socket.IO
sends before framing. Prints the median and the largest bytes per phone per tick, and the size
of the connect snapshot (docs/performance.md, "Self-paced phones get what changed").
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import warnings
from typing import Any


def _size(events: list[dict[str, Any]]) -> int:
    """The bytes of these events as JSON (name and arguments, as Socket.IO sends them)."""
    return sum(len(json.dumps([event["name"], *event["args"]]).encode()) for event in events)


def _app(folder: str) -> Any:
    from hearth import create_app

    return create_app(
        {
            "DATABASE_URL": f"sqlite:///{folder}/hearth.db",
            "SECRET_KEY": "selfpaced-bytes",
            "ASYNC_MODE": "threading",
            "HEARTH_TICKER": False,
            "PUBLIC_URL": "http://127.0.0.1",
        }
    )


def _workshop(app: Any) -> tuple[int, str, list[dict[str, Any]]]:
    """A started self-paced workshop of the built-in plan: its id, code and activities."""
    from hearth.cli import upgrade_database
    from hearth.extensions import db
    from hearth.models import Facilitator, Plan
    from hearth.services import pace, workshops

    with app.app_context():
        upgrade_database()
        owner = Facilitator(email="bench@example.org", password_hash="-")
        db.session.add(owner)
        db.session.commit()
        plan = db.session.query(Plan).filter_by(slug="rebuilding-trust").one()
        workshop = workshops.create_workshop(
            plan,
            owner,
            min_group=3,
            purge_after_days=30,
            running=workshops.Running(pace.Pace("self", 7)),
        )
        workshops.perform_action(workshop.id, {"action": "start"})
        activities = [
            {"id": a.id, "kind": a.kind, "spec": a.spec}
            for a in workshop.activities
            if a.kind != "content"
        ]
        return workshop.id, workshop.code, activities


def _value(activity: dict[str, Any], n: int) -> Any:
    """An answer to an activity of any kind."""
    spec, kind = activity["spec"], activity["kind"]
    options = len(spec.get("options", []))
    return {
        "choice": n % max(options, 1),
        "multi": [n % max(options, 1)],
        "scale": spec.get("min", 1),
        "open": f"Something I noticed, number {n}",
        "words": ["calm", "tired", "hopeful"][n % 3 : n % 3 + 1],
        "rank": list(range(options)),
    }[kind]


def _approve_all(app: Any, workshop_id: int) -> None:
    """Approve every open answer waiting, as a facilitator would."""
    from sqlalchemy import select

    from hearth.extensions import db
    from hearth.models import Response, WorkshopActivity
    from hearth.services import workshops

    with app.app_context():
        waiting = db.session.scalars(
            select(Response.id)
            .join(WorkshopActivity, WorkshopActivity.id == Response.activity_id)
            .where(WorkshopActivity.workshop_id == workshop_id, Response.moderation == "pending")
        ).all()
        for response_id in waiting:
            workshops.perform_action(workshop_id, {"action": "approve", "response_id": response_id})


def main() -> None:
    """Measure, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=12)
    parser.add_argument("--ticks", type=int, default=40)
    args = parser.parse_args()
    warnings.filterwarnings("ignore", message="(?s).*[Ee]ventlet is deprecated")

    from hearth import realtime
    from hearth.extensions import socketio

    app = _app(tempfile.mkdtemp(prefix="hearth-selfpaced-bytes-"))
    workshop_id, code, activities = _workshop(app)
    ns = "/participant"
    phones = [
        socketio.test_client(app, namespace=ns, auth={"code": code}) for _ in range(args.phones)
    ]

    def answer(phone: Any, activity: dict[str, Any], n: int) -> None:
        message = {"activity_id": activity["id"], "value": _value(activity, n)}
        phone.emit("answer", {**message, "msg_id": f"m{n}"}, namespace=ns, callback=True)

    # Three phones (k) answer everything first, so every activity shows its results.
    for number, phone in enumerate(phones[1:4]):
        for activity in activities:
            answer(phone, activity, 1000 * number + activity["id"])
    _approve_all(app, workshop_id)
    with app.app_context():
        realtime.flush()
    watcher = phones[-1]
    watcher.get_received(ns)
    fresh = socketio.test_client(app, namespace=ns, auth={"code": code})
    connect_bytes = _size([e for e in fresh.get_received(ns) if e["name"] == "state"])
    sizes: list[int] = []
    for tick in range(args.ticks):
        for phone in phones:
            phone.get_received(ns)
        activity = activities[tick % len(activities)]
        answer(phones[4 + tick % (len(phones) - 5)], activity, tick)
        # As if a second had passed since the last answer: phones' held results are due.
        realtime.hub.phone_due.clear()
        with app.app_context():
            realtime.flush()
        sizes.append(_size(watcher.get_received(ns)))
    print(f"{args.phones} phones, {len(activities)} answerable activities, results shown")
    print(f"connect snapshot: {connect_bytes} bytes")
    print(
        f"per phone per tick (one new answer): median {statistics.median(sizes):.0f} bytes, "
        f"largest {max(sizes)}, total {sum(sizes)} over {len(sizes)} ticks"
    )


if __name__ == "__main__":
    main()
