"""What the formats share: an activity's results as tidy rows, its statistics and answers,
and how documents write numbers, shares, changes and the below-k sentence.

Rows are read off the results fields (`hearth.results.results_shape`), not off the kind's
name, so a new kind that reuses those fields renders in every format without changes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hearth.results import option_label, results_shape

# Documents for reading list the most frequent words only; the data formats keep them all.
WORDS_SHOWN = 30
STATISTIC_LABELS = {
    "mean": "Mean",
    "median": "Median",
    "respondents": "Answered",
    "pending": "Not reviewed (not shown)",
}


def answered(activity: dict[str, Any]) -> int:
    """How many phones answered rather than passed (the base of every share)."""
    return int(activity["answered"])


def tally_text(activity: dict[str, Any]) -> str:
    """ "3 answered · 1 passed" (passes left out below k): the control room's own words."""
    passed = "" if activity["passed"] is None else f" · {activity['passed']} passed"
    return f"{activity['answered']} answered{passed}"


def activity_heading(activity: dict[str, Any]) -> str:
    """`3. Check-in (scale)`: the activity's number, title or prompt, and kind."""
    return f"{activity['number']}. {activity['title'] or activity['prompt']} ({activity['kind']})"


def result_rows(activity: dict[str, Any]) -> list[dict[str, Any]]:
    """The results as tidy rows: one per option, scale point or word.

    Each row has `item` (option number or scale point, else None), `label` and either
    `count` and `share` or `score` and `mean_rank`. Open answers make no rows (see `entries`).
    """
    results = activity["results"]
    if not results:
        return []
    builder = _ROW_BUILDERS.get(results_shape(results) or "")
    return builder(activity, results) if builder else []


def _share(activity: dict[str, Any], count: int) -> float | None:
    """A count as a share of the phones that answered (None when nobody did)."""
    base = answered(activity)
    return round(count / base, 3) if base else None


def _score_rows(activity: dict[str, Any], results: dict[str, Any]) -> list[dict[str, Any]]:
    """Ranking results: one row per option with its score and mean rank."""
    options = activity["spec"].get("options") or []
    mean_rank = results.get("mean_rank") or [None] * len(results["scores"])
    return [
        {"item": i + 1, "label": option_label(options, i), "score": score, "mean_rank": rank}
        for i, (score, rank) in enumerate(zip(results["scores"], mean_rank, strict=False))
    ]


def _count_rows(activity: dict[str, Any], results: dict[str, Any]) -> list[dict[str, Any]]:
    """Counts per option: one row per option with its count and share."""
    options = activity["spec"].get("options") or []
    return [
        {"item": i + 1, "label": option_label(options, i), "count": n, "share": _share(activity, n)}
        for i, n in enumerate(results["counts"])
    ]


def _histogram_rows(activity: dict[str, Any], results: dict[str, Any]) -> list[dict[str, Any]]:
    """A scale's histogram: one row per point, the ends labelled as the spec labels them."""
    spec = activity["spec"]
    ends = {
        str(spec.get("min")): spec.get("min_label"),
        str(spec.get("max")): spec.get("max_label"),
    }
    return [
        {
            "item": int(point),
            "label": ends.get(point) or "",
            "count": n,
            "share": _share(activity, n),
        }
        for point, n in results["histogram"].items()
    ]


def _word_rows(activity: dict[str, Any], results: dict[str, Any]) -> list[dict[str, Any]]:
    """Words: one row per word with how many people gave it."""
    return [
        {
            "item": None,
            "label": word["text"],
            "count": word["count"],
            "share": _share(activity, word["count"]),
        }
        for word in results["words"]
    ]


_ROW_BUILDERS: dict[str, Callable[[dict[str, Any], dict[str, Any]], list[dict[str, Any]]]] = {
    "scores": _score_rows,
    "counts": _count_rows,
    "histogram": _histogram_rows,
    "words": _word_rows,
}


def shown_rows(activity: dict[str, Any]) -> tuple[list[dict[str, Any]], int]:
    """The result rows a document for reading shows, and how many words it leaves out."""
    rows = result_rows(activity)
    if "words" in (activity["results"] or {}) and len(rows) > WORDS_SHOWN:
        return rows[:WORDS_SHOWN], len(rows) - WORDS_SHOWN
    return rows, 0


def first_column(results: dict[str, Any]) -> str:
    """What the rows of a results table are: scale points, words or options."""
    if "histogram" in results:
        return "Point"
    return "Word" if "words" in results else "Option"


def result_statistics(activity: dict[str, Any]) -> list[tuple[str, Any]]:
    """The single-number results of an activity (mean, median, respondents, pending, ...)."""
    results = activity["results"] or {}
    return [
        (name, value)
        for name, value in results.items()
        if isinstance(value, int | float) and not isinstance(value, bool)
    ]


def entries(activity: dict[str, Any]) -> list[str]:
    """Approved open answers of an activity (the results payload holds no others)."""
    results = activity["results"] or {}
    return [text for text in results.get("entries", []) if isinstance(text, str)]


def comparison_statistics(comparison: dict[str, Any]) -> list[tuple[str, Any]]:
    """A comparison's numbers as (name, value): pre_mean, post_share_high, mean_shift, ..."""
    out = []
    for group in ("pre", "post"):
        for name, value in comparison[group].items():
            if not isinstance(value, dict):
                out.append((f"{group}_{name}", value))
    out += [(name, value) for name, value in comparison.items() if name.endswith("_shift")]
    return out


def hidden_note(data: dict[str, Any]) -> str:
    """What a document says in place of results below the threshold."""
    k = data["workshop"]["min_group"]
    return f"Fewer than {k} people answered, so no results are shown (anonymity threshold)."


def percent(value: float | None) -> str:
    """A share as a whole percentage ("42%"), or an empty string."""
    return "" if value is None else f"{round(value * 100)}%"


def number(value: Any) -> str:
    """A number as people write it: no trailing .0, a dash for none."""
    if value is None:
        return "–"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def signed(value: float | None) -> str:
    """A change with its sign (+0.8, −0.3, 0)."""
    if value is None:
        return "–"
    if value == 0:
        return "0"
    return ("+" if value > 0 else "−") + number(abs(value))
