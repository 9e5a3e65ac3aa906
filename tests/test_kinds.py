"""hearth.kinds: activity specs and answer values for content, choice, scale and open."""

from __future__ import annotations

from typing import Any

import pytest

from hearth.errors import HearthError
from hearth.kinds import KINDS, SpecError, check_activity, public_activity

CHOICE = {"kind": "choice", "prompt": "What shakes trust most?", "options": ["A", "B", "C"]}
SCALE = {"kind": "scale", "prompt": "How settled?", "min": 0, "max": 10}
OPEN = {"kind": "open", "prompt": "What helps?", "max_length": 20}
CONTENT = {"kind": "content", "title": "Welcome", "body": "Be kind."}


def spec(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """A copy of a spec with fields changed (None removes a field)."""
    out = {**base, **changes}
    return {key: value for key, value in out.items() if value is not None}


# --- specs --------------------------------------------------------------------------------


def test_choice_spec_is_normalised() -> None:
    raw = spec(CHOICE, prompt="  What shakes trust most?  ", options=[" A ", "B"])
    assert check_activity(raw) == {
        "kind": "choice",
        "prompt": "What shakes trust most?",
        "reveal": "manual",
        "options": ["A", "B"],
    }


def test_scale_spec_defaults_to_one_to_five() -> None:
    checked = check_activity({"kind": "scale", "prompt": "How?"})
    assert (checked["min"], checked["max"]) == (1, 5)
    assert "min_label" not in checked


def test_open_spec_defaults_to_280_characters() -> None:
    assert check_activity({"kind": "open", "prompt": "What?"})["max_length"] == 280


def test_content_spec_defaults_to_psychoeducation_and_takes_no_prompt() -> None:
    checked = check_activity({"kind": "content", "body": "Text", "prompt": "ignored"})
    assert checked == {"kind": "content", "body": "Text", "style": "psychoeducation"}


def test_optional_fields_are_kept() -> None:
    raw = spec(CHOICE, reveal="on_close", seconds=60, pair="pre", note="Content note", title="T")
    checked = check_activity(raw)
    assert checked["reveal"] == "on_close"
    assert checked["seconds"] == 60
    assert checked["pair"] == "pre"
    assert checked["note"] == "Content note"
    assert checked["title"] == "T"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("a string", "must be a mapping"),
        (["kind", "choice"], "must be a mapping"),
        ({"prompt": "No kind"}, "'kind' must be one of"),
        (spec(CHOICE, kind="poll"), "'kind' must be one of"),
        (spec(CHOICE, kind=["choice"]), "'kind' must be one of"),
        (spec(CHOICE, kind={"name": "choice"}), "'kind' must be one of"),
        (spec(CHOICE, prompt=None), "'prompt' is required"),
        (spec(CHOICE, prompt="   "), "'prompt' is required"),
        (spec(CHOICE, prompt=42), "'prompt' must be text"),
        (spec(CHOICE, prompt="x" * 501), "'prompt' is longer than 500"),
        (spec(CHOICE, title="x" * 201), "'title' is longer than 200"),
        (spec(CHOICE, note="x" * 601), "'note' is longer than 600"),
        (spec(CHOICE, options=None), "needs 2 to 10 options"),
        (spec(CHOICE, options="A, B"), "needs 2 to 10 options"),
        (spec(CHOICE, options=["Only one"]), "needs 2 to 10 options"),
        (spec(CHOICE, options=[f"o{i}" for i in range(11)]), "needs 2 to 10 options"),
        (spec(CHOICE, options=["A", ""]), "every option must be non-empty text"),
        (spec(CHOICE, options=["A", 2]), "every option must be non-empty text"),
        (spec(CHOICE, options=["A", "x" * 121]), "longer than 120"),
        (spec(CHOICE, options=["A", " A "]), "options must all be different"),
        (spec(CHOICE, reveal="sometimes"), "'reveal' must be one of"),
        (spec(CHOICE, seconds=4), "'seconds' must be between 5 and 3600"),
        (spec(CHOICE, seconds=3601), "'seconds' must be between 5 and 3600"),
        (spec(CHOICE, seconds=True), "'seconds' must be a whole number"),
        (spec(CHOICE, seconds="60"), "'seconds' must be a whole number"),
        (spec(CHOICE, seconds=60.0), "'seconds' must be a whole number"),
        (spec(CHOICE, pair="middle"), "'pair' must be 'pre' or 'post'"),
        (spec(SCALE, min=True), "'min' must be a whole number"),
        (spec(SCALE, max=False), "'max' must be a whole number"),
        (spec(SCALE, min=-1), "'min' must be between 0 and 10"),
        (spec(SCALE, max=11), "'max' must be between 1 and 10"),
        (spec(SCALE, min=5, max=5), "'max' must be greater than 'min'"),
        (spec(SCALE, min=7, max=3), "'max' must be greater than 'min'"),
        (spec(SCALE, min="1"), "'min' must be a whole number"),
        (spec(SCALE, min_label="x" * 61), "'min_label' is longer than 60"),
        (spec(OPEN, max_length=9), "'max_length' must be between 10 and 1000"),
        (spec(OPEN, max_length=1001), "'max_length' must be between 10 and 1000"),
        (spec(OPEN, max_length=280.5), "'max_length' must be a whole number"),
        (spec(OPEN, max_length=True), "'max_length' must be a whole number"),
        ({"kind": "content"}, "'body' is required"),
        (spec(CONTENT, style="poem"), "'style' must be one of"),
        (spec(CONTENT, body=["not", "text"]), "'body' must be text"),
        (spec(CONTENT, body="x" * 4001), "'body' is longer than 4000"),
        (spec(CONTENT, attribution="x" * 121), "'attribution' is longer than 120"),
    ],
)
def test_bad_specs_are_refused_with_the_field_named(raw: Any, message: str) -> None:
    with pytest.raises(SpecError, match=message):
        check_activity(raw)


def test_public_activity_carries_id_and_index() -> None:
    checked = check_activity(CHOICE)
    assert public_activity(12, 3, checked) == {"id": 12, "index": 3, **checked}


# --- values -------------------------------------------------------------------------------


def parse(raw_spec: dict[str, Any], value: Any) -> Any:
    """Parse a value as the activity's kind does."""
    checked = check_activity(raw_spec)
    return KINDS[checked["kind"]].parse_value(checked, value)


@pytest.mark.parametrize(
    ("raw_spec", "value", "expected"),
    [
        (CHOICE, 0, 0),
        (CHOICE, 2, 2),
        (SCALE, 0, 0),
        (SCALE, 10, 10),
        (spec(SCALE, min=1, max=7), 4, 4),
        (OPEN, "  Being heard  ", "Being heard"),
        (OPEN, "x" * 20, "x" * 20),
        (OPEN, "  " + "x" * 20 + "  ", "x" * 20),
    ],
)
def test_good_values_are_parsed(raw_spec: dict[str, Any], value: Any, expected: Any) -> None:
    assert parse(raw_spec, value) == expected


@pytest.mark.parametrize(
    ("raw_spec", "value", "code"),
    [
        (CHOICE, -1, "invalid_value"),
        (CHOICE, 3, "invalid_value"),
        (CHOICE, True, "invalid_value"),
        (CHOICE, False, "invalid_value"),
        (CHOICE, "1", "invalid_value"),
        (CHOICE, 1.0, "invalid_value"),
        (CHOICE, None, "invalid_value"),
        (CHOICE, [1], "invalid_value"),
        (CHOICE, {"index": 1}, "invalid_value"),
        (SCALE, -1, "invalid_value"),
        (SCALE, 11, "invalid_value"),
        (SCALE, True, "invalid_value"),
        (SCALE, False, "invalid_value"),
        (SCALE, 5.0, "invalid_value"),
        (SCALE, 5.5, "invalid_value"),
        (SCALE, "5", "invalid_value"),
        (SCALE, None, "invalid_value"),
        (spec(SCALE, min=1, max=7), 0, "invalid_value"),
        (OPEN, "", "invalid_value"),
        (OPEN, "   ", "invalid_value"),
        (OPEN, None, "invalid_value"),
        (OPEN, 5, "invalid_value"),
        (OPEN, ["text"], "invalid_value"),
        (OPEN, "x" * 21, "too_long"),
        (CONTENT, None, "no_answers"),
        (CONTENT, 1, "no_answers"),
    ],
)
def test_bad_values_are_refused_with_a_specific_code(
    raw_spec: dict[str, Any], value: Any, code: str
) -> None:
    with pytest.raises(HearthError) as caught:
        parse(raw_spec, value)
    assert caught.value.code == code
    assert caught.value.message


def test_too_long_says_how_long_it_is() -> None:
    with pytest.raises(HearthError, match=r"20 characters \(25 now\)"):
        parse(OPEN, "x" * 25)


def test_only_content_takes_no_answers() -> None:
    assert {name for name, kind in KINDS.items() if not kind.takes_answers} == {"content"}
    assert all(kind.tally is not None for kind in KINDS.values() if kind.takes_answers)


MULTI = {"kind": "multi", "prompt": "Which?", "options": ["A", "B", "C"], "max_choices": 2}
RANK = {"kind": "rank", "prompt": "Order these", "options": ["A", "B", "C"]}
WORDS = {"kind": "words", "prompt": "In a word?"}


@pytest.mark.parametrize(
    ("raw_spec", "value", "expected"),
    [
        (MULTI, [2, 0], [0, 2]),
        (MULTI, [1], [1]),
        (RANK, [2, 0, 1], [2, 0, 1]),
        (WORDS, ["  Safe ", "heard"], ["Safe", "heard"]),
        (WORDS, "calm", ["calm"]),
        (WORDS, ["mail me a@b.org"], ["mail me [email removed]"]),
    ],
)
def test_good_multi_rank_and_words_values(
    raw_spec: dict[str, Any], value: Any, expected: Any
) -> None:
    assert parse(raw_spec, value) == expected


@pytest.mark.parametrize(
    ("raw_spec", "value", "code"),
    [
        (MULTI, [], "invalid_value"),
        (MULTI, [0, 1, 2], "invalid_value"),
        (MULTI, [0, 0], "invalid_value"),
        (MULTI, [True], "invalid_value"),
        (MULTI, [3], "invalid_value"),
        (MULTI, 1, "invalid_value"),
        (RANK, [0, 1], "invalid_value"),
        (RANK, [0, 1, 1], "invalid_value"),
        (RANK, [0, 1, 3], "invalid_value"),
        (RANK, [False, 1, 2], "invalid_value"),
        (WORDS, [], "invalid_value"),
        (WORDS, ["a", "b", "c", "d"], "invalid_value"),
        (WORDS, [1], "invalid_value"),
        (WORDS, ["x" * 26], "too_long"),
        (WORDS, None, "invalid_value"),
    ],
)
def test_bad_multi_rank_and_words_values(raw_spec: dict[str, Any], value: Any, code: str) -> None:
    with pytest.raises(HearthError) as caught:
        parse(raw_spec, value)
    assert caught.value.code == code


@pytest.mark.parametrize(
    ("raw", "field", "expected"),
    [
        ({"kind": "scale", "prompt": "How?", "min": None, "max": None}, "max", 5),
        ({"kind": "open", "prompt": "What?", "max_length": None}, "max_length", 280),
    ],
)
def test_an_explicit_null_takes_the_default(raw: dict, field: str, expected: int) -> None:
    assert check_activity(raw)[field] == expected
