"""The plan file format: the JSON Schema, its plain-language errors, YAML/JSON in and out,
save_plan, and `hearth plan import/export`."""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from flask import Flask
from flask.testing import FlaskCliRunner
from jsonschema import Draft202012Validator
from sqlalchemy import func, select

from hearth.extensions import db
from hearth.kinds import KINDS
from hearth.models import Facilitator, Plan
from hearth.plans import (
    BUILTIN_DIR,
    KIND_NAMES,
    MAX_ACTIVITIES,
    PLAN_SCHEMA,
    PlanError,
    dump_plan,
    parse_plan_text,
    plan_document,
    schema_problem,
    validate_plan,
)
from hearth.services.plans import save_plan

DOCS = Path(__file__).resolve().parent.parent / "docs" / "plan-format.md"
CONTENT = {"kind": "content", "body": "Some text."}

# One activity of every kind, with every field each kind has.
EVERY_KIND: list[dict[str, Any]] = [
    {
        "kind": "content",
        "title": "How we'll be together",
        "body": "What's said here stays here.\n\nYou can pass on anything.",
        "style": "agreement",
        "note": "This part mentions betrayal.",
    },
    {
        "kind": "content",
        "body": "True intimacy requires trust.",
        "style": "quote",
        "attribution": "Intimacy coach",
    },
    {
        "kind": "choice",
        "title": "What shakes trust",
        "prompt": "What shakes trust the most?",
        "note": "You can skip this one.",
        "options": ["Betrayal", "Suspicion", "Past trauma"],
        "reveal": "live",
        "seconds": 60,
    },
    {
        "kind": "multi",
        "prompt": "Which of these have you noticed?",
        "options": ["Miscommunication", "Stonewalling", "Lack of transparency"],
        "max_choices": 2,
        "reveal": "on_close",
    },
    {
        "kind": "scale",
        "title": "Check-in",
        "prompt": "Right now, how settled do you feel?",
        "min": 0,
        "max": 10,
        "min_label": "Not settled at all",
        "max_label": "Very settled",
        "pair": "pre",
    },
    {"kind": "open", "prompt": "What helps you feel safe?", "max_length": 500, "pair": "post"},
    {"kind": "words", "prompt": "One word for how betrayal can feel.", "max_words": 1},
    {
        "kind": "rank",
        "prompt": "Which step feels hardest?",
        "options": ["Acknowledge the hurt", "Practice transparency", "Set clear boundaries"],
    },
]


def plan(*activities: Any, **fields: Any) -> dict[str, Any]:
    """A plan document around some activities."""
    return {"title": "A plan", **fields, "activities": list(activities)}


def refusal(document: Any) -> str:
    """The message validate_plan refuses a document with."""
    with pytest.raises(PlanError) as caught:
        validate_plan(document)
    return str(caught.value)


# --- the schema ---------------------------------------------------------------------------


def test_the_schema_is_valid_json_schema_2020_12() -> None:
    Draft202012Validator.check_schema(PLAN_SCHEMA)


def test_the_schema_covers_exactly_the_kinds_the_server_knows() -> None:
    assert KIND_NAMES == list(KINDS)
    assert set(KIND_NAMES) <= set(PLAN_SCHEMA["$defs"])


def test_the_schema_is_package_data() -> None:
    # tests/e2e/test_packaging.py proves it lands in a built wheel.
    pyproject = (Path(__file__).resolve().parent.parent / "pyproject.toml").read_text()
    package_data = tomllib.loads(pyproject)["tool"]["setuptools"]["package-data"]
    assert "*.json" in package_data.get("hearth", []) + package_data.get("*", [])
    assert MAX_ACTIVITIES == 100


@pytest.mark.parametrize("activity", EVERY_KIND, ids=lambda a: str(a["kind"]))
def test_every_kind_passes_the_schema_as_written_and_normalised(activity: dict[str, Any]) -> None:
    document = plan(activity)
    assert schema_problem(document) is None
    assert schema_problem(validate_plan(document)) is None


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_every_kind_round_trips_through_a_file(fmt: Any) -> None:
    normalised = validate_plan(plan(*EVERY_KIND, slug="every-kind", description="All of them."))
    text = dump_plan(normalised, fmt)
    assert validate_plan(parse_plan_text(text, fmt)) == normalised
    assert validate_plan(parse_plan_text(text)) == normalised  # the format told from the text


def test_normalising_keeps_every_field_and_fills_in_defaults() -> None:
    activities = validate_plan(plan(*EVERY_KIND))["activities"]
    for written, normalised in zip(EVERY_KIND, activities, strict=True):
        assert written.items() <= normalised.items()
    assert activities[3]["max_choices"] == 2
    defaults = validate_plan(
        plan(
            {"kind": "multi", "prompt": "Q?", "options": ["a", "b", "c"]},
            {"kind": "scale", "prompt": "Q?"},
            {"kind": "open", "prompt": "Q?"},
            {"kind": "words", "prompt": "Q?"},
            {"kind": "content", "title": "T"},
        )
    )["activities"]
    assert defaults[0]["max_choices"] == 3
    assert (defaults[1]["min"], defaults[1]["max"], defaults[1]["reveal"]) == (1, 5, "manual")
    assert defaults[2]["max_length"] == 280
    assert defaults[3]["max_words"] == 3
    assert defaults[4]["style"] == "psychoeducation"


def test_the_builtin_plan_passes_the_schema_and_round_trips() -> None:
    document = yaml.safe_load((BUILTIN_DIR / "rebuilding-trust.yaml").read_text(encoding="utf-8"))
    assert schema_problem(document) is None
    normalised = validate_plan(document)
    assert validate_plan(parse_plan_text(dump_plan(normalised))) == normalised


def test_yaml_output_writes_multi_line_text_as_a_block() -> None:
    text = dump_plan(validate_plan(plan(EVERY_KIND[0])))
    assert text == (
        "slug: a-plan\n"
        "title: A plan\n"
        "description: ''\n"
        "activities:\n"
        "  - kind: content\n"
        "    title: How we'll be together\n"
        "    body: |-\n"
        "      What's said here stays here.\n"
        "\n"
        "      You can pass on anything.\n"
        "    style: agreement\n"
        "    note: This part mentions betrayal.\n"
    )


def test_null_fields_mean_absent() -> None:
    document = plan(
        {"kind": "scale", "prompt": "Q?", "min": None, "seconds": None, "note": None},
        description=None,
        slug=None,
    )
    normalised = validate_plan(document)
    assert normalised["activities"][0] == {
        "kind": "scale",
        "prompt": "Q?",
        "reveal": "manual",
        "min": 1,
        "max": 5,
    }
    assert (normalised["slug"], normalised["description"]) == ("a-plan", "")


# --- every error, in plain language -------------------------------------------------------

LONG = "x" * 4001

ACTIVITY_ERRORS = [
    # kind
    (
        {"kind": "poll", "prompt": "Q?"},
        "'kind' must be one of content, choice, multi, scale, open, words, rank",
    ),
    ({"prompt": "Q?"}, "'kind' must be one of content, choice, multi, scale, open, words, rank"),
    ("content", "must be a mapping of fields"),
    # unknown fields
    (
        {"kind": "choice", "prompt": "Q?", "option": ["a", "b"]},
        "'option' is not a field of a choice poll (did you mean 'options'?)",
    ),
    (
        {"kind": "open", "prompt": "Q?", "colour": "red"},
        "'colour' is not a field of an open prompt "
        "(it can have prompt, title, note, script, reveal, seconds, pair, max_length)",
    ),
    (
        {"kind": "content", "body": "B", "prompt": "Q?"},
        "'prompt' is not a field of a content slide "
        "(it can have title, body, style, attribution, note, script)",
    ),
    # fields every answerable kind has
    ({"kind": "choice", "options": ["a", "b"]}, "'prompt' is required"),
    ({"kind": "choice", "prompt": "   ", "options": ["a", "b"]}, "'prompt' is required"),
    ({"kind": "open", "prompt": 5}, "'prompt' must be text"),
    ({"kind": "open", "prompt": "x" * 501}, "'prompt' is longer than 500 characters"),
    ({"kind": "open", "prompt": "Q?", "title": "t" * 201}, "'title' is longer than 200 characters"),
    ({"kind": "open", "prompt": "Q?", "note": "n" * 601}, "'note' is longer than 600 characters"),
    (
        {"kind": "open", "prompt": "Q?", "reveal": "always"},
        "'reveal' must be one of manual, live, on_close",
    ),
    ({"kind": "open", "prompt": "Q?", "seconds": 2}, "'seconds' must be between 5 and 3600"),
    ({"kind": "open", "prompt": "Q?", "seconds": 3601}, "'seconds' must be between 5 and 3600"),
    ({"kind": "open", "prompt": "Q?", "seconds": "60"}, "'seconds' must be a whole number"),
    ({"kind": "open", "prompt": "Q?", "seconds": 60.5}, "'seconds' must be a whole number"),
    ({"kind": "open", "prompt": "Q?", "seconds": 60.0}, "'seconds' must be a whole number"),
    ({"kind": "open", "prompt": "Q?", "seconds": True}, "'seconds' must be a whole number"),
    ({"kind": "open", "prompt": "Q?", "pair": "before"}, "'pair' must be one of pre, post"),
    # options (choice, multi, rank)
    ({"kind": "choice", "prompt": "Q?"}, "needs 2 to 10 options"),
    ({"kind": "choice", "prompt": "Q?", "options": ["a"]}, "needs 2 to 10 options"),
    ({"kind": "multi", "prompt": "Q?", "options": list("abcdefghijk")}, "needs 2 to 10 options"),
    ({"kind": "rank", "prompt": "Q?", "options": ["a"]}, "a ranking needs 2 to 10 options"),
    ({"kind": "rank", "prompt": "Q?"}, "a ranking needs 2 to 10 options"),
    ({"kind": "choice", "prompt": "Q?", "options": "a, b"}, "'options' must be a list of texts"),
    ({"kind": "choice", "prompt": "Q?", "options": ["a", ""]}, "option 2 must be non-empty text"),
    ({"kind": "choice", "prompt": "Q?", "options": ["a", "  "]}, "option 2 must be non-empty text"),
    ({"kind": "choice", "prompt": "Q?", "options": ["a", 3]}, "option 2 must be non-empty text"),
    (
        {"kind": "choice", "prompt": "Q?", "options": ["a", "o" * 121]},
        "option 2 is longer than 120 characters",
    ),
    ({"kind": "choice", "prompt": "Q?", "options": ["a", "a"]}, "options must all be different"),
    ({"kind": "choice", "prompt": "Q?", "options": ["a", " a "]}, "options must all be different"),
    (
        {"kind": "rank", "prompt": "Q?", "options": ["a", "a "]},
        "a ranking needs 2 to 10 different options",
    ),
    # multi
    (
        {"kind": "multi", "prompt": "Q?", "options": ["a", "b"], "max_choices": 0},
        "'max_choices' must be between 1 and 10",
    ),
    (
        {"kind": "multi", "prompt": "Q?", "options": ["a", "b"], "max_choices": 3},
        "'max_choices' must be between 1 and 2",
    ),
    # scale
    ({"kind": "scale", "prompt": "Q?", "min": 11}, "'min' must be between 0 and 10"),
    ({"kind": "scale", "prompt": "Q?", "max": 0}, "'max' must be between 1 and 10"),
    ({"kind": "scale", "prompt": "Q?", "min": 5, "max": 5}, "'max' must be greater than 'min'"),
    (
        {"kind": "scale", "prompt": "Q?", "min_label": "l" * 61},
        "'min_label' is longer than 60 characters",
    ),
    ({"kind": "scale", "prompt": "Q?", "max_label": 10}, "'max_label' must be text"),
    # open and words
    ({"kind": "open", "prompt": "Q?", "max_length": 5}, "'max_length' must be between 10 and 1000"),
    ({"kind": "words", "prompt": "Q?", "max_words": 4}, "'max_words' must be between 1 and 3"),
    # content
    ({"kind": "content"}, "a content slide needs a 'title' or a 'body'"),
    (
        {"kind": "content", "title": "T", "style": "fancy"},
        "'style' must be one of psychoeducation, quote, grounding, agreement, note",
    ),
    (
        {"kind": "content", "title": "T", "attribution": "a" * 121},
        "'attribution' is longer than 120 characters",
    ),
    ({"kind": "content", "title": "T", "body": LONG}, "'body' is longer than 4000 characters"),
]


@pytest.mark.parametrize(("activity", "problem"), ACTIVITY_ERRORS)
def test_each_activity_error_names_the_activity_and_the_field(activity: Any, problem: str) -> None:
    message = refusal(plan(CONTENT, CONTENT, CONTENT, activity))
    assert re.fullmatch(r"Activity 4( '[^']*')?: (.*)\.", message), message
    assert message.endswith(f": {problem}.")


def test_the_issue_example_reads_as_promised() -> None:
    ranking = {"kind": "rank", "prompt": "Which step feels hardest?", "options": ["Only one"]}
    assert refusal(plan(CONTENT, CONTENT, CONTENT, ranking)) == (
        "Activity 4 'Which step feels hardest?': a ranking needs 2 to 10 options."
    )


PLAN_ERRORS = [
    (["not", "a", "mapping"], "A plan must be a mapping with a title and a list of activities."),
    ("title: T", "A plan must be a mapping with a title and a list of activities."),
    ({"activities": [CONTENT]}, "The plan needs a title."),
    ({}, "The plan needs a title."),
    (plan(CONTENT, title=" "), "The plan needs a title."),
    (plan(CONTENT, title=5), "The plan needs a title."),
    (plan(CONTENT, title="t" * 201), "The plan's title is longer than 200 characters."),
    (plan(CONTENT, description=5), "The plan's description must be text."),
    (
        plan(CONTENT, description="d" * 2001),
        "The plan's description is longer than 2000 characters.",
    ),
    (
        plan(CONTENT, slug="Not A Slug"),
        "The slug may hold only lowercase letters, digits and dashes.",
    ),
    (
        plan(CONTENT, slug="double--dash"),
        "The slug may hold only lowercase letters, digits and dashes.",
    ),
    (plan(CONTENT, slug="a" * 81), "The slug may be at most 80 characters long."),
    ({"title": "T"}, "The plan needs a list of activities (at least one)."),
    (plan(), "The plan needs a list of activities (at least one)."),
    (
        {"title": "T", "activities": {"kind": "content"}},
        "The plan needs a list of activities (at least one).",
    ),
    (plan(*[CONTENT] * 101), "A plan can hold at most 100 activities."),
    (
        plan(CONTENT, author="me"),
        "A plan has no field 'author': its fields are slug, title, description and activities.",
    ),
]


@pytest.mark.parametrize(("document", "message"), PLAN_ERRORS)
def test_each_plan_error_reads_as_a_sentence(document: Any, message: str) -> None:
    assert refusal(document) == message


def test_the_first_problem_is_reported_plan_fields_first_then_activities_in_order() -> None:
    bad_scale = {"kind": "scale", "prompt": "Second", "min": 99}
    bad_choice = {"kind": "choice", "prompt": "Third", "options": []}
    assert refusal(plan(CONTENT, bad_scale, bad_choice)).startswith("Activity 2 'Second': ")
    assert refusal(plan(CONTENT, bad_scale, title="")) == "The plan needs a title."
    # The kind comes before anything that depends on it, unknown fields before missing ones.
    assert refusal(plan({"kind": "choise", "promt": "Q?"})).endswith(
        "'kind' must be one of content, choice, multi, scale, open, words, rank."
    )
    assert refusal(plan({"kind": "choice", "promt": "Q?", "options": ["a", "b"]})) == (
        "Activity 1: 'promt' is not a field of a choice poll (did you mean 'prompt'?)."
    )


def test_a_json_schema_is_published_with_the_docs() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    assert "hearth/plan.schema.json" in docs
    for kind in KIND_NAMES:
        assert f"`{kind}`" in docs
        for field in PLAN_SCHEMA["$defs"][kind]["properties"]:
            assert f"`{field}`" in docs, f"docs/plan-format.md does not mention {field!r}"


# --- reading files ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fmt", "message"),
    [
        ('{"title": "T",', "json", r"^This is not valid JSON \(line 1, column 15\): "),
        ('{"title": "T",', None, r"^This is not valid JSON \(line 1, column 15\): "),
        ("title: T\n  activities: [", "yaml", r"^This is not valid YAML \(line 2, column 13\): "),
        ("title: T\nactivities:\n\t- kind: content", "yaml", r"^This is not valid YAML \(line 3"),
    ],
)
def test_unreadable_files_are_refused_with_a_line_and_column(
    text: str, fmt: Any, message: str
) -> None:
    with pytest.raises(PlanError, match=message):
        parse_plan_text(text, fmt)


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_deeply_nested_files_are_refused(fmt: Any) -> None:
    with pytest.raises(PlanError, match="nested too deeply"):
        parse_plan_text('{"title": ' + "[" * 100_000, fmt)


def test_yaml_aliases_are_refused() -> None:
    bomb = "a: &a [x, x, x]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n"
    with pytest.raises(PlanError, match=r"aliases \(\*name\) are not allowed"):
        parse_plan_text(bomb, "yaml")


def test_yes_no_and_dates_stay_text_in_yaml() -> None:
    text = (
        "title: 2024-05-01\n"
        "activities:\n"
        "  - kind: choice\n"
        "    prompt: Q?\n"
        "    options: [Yes, No, on, off]\n"
    )
    document = parse_plan_text(text, "yaml")
    assert document["title"] == "2024-05-01"
    assert document["activities"][0]["options"] == ["Yes", "No", "on", "off"]
    assert parse_plan_text("a: true\nb: False\nc: 3\n", "yaml") == {"a": True, "b": False, "c": 3}
    normalised = validate_plan(document)
    assert validate_plan(parse_plan_text(dump_plan(normalised))) == normalised


def test_json_and_yaml_files_read_alike() -> None:
    document = plan(*EVERY_KIND)
    from_json = parse_plan_text(json.dumps(document), "json")
    from_yaml = parse_plan_text(yaml.safe_dump(document, allow_unicode=True), "yaml")
    assert from_json == from_yaml == document


# --- storing plans ------------------------------------------------------------------------


def facilitator_row(info: Any) -> Facilitator:
    """The database row of a test facilitator (inside an app context)."""
    row = db.session.get(Facilitator, info.id)
    assert row is not None
    return row


def test_save_plan_creates_then_replaces_the_owners_own_plan(app: Flask, owner: Any) -> None:
    with app.app_context():
        first = save_plan(plan(*EVERY_KIND, slug="mine"), facilitator_row(owner))
        first_id = first.id
        again = save_plan(plan(CONTENT, slug="mine", title="Renamed"), facilitator_row(owner))
        assert (again.id, again.slug, again.title) == (first_id, "mine", "Renamed")
        assert again.activities == [
            {"kind": "content", "body": "Some text.", "style": "psychoeducation"}
        ]
        assert again.owner_id == owner.id and not again.builtin


def test_save_plan_never_overwrites_a_builtin_plan(app: Flask, owner: Any) -> None:
    with app.app_context():
        saved = save_plan(plan(CONTENT, slug="rebuilding-trust"), facilitator_row(owner))
        second = save_plan(plan(CONTENT, slug="rebuilding-trust"), facilitator_row(owner))
        builtin = db.session.scalar(select(Plan).where(Plan.slug == "rebuilding-trust"))
        assert builtin is not None and builtin.builtin and builtin.title == "Rebuilding trust"
        assert saved.slug == "rebuilding-trust-2"
        assert second.slug == "rebuilding-trust-3"  # the builtin still holds the slug asked for


def test_save_plan_never_overwrites_another_facilitators_plan(
    app: Flask, owner: Any, make_facilitator: Callable[..., Any]
) -> None:
    colleague = make_facilitator()
    with app.app_context():
        theirs = save_plan(plan(CONTENT, slug="shared", title="Theirs"), facilitator_row(colleague))
        mine = save_plan(plan(CONTENT, slug="shared", title="Mine"), facilitator_row(owner))
        assert (theirs.slug, theirs.title) == ("shared", "Theirs")
        assert (mine.slug, mine.owner_id) == ("shared-2", owner.id)


def test_a_free_slug_stays_within_80_characters(app: Flask, owner: Any) -> None:
    slug = "a" * 80
    with app.app_context():
        first = save_plan(plan(CONTENT, slug=slug), facilitator_row(owner))
        second, third = (save_plan(plan(CONTENT, slug=slug), None) for _ in range(2))
        assert first.slug == slug
        assert second.slug == "a" * 78 + "-2"
        assert third.slug == "a" * 78 + "-3"


def test_a_refused_plan_stores_nothing(app: Flask) -> None:
    with app.app_context():
        before = db.session.scalar(select(func.count(Plan.id)))
        with pytest.raises(PlanError):
            save_plan(plan({"kind": "choice", "prompt": "Q?"}), None)
        assert db.session.scalar(select(func.count(Plan.id))) == before


# --- hearth plan import / export ----------------------------------------------------------


def test_cli_import_prints_the_slug_and_export_gives_the_same_plan_back(
    runner: FlaskCliRunner, app: Flask, tmp_path: Path
) -> None:
    source = tmp_path / "every-kind.yaml"
    source.write_text(yaml.safe_dump(plan(*EVERY_KIND, title="Every kind")), encoding="utf-8")
    imported = runner.invoke(args=["plan", "import", str(source)])
    assert imported.exit_code == 0, imported.output
    assert imported.stdout.strip() == "every-kind"
    exported = runner.invoke(args=["plan", "export", "every-kind"])
    assert exported.exit_code == 0, exported.output
    with app.app_context():
        row = db.session.scalar(select(Plan).where(Plan.slug == "every-kind"))
        assert row is not None and row.owner_id is None
        assert validate_plan(parse_plan_text(exported.stdout)) == plan_document(row)


def test_cli_imports_json_and_exports_json_to_a_file(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    source = tmp_path / "plan.json"
    source.write_text(json.dumps(plan(*EVERY_KIND, slug="from-json")), encoding="utf-8")
    assert runner.invoke(args=["plan", "import", str(source)]).stdout.strip() == "from-json"
    target = tmp_path / "out.json"
    result = runner.invoke(args=["plan", "export", "from-json", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert json.loads(target.read_text(encoding="utf-8"))["slug"] == "from-json"


def test_cli_export_of_the_builtin_plan_imports_as_a_copy(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    target = tmp_path / "trust.yaml"
    assert (
        runner.invoke(args=["plan", "export", "rebuilding-trust", "-o", str(target)]).exit_code == 0
    )
    result = runner.invoke(args=["plan", "import", str(target)])
    assert result.stdout.strip() == "rebuilding-trust-2"


def test_cli_import_with_an_owner(
    runner: FlaskCliRunner, app: Flask, owner: Any, tmp_path: Path
) -> None:
    source = tmp_path / "p.yml"
    source.write_text(yaml.safe_dump(plan(CONTENT, slug="owned")), encoding="utf-8")
    result = runner.invoke(args=["plan", "import", str(source), "--owner", owner.email.upper()])
    assert result.exit_code == 0, result.output
    with app.app_context():
        row = db.session.scalar(select(Plan).where(Plan.slug == "owned"))
        assert row is not None and row.owner_id == owner.id


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        (
            yaml.safe_dump(plan({"kind": "rank", "prompt": "Which step?", "options": ["a"]})),
            [],
            "Activity 1 'Which step?': a ranking needs 2 to 10 options.",
        ),
        ("title: [", [], "This is not valid YAML"),
        (
            yaml.safe_dump(plan(CONTENT)),
            ["--owner", "nobody@example.org"],
            "There is no facilitator",
        ),
    ],
)
def test_cli_import_refusals_are_plain_messages(
    runner: FlaskCliRunner, tmp_path: Path, content: str, args: list[str], message: str
) -> None:
    source = tmp_path / "plan.yaml"
    source.write_text(content, encoding="utf-8")
    result = runner.invoke(args=["plan", "import", str(source), *args])
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


def test_cli_export_of_an_unknown_slug_is_refused(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["plan", "export", "no-such-plan"])
    assert result.exit_code == 1
    assert "There is no plan with the slug 'no-such-plan'." in result.output


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("plan.yaml", "yaml"),
        ("PLAN.YML", "yaml"),
        ("week-3.plan.json", "json"),
        ("plan.txt", None),
        ("plan", None),
        ("plan.json~", None),
    ],
)
def test_a_plan_files_format_is_told_by_its_name(name: str, expected: str | None) -> None:
    from hearth.plans import plan_format_of

    assert plan_format_of(name) == expected
