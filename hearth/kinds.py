"""Activity kinds: how each validates its spec and its answers, and how it is tallied.

Adding a kind means adding one entry to KINDS (its spec check, answer check and tally
function from hearth.aggregate), one phone widget and one projector widget.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from hearth import aggregate
from hearth.errors import N_, HearthError, Message, MessageError
from hearth.privacy import mask_contact_details

REVEAL_MODES = ("manual", "live", "on_close")
CONTENT_STYLES = ("psychoeducation", "quote", "grounding", "agreement", "note")
PAIR_TAGS = ("pre", "post")
OPEN_MAX_LENGTH = 1000
MAX_WORDS = 3
WORD_MAX_LENGTH = 25
SCRIPT_MAX_LENGTH = 4000
# Fields of a spec for the facilitator alone: the control room and the presenter view show them;
# phones, the projector, the take-home page and exports never get them (docs/privacy.md).
FACILITATOR_ONLY = frozenset({"script"})


class SpecError(MessageError):
    """A plan activity that does not make sense, with a message naming the field."""


def _text(spec: dict[str, Any], field: str, *, required: bool, limit: int) -> str | None:
    """Return a trimmed text field of a spec, or raise SpecError."""
    value = spec.get(field)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise SpecError("'%(field)s' is required", field=field)
        return None
    if not isinstance(value, str):
        raise SpecError("'%(field)s' must be text", field=field)
    value = value.strip()
    if len(value) > limit:
        raise SpecError("'%(field)s' is longer than %(limit)s characters", field=field, limit=limit)
    return value


def _int(spec: dict[str, Any], field: str, default: int | None, lo: int, hi: int) -> int | None:
    """Return an integer field of a spec within [lo, hi], or raise SpecError."""
    value = spec.get(field)
    if value is None:
        # An explicit null means "not given", like a missing field: the default applies.
        value = default
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise SpecError("'%(field)s' must be a whole number", field=field)
    if not lo <= value <= hi:
        raise SpecError("'%(field)s' must be between %(lo)s and %(hi)s", field=field, lo=lo, hi=hi)
    return value


def _options(spec: dict[str, Any], lo: int = 2, hi: int = 10) -> list[str]:
    """Return the distinct, non-empty option texts of a spec."""
    options = spec.get("options")
    if not isinstance(options, list) or not lo <= len(options) <= hi:
        raise SpecError("needs %(lo)s to %(hi)s options", lo=lo, hi=hi)
    cleaned = []
    for option in options:
        if not isinstance(option, str) or not option.strip():
            raise SpecError("every option must be non-empty text")
        if len(option.strip()) > 120:
            raise SpecError("an option is longer than 120 characters")
        cleaned.append(option.strip())
    if len(set(cleaned)) != len(cleaned):
        raise SpecError("options must all be different")
    return cleaned


def _check_content(spec: dict[str, Any]) -> dict[str, Any]:
    """Validate a content slide."""
    out: dict[str, Any] = {"title": _text(spec, "title", required=False, limit=200)}
    out["body"] = _text(spec, "body", required=out["title"] is None, limit=4000)
    style = spec.get("style", "psychoeducation")
    if style not in CONTENT_STYLES:
        raise SpecError("'style' must be one of %(names)s", names=", ".join(CONTENT_STYLES))
    out["style"] = style
    out["attribution"] = _text(spec, "attribution", required=False, limit=120)
    return out


def _check_choice(spec: dict[str, Any]) -> dict[str, Any]:
    """Validate a single-choice poll."""
    return {"options": _options(spec)}


def _check_multi(spec: dict[str, Any]) -> dict[str, Any]:
    """Validate a multiple-choice poll: pick up to max_choices options."""
    options = _options(spec)
    max_choices = _int(spec, "max_choices", len(options), 1, len(options))
    return {"options": options, "max_choices": max_choices}


def _check_rank(spec: dict[str, Any]) -> dict[str, Any]:
    """Validate a ranking: put 2 to 10 options in order."""
    try:
        return {"options": _options(spec)}
    except SpecError:
        raise SpecError("a ranking needs 2 to 10 different options") from None


def _check_words(spec: dict[str, Any]) -> dict[str, Any]:
    """Validate a word cloud prompt: up to 3 short words per phone."""
    return {"max_words": _int(spec, "max_words", MAX_WORDS, 1, MAX_WORDS)}


def _check_scale(spec: dict[str, Any]) -> dict[str, Any]:
    """Validate a scale: whole numbers from min to max, at most 11 points."""
    lo = _int(spec, "min", 1, 0, 10)
    hi = _int(spec, "max", 5, 1, 10)
    assert lo is not None and hi is not None
    if hi <= lo:
        raise SpecError("'max' must be greater than 'min'")
    return {
        "min": lo,
        "max": hi,
        "min_label": _text(spec, "min_label", required=False, limit=60),
        "max_label": _text(spec, "max_label", required=False, limit=60),
    }


def _check_open(spec: dict[str, Any]) -> dict[str, Any]:
    """Validate an open prompt."""
    return {"max_length": _int(spec, "max_length", 280, 10, OPEN_MAX_LENGTH)}


def _bad_value(message: str, **values: Any) -> HearthError:
    """The refusal for an answer of the wrong shape or range (`message` marked with N_)."""
    return HearthError("invalid_value", message, **values)


def _is_int(value: Any) -> bool:
    """True for a real integer (JSON true/false are not numbers here)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _parse_choice(spec: dict[str, Any], value: Any) -> int:
    """An option index."""
    if not _is_int(value) or not 0 <= value < len(spec["options"]):
        raise _bad_value(N_("Choose one of the %(count)s options."), count=len(spec["options"]))
    return int(value)


def _distinct_indices(value: Any, count: int) -> list[int] | None:
    """The value as a list of distinct option indices, or None if it is not one."""
    if not isinstance(value, list) or not all(_is_int(item) for item in value):
        return None
    if len(set(value)) != len(value) or not all(0 <= item < count for item in value):
        return None
    return [int(item) for item in value]


def _parse_multi(spec: dict[str, Any], value: Any) -> list[int]:
    """One to max_choices distinct option indices, stored sorted."""
    count, most = len(spec["options"]), spec["max_choices"]
    indices = _distinct_indices(value, count)
    if indices is None or not 1 <= len(indices) <= most:
        raise _bad_value(
            N_("Choose from 1 to %(most)s of the %(count)s options, each once."),
            most=most,
            count=count,
        )
    return sorted(indices)


def _parse_rank(spec: dict[str, Any], value: Any) -> list[int]:
    """Every option index exactly once, most important first."""
    count = len(spec["options"])
    indices = _distinct_indices(value, count)
    if indices is None or len(indices) != count:
        raise _bad_value(N_("Put all %(count)s options in order, each once."), count=count)
    return indices


def _parse_words(spec: dict[str, Any], value: Any) -> list[str]:
    """One to max_words short words (or short phrases), trimmed and masked."""
    most = spec["max_words"]
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _bad_value(N_("Send a list of words."))
    words = [" ".join(item.split()) for item in value if item.strip()]
    if not 1 <= len(words) <= most:
        raise _bad_value(N_("Give 1 to %(most)s words."), most=most)
    if any(len(word) > WORD_MAX_LENGTH for word in words):
        raise HearthError(
            "too_long", "Keep each word to %(limit)s characters.", limit=WORD_MAX_LENGTH
        )
    return [mask_contact_details(word) for word in words]


def _parse_scale(spec: dict[str, Any], value: Any) -> int:
    """A whole number on the scale."""
    if not _is_int(value) or not spec["min"] <= value <= spec["max"]:
        raise _bad_value(
            N_("Pick a whole number from %(lo)s to %(hi)s."), lo=spec["min"], hi=spec["max"]
        )
    return int(value)


def _parse_open(spec: dict[str, Any], value: Any) -> str:
    """Non-empty text within the activity's length limit."""
    if not isinstance(value, str) or not value.strip():
        raise _bad_value(N_("Write something, or choose Pass."))
    value = value.strip()
    if len(value) > spec["max_length"]:
        raise HearthError(
            "too_long",
            "Please keep it to %(limit)s characters (%(length)s now).",
            limit=spec["max_length"],
            length=len(value),
        )
    # Masked before storage: the raw contact details never reach the database.
    return mask_contact_details(value)


def _parse_nothing(spec: dict[str, Any], value: Any) -> Any:
    """Content slides take no answers."""
    raise HearthError("no_answers", "This slide does not take answers.")


@dataclass(frozen=True)
class Kind:
    """What the server knows about one activity kind."""

    name: str
    takes_answers: bool
    check_spec: Callable[[dict[str, Any]], dict[str, Any]]
    parse_value: Callable[[dict[str, Any], Any], Any]
    tally: Callable[[dict[str, Any], list[aggregate.AnswerRow]], dict[str, Any]] | None


KINDS: dict[str, Kind] = {
    "content": Kind("content", False, _check_content, _parse_nothing, None),
    "choice": Kind("choice", True, _check_choice, _parse_choice, aggregate.tally_choice),
    "multi": Kind("multi", True, _check_multi, _parse_multi, aggregate.tally_multi),
    "scale": Kind("scale", True, _check_scale, _parse_scale, aggregate.tally_scale),
    "open": Kind("open", True, _check_open, _parse_open, aggregate.tally_open),
    "words": Kind("words", True, _check_words, _parse_words, aggregate.tally_words),
    "rank": Kind("rank", True, _check_rank, _parse_rank, aggregate.tally_rank),
}


def check_activity(raw: Any) -> dict[str, Any]:
    """Validate one plan activity and return its normalised spec (raises SpecError)."""
    if not isinstance(raw, dict):
        raise SpecError("must be a mapping of fields")
    kind_name = raw.get("kind")
    # Type first: a list or a mapping as 'kind' cannot be looked up in a dict (unhashable).
    if not isinstance(kind_name, str) or kind_name not in KINDS:
        raise SpecError("'kind' must be one of %(names)s", names=", ".join(KINDS))
    kind = KINDS[kind_name]
    spec: dict[str, Any] = {"kind": kind_name}
    if kind.takes_answers:
        spec["prompt"] = _text(raw, "prompt", required=True, limit=500)
        spec["title"] = _text(raw, "title", required=False, limit=200)
        reveal = raw.get("reveal", "manual")
        if reveal not in REVEAL_MODES:
            raise SpecError("'reveal' must be one of %(names)s", names=", ".join(REVEAL_MODES))
        spec["reveal"] = reveal
        spec["seconds"] = _int(raw, "seconds", None, 5, 3600)
        pair = raw.get("pair")
        if pair is not None and pair not in PAIR_TAGS:
            raise SpecError("'pair' must be 'pre' or 'post'")
        spec["pair"] = pair
    spec["note"] = _text(raw, "note", required=False, limit=600)
    spec["script"] = _text(raw, "script", required=False, limit=SCRIPT_MAX_LENGTH)
    spec.update(kind.check_spec(raw))
    return {key: value for key, value in spec.items() if value is not None}


def _pair_tag(spec: dict[str, Any]) -> str | None:
    """'pre' or 'post' for a scale that takes part in a before/after comparison, else None."""
    return spec.get("pair") if spec.get("kind") == "scale" else None


def pair_positions(specs: Sequence[dict[str, Any]]) -> list[tuple[int, int]]:
    """The one pairing rule: each check-out (`pair: post` scale) is compared with the nearest
    check-in (`pair: pre` scale) before it that no other check-out took.

    Live screens, the take-home page and every export read pairs from here. `check_pairs`
    refuses new plans where this rule would have to choose (two check-ins waiting, or a
    check-out with none), so for any plan accepted today pairs simply alternate.
    """
    waiting: list[int] = []
    found = []
    for position, spec in enumerate(specs):
        tag = _pair_tag(spec)
        if tag == "pre":
            waiting.append(position)
        elif tag == "post" and waiting:
            found.append((waiting.pop(), position))
    return found


def check_pairs(specs: Sequence[dict[str, Any]]) -> tuple[int, Message] | None:
    """The first ambiguous check-in or check-out of a plan: (position, problem), or None."""
    waiting: int | None = None
    for position, spec in enumerate(specs):
        tag = _pair_tag(spec)
        if tag == "pre" and waiting is not None:
            return position, Message(
                N_(
                    "activity %(number)s is a check-in still waiting for its check-out; "
                    "put a check-out (pair: post) between two check-ins"
                ),
                {"number": waiting + 1},
            )
        if tag == "post" and waiting is None:
            return position, Message(
                N_("a check-out (pair: post) needs a check-in (pair: pre) before it")
            )
        waiting = position if tag == "pre" else None if tag == "post" else waiting
    return None


def public_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """A spec without its facilitator-only fields (the script): what may leave the control room."""
    return {key: value for key, value in spec.items() if key not in FACILITATOR_ONLY}


def public_activity(activity_id: int, index: int, spec: dict[str, Any]) -> dict[str, Any]:
    """The activity as phones and the projector see it: never the facilitator's script."""
    return {"id": activity_id, "index": index, **public_spec(spec)}
