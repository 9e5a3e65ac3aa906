"""Pure functions from response rows to results (docs/protocol.md), tested without a server."""

from __future__ import annotations

import statistics
import string
import unicodedata
from collections import Counter
from collections.abc import Sequence
from typing import Any, NamedTuple


class AnswerRow(NamedTuple):
    """What a tally needs of one non-pass response."""

    id: int
    value: Any
    moderation: str | None = None


def tally_choice(spec: dict[str, Any], rows: Sequence[AnswerRow]) -> dict[str, Any]:
    """Count answers per option, in option order."""
    counts = [0] * len(spec["options"])
    for row in rows:
        if isinstance(row.value, int) and 0 <= row.value < len(counts):
            counts[row.value] += 1
    return {"counts": counts}


def tally_multi(spec: dict[str, Any], rows: Sequence[AnswerRow]) -> dict[str, Any]:
    """Count each option once per phone that picked it; `respondents` is how many answered."""
    counts = [0] * len(spec["options"])
    for row in rows:
        for index in set(row.value if isinstance(row.value, list) else []):
            if isinstance(index, int) and 0 <= index < len(counts):
                counts[index] += 1
    return {"counts": counts, "respondents": len(rows)}


def tally_rank(spec: dict[str, Any], rows: Sequence[AnswerRow]) -> dict[str, Any]:
    """Borda scores (first of n gets n-1 points) and the mean position (1 = first) per option."""
    count = len(spec["options"])
    scores = [0] * count
    position_sums = [0] * count
    rankings = [
        row.value for row in rows if isinstance(row.value, list) and len(row.value) == count
    ]
    for ranking in rankings:
        for position, index in enumerate(ranking):
            scores[index] += count - 1 - position
            position_sums[index] += position + 1
    mean_rank = [round(total / len(rankings), 2) if rankings else None for total in position_sums]
    return {"scores": scores, "mean_rank": mean_rank}


# Words that carry no feeling on their own; a cloud of "the" and "and" helps nobody.
STOP_WORDS = frozenset(
    """a an and are as at be been but by for from had has have he her him his i if in into is it
    its just me my no not of on or our she so than that the their them then there these they this
    to too us very was we were what when which who will with you your feel feeling felt
    like""".split()
)


def normalise_word(word: str) -> str:
    """Case-fold, drop accents and surrounding punctuation, squeeze spaces ("Trahi!" → "trahi")."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.strip(string.punctuation + "“”‘’«»…–— ").split())


def tally_words(spec: dict[str, Any], rows: Sequence[AnswerRow]) -> dict[str, Any]:
    """Words by how many phones gave them, most first; stop words and blanks dropped.

    Each distinct word counts once per phone. A word is shown in its most common written
    form among those that normalise alike (lowercased).
    """
    counts: Counter[str] = Counter()
    forms: dict[str, Counter[str]] = {}
    for row in rows:
        seen = set()
        for word in row.value if isinstance(row.value, list) else []:
            key = normalise_word(word)
            if not key or key in STOP_WORDS or key in seen:
                continue
            seen.add(key)
            counts[key] += 1
            forms.setdefault(key, Counter())[
                " ".join(word.lower().split()).strip(string.punctuation)
            ] += 1
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return {
        "words": [
            {
                "text": min(forms[key].items(), key=lambda f: (-f[1], f[0]))[0],
                "key": key,
                "count": n,
            }
            for key, n in ordered
        ]
    }


def hide_words(results: dict[str, Any], hidden: Sequence[str], audience: str) -> dict[str, Any]:
    """Remove hidden words for projector and phones; mark them hidden for the facilitator."""
    if "words" not in results:
        return results
    hidden_keys = set(hidden)
    if audience == "facilitator":
        words = [{**word, "hidden": word["key"] in hidden_keys} for word in results["words"]]
    else:
        words = [word for word in results["words"] if word["key"] not in hidden_keys]
    return {**results, "words": words}


def tally_scale(spec: dict[str, Any], rows: Sequence[AnswerRow]) -> dict[str, Any]:
    """Histogram over every point of the scale, with mean and median (None when empty)."""
    values = [row.value for row in rows if isinstance(row.value, int)]
    seen = Counter(values)
    histogram = {str(point): seen.get(point, 0) for point in range(spec["min"], spec["max"] + 1)}
    return {
        "histogram": histogram,
        "mean": round(statistics.fmean(values), 2) if values else None,
        "median": statistics.median(values) if values else None,
    }


def tally_open(spec: dict[str, Any], rows: Sequence[AnswerRow]) -> dict[str, Any]:
    """Approved texts, in the order given (the caller shuffles), and how many wait."""
    return {
        "entries": [row.value for row in rows if row.moderation == "approved"],
        "pending": sum(1 for row in rows if row.moderation == "pending"),
    }


def visibility(*, answered: int, min_group: int, revealed: bool, audience: str) -> str | None:
    """Why results are hidden from an audience ("below_threshold", "not_revealed") or None."""
    if answered < min_group:
        return "below_threshold"
    if audience != "facilitator" and not revealed:
        return "not_revealed"
    return None


def _distribution(histogram: dict[str, int]) -> dict[str, Any]:
    """n, mean and the shares of scores above and below the scale's midpoint."""
    points = sorted(int(point) for point in histogram)
    midpoint = (points[0] + points[-1]) / 2 if points else 0
    n = sum(histogram.values())
    total = sum(int(point) * count for point, count in histogram.items())
    above = sum(count for point, count in histogram.items() if int(point) > midpoint)
    below = sum(count for point, count in histogram.items() if int(point) < midpoint)
    return {
        "n": n,
        "mean": round(total / n, 2) if n else None,
        "share_high": round(above / n, 3) if n else None,
        "share_low": round(below / n, 3) if n else None,
    }


def compare_pre_post(
    pre_histogram: dict[str, int], post_histogram: dict[str, int]
) -> dict[str, Any]:
    """Check-in vs check-out as two independent group distributions (never linked per person)."""
    pre, post = _distribution(pre_histogram), _distribution(post_histogram)
    both = pre["n"] and post["n"]
    return {
        "pre": {**pre, "histogram": pre_histogram},
        "post": {**post, "histogram": post_histogram},
        "mean_shift": round(post["mean"] - pre["mean"], 2) if both else None,
        "high_shift": round(post["share_high"] - pre["share_high"], 3) if both else None,
        "low_shift": round(post["share_low"] - pre["share_low"], 3) if both else None,
    }
