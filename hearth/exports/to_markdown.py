"""The Markdown format: the summary for notes, wikis and e-mail, with bar charts drawn in
block characters. Every piece of text from answers is escaped so it shows as written."""

from __future__ import annotations

import re
from typing import Any

from hearth.exports.rows import (
    STATISTIC_LABELS,
    entries,
    first_column,
    hidden_note,
    number,
    percent,
    result_statistics,
    shown_rows,
    signed,
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
        out += ["## Before and after", ""]
        for comparison in data["comparisons"]:
            out += _md_comparison(data, comparison)
    out += _md_questions(data["questions"])
    if data["notes"]:
        out += ["## Facilitator's notes", "", data["notes"].strip(), ""]
    return "\n".join(out).encode()


def _md_head(data: dict[str, Any]) -> list[str]:
    """The title and the workshop's facts as a list."""
    info = data["workshop"]
    out = [
        f"# {md_text(info['title'])}",
        "",
        f"- Date: {info['date']}",
        f"- Facilitator: {md_text(info['facilitator'])}",
        f"- Peak participants: {info['peak_participants']}",
        f"- Anonymity threshold: results are shown from {info['min_group']} answers",
        f"- Break signals: {data['signals']['break']}",
    ]
    if data["signals"]["reactions"]:
        reactions = ", ".join(f"{e} {n}" for e, n in data["signals"]["reactions"].items())
        out.append(f"- Reactions: {reactions}")
    if info["purged_on"]:
        out.append(f"- Answers deleted on {info['purged_on']}")
    out.append("")
    return out


def _md_questions(questions: list[dict[str, Any]]) -> list[str]:
    """The questions as a table with their votes, or a sentence when there were none."""
    out = ["## Questions", ""]
    if questions:
        out += ["| Question | Votes | |", "|---|---:|---|"]
        for q in questions:
            status = "answered" if q["status"] == "answered" else ""
            out.append(f"| {md_text(q['text'])} | {q['votes']} | {status} |")
    else:
        out.append("No questions were put on the board.")
    out.append("")
    return out


def _md_activity(data: dict[str, Any], activity: dict[str, Any]) -> list[str]:
    """One activity as Markdown lines."""
    name = md_text(activity["title"] or activity["prompt"])
    out = [f"## {activity['number']}. {name} ({activity['kind']})", ""]
    if activity["title"]:
        out += [f"> {md_text(activity['prompt'])}", ""]
    out += [tally_text(activity), ""]
    if activity["hidden"] is not None:
        return [*out, f"_{hidden_note(data)}_", ""]
    out += _md_table(activity)
    stats = result_statistics(activity)
    if stats:
        out += [
            " · ".join(f"{STATISTIC_LABELS.get(n, n)}: {number(v)}" for n, v in stats),
            "",
        ]
    texts = entries(activity)
    if texts:
        out += [f"- {md_text(text)}" for text in texts] + [""]
    elif "entries" in activity["results"]:
        out += ["No answers were approved for sharing.", ""]
    return out


def _md_table(activity: dict[str, Any]) -> list[str]:
    """The result rows as a table with bars: by score for rankings, else by count."""
    rows, more = shown_rows(activity)
    if not rows:
        return []
    if "score" in rows[0]:
        largest = max(row["score"] for row in rows)
        out = ["| Option | Score | Mean rank | |", "|---|---:|---:|---|"]
        for row in sorted(rows, key=lambda r: -r["score"]):
            out.append(
                f"| {md_text(row['label'])} | {row['score']} | {number(row['mean_rank'])} "
                f"| {_md_bar(row['score'], largest)} |"
            )
        return [*out, ""]
    largest = max(row["count"] for row in rows)
    out = [f"| {first_column(activity['results'])} | Count | Share | |", "|---|---:|---:|---|"]
    for row in rows:
        label = " ".join(str(p) for p in (row["item"], row["label"]) if p not in (None, ""))
        out.append(
            f"| {md_text(label)} | {row['count']} | {percent(row['share'])} "
            f"| {_md_bar(row['count'], largest)} |"
        )
    out.append("")
    if more:
        out += [f"And {more} more words given by fewer people (all are in the CSV and JSON).", ""]
    return out


def _md_comparison(data: dict[str, Any], comparison: dict[str, Any]) -> list[str]:
    """One before/after comparison as Markdown lines."""
    head = (
        f"Activity {comparison['pre_activity']} (before) and {comparison['post_activity']} (after)"
    )
    if comparison["hidden"] is not None:
        return [head, "", f"_{hidden_note(data)}_", ""]
    pre, post = comparison["pre"], comparison["post"]
    return [
        head + " — two separate groups of answers, never linked person by person.",
        "",
        "| | Answers | Mean | Above the middle | Below the middle |",
        "|---|---:|---:|---:|---:|",
        f"| Before | {pre['n']} | {number(pre['mean'])} | {percent(pre['share_high'])} "
        f"| {percent(pre['share_low'])} |",
        f"| After | {post['n']} | {number(post['mean'])} | {percent(post['share_high'])} "
        f"| {percent(post['share_low'])} |",
        "",
        f"Mean shift: {signed(comparison['mean_shift'])}",
        "",
    ]
