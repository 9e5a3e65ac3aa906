"""POST /api/v1/plans (store a YAML or JSON plan), POST /api/v1/plans/import (article → draft)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from hearth.extensions import db
from hearth.importer import MAX_ARTICLE_BYTES, MAX_ARTICLE_CHARS
from hearth.models import Plan
from hearth.plans import validate_plan

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PLAN = {
    "slug": "small-group",
    "title": "Small group",
    "activities": [
        {"kind": "content", "title": "Welcome"},
        {"kind": "rank", "prompt": "Which step feels hardest?", "options": ["Rest", "Talk"]},
    ],
}


def plan_count(app: Flask) -> int:
    """How many plans are stored."""
    with app.app_context():
        return int(db.session.scalar(select(func.count(Plan.id))) or 0)


def error_of(response: Any) -> dict[str, Any]:
    """The {code, message} of an error response."""
    body = response.get_json()
    assert set(body) == {"error"}, body
    return dict(body["error"])


# --- POST /api/v1/plans -------------------------------------------------------------------


def test_a_json_plan_is_stored(api: Any, app: Flask, owner: Any) -> None:
    response = api.post("/plans", PLAN)
    assert response.status_code == 201
    body = response.get_json()
    assert body == {
        "id": body["id"],
        "slug": "small-group",
        "title": "Small group",
        "activities": 2,
    }
    listed = api.get("/plans").get_json()["plans"]
    assert {"id": body["id"], "slug": "small-group"}.items() <= listed[-1].items()
    with app.app_context():
        row = db.session.get(Plan, body["id"])
        assert row is not None and row.owner_id == owner.id and not row.builtin


@pytest.mark.parametrize(
    "content_type", ["application/yaml", "text/yaml", "application/x-yaml", "text/x-yaml"]
)
def test_a_yaml_plan_is_stored(api: Any, content_type: str) -> None:
    text = yaml.safe_dump(PLAN, allow_unicode=True)
    response = api.post("/plans", data=text.encode(), content_type=content_type)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["slug"] == "small-group"


def test_posting_the_same_slug_again_replaces_the_callers_plan(api: Any, app: Flask) -> None:
    first = api.post("/plans", PLAN).get_json()
    second = api.post("/plans", {**PLAN, "title": "Renamed"}).get_json()
    assert (second["id"], second["slug"], second["title"]) == (
        first["id"],
        "small-group",
        "Renamed",
    )


def test_a_builtin_slug_gets_a_new_slug_instead_of_overwriting(api: Any, app: Flask) -> None:
    response = api.post("/plans", {**PLAN, "slug": "rebuilding-trust"})
    assert response.status_code == 201
    assert response.get_json()["slug"] == "rebuilding-trust-2"
    with app.app_context():
        builtin = db.session.scalar(select(Plan).where(Plan.slug == "rebuilding-trust"))
        assert builtin is not None and builtin.title == "Rebuilding trust"


def test_an_exported_plan_can_be_posted_back(api: Any, runner: Any) -> None:
    exported = runner.invoke(args=["plan", "export", "rebuilding-trust"]).stdout
    response = api.post("/plans", data=exported, content_type="application/yaml")
    assert response.status_code == 201
    assert response.get_json()["slug"] == "rebuilding-trust-2"


@pytest.mark.parametrize(
    ("data", "content_type", "message"),
    [
        (
            json.dumps(
                {
                    **PLAN,
                    "activities": [
                        PLAN["activities"][0],
                        {
                            "kind": "rank",
                            "prompt": "Which step feels hardest?",
                            "options": ["Rest"],
                        },
                    ],
                }
            ),
            "application/json",
            "Activity 2 'Which step feels hardest?': a ranking needs 2 to 10 options.",
        ),
        (
            "[1, 2]",
            "application/json",
            "A plan must be a mapping with a title and a list of activities.",
        ),
        (
            '{"title": ',
            "application/json",
            "This is not valid JSON (line 1, column 11): Expecting value.",
        ),
        (
            "title: T\nactivities: [",
            "application/yaml",
            "This is not valid YAML (line 2, column 14)",
        ),
        ("title: T\n", "text/yaml", "The plan needs a list of activities (at least one)."),
    ],
)
def test_a_bad_plan_is_refused_in_plain_language(
    api: Any, app: Flask, data: str, content_type: str, message: str
) -> None:
    before = plan_count(app)
    response = api.post("/plans", data=data, content_type=content_type)
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "invalid_plan"
    assert error["message"].startswith(message)
    assert plan_count(app) == before


def test_a_plan_in_another_media_type_is_refused(api: Any) -> None:
    response = api.post("/plans", data="title: T", content_type="text/plain")
    assert response.status_code == 415
    assert error_of(response)["code"] == "unsupported_media_type"


def test_a_plan_that_is_not_utf8_is_refused(api: Any) -> None:
    response = api.post("/plans", data="title: é".encode("latin-1"), content_type="text/yaml")
    assert response.status_code == 400
    assert error_of(response) == {
        "code": "invalid_payload",
        "message": "Send the text encoded as UTF-8.",
    }


@pytest.mark.parametrize("path", ["/plans", "/plans/import"])
def test_both_routes_need_a_token(client: FlaskClient, path: str) -> None:
    response = client.post(f"/api/v1{path}", data="Text.", content_type="text/plain")
    assert response.status_code == 401
    assert error_of(response)["code"] == "unauthorized"


# --- POST /api/v1/plans/import ------------------------------------------------------------


def test_the_shared_article_becomes_a_draft_that_is_not_stored(api: Any, app: Flask) -> None:
    before = plan_count(app)
    article = (FIXTURES / "trust-issues.txt").read_text(encoding="utf-8")
    response = api.post("/plans/import", data=article.encode(), content_type="text/plain")
    assert response.status_code == 200
    draft = response.get_json()["plan"]
    assert draft["slug"] == "why-trust-issues-arise-in-relationships"
    assert len(draft["activities"]) == 44
    assert validate_plan(draft) == draft  # already normalised: an editor can load it as is
    assert response.get_json()["report"] == {
        "format": "text",
        "sections": 18,
        "slides": 25,
        "list_polls": 3,
        "table_polls": 1,
        "open_prompts": 9,
        "quotes": 3,
        "sentences": 135,
        "sentences_placed": 135,
        "left_out": [],
        "notes": [],
    }
    assert plan_count(app) == before
    # The draft can then be stored as it is.
    stored = api.post("/plans", draft)
    assert stored.status_code == 201
    assert stored.get_json()["activities"] == 44


@pytest.mark.parametrize("content_type", ["text/markdown", "text/x-markdown"])
def test_a_markdown_article_becomes_a_draft(api: Any, content_type: str) -> None:
    article = (FIXTURES / "boundaries.md").read_text(encoding="utf-8")
    response = api.post(
        "/plans/import", data=article.encode(), content_type=f"{content_type}; charset=utf-8"
    )
    assert response.status_code == 200
    draft = response.get_json()["plan"]
    assert draft["title"] == "Boundaries That Hold"
    polls = [a["options"] for a in draft["activities"] if a["kind"] in ("choice", "multi")]
    assert ["Time", "Emotional", "Digital"] in polls


def test_an_article_over_the_character_limit_is_refused(api: Any) -> None:
    article = ("A sentence of the article. " * 8000).encode()
    assert len(article) > MAX_ARTICLE_CHARS
    response = api.post("/plans/import", data=article, content_type="text/plain")
    assert response.status_code == 413
    assert error_of(response) == {
        "code": "too_large",
        "message": "That article has 215,999 characters of text; Hearth takes up to 200,000 "
        "(about 30,000 words). Use the part you want for the workshop.",
    }


def test_a_body_over_the_byte_limit_is_refused_before_it_is_read(api: Any) -> None:
    body = b"%PDF-1.7\n" + b"0" * MAX_ARTICLE_BYTES
    response = api.post("/plans/import", data=body, content_type="application/pdf")
    assert response.status_code == 413
    assert error_of(response)["code"] == "too_large"


def test_an_article_of_just_under_the_limit_is_read(api: Any) -> None:
    article = ("Heading\nA sentence of the article.\n" * 6000)[: MAX_ARTICLE_CHARS + 11000]
    response = api.post("/plans/import", data=article.encode(), content_type="text/plain")
    assert response.status_code == 200
    assert len(response.get_json()["plan"]["activities"]) == 100
    report = response.get_json()["report"]
    assert report["sentences"] == report["sentences_placed"] > 0
    assert report["left_out"][-1].startswith("The article makes")


def test_an_empty_article_is_refused(api: Any) -> None:
    response = api.post("/plans/import", data=" \n", content_type="text/plain")
    assert response.status_code == 400
    assert error_of(response) == {
        "code": "invalid_article",
        "message": "The article is empty: paste some text or choose a file.",
    }


@pytest.mark.parametrize("content_type", ["application/json", "application/rtf", "image/png"])
def test_an_article_in_another_media_type_is_refused(api: Any, content_type: str) -> None:
    response = api.post("/plans/import", data=b"{}", content_type=content_type)
    assert response.status_code == 415
    assert error_of(response) == {
        "code": "unsupported_media_type",
        "message": "Send the article with Content-Type: text/plain, text/markdown, text/html, "
        "application/pdf or application/vnd.openxmlformats-officedocument.wordprocessingml"
        ".document (a Word .docx file).",
    }
