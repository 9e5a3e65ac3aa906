"""Series: one group's sessions over the weeks (issue #13, part 2).

The API creates and lists series, starts workshops in one, and reports each session's
check-in/check-out comparisons exactly as the session export has them, k applied per session.
Bad settings are refused before anything is written, and nothing links a person across
sessions (docs/privacy.md).
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from hearth.extensions import db
from hearth.models import Response, Series, Workshop, WorkshopActivity
from hearth.results import comparisons

PAIRED = [
    {"kind": "scale", "prompt": "How safe do you feel?", "min": 1, "max": 5, "pair": "pre"},
    {"kind": "content", "title": "Agreements", "body": "What is said here stays here."},
    {"kind": "scale", "prompt": "And now?", "min": 1, "max": 5, "pair": "post"},
]


def workshop_count(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Workshop.id))) or 0


def new_series(api: Any, title: str = "Tuesday trust group") -> int:
    response = api.post("/series", {"title": title})
    assert response.status_code == 201, response.get_data(as_text=True)
    return int(response.get_json()["id"])


def start_session(api: Any, plan: str, series_id: Any, **settings: Any) -> Any:
    return api.post(
        "/workshops", {"plan": plan, "settings": {"min_group": 3, "series": series_id, **settings}}
    )


def error_code(response: Any) -> str:
    body = response.get_json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}, body
    return str(body["error"]["code"])


@pytest.fixture
def paired_plan(make_plan: Callable[..., str]) -> str:
    return make_plan(PAIRED, title="Weekly check-in")


def run_session(
    app: Flask,
    workshop_id: int,
    crowd: Callable[..., list[Any]],
    act: Callable[..., None],
    before: list[int],
    after: list[int],
) -> list[Any]:
    """Phones answer the check-in and the check-out of one session; the phones are returned."""
    with app.app_context():
        workshop = db.session.get(Workshop, workshop_id)
        assert workshop is not None
        info = SimpleNamespace(id=workshop.id, code=workshop.code)
        pre, post = (a.id for a in workshop.activities if a.kind == "scale")
    phones = crowd(info, max(len(before), len(after)))
    act(info, "start")
    for sock, value in zip(phones, before, strict=False):
        assert sock.call("answer", {"activity_id": pre, "value": value, "msg_id": f"a{value}"})[
            "ok"
        ]
    act(info, "goto", index=2)
    for sock, value in zip(phones, after, strict=False):
        assert sock.call("answer", {"activity_id": post, "value": value, "msg_id": f"b{value}"})[
            "ok"
        ]
    act(info, "end")
    return phones


# --- creating and listing -------------------------------------------------------------------


def test_a_series_is_created_and_listed_for_its_owner_only(
    api: Any,
    client: Any,
    make_facilitator: Callable[..., Any],
    make_api_token: Callable[[Any], str],
) -> None:
    created = api.post("/series", {"title": "  Tuesday   trust group "})
    assert created.status_code == 201
    body = created.get_json()
    assert set(body) == {"id", "title"} and body["title"] == "Tuesday trust group"

    listed = api.get("/series").get_json()
    assert listed == {"series": [{"id": body["id"], "title": body["title"], "session_count": 0}]}
    assert api.get(f"/series/{body['id']}").get_json() == {
        "id": body["id"],
        "title": "Tuesday trust group",
        "sessions": [],
    }

    other = type(api)(client, make_api_token(make_facilitator()))
    assert other.get("/series").get_json() == {"series": []}


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({}, "invalid_payload"),
        ({"title": 7}, "invalid_payload"),
        ({"title": ["Group"]}, "invalid_payload"),
        ({"title": "   "}, "invalid_value"),
        ({"title": "x" * 201}, "invalid_value"),
    ],
)
def test_a_series_needs_a_title_of_text(api: Any, app: Flask, body: Any, code: str) -> None:
    response = api.post("/series", body)
    assert response.status_code == 400
    assert error_code(response) == code
    with app.app_context():
        assert db.session.scalar(select(func.count(Series.id))) == 0


def test_a_series_title_of_200_characters_is_kept_whole(api: Any) -> None:
    response = api.post("/series", {"title": "x" * 200})
    assert response.status_code == 201 and response.get_json()["title"] == "x" * 200


# --- sessions -------------------------------------------------------------------------------


def test_each_session_reports_the_exports_comparisons_with_its_own_k(
    api: Any,
    app: Flask,
    paired_plan: str,
    crowd: Callable[..., list[Any]],
    act: Callable[..., None],
) -> None:
    series_id = new_series(api)
    first = start_session(api, paired_plan, series_id).get_json()["id"]
    run_session(app, first, crowd, act, before=[1, 2, 2], after=[4, 4, 5])
    second = start_session(api, paired_plan, series_id).get_json()["id"]
    run_session(app, second, crowd, act, before=[3, 3], after=[5, 5])  # below k = 3

    report = api.get(f"/series/{series_id}").get_json()
    assert [s["workshop_id"] for s in report["sessions"]] == [first, second]
    with app.app_context():
        expected = [comparisons(db.session.get(Workshop, wid)) for wid in (first, second)]
    assert [s["comparisons"] for s in report["sessions"]] == expected
    shown, hidden = (s["comparisons"][0] for s in report["sessions"])
    assert (shown["pre_activity"], shown["post_activity"]) == (1, 3)
    assert shown["hidden"] is None
    assert shown["pre"]["mean"] == 1.67 and shown["post"]["mean"] == 4.33
    assert hidden["hidden"] == "below_threshold" and "pre" not in hidden
    assert {s["min_group"] for s in report["sessions"]} == {3}
    assert all(s["date"] and s["phase"] == "ended" for s in report["sessions"])
    assert api.get("/series").get_json()["series"][0]["session_count"] == 2


def test_a_workshop_without_a_series_setting_belongs_to_none(
    api: Any, app: Flask, paired_plan: str
) -> None:
    series_id = new_series(api)
    created = api.post("/workshops", {"plan": paired_plan, "settings": {"series": None}})
    assert created.status_code == 201
    with app.app_context():
        assert db.session.get(Workshop, created.get_json()["id"]).series_id is None
    assert api.get(f"/series/{series_id}").get_json()["sessions"] == []


@pytest.mark.parametrize("value", [True, False, "1", 1.0, 1.5, [1], {"id": 1}])
def test_a_series_that_is_not_a_whole_number_is_refused_naming_the_field(
    api: Any, app: Flask, paired_plan: str, value: Any
) -> None:
    new_series(api)
    response = start_session(api, paired_plan, value)
    assert response.status_code == 400
    assert error_code(response) == "invalid_settings"
    assert "series" in response.get_json()["error"]["message"]
    assert workshop_count(app) == 0


@pytest.mark.parametrize("series_id", [0, -1, 999_999, 2**70])
def test_an_unknown_series_is_not_found_and_nothing_is_written(
    api: Any, app: Flask, paired_plan: str, series_id: int
) -> None:
    response = start_session(api, paired_plan, series_id)
    assert response.status_code == 404
    assert error_code(response) == "not_found"
    assert workshop_count(app) == 0


def test_another_facilitators_series_is_forbidden_and_nothing_is_written(
    api: Any,
    app: Flask,
    client: Any,
    paired_plan: str,
    make_facilitator: Callable[..., Any],
    make_api_token: Callable[[Any], str],
) -> None:
    series_id = new_series(api)
    other = type(api)(client, make_api_token(make_facilitator()))
    response = start_session(other, paired_plan, series_id)
    assert response.status_code == 403
    assert error_code(response) == "forbidden"
    assert workshop_count(app) == 0
    assert error_code(other.get(f"/series/{series_id}")) == "forbidden"
    assert error_code(other.get("/series/424242")) == "not_found"


def test_a_bad_min_group_beside_a_good_series_writes_nothing(
    api: Any, app: Flask, paired_plan: str
) -> None:
    series_id = new_series(api)
    response = start_session(api, paired_plan, series_id, min_group=1)
    assert response.status_code == 400
    assert workshop_count(app) == 0


# --- nothing links a person across sessions ---------------------------------------------------


def response_rows(app: Flask, workshop_id: int) -> list[dict[str, Any]]:
    """Every stored column of every response of one session."""
    with app.app_context():
        rows = db.session.scalars(
            select(Response)
            .join(WorkshopActivity, WorkshopActivity.id == Response.activity_id)
            .where(WorkshopActivity.workshop_id == workshop_id)
        )
        return [{c.name: getattr(row, c.name) for c in Response.__table__.columns} for row in rows]


def joined(phone: Callable[..., Any], code: str, n: int) -> list[tuple[Any, str]]:
    """n phones in a session, each with the token the server issued it."""
    out = []
    for _ in range(n):
        sock = phone(code)
        [welcome] = sock.received("welcome")
        out.append((sock, welcome["token"]))
    return out


def test_no_identifier_is_common_to_two_sessions_of_a_series(
    api: Any, app: Flask, paired_plan: str, phone: Callable[..., Any], act: Callable[..., None]
) -> None:
    series_id = new_series(api)
    tokens, keys = [], []
    for week in range(2):
        workshop_id = start_session(api, paired_plan, series_id).get_json()["id"]
        with app.app_context():
            workshop = db.session.get(Workshop, workshop_id)
            info = SimpleNamespace(id=workshop.id, code=workshop.code)
            pre = workshop.activities[0].id
        if tokens:
            # Last week's token is not brought along: it is refused, the phone gets a new one.
            assert phone(info.code, tokens[0][0]).refusal["code"] == "invalid_token"
        phones = joined(phone, info.code, 3)
        act(info, "start")
        for n, (sock, _) in enumerate(phones):
            ack = sock.call("answer", {"activity_id": pre, "value": 2, "msg_id": f"w{week}p{n}"})
            assert ack["ok"]
        tokens.append([token for _, token in phones])
        keys.append(response_rows(app, workshop_id))

    first, second = ({row["key"] for row in rows} for rows in keys)
    assert len(first) == len(second) == 3 and not first & second
    assert not {row["id"] for row in keys[0]} & {row["id"] for row in keys[1]}
    assert not set(tokens[0]) & set(tokens[1])
    # No stored value holds a token, so no token can be matched across sessions either.
    stored = repr(keys)
    assert not any(token in stored for token in tokens[0] + tokens[1])
    # The series itself stores a title and its owner: nothing about any participant.
    assert {c.name for c in Series.__table__.columns} == {"id", "title", "owner_id", "created_on"}
