"""The `state` a (re)connecting phone gets, built once for phones that connect close together.

A phone's connect snapshot is the same for every phone of a workshop except `mine`, yet
building it reads the current activity several times, the whole plan and the Q&A board: about
a quarter of the server's time in a storm of 1,000 reconnects (docs/performance.md). Here the
last snapshot of each workshop is kept and handed to the next phone, with its own `mine`, a
fresh version and the timer's seconds counted again, while all of these hold:

- no version was issued in this process since it was built or last handed out. Every message
  to phones, projectors and control rooms takes one (`hub.next_version`), so nothing has been
  sent since; a change committed meanwhile is sent by a later tick with a higher version than
  this snapshot's, to a phone that is already in the room (it joined before reading this);
- the workshop has no facilitator action or Q&A change waiting for the tick (as
  `realtime.public_results_now` does for results, which may be a second old: as fresh as the
  connected phones have);
- it is under MAX_AGE_SECONDS old;
- room mode only. In server mode other workers change the workshop and their broadcasts carry
  their own versions, so every connect reads the database, as before.

Only the public state is shared; each phone's own answer is read for its token every time.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from flask import current_app

from hearth import realtime
from hearth.models import Workshop, now_utc
from hearth.services import responses

MAX_AGE_SECONDS = 1.0  # as long as realtime.snapshots.CACHE_SECONDS lets a tick's results serve
_EXTENSION = "hearth.connect_state"


@dataclass(frozen=True)
class _Shared:
    """A workshop's last connect snapshot (without `mine`) and what it was built from."""

    state: dict[str, Any]
    activity_id: int | None
    closes_at: datetime | None
    version: int  # the last version issued in this process, when built or handed out
    built: float  # time.monotonic()


def connect_state(workshop: Workshop, token: str) -> dict[str, Any]:
    """The full `state` for a phone that just joined `workshop` with `token`."""
    cache: dict[int, _Shared] = current_app.extensions.setdefault(_EXTENSION, {})
    shared = _reuse(cache, workshop.id)
    if shared is None:
        return _build(cache, workshop, token)
    state = dict(shared.state, version=shared.version, closes_in=_closes_in(shared.closes_at))
    if isinstance(state.get("qa"), dict):
        state["qa"] = dict(state["qa"], version=shared.version)
    state["mine"] = _mine(token, shared.activity_id)
    _add_mine_by_activity(state, token)
    return state


def _add_mine_by_activity(state: dict[str, Any], token: str) -> None:
    """A self-paced phone's own answers to every activity of the plan, by activity id."""
    plan = state.get("activities")
    if state.get("pace") != "self" or not plan:
        return
    rows = responses.my_responses(token, [item["id"] for item in plan])
    state["mine_by_activity"] = {str(key): responses.mine(row) for key, row in rows.items()}


def _mine(token: str, activity_id: int | None) -> dict[str, Any] | None:
    """What this phone answered to the activity being shown (None if nothing, or no activity)."""
    if activity_id is None:
        return None
    return responses.mine(responses.my_response(token, activity_id))


def _build(cache: dict[int, _Shared], workshop: Workshop, token: str) -> dict[str, Any]:
    """Build the snapshot from the database, and keep it if nothing else took a version."""
    activity = workshop.current_activity
    state = realtime.participant_snapshot(workshop, _mine(token, activity.id if activity else None))
    _add_mine_by_activity(state, token)
    cache.pop(workshop.id, None)
    if _shareable() and realtime.hub.last_version == state["version"]:
        cache[workshop.id] = _Shared(
            state={k: v for k, v in state.items() if k not in ("mine", "mine_by_activity")},
            activity_id=activity.id if activity else None,
            closes_at=activity.closes_at if activity else None,
            version=state["version"],
            built=time.monotonic(),
        )
    return state


def _reuse(cache: dict[int, _Shared], workshop_id: int) -> _Shared | None:
    """The workshop's kept snapshot with a new version, if it may still be handed out."""
    shared = cache.get(workshop_id)
    if shared is None or time.monotonic() - shared.built > MAX_AGE_SECONDS:
        return None
    hub = realtime.hub
    with hub.lock:
        if (
            hub.last_version != shared.version
            or workshop_id in hub.dirty_workshops
            or workshop_id in hub.dirty_qa
        ):
            return None
        # What hub.next_version does, under the same hold of the lock as the check above.
        hub.last_version = max(hub.last_version + 1, int(time.time() * 1000))
        shared = replace(shared, version=hub.last_version)
    cache[workshop_id] = shared
    return shared


def _shareable() -> bool:
    """Room mode: this process is the only one that changes and announces workshops."""
    return not current_app.config.get("HEARTH_MESSAGE_QUEUE")


def _closes_in(closes_at: datetime | None) -> int | None:
    """Whole seconds left on the activity's timer now (as `realtime.snapshots._closes_in`)."""
    if closes_at is None:
        return None
    return max(0, round((closes_at - now_utc()).total_seconds()))
