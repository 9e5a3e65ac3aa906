"""Rehearsals (issue #13 §4): the setting, simulated answers through the phones' answer path,
the projector as in a real room, no exports or take-home page, and nothing kept at the end."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from hearth import simulate
from hearth.extensions import db
from hearth.kinds import KINDS
from hearth.models import Question, QuestionVote, Response, Workshop, WorkshopActivity
from hearth.results import results_payloads

PLAN: list[dict[str, Any]] = [
    {"kind": "content", "body": "Welcome to the rehearsal."},
    {"kind": "scale", "prompt": "How are you arriving?", "min": 1, "max": 5, "pair": "pre"},
    {"kind": "choice", "prompt": "What helps most?", "options": ["Rest", "Talk", "Walk"]},
    {
        "kind": "multi",
        "prompt": "Pick up to two",
        "options": ["Sleep", "Friends", "Music", "Nature"],
        "max_choices": 2,
    },
    {"kind": "rank", "prompt": "Put these in order", "options": ["Honesty", "Time", "Care"]},
    {"kind": "open", "prompt": "One small step", "max_length": 40},
    {"kind": "words", "prompt": "A word for today", "max_words": 3},
    {"kind": "scale", "prompt": "How are you leaving?", "min": 1, "max": 5, "pair": "post"},
]
K = 3


def _count(app: Flask, model: Any, *where: Any) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def _responses_of(app: Flask, workshop_id: int) -> int:
    activities = select(WorkshopActivity.id).where(WorkshopActivity.workshop_id == workshop_id)
    return _count(app, Response, Response.activity_id.in_(activities))


@pytest.fixture
def rehearsal(api: Any, make_plan: Callable[..., str]) -> Callable[..., dict[str, Any]]:
    """Create a workshop through the API (a rehearsal unless told); its control snapshot,
    with `ids` (activity id by index)."""

    def make(*, start: bool = True, **settings: Any) -> dict[str, Any]:
        body = {
            "plan": make_plan(PLAN),
            "settings": {"min_group": K, "rehearsal": True, **settings},
        }
        created = api.post("/workshops", body)
        assert created.status_code == 201, created.get_json()
        wid = created.get_json()["id"]
        if start:
            assert api.post(f"/workshops/{wid}/actions", {"action": "start"}).status_code == 200
        control = api.get(f"/workshops/{wid}").get_json()
        control["ids"] = [row["id"] for row in control["activities"]]
        return control

    return make


def _act(api: Any, workshop_id: int, action: str, **fields: Any) -> Any:
    return api.post(f"/workshops/{workshop_id}/actions", {"action": action, **fields})


def _results(app: Flask, workshop_id: int, activity_id: int, audience: str) -> dict[str, Any]:
    with app.app_context():
        workshop = db.session.get(Workshop, workshop_id)
        activity = db.session.get(WorkshopActivity, activity_id)
        payloads = results_payloads(workshop, activity)
        assert payloads is not None
        return payloads[audience]


# --- the setting ----------------------------------------------------------------------------


def test_a_rehearsal_says_so_in_every_snapshot(
    app: Flask, rehearsal: Callable[..., dict[str, Any]], phone: Any, socket_client: Any
) -> None:
    control = rehearsal()
    assert control["workshop"]["rehearsal"] is True
    assert phone(control["workshop"]["code"]).received("state")[-1]["rehearsal"] is True
    with app.app_context():
        key = db.session.get(Workshop, control["workshop"]["id"]).present_key
    present = socket_client("/present", {"key": key}).received("present")[-1]
    assert present["workshop"]["rehearsal"] is True


def test_a_workshop_is_real_unless_asked(
    api: Any, make_plan: Callable[..., str], phone: Any
) -> None:
    created = api.post("/workshops", {"plan": make_plan(PLAN), "settings": {"min_group": K}})
    assert created.status_code == 201
    assert created.get_json()["rehearsal"] is False
    control = api.get(f"/workshops/{created.get_json()['id']}").get_json()
    assert control["workshop"]["rehearsal"] is False
    assert phone(created.get_json()["code"]).received("state")[-1]["rehearsal"] is False


@pytest.mark.parametrize("value", ["yes", "true", 1, 0, None, [], {}, 1.0])
def test_a_rehearsal_setting_that_is_not_a_boolean_is_refused_and_nothing_is_written(
    app: Flask, api: Any, make_plan: Callable[..., str], value: Any
) -> None:
    plan = make_plan(PLAN)
    before = _count(app, Workshop)
    response = api.post("/workshops", {"plan": plan, "settings": {"rehearsal": value}})
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "invalid_settings"
    assert "settings.rehearsal" in error["message"]
    assert _count(app, Workshop) == before


def test_a_rehearsal_is_not_a_session_of_a_series(
    app: Flask, api: Any, make_plan: Callable[..., str]
) -> None:
    series = api.post("/series", {"title": "Tuesday group"}).get_json()
    before = _count(app, Workshop)
    response = api.post(
        "/workshops",
        {"plan": make_plan(PLAN), "settings": {"rehearsal": True, "series": series["id"]}},
    )
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_settings"
    assert "settings.rehearsal" in response.get_json()["error"]["message"]
    assert _count(app, Workshop) == before
    # A real session of that series is still welcome.
    real = {"plan": make_plan(PLAN), "settings": {"rehearsal": False, "series": series["id"]}}
    assert api.post("/workshops", real).status_code == 201


def test_the_dashboard_form_starts_a_rehearsal(
    app: Flask, facilitator_client: Any, make_plan: Callable[..., str]
) -> None:
    plan = make_plan(PLAN)
    with app.app_context():
        from hearth.models import Plan

        plan_id = db.session.scalar(select(Plan.id).where(Plan.slug == plan))
    response = facilitator_client.post(
        "/facilitator/workshops", data={"plan_id": plan_id, "min_group": "3", "rehearsal": "yes"}
    )
    assert response.status_code == 302
    workshop_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    with app.app_context():
        assert db.session.get(Workshop, workshop_id).rehearsal is True
    # Without the box ticked it is a real workshop; a value a checkbox never sends is refused.
    real = facilitator_client.post("/facilitator/workshops", data={"plan_id": plan_id})
    real_id = int(real.headers["Location"].rstrip("/").split("/")[-1])
    with app.app_context():
        assert db.session.get(Workshop, real_id).rehearsal is False
    before = _count(app, Workshop)
    odd = facilitator_client.post(
        "/facilitator/workshops",
        data={"plan_id": plan_id, "rehearsal": "maybe"},
        headers={"Accept": "application/json"},
    )
    assert odd.status_code == 400
    assert odd.get_json()["error"]["code"] == "invalid_settings"
    assert _count(app, Workshop) == before


# --- simulated answers ------------------------------------------------------------------------


def test_simulated_answers_of_every_kind_make_plausible_results(
    app: Flask, api: Any, rehearsal: Callable[..., dict[str, Any]]
) -> None:
    control = rehearsal()
    wid = control["workshop"]["id"]
    for index, spec in enumerate(PLAN):
        if spec["kind"] == "content":
            continue
        assert _act(api, wid, "goto", index=index).status_code == 200
        response = _act(api, wid, "simulate", count=30)
        assert response.status_code == 200, response.get_json()
        progress = response.get_json()["control"]["progress"]
        assert progress == {"answered": 30, "passed": 0}, spec["kind"]
        results = _results(app, wid, control["ids"][index], "facilitator")
        assert results["hidden"] is None and results["answered"] == 30
        _assert_plausible(spec, results)


def _assert_plausible(spec: dict[str, Any], results: dict[str, Any]) -> None:
    """The tally of 30 simulated answers looks like a room's, for each kind."""
    kind = spec["kind"]
    if kind == "choice":
        assert sum(results["counts"]) == 30 and len(results["counts"]) == 3
    elif kind == "multi":
        assert results["respondents"] == 30
        # Each phone ticked one or two (max_choices), each option once.
        assert 30 <= sum(results["counts"]) <= 60
    elif kind == "scale":
        assert sum(results["histogram"].values()) == 30
        assert set(results["histogram"]) == {"1", "2", "3", "4", "5"}
        assert 1 <= results["mean"] <= 5
    elif kind == "rank":
        # Borda: each phone gives 2 + 1 + 0 points.
        assert sum(results["scores"]) == 30 * 3
    elif kind == "open":
        # Open texts wait for the facilitator, as phones' do.
        assert results["pending"] == 30 and results["entries"] == []
    elif kind == "words":
        assert results["words"] and all(w["count"] <= 30 for w in results["words"])
        assert sum(w["count"] for w in results["words"]) >= 30
    else:  # a new kind needs its own check here
        raise AssertionError(f"no plausibility check for {kind}")


def test_every_kind_that_takes_answers_can_be_simulated() -> None:
    answering = {name for name, kind in KINDS.items() if kind.takes_answers}
    assert set(simulate.MAKERS) == answering


@pytest.mark.parametrize("index", [i for i, spec in enumerate(PLAN) if spec["kind"] != "content"])
def test_simulated_values_pass_the_kinds_own_checks(index: int) -> None:
    from hearth.kinds import check_activity

    spec = check_activity(PLAN[index])
    kind = KINDS[spec["kind"]]
    values = simulate.plausible_values(7, spec, 200, "en", random.Random(1))
    for value in values:
        assert kind.parse_value(spec, value) is not None


def test_a_check_out_leans_higher_than_its_check_in() -> None:
    pre = simulate.plausible_values(
        1, {"kind": "scale", "min": 1, "max": 7, "pair": "pre"}, 200, "en"
    )
    post = simulate.plausible_values(
        2, {"kind": "scale", "min": 1, "max": 7, "pair": "post"}, 200, "en"
    )
    assert sum(post) / 200 > sum(pre) / 200


def test_open_texts_and_words_are_in_the_plans_language() -> None:
    open_spec = {"kind": "open", "max_length": 280}
    german = set(simulate.plausible_values(3, open_spec, 100, "de"))
    english = set(simulate.OPEN_TEXTS)
    assert german and german.isdisjoint(english)
    assert german <= set(simulate.translated(simulate.OPEN_TEXTS, "de"))
    arabic = simulate.plausible_values(3, {"kind": "words", "max_words": 3}, 50, "ar")
    assert all(
        word in simulate.translated(simulate.WORDS, "ar") for words in arabic for word in words
    )
    # A language Hearth does not speak gets English; "es-MX" gets Spanish.
    assert set(simulate.plausible_values(3, open_spec, 50, "tlh")) <= english
    spanish = set(simulate.translated(simulate.OPEN_TEXTS, "es"))
    assert set(simulate.plausible_values(3, open_spec, 50, "es-MX")) <= spanish


def test_open_texts_fit_the_activitys_length_limit() -> None:
    values = simulate.plausible_values(3, {"kind": "open", "max_length": 10}, 100, "fr")
    assert all(0 < len(value) <= 10 for value in values)


def test_the_projector_shows_simulated_results_as_in_a_real_room(
    app: Flask,
    api: Any,
    rehearsal: Callable[..., dict[str, Any]],
    socket_client: Any,
    flush: Callable[[], int],
) -> None:
    control = rehearsal()
    wid, choice = control["workshop"]["id"], control["ids"][2]
    with app.app_context():
        key = db.session.get(Workshop, wid).present_key
    projector = socket_client("/present", {"key": key})
    _act(api, wid, "goto", index=2)
    # Below k: hidden everywhere, however the facilitator reveals.
    assert _act(api, wid, "simulate", count=K - 1).status_code == 200
    _act(api, wid, "reveal")
    flush()
    projector.received()
    assert _results(app, wid, choice, "public")["hidden"] == "below_threshold"
    assert _results(app, wid, choice, "facilitator")["hidden"] == "below_threshold"
    # At k, the revealed chart reaches the projector through the tick.
    assert _act(api, wid, "simulate", count=1).status_code == 200
    flush()
    shown = [r for r in projector.received("results") if r["activity_id"] == choice]
    assert shown and shown[-1]["hidden"] is None and sum(shown[-1]["counts"]) == K
    assert "passed" not in shown[-1]
    # Hidden again, the projector gets no counts.
    _act(api, wid, "hide")
    flush()
    assert _results(app, wid, choice, "public")["hidden"] == "not_revealed"


def test_simulate_through_the_control_room_socket(
    app: Flask,
    rehearsal: Callable[..., dict[str, Any]],
    facilitator_socket: Any,
    flush: Callable[[], int],
) -> None:
    control = rehearsal()
    wid = control["workshop"]["id"]
    sock = facilitator_socket(wid)
    assert sock.call("act", {"action": "goto", "index": 6})["ok"]
    sock.received()
    ack = sock.call("act", {"action": "simulate", "count": 12})
    assert ack["ok"] is True, ack
    assert ack["control"]["progress"]["answered"] == 12
    flush()
    words = [r for r in sock.received("results") if r["activity_id"] == control["ids"][6]]
    assert words and words[-1]["answered"] == 12


def test_simulated_phones_leave_no_token_and_count_no_identity(
    app: Flask, api: Any, rehearsal: Callable[..., dict[str, Any]]
) -> None:
    control = rehearsal()
    wid = control["workshop"]["id"]
    _act(api, wid, "goto", index=2)
    _act(api, wid, "simulate", count=20)
    with app.app_context():
        keys = list(db.session.scalars(select(Response.key)))
        msg_ids = list(db.session.scalars(select(Response.msg_id)))
        assert db.session.get(Workshop, wid).identities == 0
    assert len(set(keys)) == 20 and all(len(k) == 64 and "rehearsal" not in k for k in keys)
    # The msg_id is the last message's id, as for phones: random, never the key's token.
    assert all(m.startswith("rehearsal-") for m in msg_ids)


def test_a_self_paced_rehearsal_simulates_every_open_activity(
    app: Flask, api: Any, rehearsal: Callable[..., dict[str, Any]]
) -> None:
    control = rehearsal(pace="self", open_days=2)
    wid = control["workshop"]["id"]
    assert _act(api, wid, "simulate", count=5).status_code == 200
    rows = api.get(f"/workshops/{wid}").get_json()["activities"]
    assert [row["answered"] for row in rows if row["takes_answers"]] == [5] * 7


# --- refusals ---------------------------------------------------------------------------------


def test_simulate_outside_a_rehearsal_is_refused(
    app: Flask, api: Any, rehearsal: Callable[..., dict[str, Any]]
) -> None:
    control = rehearsal(rehearsal=False)
    wid = control["workshop"]["id"]
    _act(api, wid, "goto", index=2)
    response = _act(api, wid, "simulate", count=5)
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "not_rehearsal"
    assert _responses_of(app, wid) == 0


@pytest.mark.parametrize("count", [0, 201, -3, "5", 5.0, 5.5, True, None, [5], {"n": 5}])
def test_a_bad_count_is_refused_and_nothing_is_written(
    app: Flask, api: Any, rehearsal: Callable[..., dict[str, Any]], count: Any
) -> None:
    control = rehearsal()
    wid = control["workshop"]["id"]
    _act(api, wid, "goto", index=2)
    response = _act(api, wid, "simulate", count=count)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "invalid_action" and "count" in error["message"]
    assert _responses_of(app, wid) == 0


def test_a_missing_count_is_refused(
    app: Flask, api: Any, rehearsal: Callable[..., dict[str, Any]]
) -> None:
    control = rehearsal()
    wid = control["workshop"]["id"]
    _act(api, wid, "goto", index=2)
    response = api.post(f"/workshops/{wid}/actions", {"action": "simulate"})
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_action"


@pytest.mark.parametrize(
    ("situation", "goto"),
    [("lobby", None), ("content slide", 0), ("closed question", 2), ("ended", 2)],
)
def test_simulate_where_no_one_could_answer_is_refused(
    app: Flask,
    api: Any,
    rehearsal: Callable[..., dict[str, Any]],
    situation: str,
    goto: int | None,
) -> None:
    control = rehearsal(start=situation != "lobby")
    wid = control["workshop"]["id"]
    if goto is not None:
        _act(api, wid, "goto", index=goto)
    if situation == "closed question":
        _act(api, wid, "close")
    if situation == "ended":
        _act(api, wid, "end")
    response = _act(api, wid, "simulate", count=5)
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "invalid_state"
    assert _responses_of(app, wid) == 0


def test_the_maximum_count_is_written_in_full(
    app: Flask, api: Any, rehearsal: Callable[..., dict[str, Any]]
) -> None:
    control = rehearsal()
    wid = control["workshop"]["id"]
    _act(api, wid, "goto", index=1)
    assert _act(api, wid, "simulate", count=200).status_code == 200
    assert _responses_of(app, wid) == 200


# --- exports and the take-home page -------------------------------------------------------------


def _assert_rehearsal_refusal(response: Any) -> None:
    assert response.status_code == 409, response.get_data(as_text=True)[:200]
    assert response.get_json()["error"]["code"] == "rehearsal"


@pytest.mark.parametrize("ended", [False, True])
def test_every_export_of_a_rehearsal_is_refused(
    app: Flask,
    api: Any,
    rehearsal: Callable[..., dict[str, Any]],
    facilitator_client: Any,
    hearth_cli: Callable[..., Any],
    ended: bool,
) -> None:
    control = rehearsal()
    wid = control["workshop"]["id"]
    _act(api, wid, "goto", index=2)
    _act(api, wid, "simulate", count=10)
    if ended:
        _act(api, wid, "end")
    json_headers = {"Accept": "application/json"}
    for fmt in ("json", "csv", "md", "html", "xlsx", "pdf"):
        _assert_rehearsal_refusal(api.get(f"/workshops/{wid}/export?format={fmt}"))
        _assert_rehearsal_refusal(
            facilitator_client.get(
                f"/facilitator/workshops/{wid}/export?format={fmt}", headers=json_headers
            )
        )
    # A download link followed in the browser: a page that says why, with the same status.
    page = facilitator_client.get(f"/facilitator/workshops/{wid}/export?format=csv")
    assert page.status_code == 409 and "rehearsal" in page.get_data(as_text=True)
    then_purge = facilitator_client.post(
        f"/facilitator/workshops/{wid}/export-then-purge",
        json={"format": "csv", "confirm": True},
        headers=json_headers,
    )
    _assert_rehearsal_refusal(then_purge)
    publish = facilitator_client.post(
        f"/facilitator/workshops/{wid}/publish", json={}, headers=json_headers
    )
    _assert_rehearsal_refusal(publish)
    result = hearth_cli("export", str(wid), "--format", "json", "-o", "-")
    assert result.exit_code != 0 and "rehearsal" in result.output
    with app.app_context():
        assert db.session.get(Workshop, wid).summary_key is None


# --- the end ----------------------------------------------------------------------------------


def test_the_end_deletes_everything_answered_in_the_rehearsal(
    app: Flask,
    api: Any,
    rehearsal: Callable[..., dict[str, Any]],
    phone: Any,
    make_workshop: Callable[..., Any],
    show: Callable[..., Any],
) -> None:
    # A real workshop beside it keeps its answers.
    real = make_workshop()
    choice = real.first("choice")
    show(real, choice)
    assert phone(real.code).answer(choice, 0)["ok"]

    control = rehearsal()
    wid = control["workshop"]["id"]
    for index in (1, 2, 5, 6):
        _act(api, wid, "goto", index=index)
        _act(api, wid, "simulate", count=8)
    # A colleague tries the phone: an answer, a question and a vote.
    colleague = phone(control["workshop"]["code"])
    assert colleague.call(
        "answer", {"activity_id": control["ids"][6], "value": ["hope"], "msg_id": "m1"}
    )["ok"]
    asked = colleague.call("ask", {"text": "Is this kept?", "msg_id": "q1"})
    assert asked["ok"]
    _act(api, wid, "qa_approve", question_id=asked["question_id"])
    assert colleague.call("upvote", {"question_id": asked["question_id"]})["ok"]
    assert colleague.call("react", {"emoji": "💛"})["ok"]
    assert _responses_of(app, wid) == 33
    assert _count(app, Question, Question.workshop_id == wid) == 1

    assert _act(api, wid, "end").status_code == 200

    assert _responses_of(app, wid) == 0
    assert _count(app, Question, Question.workshop_id == wid) == 0
    assert _count(app, QuestionVote) == 0
    with app.app_context():
        workshop = db.session.get(Workshop, wid)
        assert workshop.purged_on is not None and workshop.reactions == {}
        assert all(not a.hidden_words for a in workshop.activities)
    control = api.get(f"/workshops/{wid}").get_json()
    assert control["purged"] is True
    assert all(row["answered"] == 0 for row in control["activities"])
    # The real workshop's answer is untouched.
    assert _responses_of(app, real.id) == 1


def test_a_real_workshop_keeps_its_answers_at_the_end(
    app: Flask, api: Any, rehearsal: Callable[..., dict[str, Any]], phone: Any
) -> None:
    control = rehearsal(rehearsal=False)
    wid = control["workshop"]["id"]
    _act(api, wid, "goto", index=2)
    assert phone(control["workshop"]["code"]).call(
        "answer", {"activity_id": control["ids"][2], "value": 1, "msg_id": "m1"}
    )["ok"]
    _act(api, wid, "end")
    assert _responses_of(app, wid) == 1
    with app.app_context():
        assert db.session.get(Workshop, wid).purged_on is None


def test_every_page_of_a_rehearsal_shows_the_badge_and_a_real_one_none(
    app: Flask,
    facilitator_client: Any,
    client: Any,
    rehearsal: Callable[..., dict[str, Any]],
) -> None:
    pages = {}
    for name, is_rehearsal in (("rehearsal", True), ("real", False)):
        control = rehearsal(rehearsal=is_rehearsal, start=False)
        wid, code = control["workshop"]["id"], control["workshop"]["code"]
        with app.app_context():
            key = db.session.get(Workshop, wid).present_key
        pages[name] = {
            "control": facilitator_client.get(f"/facilitator/workshops/{wid}"),
            "presenter": facilitator_client.get(f"/facilitator/workshops/{wid}/presenter"),
            "projector": facilitator_client.get(f"/facilitator/workshops/{wid}/present"),
            "projector by key": client.get(f"/present/{key}"),
            "phone": client.get(f"/j/{code}"),
        }
    for page, response in pages["rehearsal"].items():
        html = response.get_data(as_text=True)
        assert response.status_code == 200, page
        assert 'id="rehearsal-badge"' in html and 'id="rehearsal-announcer"' in html, page
        # Announced politely, never as an alert.
        assert 'aria-live="polite"' in html and 'role="alert" id="rehearsal' not in html
    for page, response in pages["real"].items():
        assert "rehearsal-badge" not in response.get_data(as_text=True), page
    control_html = pages["rehearsal"]["control"].get_data(as_text=True)
    assert 'id="simulate-form"' in control_html
    assert 'id="simulate-form"' not in pages["real"]["control"].get_data(as_text=True)
    phone_html = pages["rehearsal"]["phone"].get_data(as_text=True)
    assert "This is a rehearsal." in phone_html and "Deleted after" not in phone_html
    # "What is stored?" says when a rehearsal's answers go.
    code = rehearsal(start=False)["workshop"]["code"]
    stored = client.get(f"/privacy?code={code}").get_data(as_text=True)
    assert "every answer is deleted when it ends" in stored and "days after" not in stored


def test_the_dashboard_offers_no_download_of_an_ended_rehearsal(
    facilitator_client: Any, api: Any, rehearsal: Callable[..., dict[str, Any]]
) -> None:
    rehearsed = rehearsal()["workshop"]["id"]
    real = rehearsal(rehearsal=False)["workshop"]["id"]
    for wid in (rehearsed, real):
        _act(api, wid, "end")
    html = facilitator_client.get("/facilitator/").get_data(as_text=True)
    assert f"/facilitator/workshops/{real}/export" in html
    assert f"/facilitator/workshops/{rehearsed}/export" not in html
