"""Starting a workshop with its options (issue #13, issue #11): the dashboard's Start form and
POST /api/v1/workshops take the same settings (facilitator/start_settings.py): the pace and
its open days, the workshop's language (what its projector speaks) and the series."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from hearth.extensions import db
from hearth.models import Series, Workshop
from hearth.services.series import create_series

PLAN = "rebuilding-trust"  # the built-in plan, in English


def _count(app: Flask) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count(Workshop.id))) or 0)


def _workshop(app: Flask, workshop_id: int) -> Workshop:
    with app.app_context():
        workshop = db.session.get(Workshop, workshop_id)
        assert workshop is not None
        db.session.expunge(workshop)
        return workshop


def _started(response: Any) -> int:
    assert response.status_code == 302, response.get_data(as_text=True)[:400]
    return int(response.headers["Location"].rsplit("/", 1)[1])


def _series_of(app: Flask, facilitator: Any, title: str = "Tuesday group") -> int:
    from hearth.models import Facilitator

    with app.app_context():
        person = db.session.get(Facilitator, facilitator.id)
        assert person is not None
        return create_series(person, title).id


# --- the dashboard's form -------------------------------------------------------------------


def _start_form(page: str, plan_id: int) -> str:
    """The Start form of one plan card."""
    action = re.escape('action="/facilitator/workshops"')
    forms = re.findall(rf"<form class=\"plan-card__start\"[^>]*{action}.*?</form>", page, re.S)
    found = [form for form in forms if f'name="plan_id" value="{plan_id}"' in form]
    assert len(found) == 1
    return found[0]


def _plan_id(app: Flask, slug: str) -> int:
    from hearth.models import Plan

    with app.app_context():
        plan_id = db.session.scalar(select(Plan.id).where(Plan.slug == slug))
        assert plan_id is not None
        return int(plan_id)


def test_the_start_form_keeps_its_options_closed_with_the_plans_language_chosen(
    app: Flask, facilitator_client: FlaskClient
) -> None:
    page = facilitator_client.get("/facilitator/").get_data(as_text=True)
    form = _start_form(page, _plan_id(app, "rebuilding-trust-de"))
    # One click still starts it: the options are in a closed disclosure, all with defaults.
    assert '<details class="start-options">' in form
    assert 'name="pace" value="live" checked' in form
    assert re.search(r'name="open_days"[^>]*value="7"', form, re.S)
    assert re.search(r'<option value="de" lang="de" selected>', form)
    assert form.count(" selected>") == 1
    # No series yet: no series field.
    assert 'name="series"' not in form
    assert "start-form.js" in page


def test_the_start_form_offers_the_callers_series(
    app: Flask, facilitator_client: FlaskClient, owner: Any, make_facilitator: Any
) -> None:
    _series_of(app, owner, "Tuesday group")
    _series_of(app, make_facilitator(), "Someone else's group")
    page = facilitator_client.get("/facilitator/").get_data(as_text=True)
    form = _start_form(page, _plan_id(app, PLAN))
    assert 'name="series"' in form
    assert "Tuesday group" in form
    assert "Someone else" not in form


def test_a_self_paced_german_workshop_in_a_series_from_the_form(
    app: Flask, facilitator_client: FlaskClient, owner: Any
) -> None:
    series_id = _series_of(app, owner)
    workshop_id = _started(
        facilitator_client.post(
            "/facilitator/workshops",
            data={
                "plan_id": PLAN,
                "min_group": "4",
                "pace": "self",
                "open_days": "12",
                "language": "de",
                "series": str(series_id),
            },
        )
    )
    workshop = _workshop(app, workshop_id)
    assert (workshop.pace, workshop.open_days, workshop.min_group) == ("self", 12, 4)
    assert workshop.series_id == series_id
    # The projector speaks German; the plan text is still marked as the English it is.
    assert (workshop.language, workshop.plan_language) == ("de", "en")
    projector = facilitator_client.get(f"/present/{workshop.present_key}").get_data(as_text=True)
    assert '<html lang="de"' in projector
    assert 'data-plan-lang="en"' in projector


def test_the_simple_path_is_live_in_the_plans_language(
    app: Flask, facilitator_client: FlaskClient
) -> None:
    workshop_id = _started(
        facilitator_client.post("/facilitator/workshops", data={"plan_id": "rebuilding-trust-es"})
    )
    workshop = _workshop(app, workshop_id)
    assert (workshop.pace, workshop.open_days, workshop.series_id) == ("live", None, None)
    assert (workshop.language, workshop.plan_language) == ("es", "es")


def test_days_sent_with_a_live_pace_are_ignored(
    app: Flask, facilitator_client: FlaskClient
) -> None:
    # Without the page's script the days field is sent whatever the pace.
    workshop_id = _started(
        facilitator_client.post(
            "/facilitator/workshops",
            data={"plan_id": PLAN, "pace": "live", "open_days": "40"},
        )
    )
    assert _workshop(app, workshop_id).pace == "live"


@pytest.mark.parametrize(
    ("fields", "status", "named"),
    [
        ({"pace": "self", "open_days": "0"}, 400, "open_days"),
        ({"pace": "self", "open_days": "31"}, 400, "open_days"),
        ({"pace": "self", "open_days": "a week"}, 400, "open_days"),
        ({"pace": "self", "open_days": "99999999999999999999"}, 400, "open_days"),
        ({"pace": "sometimes"}, 400, "pace"),
        ({"language": "it"}, 400, "language"),
        ({"language": "DE"}, 400, "language"),
        ({"series": "mine"}, 400, "series"),
        ({"series": "987654"}, 404, None),
    ],
)
def test_bad_options_from_the_form_are_refused_and_nothing_is_written(
    app: Flask,
    facilitator_client: FlaskClient,
    fields: dict[str, str],
    status: int,
    named: str | None,
) -> None:
    before = _count(app)
    response = facilitator_client.post("/facilitator/workshops", data={"plan_id": PLAN, **fields})
    assert response.status_code == status
    assert response.mimetype == "text/html"
    if named:
        assert f"settings.{named}" in response.get_data(as_text=True)
    assert _count(app) == before


def test_another_facilitators_series_is_forbidden_from_the_form(
    app: Flask, facilitator_client: FlaskClient, make_facilitator: Any
) -> None:
    theirs = _series_of(app, make_facilitator())
    before = _count(app)
    response = facilitator_client.post(
        "/facilitator/workshops", data={"plan_id": PLAN, "series": str(theirs)}
    )
    assert response.status_code == 403
    assert _count(app) == before
    with app.app_context():
        assert db.session.get(Series, theirs) is not None


# --- the API --------------------------------------------------------------------------------


def test_the_api_starts_a_workshop_in_another_language(app: Flask, api: Any) -> None:
    created = api.post("/workshops", {"plan": PLAN, "settings": {"language": "ar"}})
    assert created.status_code == 201, created.get_json()
    workshop = _workshop(app, created.get_json()["id"])
    assert (workshop.language, workshop.plan_language) == ("ar", "en")


def test_the_api_defaults_to_the_plans_language(
    app: Flask, api: Any, make_plan: Callable[..., str]
) -> None:
    for settings in ({}, {"language": None}):
        created = api.post("/workshops", {"plan": "rebuilding-trust-fr", "settings": settings})
        workshop = _workshop(app, created.get_json()["id"])
        assert (workshop.language, workshop.plan_language) == ("fr", "fr")


@pytest.mark.parametrize("language", ["pt", "", "en-GB", 7, True, ["de"], {"code": "de"}])
def test_the_api_refuses_a_language_hearth_does_not_speak(
    app: Flask, api: Any, language: Any
) -> None:
    before = _count(app)
    response = api.post("/workshops", {"plan": PLAN, "settings": {"language": language}})
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "invalid_settings"
    assert "settings.language" in error["message"]
    assert _count(app) == before
