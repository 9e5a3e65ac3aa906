"""Plausible answers for a rehearsal's simulated phones (hearth.services.rehearsal).

Each value has exactly the shape a phone sends for that kind (docs/protocol.md, "Answer
values"), so it goes through the same checks, the same group commit and the same tallies as a
real answer. An activity's *leaning* (which options are popular, where a scale's answers
gather, which words come up most) is drawn from its id, so a second "simulate" on the same
activity adds to the same picture instead of flattening it; each single answer is random.

Open texts and words come from a small built-in set in the plan's language (the catalogs
translate them; a language Hearth does not speak gets English). Nothing here reads or writes
the database.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from typing import Any

from hearth.i18n import DEFAULT_LANGUAGE, known_language, translations_for


def _l(message: str) -> str:
    """Mark a message for the catalogs (`make translations-extract`); translated when used."""
    return message


# Short, gentle answers a room might give to a reflective open prompt.
OPEN_TEXTS = (
    _l("Listening before I answer"),
    _l("Keeping small promises"),
    _l("Saying what I need, calmly"),
    _l("Asking instead of guessing"),
    _l("Time together without phones"),
    _l("Saying sorry sooner"),
    _l("Noticing what already goes well"),
    _l("Taking a breath when it gets tense"),
    _l("Being honest about little things"),
    _l("Checking in at the end of the day"),
)
# Single words for a word cloud.
WORDS = (
    _l("trust"),
    _l("calm"),
    _l("hope"),
    _l("honesty"),
    _l("patience"),
    _l("listening"),
    _l("warmth"),
    _l("time"),
    _l("safety"),
    _l("tired"),
    _l("curious"),
    _l("respect"),
)
# Where a check-in (pair: pre) and a check-out (pair: post) gather on their scale, as a share
# of its range: a little higher at the end, as after a session that helped.
PAIR_CENTRE = {"pre": 0.4, "post": 0.6}


def plan_language(language: str | None) -> str:
    """The catalog language for a plan's language ("es-MX" → "es"; unknown → English)."""
    return known_language((language or "").split("-")[0]) or DEFAULT_LANGUAGE


def translated(messages: Sequence[str], language: str) -> list[str]:
    """The messages in a language Hearth speaks."""
    catalog = translations_for(plan_language(language))
    return [catalog.gettext(message) for message in messages]


class Leaning:
    """One activity's leaning: option weights, a scale's centre, word weights (from its id)."""

    def __init__(self, activity_id: int, spec: dict[str, Any]) -> None:
        shape = random.Random(activity_id)
        count = len(spec.get("options") or ())
        self.weights = [shape.uniform(0.2, 3.0) for _ in range(count)]
        self.centre = PAIR_CENTRE.get(spec.get("pair") or "", shape.uniform(0.3, 0.75))
        order = list(range(len(WORDS)))
        shape.shuffle(order)
        # A few words come up often, most once or twice (roughly Zipf's law).
        self.word_weights = [1.0 / (1 + order.index(i)) for i in range(len(WORDS))]


def _weighted_sample(rng: random.Random, weights: Sequence[float], size: int) -> list[int]:
    """`size` distinct indices, each drawn in proportion to the weights of those left."""
    left = list(range(len(weights)))
    picked: list[int] = []
    for _ in range(min(size, len(left))):
        index = rng.choices(left, [weights[i] for i in left])[0]
        left.remove(index)
        picked.append(index)
    return picked


def _choice(spec: dict[str, Any], lean: Leaning, rng: random.Random, language: str) -> Any:
    return _weighted_sample(rng, lean.weights, 1)[0]


def _multi(spec: dict[str, Any], lean: Leaning, rng: random.Random, language: str) -> Any:
    most = int(spec.get("max_choices") or len(lean.weights))
    # Most people tick one or two.
    size = rng.choices(range(1, most + 1), [1.0 / k for k in range(1, most + 1)])[0]
    return sorted(_weighted_sample(rng, lean.weights, size))


def _rank(spec: dict[str, Any], lean: Leaning, rng: random.Random, language: str) -> Any:
    return _weighted_sample(rng, lean.weights, len(lean.weights))


def _scale(spec: dict[str, Any], lean: Leaning, rng: random.Random, language: str) -> Any:
    lo, hi = int(spec["min"]), int(spec["max"])
    value = round(rng.gauss(lo + lean.centre * (hi - lo), max(0.6, (hi - lo) * 0.2)))
    return min(hi, max(lo, value))


def _open(spec: dict[str, Any], lean: Leaning, rng: random.Random, language: str) -> Any:
    text = rng.choice(translated(OPEN_TEXTS, language))
    return text[: int(spec.get("max_length") or 280)].strip()


def _words(spec: dict[str, Any], lean: Leaning, rng: random.Random, language: str) -> Any:
    words = translated(WORDS, language)
    size = rng.randint(1, int(spec.get("max_words") or 1))
    return [words[i] for i in _weighted_sample(rng, lean.word_weights, size)]


Maker = Callable[[dict[str, Any], Leaning, random.Random, str], Any]
MAKERS: dict[str, Maker] = {
    "choice": _choice,
    "multi": _multi,
    "rank": _rank,
    "scale": _scale,
    "open": _open,
    "words": _words,
}


def plausible_values(
    activity_id: int,
    spec: dict[str, Any],
    count: int,
    language: str,
    rng: random.Random | None = None,
) -> list[Any]:
    """`count` answers to one activity, as phones would send them (kind from `spec`)."""
    maker = MAKERS[spec["kind"]]
    lean = Leaning(activity_id, spec)
    rng = rng or random.Random()
    return [maker(spec, lean, rng, language) for _ in range(count)]
