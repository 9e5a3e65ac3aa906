"""The answer service alone: milliseconds per answer, without Socket.IO or the network.

    .venv/bin/python -m bench.answer_path [--answers 2000]

Separates the cost Hearth's own code adds per answer (validate, upsert, commit) from the
framework's (Flask-SocketIO, Engine.IO, WebSocket) that `bench.run` measures end to end.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import warnings


def main() -> None:
    """Store N answers to one scale through hearth.services.responses and print the cost."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=2000)
    args = parser.parse_args()
    warnings.filterwarnings("ignore", message="(?s).*[Ee]ventlet is deprecated")

    from hearth import create_app
    from hearth.cli import upgrade_database
    from hearth.extensions import db
    from hearth.models import Facilitator, Plan
    from hearth.privacy import issue_participant_token
    from hearth.services import responses, workshops

    folder = tempfile.mkdtemp(prefix="hearth-answer-path-")
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{folder}/hearth.db",
            "SECRET_KEY": "answer-path",
            "ASYNC_MODE": "threading",
            "HEARTH_TICKER": False,
            "PUBLIC_URL": "http://127.0.0.1",
        }
    )
    with app.app_context():
        upgrade_database()
        owner = Facilitator(email="bench@example.org", password_hash="-")
        db.session.add(owner)
        db.session.commit()
        plan = db.session.query(Plan).filter_by(slug="rebuilding-trust").one()
        workshop = workshops.create_workshop(plan, owner, min_group=3, purge_after_days=30)
        scale = next(a for a in workshop.activities if a.kind == "scale")
        workshop_id, activity_id = workshop.id, scale.id
        workshops.perform_action(workshop_id, {"action": "start"})
        workshops.perform_action(workshop_id, {"action": "goto", "index": scale.position})
    tokens = [issue_participant_token("answer-path", workshop_id) for _ in range(args.answers)]
    started = time.perf_counter()
    for number, token in enumerate(tokens):
        # One app context per answer, as Flask-SocketIO gives each event.
        with app.app_context():
            payload = {"activity_id": activity_id, "value": number % 11, "msg_id": f"m{number}"}
            responses.submit_answer(workshop_id, token, payload)
    elapsed = time.perf_counter() - started
    print(f"{args.answers} answers: {elapsed * 1000 / args.answers:.2f} ms per answer")


if __name__ == "__main__":
    main()
