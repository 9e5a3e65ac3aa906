"""The Markdown format: the summary for notes, wikis and e-mail, with bar charts drawn in
block characters, in the workshop's language. Every piece of text from answers is escaped so
it shows as written."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext as _

from hearth.exports.rows import (
    day,
    entries,
    first_column,
    hidden_note,
    kind_name,
    ngettext,
    number,
    percent,
    result_statistics,
    shown_rows,
    signed,
    statistic_label,
    tally_text,
)

# Characters that make links, images, HTML, emphasis, code or table cells anywhere in a line.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")
# What starts a list, a heading underline or a numbered item at the start of a line.
_MD_LINE_START = re.compile(r"^([-+=]|\d+[.)])")
BAR_WIDTH = 20


def md_text(text: str) -> str:
    """Text that Markdown shows as written: no links, images, HTML or tables from answers."""
    escaped = _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))
    return _MD_LINE_START.sub(lambda m: m.group(1)[:-1] + "\\" + m.group(1)[-1], escaped)


def _md_bar(value: float, largest: float) -> str:
    """A bar of block characters, as long as value is to largest."""
    return "█" * round(BAR_WIDTH * value / largest) if largest else ""


def render_markdown(data: dict[str, Any]) -> bytes:
    """The summary as Markdown, with bar charts drawn in block characters."""
    out = _md_head(data)
    for activity in data["activities"]:
        out += _md_activity(data, activity)
    if data["comparisons"]:
        out += ["## " + _("Before and after"), ""]
        for comparison in data["comparisons"]:
            out += _md_comparison(data, comparison)
    out += _md_questions(data["questions"])
    if data["notes"]:
        out += ["## " + _("Facilitator's notes"), "", data["notes"].strip(), ""]
    return "\n".join(out).encode()


def _md_head(data: dict[str, Any]) -> list[str]:
    """The title and the workshop's facts as a list."""
    info = data["workshop"]
    k = info["min_group"]
    facts = [
        _("Date: %(date)s", date=day(info["date"])),
        _("Facilitator: %(name)s", name=md_text(info["facilitator"])),
        _("Peak participants: %(num)s", num=number(info["peak_participants"])),
        ngettext(
            "Anonymity threshold: results are shown from %(num)s answer",
            "Anonymity threshold: results are shown from %(num)s answers",
            k,
        ),
        _("Break signals: %(num)s", num=number(data["signals"]["break"])),
    ]
    if data["signals"]["reactions"]:
        reactions = ", ".join(f"{e} {number(n)}" for e, n in data["signals"]["reactions"].items())
        facts.append(_("Reactions: %(list)s", list=reactions))
    if info["purged_on"]:
        facts.append(_("Answers deleted on %(date)s", date=day(info["purged_on"])))
    return [f"# {md_text(info['title'])}", "", *(f"- {fact}" for fact in facts), ""]


def _md_questions(questions: list[dict[str, Any]]) -> list[str]:
    """The questions as a table with their votes, or a sentence when there were none."""
    out = ["## " + _("Questions"), ""]
    if questions:
        out += [_md_row(_("Question"), _("Votes"), ""), "|---|---:|---|"]
        for q in questions:
            status = _("answered") if q["status"] == "answered" else ""
            out.append(f"| {md_text(q['text'])} | {number(q['votes'])} | {status} |")
    else:
        out.append(_("No questions were put on the board."))
    out.append("")
    return out


def _md_activity(data: dict[str, Any], activity: dict[str, Any]) -> list[str]:
    """One activity as Markdown lines."""
    name = md_text(activity["title"] or activity["prompt"])
    out = [f"## {activity['number']}. {name} ({kind_name(activity['kind'])})", ""]
    if activity["title"]:
        out += [f"> {md_text(activity['prompt'])}", ""]
    out += [tally_text(activity), ""]
    if activity["hidden"] is not None:
        return [*out, f"_{hidden_note(data)}_", ""]
    out += _md_table(activity)
    stats = result_statistics(activity)
    if stats:
        out += [
            " · ".join(
                _("%(label)s: %(value)s", label=statistic_label(n), value=number(v))
                for n, v in stats
            ),
            "",
        ]
    texts = entries(activity)
    if texts:
        out += [f"- {md_text(text)}" for text in texts] + [""]
    elif "entries" in activity["results"]:
        out += [_("No answers were approved for sharing."), ""]
    return out


def _md_table(activity: dict[str, Any]) -> list[str]:
    """The result rows as a table with bars: by score for rankings, else by count."""
    rows, more = shown_rows(activity)
    if not rows:
        return []
    if "score" in rows[0]:
        largest = max(row["score"] for row in rows)
        head = (_("Option"), _("Score"), _("Mean rank"))
        out = [_md_row(*head, ""), "|---|---:|---:|---|"]
        for row in sorted(rows, key=lambda r: -r["score"]):
            out.append(
                f"| {md_text(row['label'])} | {number(row['score'])} | {number(row['mean_rank'])} "
                f"| {_md_bar(row['score'], largest)} |"
            )
        return [*out, ""]
    largest = max(row["count"] for row in rows)
    head = (first_column(activity["results"]), _("Count"), _("Share"))
    out = [_md_row(*head, ""), "|---|---:|---:|---|"]
    for row in rows:
        label = " ".join(str(p) for p in (row["item"], row["label"]) if p not in (None, ""))
        out.append(
            f"| {md_text(label)} | {number(row['count'])} | {percent(row['share'])} "
            f"| {_md_bar(row['count'], largest)} |"
        )
    out.append("")
    if more:
        more_words = ngettext(
            "And %(num)s more word given by fewer people (all are in the CSV and JSON).",
            "And %(num)s more words given by fewer people (all are in the CSV and JSON).",
            more,
        )
        out += [more_words, ""]
    return out


def _md_row(*cells: str) -> str:
    """A table row from cells (headings are the catalog's words, never a person's text)."""
    return "| " + " | ".join(cells) + " |"


def _md_comparison(data: dict[str, Any], comparison: dict[str, Any]) -> list[str]:
    """One before/after comparison as Markdown lines."""
    pair = {"pre": comparison["pre_activity"], "post": comparison["post_activity"]}
    if comparison["hidden"] is not None:
        head = _("Activity %(pre)s (before) and %(post)s (after)", **pair)
        return [head, "", f"_{hidden_note(data)}_", ""]
    head = _(
        "Activity %(pre)s (before) and %(post)s (after) — two separate groups of answers, "
        "never linked person by person.",
        **pair,
    )
    columns = (_("Answers"), _("Mean"), _("Above the middle"), _("Below the middle"))
    out = [head, "", _md_row("", *columns), "|---|---:|---:|---:|---:|"]
    for label, side in ((_("Before"), comparison["pre"]), (_("After"), comparison["post"])):
        figures = (number(side["n"]), number(side["mean"]))
        shares = (percent(side["share_high"]), percent(side["share_low"]))
        out.append(_md_row(label, *figures, *shares))
    return [*out, "", _("Mean shift: %(shift)s", shift=signed(comparison["mean_shift"])), ""]
