"""hearth.plans: plan validation with plain-language errors, and the built-in plans."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from flask import Flask
from sqlalchemy import func, select

from hearth.extensions import db, writing
from hearth.kinds import KINDS
from hearth.models import Plan
from hearth.plans import BUILTIN_DIR, MAX_ACTIVITIES, PlanError, validate_plan
from hearth.services.plans import load_builtin_plans

CONTENT = {"kind": "content", "body": "Some text."}


def builtin_document() -> Any:
    """The shipped plan file, parsed."""
    return yaml.safe_load((BUILTIN_DIR / "rebuilding-trust.yaml").read_text(encoding="utf-8"))


def plan(*activities: Any, **fields: Any) -> dict[str, Any]:
    """A plan document around some activities."""
    return {"title": "A plan", **fields, "activities": list(activities)}


def test_the_builtin_plan_validates() -> None:
    document = validate_plan(builtin_document())
    assert document["slug"] == "rebuilding-trust"
    assert document["title"] == "Rebuilding trust"
    kinds = {activity["kind"] for activity in document["activities"]}
    assert {"content", "choice", "scale", "open"} <= kinds <= set(KINDS)


def test_the_builtin_plan_pairs_a_check_in_with_a_check_out() -> None:
    activities = validate_plan(builtin_document())["activities"]
    pairs = [a["pair"] for a in activities if "pair" in a]
    assert pairs == ["pre", "post"]


def test_an_error_names_the_activity_number_and_its_text() -> None:
    bad = {"kind": "choice", "prompt": "Which step?", "options": ["Only one"]}
    with pytest.raises(PlanError) as caught:
        validate_plan(plan(CONTENT, CONTENT, CONTENT, bad))
    assert str(caught.value) == "Activity 4 'Which step?': needs 2 to 10 options."


def test_a_long_prompt_is_shortened_in_the_error() -> None:
    prompt = "Which of these tends to show up most when trust feels shaky?"
    bad = {"kind": "choice", "prompt": prompt, "options": []}
    with pytest.raises(PlanError) as caught:
        validate_plan(plan(bad))
    assert str(caught.value) == f"Activity 1 '{prompt[:39]}…': needs 2 to 10 options."


def test_an_activity_without_text_is_named_by_number() -> None:
    with pytest.raises(PlanError) as caught:
        validate_plan(plan(CONTENT, {"kind": "scale", "min": 3, "max": 2}))
    assert str(caught.value) == "Activity 2: 'prompt' is required."


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (["not", "a", "mapping"], "must be a mapping"),
        ({"activities": [CONTENT]}, "needs a title"),
        ({"title": "  ", "activities": [CONTENT]}, "needs a title"),
        ({"title": "T"}, "needs a list of activities"),
        ({"title": "T", "activities": []}, "needs a list of activities"),
        ({"title": "T", "activities": "content"}, "needs a list of activities"),
        ({"title": "T", "description": 5, "activities": [CONTENT]}, "description must be text"),
        (plan(*[CONTENT] * (MAX_ACTIVITIES + 1)), f"at most {MAX_ACTIVITIES} activities"),
        (plan(CONTENT, slug="Not A Slug"), "slug may hold only"),
        (plan(CONTENT, slug=7), "slug may hold only"),
        (plan("content"), "Activity 1: must be a mapping of fields."),
    ],
)
def test_bad_plans_are_refused(document: Any, message: str) -> None:
    with pytest.raises(PlanError, match=message):
        validate_plan(document)


def test_the_slug_defaults_to_the_title() -> None:
    assert validate_plan(plan(CONTENT, title="Trust & Safety, part 2"))["slug"] == (
        "trust-safety-part-2"
    )


def builtin_rows() -> list[Plan]:
    """Every built-in plan row."""
    return list(db.session.scalars(select(Plan).where(Plan.builtin.is_(True))))


def test_load_builtin_plans_is_idempotent(app: Flask) -> None:
    with app.app_context():
        before = [(p.id, p.slug) for p in builtin_rows()]
        load_builtin_plans()
        load_builtin_plans()
        after = [(p.id, p.slug) for p in builtin_rows()]
        total = db.session.scalar(select(func.count(Plan.id)))
    assert before == after
    # The built-in workshop in each of the five languages (docs/translating.md).
    assert sorted(slug for _, slug in after) == [
        "rebuilding-trust",
        "rebuilding-trust-ar",
        "rebuilding-trust-de",
        "rebuilding-trust-es",
        "rebuilding-trust-fr",
    ]
    assert total == 5


def test_load_builtin_plans_restores_an_edited_builtin_plan(app: Flask) -> None:
    with app.app_context():
        with writing():
            row = next(p for p in builtin_rows() if p.slug == "rebuilding-trust")
            row.title = "Edited"
            row.activities = []
        load_builtin_plans()
        db.session.expire_all()
        row = next(p for p in builtin_rows() if p.slug == "rebuilding-trust")
        assert row.title == "Rebuilding trust"
        assert len(row.activities) == len(builtin_document()["activities"])
