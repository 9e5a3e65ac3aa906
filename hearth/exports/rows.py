"""What the formats share: an activity's results as tidy rows, its statistics and answers,
and how documents write numbers, shares, changes, days, kinds and the below-k sentence.

Rows are read off the results fields (`hearth.results.results_shape`), not off the kind's
name, so a new kind that reuses those fields renders in every format without changes.

Documents for reading (Markdown, HTML, PDF, XLSX) speak the language the caller chose
(`build_export` fixes the workshop's, docs/translating.md): their words come from the gettext
catalog and their numbers and days from Babel's locale data. The data formats (JSON, CSV) never
call these: their keys, ids and numbers stay the same in every language.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent
from flask_babel import get_domain, get_locale, lazy_gettext
from flask_babel import gettext as _

from hearth.i18n import DEFAULT_LANGUAGE, text_direction
from hearth.results import option_label, results_shape

# Documents for reading list the most frequent words only; the data formats keep them all.
WORDS_SHOWN = 30
STATISTIC_LABELS = {
    "mean": lazy_gettext("Mean"),
    "median": lazy_gettext("Median"),
    "respondents": lazy_gettext("Answered"),
    "pending": lazy_gettext("Not reviewed (not shown)"),
}
# What a document calls each kind (the editor's names for them).
KIND_NAMES = {
    "content": lazy_gettext("Slide"),
    "choice": lazy_gettext("Choice poll"),
    "multi": lazy_gettext("Multiple choice"),
    "scale": lazy_gettext("Scale"),
    "open": lazy_gettext("Open question"),
    "words": lazy_gettext("Word cloud"),
    "rank": lazy_gettext("Ranking"),
}
# The figures of a before/after comparison, by the name `comparison_statistics` gives them.
COMPARISON_LABELS = {
    "n": lazy_gettext("Answers"),
    "mean": lazy_gettext("Mean"),
    "share_high": lazy_gettext("Above the middle"),
    "share_low": lazy_gettext("Below the middle"),
    "mean_shift": lazy_gettext("Mean shift"),
    "high_shift": lazy_gettext("Shift above the middle"),
    "low_shift": lazy_gettext("Shift below the middle"),
}


def ngettext(singular: str, plural: str, count: int, **values: Any) -> str:
    """Flask-Babel's ngettext, but `%(num)s` is the count as the language writes it ("1.234")."""
    text = get_domain().get_translations().ngettext(singular, plural, count)
    return str(text) % {"num": number(count), **values}


def locale() -> Locale:
    """The language a document is being written in (English outside any request)."""
    return get_locale() or Locale.parse(DEFAULT_LANGUAGE)


def right_to_left() -> bool:
    """Whether the document's language is written right to left (Arabic)."""
    return text_direction(locale().language) == "rtl"


def statistic_label(name: str) -> str:
    """A single-number result's name for people ("Mean"), or its id when it has none."""
    label = STATISTIC_LABELS.get(name)
    return str(label) if label is not None else name


def kind_name(kind: str) -> str:
    """A kind's name for people ("Scale"), or its id for a kind this version does not know."""
    name = KIND_NAMES.get(kind)
    return str(name) if name is not None else kind


def comparison_label(name: str) -> str:
    """`pre_mean` → "Before: Mean", `mean_shift` → "Mean shift" (ids stay in CSV and JSON)."""
    side, _sep, rest = name.partition("_")
    if side in ("pre", "post") and rest in COMPARISON_LABELS:
        when = _("Before") if side == "pre" else _("After")
        return _("%(when)s: %(figure)s", when=when, figure=str(COMPARISON_LABELS[rest]))
    label = COMPARISON_LABELS.get(name)
    return str(label) if label is not None else name


def day(iso: str | None, form: str = "long") -> str:
    """A summary's day ("2026-11-27") as the language writes it ("27. November 2026")."""
    if not iso:
        return ""
    return format_date(date.fromisoformat(iso), format=form, locale=locale())


def answered(activity: dict[str, Any]) -> int:
    """How many phones answered rather than passed (the base of every share)."""
    return int(activity["answered"])


def tally_text(activity: dict[str, Any]) -> str:
    """ "3 answered · 1 passed" (passes left out below k): the control room's own words."""
    count = activity["answered"]
    text = ngettext("%(num)s answered", "%(num)s answered", count)
    if activity["passed"] is None:
        return text
    passed = activity["passed"]
    passes = ngettext("%(num)s passed", "%(num)s passed", passed)
    return f"{text} · {passes}"


def activity_heading(activity: dict[str, Any]) -> str:
    """`3. Check-in (Scale)`: the activity's number, title or prompt, and kind."""
    name = activity["title"] or activity["prompt"]
    return f"{activity['number']}. {name} ({kind_name(activity['kind'])})"


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
        return _("Point")
    return _("Word") if "words" in results else _("Option")


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
    return ngettext(
        "Fewer than %(num)s person answered, so no results are shown (anonymity threshold).",
        "Fewer than %(num)s people answered, so no results are shown (anonymity threshold).",
        k,
    )


def percent(value: float | None) -> str:
    """A share as a whole percentage in the document's language ("42%", "42 %"), or ""."""
    return "" if value is None else format_percent(value, locale=locale())


def number(value: Any) -> str:
    """A number as the document's language writes it: no trailing .0, a dash for none."""
    if value is None:
        return "–"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return format_decimal(value, locale=locale())


def signed(value: float | None) -> str:
    """A change with its sign (+0.8, −0.3, 0)."""
    if value is None:
        return "–"
    if value == 0:
        return "0"
    return ("+" if value > 0 else "−") + number(abs(value))
