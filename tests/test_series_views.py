"""The series pages: the dashboard's Series section, the series page's chart and table, and
starting the next session (same plan and k as the last by default, another if chosen)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from hearth.extensions import db
from hearth.models import Plan, Series, Workshop
from hearth.series_chart import charts

PAIRED = [
    {"kind": "scale", "prompt": "How safe do you feel?", "min": 1, "max": 5, "pair": "pre"},
    {"kind": "scale", "prompt": "And now?", "min": 1, "max": 5, "pair": "post"},
]


def plan_id(app: Flask, slug: str) -> int:
    with app.app_context():
        return int(db.session.scalar(select(Plan.id).where(Plan.slug == slug)))


def sessions_of(app: Flask, series_id: int) -> list[tuple[int, int | None, int]]:
    """(workshop id, plan id, k) of a series' sessions, oldest first."""
    with app.app_context():
        rows = db.session.execute(
            select(Workshop.id, Workshop.plan_id, Workshop.min_group)
            .where(Workshop.series_id == series_id)
            .order_by(Workshop.id)
        )
        return [tuple(row) for row in rows]


def create_from_dashboard(client: FlaskClient, title: str = "Tuesday trust group") -> int:
    response = client.post("/facilitator/series", data={"title": title})
    assert response.status_code == 303
    match = re.search(r"/facilitator/series/(\d+)$", response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))


def answer_pair(
    app: Flask, workshop_id: int, crowd: Callable[..., Any], act: Callable[..., None], values: Any
) -> None:
    """Phones answer the check-in with values[0] and the check-out with values[1]."""
    from types import SimpleNamespace

    with app.app_context():
        workshop = db.session.get(Workshop, workshop_id)
        info = SimpleNamespace(id=workshop.id, code=workshop.code)
        pre, post = (a.id for a in workshop.activities)
    phones = crowd(info, len(values[0]))
    act(info, "start")
    for n, (sock, value) in enumerate(zip(phones, values[0], strict=True)):
        assert sock.call("answer", {"activity_id": pre, "value": value, "msg_id": f"i{n}"})["ok"]
    act(info, "next")
    for n, (sock, value) in enumerate(zip(phones, values[1], strict=True)):
        assert sock.call("answer", {"activity_id": post, "value": value, "msg_id": f"o{n}"})["ok"]
    act(info, "end")


def test_the_dashboard_starts_a_series_and_lists_it(facilitator_client: FlaskClient) -> None:
    page = facilitator_client.get("/facilitator/").get_data(as_text=True)
    assert 'id="series-heading"' in page and 'action="/facilitator/series"' in page
    series_id = create_from_dashboard(facilitator_client)
    page = facilitator_client.get("/facilitator/").get_data(as_text=True)
    assert f'href="/facilitator/series/{series_id}"' in page
    # No session yet, so no plan to repeat: the dashboard sends them to choose one.
    assert "Choose a plan for session 1" in page


def test_an_empty_title_from_the_form_is_refused_and_nothing_is_made(
    app: Flask, facilitator_client: FlaskClient
) -> None:
    response = facilitator_client.post("/facilitator/series", data={"title": "  "})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count(Series.id))) == 0


def test_the_next_session_repeats_the_last_plan_and_k_unless_another_is_picked(
    app: Flask, facilitator_client: FlaskClient, make_plan: Callable[..., str]
) -> None:
    first_plan, other_plan = plan_id(app, make_plan(PAIRED)), plan_id(app, make_plan(PAIRED))
    series_id = create_from_dashboard(facilitator_client)
    start = f"/facilitator/series/{series_id}/sessions"
    response = facilitator_client.post(start, data={"plan_id": first_plan, "min_group": "4"})
    assert response.status_code == 303 and "/facilitator/workshops/" in response.headers["Location"]
    # From the dashboard's button: no fields, so the last session's plan and k.
    assert facilitator_client.post(start, data={}).status_code == 303
    assert facilitator_client.post(start, data={"plan_id": other_plan}).status_code == 303
    assert [(plan, k) for _, plan, k in sessions_of(app, series_id)] == [
        (first_plan, 4),
        (first_plan, 4),
        (other_plan, 4),
    ]
    page = facilitator_client.get("/facilitator/").get_data(as_text=True)
    assert "Start session 4" in page


def test_a_first_session_without_a_plan_is_refused(
    app: Flask, facilitator_client: FlaskClient
) -> None:
    series_id = create_from_dashboard(facilitator_client)
    response = facilitator_client.post(f"/facilitator/series/{series_id}/sessions", data={})
    assert response.status_code == 400
    assert sessions_of(app, series_id) == []


def test_another_facilitator_can_neither_see_nor_extend_a_series(
    app: Flask,
    facilitator_client: FlaskClient,
    make_facilitator: Callable[..., Any],
    logged_in_client: Callable[..., FlaskClient],
    make_plan: Callable[..., str],
) -> None:
    plan = plan_id(app, make_plan(PAIRED))
    series_id = create_from_dashboard(facilitator_client)
    other = logged_in_client(make_facilitator())
    assert other.get(f"/facilitator/series/{series_id}").status_code == 403
    refused = other.post(f"/facilitator/series/{series_id}/sessions", data={"plan_id": plan})
    assert refused.status_code == 403
    assert sessions_of(app, series_id) == []


def test_the_page_draws_sessions_at_k_and_says_fewer_than_k_below_it(
    app: Flask,
    facilitator_client: FlaskClient,
    make_plan: Callable[..., str],
    crowd: Callable[..., Any],
    act: Callable[..., None],
) -> None:
    plan = plan_id(app, make_plan(PAIRED))
    series_id = create_from_dashboard(facilitator_client)
    start = f"/facilitator/series/{series_id}/sessions"
    facilitator_client.post(start, data={"plan_id": plan, "min_group": "3"})
    facilitator_client.post(start, data={})
    first, second = (wid for wid, _, _ in sessions_of(app, series_id))
    answer_pair(app, first, crowd, act, ([1, 2, 3], [3, 4, 5]))
    answer_pair(app, second, crowd, act, ([2, 2], [5, 5]))  # two answers: below k = 3

    page = facilitator_client.get(f"/facilitator/series/{series_id}").get_data(as_text=True)
    assert 'role="img"' in page and "<table" in page
    assert "2.00" in page and "4.00" in page and "+2.00" in page
    assert "Fewer than 3 answers" in page
    # The second session's figures appear nowhere: not its means, not its counts.
    assert "5.00" not in page and "(2 answered)" not in page
    with app.app_context():
        from hearth.services.series import report

        [chart] = charts(report(db.session.get(Series, series_id)))
    assert [row.status for row in chart.rows] == ["shown", "below_threshold"]
    assert len(chart.points["pre"]) == len(chart.points["post"]) == 1
    assert chart.paths["post"].startswith("M") and "L" not in chart.paths["post"]


def test_a_line_breaks_at_a_session_without_figures() -> None:
    def session(number: int, hidden: bool) -> dict[str, Any]:
        side = {"n": 5, "mean": float(number), "histogram": {"1": 0, "5": 5}}
        found = {"hidden": "below_threshold"} if hidden else {"hidden": None}
        if not hidden:
            found |= {"pre": side, "post": side, "mean_shift": 0.0}
        return {
            "workshop_id": number,
            "date": "2026-12-03",
            "min_group": 5,
            "purged": False,
            "comparisons": [found],
        }

    report = {"sessions": [session(n, hidden=n == 3) for n in range(1, 5)]}
    [chart] = charts(report)
    assert chart.paths["pre"].count("M") == 2 and chart.paths["pre"].count("L") == 1
    assert (chart.low, chart.high) == (1, 5)
    xs = [row.x for row in chart.rows]
    assert xs == sorted(xs) and len(set(xs)) == 4


def test_the_series_page_speaks_the_facilitators_language(
    app: Flask,
    facilitator_client: FlaskClient,
    make_plan: Callable[..., str],
    crowd: Callable[..., Any],
    act: Callable[..., None],
) -> None:
    plan = plan_id(app, make_plan(PAIRED))
    series_id = create_from_dashboard(facilitator_client)
    start = f"/facilitator/series/{series_id}/sessions"
    facilitator_client.post(start, data={"plan_id": plan, "min_group": "3"})
    facilitator_client.post(start, data={})
    first, second = (wid for wid, _, _ in sessions_of(app, series_id))
    answer_pair(app, first, crowd, act, ([1, 2, 2], [3, 4, 5]))
    german = {"Accept-Language": "de-DE,de;q=0.9"}
    page = facilitator_client.get(f"/facilitator/series/{series_id}", headers=german)
    text = page.get_data(as_text=True)
    assert "Weniger als 3 Antworten" in text and "Sitzung 3 starten" in text
    assert "1,67" in text and "+2,33" in text  # decimal commas, the sign kept
