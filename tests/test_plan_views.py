"""The plan pages: the editor and its JSON saves, duplicate, delete, download, article import,
plan file upload; who may do what, CSRF, and plain-language validation errors."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import stream_encode_multipart

from hearth.extensions import db
from hearth.importer import MAX_ARTICLE_BYTES, MAX_ARTICLE_CHARS
from hearth.models import Plan, Workshop
from hearth.plans import validate_plan

BUILTIN_PLAN = "rebuilding-trust"
JSON = {"Accept": "application/json"}
# The conftest dataclass of a test facilitator (id, email, password).
FacilitatorInfo = Any

# One activity of every kind, with every option set.
EVERY_KIND: dict[str, Any] = {
    "title": "Every kind",
    "description": "One of each.",
    "activities": [
        {
            "kind": "content",
            "style": "quote",
            "title": "A thought",
            "body": "Trust is built in small moments.",
            "attribution": "Someone wise",
            "note": "This slide mentions betrayal.",
        },
        {
            "kind": "choice",
            "title": "Warm-up",
            "prompt": "What shakes trust the most?",
            "options": ["Secrets", "Broken promises", "Silence"],
            "reveal": "live",
            "seconds": 60,
        },
        {
            "kind": "multi",
            "prompt": "Which of these have you noticed?",
            "options": ["Checking", "Reassurance", "Keeping score"],
            "max_choices": 2,
            "reveal": "on_close",
        },
        {
            "kind": "scale",
            "title": "Check-in",
            "prompt": "Right now, how settled do you feel?",
            "min": 0,
            "max": 10,
            "min_label": "Not settled",
            "max_label": "Very settled",
            "pair": "pre",
        },
        {"kind": "open", "prompt": "What helps you feel safe?", "max_length": 200},
        {"kind": "words", "prompt": "One word for trust?", "max_words": 1},
        {
            "kind": "rank",
            "prompt": "Which step feels hardest?",
            "options": ["Acknowledge", "Be open", "Set boundaries"],
            "pair": "post",
        },
    ],
}


def small_plan(title: str = "Small group") -> dict[str, Any]:
    """A valid two-activity plan document."""
    return {
        "title": title,
        "activities": [
            {"kind": "content", "title": "Welcome"},
            {"kind": "rank", "prompt": "Which step feels hardest?", "options": ["Rest", "Talk"]},
        ],
    }


def plan_count(app: Flask) -> int:
    """How many plans are stored."""
    with app.app_context():
        return int(db.session.scalar(select(func.count(Plan.id))) or 0)


def stored(app: Flask, plan_id: int) -> Plan | None:
    """The stored plan with this id (detached), or None."""
    with app.app_context():
        plan = db.session.get(Plan, plan_id)
        if plan is not None:
            db.session.expunge(plan)
        return plan


def builtin_id(app: Flask) -> int:
    """The id of the built-in plan."""
    with app.app_context():
        plan_id = db.session.scalar(select(Plan.id).where(Plan.slug == BUILTIN_PLAN))
        assert plan_id is not None
        return int(plan_id)


def create(client: FlaskClient, document: Any) -> Any:
    """POST a plan to the editor's create endpoint."""
    return client.post("/facilitator/plans", json={"plan": document}, headers=JSON)


def editor_data(html: str) -> dict[str, Any]:
    """The JSON the editor page hands its script."""
    match = re.search(
        r'<script type="application/json" id="editor-data">(.*?)</script>', html, re.S
    )
    assert match, "the page has no editor data"
    return dict(json.loads(match.group(1)))


def error_of(response: Any) -> dict[str, Any]:
    """The {code, message} of an error response."""
    body = response.get_json()
    assert set(body) == {"error"}, body
    return dict(body["error"])


@pytest.fixture
def my_plan(facilitator_client: FlaskClient) -> dict[str, Any]:
    """A plan stored through the editor by the logged-in owner: the create response."""
    response = create(facilitator_client, small_plan())
    assert response.status_code == 201, response.get_data(as_text=True)
    return dict(response.get_json())


@pytest.fixture
def other_client(
    make_facilitator: Callable[..., FacilitatorInfo],
    logged_in_client: Callable[[FacilitatorInfo], FlaskClient],
) -> FlaskClient:
    """A second facilitator, logged in."""
    return logged_in_client(make_facilitator())


# --- logging in ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/facilitator/plans/new",
        "/facilitator/plans/1/edit",
        "/facilitator/plans/1.yaml",
        "/facilitator/plans/import",
        "/facilitator/plans/upload",
        "/facilitator/plans/preview",
        "/facilitator/plans/1/delete",
    ],
)
def test_plan_pages_need_a_login(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/facilitator/login")


@pytest.mark.parametrize(
    ("method", "path"), [("POST", "/facilitator/plans"), ("PUT", "/facilitator/plans/1")]
)
def test_editor_saves_without_a_login_get_json_401(
    client: FlaskClient, method: str, path: str
) -> None:
    response = client.open(path, method=method, json={"plan": small_plan()}, headers=JSON)
    assert response.status_code == 401
    assert error_of(response)["code"] == "unauthorized"


@pytest.mark.parametrize("path", ["/facilitator/plans/1/duplicate", "/facilitator/plans/1/delete"])
def test_plan_forms_need_a_login(client: FlaskClient, app: Flask, path: str) -> None:
    count = plan_count(app)
    response = client.post(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/facilitator/login")
    assert plan_count(app) == count


# --- CSRF ---------------------------------------------------------------------------------


@pytest.fixture
def csrf_client(make_app: Callable[..., Flask]) -> tuple[Flask, FlaskClient, str]:
    """An app with CSRF on, a facilitator logged in, and the token from the editor's meta tag."""
    from hearth.services.accounts import create_facilitator

    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        create_facilitator("csrf@example.org", "a long enough password", "a long enough password")
    client = app.test_client()
    login = client.get("/facilitator/login").get_data(as_text=True)
    form_token = re.search(r'name="csrf_token" value="([^"]+)"', login)
    assert form_token
    client.post(
        "/facilitator/login",
        data={
            "email": "csrf@example.org",
            "password": "a long enough password",
            "csrf_token": form_token.group(1),
        },
    )
    page = client.get("/facilitator/plans/new").get_data(as_text=True)
    meta = re.search(r'<meta name="csrf-token" content="([^"]+)">', page)
    assert meta, "the editor has no csrf-token meta tag"
    return app, client, meta.group(1)


def test_saving_without_the_csrf_header_is_refused(
    csrf_client: tuple[Flask, FlaskClient, str],
) -> None:
    app, client, _ = csrf_client
    count = plan_count(app)
    response = create(client, small_plan())
    assert response.status_code == 400
    assert error_of(response)["code"] == "csrf_failed"
    assert plan_count(app) == count


def test_saving_with_the_csrf_header_works(csrf_client: tuple[Flask, FlaskClient, str]) -> None:
    app, client, token = csrf_client
    response = client.post(
        "/facilitator/plans",
        json={"plan": small_plan()},
        headers={**JSON, "X-CSRFToken": token},
    )
    assert response.status_code == 201
    plan_id = response.get_json()["id"]
    renamed = client.put(
        f"/facilitator/plans/{plan_id}",
        json={"plan": small_plan("Renamed")},
        headers={**JSON, "X-CSRFToken": token},
    )
    assert renamed.status_code == 200
    assert (
        client.put(
            f"/facilitator/plans/{plan_id}", json={"plan": small_plan("Again")}, headers=JSON
        ).status_code
        == 400
    )


@pytest.mark.parametrize(
    "path", ["/facilitator/plans/{id}/duplicate", "/facilitator/plans/{id}/delete"]
)
def test_plan_forms_need_the_csrf_token(
    csrf_client: tuple[Flask, FlaskClient, str], path: str
) -> None:
    app, client, token = csrf_client
    plan_id = client.post(
        "/facilitator/plans", json={"plan": small_plan()}, headers={**JSON, "X-CSRFToken": token}
    ).get_json()["id"]
    count = plan_count(app)
    assert client.post(path.format(id=plan_id)).status_code == 400
    assert plan_count(app) == count
    assert client.post(path.format(id=plan_id), data={"csrf_token": token}).status_code == 302


# --- creating and saving ------------------------------------------------------------------


def test_new_plan_page_opens_an_empty_unsaved_editor(facilitator_client: FlaskClient) -> None:
    response = facilitator_client.get("/facilitator/plans/new")
    assert response.status_code == 200
    data = editor_data(response.get_data(as_text=True))
    assert data["id"] is None and data["editable"] and not data["draft"]
    assert data["plan"]["activities"] == []
    assert data["create_url"] == "/facilitator/plans"


def test_a_new_plan_is_stored_for_its_author(
    facilitator_client: FlaskClient, app: Flask, owner: FacilitatorInfo
) -> None:
    response = create(facilitator_client, EVERY_KIND)
    assert response.status_code == 201
    body = response.get_json()
    assert body["slug"] == "every-kind"
    assert body["activities"] == 7
    assert body["edit_url"] == f"/facilitator/plans/{body['id']}/edit"
    assert body["save_url"] == f"/facilitator/plans/{body['id']}"
    plan = stored(app, body["id"])
    assert plan is not None and plan.owner_id == owner.id and not plan.builtin
    assert plan.activities == validate_plan(EVERY_KIND)["activities"]


def test_every_kind_and_option_survives_a_save(
    facilitator_client: FlaskClient, my_plan: dict[str, Any], app: Flask
) -> None:
    response = facilitator_client.put(
        my_plan["save_url"], json={"plan": EVERY_KIND, "version": my_plan["version"]}, headers=JSON
    )
    assert response.status_code == 200
    plan = stored(app, my_plan["id"])
    assert plan is not None
    assert plan.title == "Every kind" and plan.description == "One of each."
    kinds = [activity["kind"] for activity in plan.activities]
    assert kinds == ["content", "choice", "multi", "scale", "open", "words", "rank"]
    for sent, kept in zip(EVERY_KIND["activities"], plan.activities, strict=True):
        assert sent.items() <= kept.items()


def test_a_new_plan_never_replaces_another_with_the_same_title(
    facilitator_client: FlaskClient, my_plan: dict[str, Any], app: Flask
) -> None:
    again = create(facilitator_client, small_plan())
    assert again.status_code == 201
    assert again.get_json()["id"] != my_plan["id"]
    assert again.get_json()["slug"] == "small-group-2"
    first = stored(app, my_plan["id"])
    assert first is not None and first.slug == "small-group"


def test_a_draft_with_the_builtin_slug_is_stored_under_a_free_slug(
    facilitator_client: FlaskClient, app: Flask
) -> None:
    response = create(facilitator_client, {**small_plan(), "slug": BUILTIN_PLAN})
    assert response.status_code == 201
    assert response.get_json()["slug"] == f"{BUILTIN_PLAN}-2"
    builtin = stored(app, builtin_id(app))
    assert builtin is not None and builtin.builtin and builtin.title == "Rebuilding trust"


def test_renaming_keeps_the_id_and_slug(
    facilitator_client: FlaskClient, my_plan: dict[str, Any], app: Flask
) -> None:
    response = facilitator_client.put(
        my_plan["save_url"], json={"plan": small_plan("A new name")}, headers=JSON
    )
    assert response.status_code == 200
    assert response.get_json()["id"] == my_plan["id"]
    plan = stored(app, my_plan["id"])
    assert plan is not None and plan.title == "A new name" and plan.slug == "small-group"


def test_reordering_is_saved(
    facilitator_client: FlaskClient, my_plan: dict[str, Any], app: Flask
) -> None:
    document = small_plan()
    document["activities"].reverse()
    facilitator_client.put(my_plan["save_url"], json={"plan": document}, headers=JSON)
    plan = stored(app, my_plan["id"])
    assert plan is not None
    assert [activity["kind"] for activity in plan.activities] == ["rank", "content"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda doc: doc["activities"][1].update(options=["Only one"]),
            "Activity 2 'Which step feels hardest?': a ranking needs 2 to 10 options.",
        ),
        (
            lambda doc: doc["activities"][1].pop("prompt"),
            "Activity 2: 'prompt' is required.",
        ),
        (
            lambda doc: doc["activities"].append(
                {"kind": "scale", "prompt": "How settled?", "min": 5, "max": 2}
            ),
            "Activity 3 'How settled?': 'max' must be greater than 'min'.",
        ),
        (lambda doc: doc.update(title="  "), "The plan needs a title."),
        (lambda doc: doc.update(activities=[]), "The plan needs a list of activities"),
    ],
    ids=["rank-one-option", "no-prompt", "scale-max-below-min", "blank-title", "no-activities"],
)
def test_an_invalid_plan_is_refused_in_plain_language(
    facilitator_client: FlaskClient,
    my_plan: dict[str, Any],
    app: Flask,
    change: Callable[[dict[str, Any]], None],
    message: str,
) -> None:
    document = small_plan("Changed")
    change(document)
    response = facilitator_client.put(my_plan["save_url"], json={"plan": document}, headers=JSON)
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "invalid_plan"
    assert error["message"].startswith(message)
    plan = stored(app, my_plan["id"])
    assert plan is not None and plan.title == "Small group", "a refused save changes nothing"


def test_an_invalid_new_plan_is_not_stored(facilitator_client: FlaskClient, app: Flask) -> None:
    count = plan_count(app)
    response = create(facilitator_client, {"title": "Oops", "activities": [{"kind": "poll"}]})
    assert response.status_code == 400
    assert error_of(response)["message"].startswith("Activity 1: 'kind' must be one of")
    assert plan_count(app) == count


@pytest.mark.parametrize("body", [None, [], {"title": "no plan key"}, "text"])
def test_a_save_without_a_plan_object_is_invalid_payload(
    facilitator_client: FlaskClient, my_plan: dict[str, Any], body: Any
) -> None:
    response = facilitator_client.put(my_plan["save_url"], json=body, headers=JSON)
    assert response.status_code == 400
    assert error_of(response)["code"] == "invalid_payload"


def test_a_save_over_a_newer_version_is_refused(
    facilitator_client: FlaskClient, my_plan: dict[str, Any], app: Flask
) -> None:
    first = facilitator_client.put(
        my_plan["save_url"],
        json={"plan": small_plan("From tab one"), "version": my_plan["version"]},
        headers=JSON,
    )
    assert first.status_code == 200
    stale = facilitator_client.put(
        my_plan["save_url"],
        json={"plan": small_plan("From tab two"), "version": my_plan["version"]},
        headers=JSON,
    )
    assert stale.status_code == 409
    assert error_of(stale)["code"] == "plan_changed"
    plan = stored(app, my_plan["id"])
    assert plan is not None and plan.title == "From tab one"
    fresh = facilitator_client.put(
        my_plan["save_url"],
        json={"plan": small_plan("From tab two"), "version": first.get_json()["version"]},
        headers=JSON,
    )
    assert fresh.status_code == 200


def test_saving_an_unknown_plan_is_404(facilitator_client: FlaskClient) -> None:
    response = facilitator_client.put(
        "/facilitator/plans/99999", json={"plan": small_plan()}, headers=JSON
    )
    assert response.status_code == 404


# --- built-in and other people's plans ----------------------------------------------------


def test_the_builtin_plan_opens_read_only_with_duplicate_to_edit(
    facilitator_client: FlaskClient, app: Flask
) -> None:
    response = facilitator_client.get(f"/facilitator/plans/{builtin_id(app)}/edit")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    data = editor_data(html)
    assert data["editable"] is False
    assert len(data["plan"]["activities"]) == 23
    assert "Duplicate to edit" in html
    assert "built-in plan" in html
    assert 'id="save-button"' not in html


def test_the_builtin_plan_cannot_be_saved_over(facilitator_client: FlaskClient, app: Flask) -> None:
    plan_id = builtin_id(app)
    response = facilitator_client.put(
        f"/facilitator/plans/{plan_id}", json={"plan": small_plan()}, headers=JSON
    )
    assert response.status_code == 403
    assert error_of(response)["code"] == "plan_read_only"
    plan = stored(app, plan_id)
    assert plan is not None and plan.title == "Rebuilding trust"


def test_the_builtin_plan_cannot_be_deleted(facilitator_client: FlaskClient, app: Flask) -> None:
    plan_id = builtin_id(app)
    assert facilitator_client.get(f"/facilitator/plans/{plan_id}/delete").status_code == 403
    assert facilitator_client.post(f"/facilitator/plans/{plan_id}/delete").status_code == 403
    assert stored(app, plan_id) is not None


def test_another_facilitators_plan_is_read_only(
    my_plan: dict[str, Any], other_client: FlaskClient, app: Flask
) -> None:
    page = other_client.get(my_plan["edit_url"]).get_data(as_text=True)
    assert editor_data(page)["editable"] is False
    assert "belongs to another facilitator" in page
    response = other_client.put(
        my_plan["save_url"], json={"plan": small_plan("Mine!")}, headers=JSON
    )
    assert response.status_code == 403
    assert other_client.post(f"/facilitator/plans/{my_plan['id']}/delete").status_code == 403
    plan = stored(app, my_plan["id"])
    assert plan is not None and plan.title == "Small group"


# --- duplicate and delete -----------------------------------------------------------------


def test_duplicating_the_builtin_plan_opens_an_editable_copy(
    facilitator_client: FlaskClient, app: Flask, owner: FacilitatorInfo
) -> None:
    original = stored(app, builtin_id(app))
    assert original is not None
    response = facilitator_client.post(f"/facilitator/plans/{original.id}/duplicate")
    assert response.status_code == 302
    match = re.fullmatch(r"/facilitator/plans/(\d+)/edit", response.headers["Location"])
    assert match
    copy = stored(app, int(match.group(1)))
    assert copy is not None
    assert copy.id != original.id and copy.owner_id == owner.id and not copy.builtin
    assert copy.title == "Rebuilding trust (copy)" and copy.slug == "rebuilding-trust-copy"
    assert copy.activities == original.activities
    page = facilitator_client.get(response.headers["Location"]).get_data(as_text=True)
    assert editor_data(page)["editable"] is True
    assert "your own copy" in page


def test_duplicating_twice_gives_two_copies(
    facilitator_client: FlaskClient, my_plan: dict[str, Any], app: Flask
) -> None:
    count = plan_count(app)
    for _ in range(2):
        assert (
            facilitator_client.post(f"/facilitator/plans/{my_plan['id']}/duplicate").status_code
            == 302
        )
    assert plan_count(app) == count + 2
    with app.app_context():
        slugs = set(db.session.scalars(select(Plan.slug).where(Plan.slug.like("small-group%"))))
    assert slugs == {"small-group", "small-group-copy", "small-group-copy-2"}


def test_another_facilitators_plan_can_be_duplicated(
    my_plan: dict[str, Any], other_client: FlaskClient
) -> None:
    response = other_client.post(f"/facilitator/plans/{my_plan['id']}/duplicate")
    assert response.status_code == 302
    page = other_client.get(response.headers["Location"]).get_data(as_text=True)
    assert editor_data(page)["editable"] is True


def test_delete_asks_first(facilitator_client: FlaskClient, my_plan: dict[str, Any]) -> None:
    response = facilitator_client.get(my_plan["delete_url"])
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Delete “Small group”?" in html
    assert "Workshops already started or run from it are kept" in html


def test_deleting_a_plan_keeps_the_workshops_run_from_it(
    facilitator_client: FlaskClient,
    my_plan: dict[str, Any],
    make_workshop: Callable[..., Any],
    app: Flask,
) -> None:
    workshop = make_workshop(plan=my_plan["slug"])
    response = facilitator_client.post(f"/facilitator/plans/{my_plan['id']}/delete")
    assert response.status_code == 302
    assert response.headers["Location"] == "/facilitator/"
    assert stored(app, my_plan["id"]) is None
    with app.app_context():
        kept = db.session.get(Workshop, workshop.id)
        assert kept is not None and kept.plan_id is None
        assert [a.kind for a in kept.activities] == ["content", "rank"]
    dashboard = facilitator_client.get("/facilitator/").get_data(as_text=True)
    assert "Deleted the plan “Small group”" in dashboard


def test_editing_a_plan_never_changes_a_workshop_made_from_it(
    facilitator_client: FlaskClient,
    my_plan: dict[str, Any],
    make_workshop: Callable[..., Any],
    app: Flask,
) -> None:
    workshop = make_workshop(plan=my_plan["slug"])
    response = facilitator_client.put(my_plan["save_url"], json={"plan": EVERY_KIND}, headers=JSON)
    assert response.status_code == 200
    with app.app_context():
        frozen = db.session.get(Workshop, workshop.id)
        assert frozen is not None and frozen.title == "Small group"
        assert [a.spec for a in frozen.activities] == [a.spec for a in workshop.activities]


# --- download ------------------------------------------------------------------------------


def test_a_plan_downloads_as_yaml_that_reads_back(
    facilitator_client: FlaskClient, app: Flask
) -> None:
    plan_id = builtin_id(app)
    response = facilitator_client.get(f"/facilitator/plans/{plan_id}.yaml")
    assert response.status_code == 200
    assert response.mimetype == "application/yaml"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="{BUILTIN_PLAN}.yaml"'
    )
    document = yaml.safe_load(response.get_data(as_text=True))
    plan = stored(app, plan_id)
    assert plan is not None
    assert validate_plan(document)["activities"] == plan.activities
    assert document["slug"] == BUILTIN_PLAN


def test_downloading_an_unknown_plan_is_404(facilitator_client: FlaskClient) -> None:
    assert facilitator_client.get("/facilitator/plans/99999.yaml").status_code == 404


# --- importing an article -----------------------------------------------------------------

ARTICLE = """Why trust gets shaky

Trust issues usually grow from real experiences. They are not a flaw.

Have you ever noticed yourself checking for signs that something is wrong?

Common signs:
- Checking a partner's phone
- Needing constant reassurance
- Expecting the worst
"""


def test_an_article_opens_an_unsaved_draft_in_the_editor(
    facilitator_client: FlaskClient, app: Flask
) -> None:
    count = plan_count(app)
    response = facilitator_client.post(
        "/facilitator/plans/import", data={"text": ARTICLE, "format": "auto"}
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    data = editor_data(html)
    assert data["id"] is None and data["draft"] is True and data["editable"] is True
    kinds = [activity["kind"] for activity in data["plan"]["activities"]]
    assert kinds[:2] == ["content", "scale"] and kinds[-1] == "scale"
    assert "multi" in kinds and "open" in kinds
    assert data["plan"]["title"] == "Why trust gets shaky"
    assert "not saved yet" in html
    assert plan_count(app) == count, "an import stores nothing until the facilitator saves"


def test_an_uploaded_markdown_article_is_read_as_markdown(
    facilitator_client: FlaskClient,
) -> None:
    markdown = (
        "# Boundaries\n\nA boundary is a line.\n\n> Say no kindly.\n> — A counsellor\n".encode()
    )
    response = facilitator_client.post(
        "/facilitator/plans/import",
        data={"text": "", "format": "auto", "file": (io.BytesIO(markdown), "boundaries.md")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    activities = editor_data(response.get_data(as_text=True))["plan"]["activities"]
    quotes = [a for a in activities if a.get("style") == "quote"]
    assert quotes and quotes[0]["attribution"] == "A counsellor"


@pytest.mark.parametrize(
    ("form", "status", "message"),
    [
        ({"text": "   \n"}, 400, "The article is empty"),
        ({"file": (io.BytesIO(b"{\\rtf1}"), "article.rtf")}, 400, "Hearth reads a .docx, .pdf"),
        ({"file": (io.BytesIO(b"PK\x03\x04"), "article.docx")}, 400, "not a Word document"),
        ({"file": (io.BytesIO(b"%PDF-1.4 nothing"), "article.pdf")}, 400, "PDF is damaged"),
        ({"file": (io.BytesIO(b"\xff\xfe\x00bad"), "article.txt")}, 400, "not UTF-8"),
        ({"text": "a" * (MAX_ARTICLE_CHARS + 1)}, 413, "Hearth takes up to 200,000"),
    ],
    ids=["empty", "rtf", "bad-docx", "bad-pdf", "not-utf8", "text-too-large"],
)
def test_an_article_that_cannot_be_read_is_explained_on_the_import_page(
    facilitator_client: FlaskClient, form: dict[str, Any], status: int, message: str
) -> None:
    response = facilitator_client.post(
        "/facilitator/plans/import", data=form, content_type="multipart/form-data"
    )
    assert response.status_code == status
    html = response.get_data(as_text=True)
    assert message in html
    assert "<h1>Import an article</h1>" in html


def test_a_file_over_the_size_limit_is_refused_on_the_import_page(
    facilitator_client: FlaskClient,
) -> None:
    # Encoded in memory: the test client would spool it to a temporary file it never closes.
    stream, length, boundary = stream_encode_multipart(
        {"file": FileStorage(io.BytesIO(b"a" * (MAX_ARTICLE_BYTES + 1)), "long.pdf")},
        use_tempfile=False,
    )
    response = facilitator_client.post(
        "/facilitator/plans/import",
        input_stream=stream,
        content_length=length,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 413
    assert "That file is larger than 10 MB." in response.get_data(as_text=True)


# --- uploading a plan file ----------------------------------------------------------------


def test_a_pasted_yaml_plan_is_stored_and_opened(
    facilitator_client: FlaskClient, app: Flask, owner: FacilitatorInfo
) -> None:
    text = yaml.safe_dump(small_plan("Pasted plan"))
    response = facilitator_client.post("/facilitator/plans/upload", data={"text": text})
    assert response.status_code == 302
    match = re.fullmatch(r"/facilitator/plans/(\d+)/edit", response.headers["Location"])
    assert match
    plan = stored(app, int(match.group(1)))
    assert plan is not None and plan.title == "Pasted plan" and plan.owner_id == owner.id
    page = facilitator_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Saved as a new plan, “Pasted plan”." in page


def test_an_uploaded_json_file_replaces_my_plan_of_the_same_slug(
    facilitator_client: FlaskClient, my_plan: dict[str, Any], app: Flask
) -> None:
    document = {**EVERY_KIND, "slug": my_plan["slug"]}
    response = facilitator_client.post(
        "/facilitator/plans/upload",
        data={"file": (io.BytesIO(json.dumps(document).encode()), "plan.json")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert response.headers["Location"] == my_plan["edit_url"]
    plan = stored(app, my_plan["id"])
    assert plan is not None and len(plan.activities) == 7
    page = facilitator_client.get(my_plan["edit_url"]).get_data(as_text=True)
    assert "replaced your plan" in page


def test_a_downloaded_plan_uploads_again(facilitator_client: FlaskClient, app: Flask) -> None:
    text = facilitator_client.get(f"/facilitator/plans/{builtin_id(app)}.yaml").data
    response = facilitator_client.post(
        "/facilitator/plans/upload",
        data={"file": (io.BytesIO(text), f"{BUILTIN_PLAN}.yaml")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    match = re.fullmatch(r"/facilitator/plans/(\d+)/edit", response.headers["Location"])
    assert match
    copy = stored(app, int(match.group(1)))
    builtin = stored(app, builtin_id(app))
    assert copy is not None and builtin is not None
    assert copy.id != builtin.id and copy.slug == f"{BUILTIN_PLAN}-2"
    assert copy.activities == builtin.activities


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"text": ""}, "There is no plan here"),
        (
            {"text": "title: Oops\nactivities:\n  - kind: rank\n    prompt: Which?\n"},
            "Activity 1 &#39;Which?&#39;: a ranking needs 2 to 10",
        ),
        ({"text": "title: [unclosed\n"}, "This is not valid YAML"),
        ({"text": '{"title": "x",'}, "This is not valid JSON"),
        ({"file": (io.BytesIO(b"title: x"), "plan.txt")}, "ending in .yaml, .yml or .json"),
    ],
    ids=["empty", "invalid-plan", "bad-yaml", "bad-json", "wrong-extension"],
)
def test_a_plan_file_that_cannot_be_used_is_explained(
    facilitator_client: FlaskClient, app: Flask, form: dict[str, Any], message: str
) -> None:
    count = plan_count(app)
    response = facilitator_client.post(
        "/facilitator/plans/upload", data=form, content_type="multipart/form-data"
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html
    assert plan_count(app) == count


# --- the preview frame and the dashboard --------------------------------------------------


def test_only_the_preview_frame_may_be_framed_and_only_by_hearth(
    facilitator_client: FlaskClient,
) -> None:
    preview = facilitator_client.get("/facilitator/plans/preview")
    assert preview.status_code == 200
    assert "frame-ancestors 'self'" in preview.headers["Content-Security-Policy"]
    assert "js/participant/preview.js" in preview.get_data(as_text=True)
    assert "css/participant.css" in preview.get_data(as_text=True)
    editor = facilitator_client.get("/facilitator/plans/new")
    assert "frame-ancestors 'none'" in editor.headers["Content-Security-Policy"]


def test_the_dashboard_offers_every_way_to_make_and_manage_plans(
    facilitator_client: FlaskClient, my_plan: dict[str, Any], app: Flask
) -> None:
    html = facilitator_client.get("/facilitator/").get_data(as_text=True)
    for link in (
        "/facilitator/plans/new",
        "/facilitator/plans/import",
        "/facilitator/plans/upload",
    ):
        assert f'href="{link}"' in html
    builtin = builtin_id(app)
    mine = my_plan["id"]
    assert f'href="/facilitator/plans/{mine}/edit"' in html
    assert f'href="/facilitator/plans/{mine}/delete"' in html
    assert f'href="/facilitator/plans/{builtin}/delete"' not in html
    assert f'action="/facilitator/plans/{builtin}/duplicate"' in html
    assert f'href="/facilitator/plans/{builtin}.yaml"' in html
    assert "Duplicate to edit" in html
    # Mine and the built-in plan in each of the five languages (docs/translating.md).
    assert html.count('name="plan_id"') == 6, "every plan keeps its Start form"
