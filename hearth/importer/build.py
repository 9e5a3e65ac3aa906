"""From an article's blocks to a draft plan.

Offline and deterministic: the same blocks always give the same draft. Sections become content
slides, lists and tables become polls, quotes become quote slides, and the questions the article
asks its reader become open prompts, between a check-in and a check-out. The rules are
documented in docs/plan-format.md ("Turning an article into a draft").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from hearth.importer.blocks import Block, Heading, ItemList, Paragraph, Quote, Table, shorten
from hearth.importer.sentences import excerpt, reader_questions, split_sentences

# Limits of the plan format (hearth/plan.schema.json) that the draft must respect.
TITLE_MAX = 200
BODY_MAX = 4000
ATTRIBUTION_MAX = 120
PROMPT_MAX = 500
OPTION_MAX = 120
OPTIONS_MIN, OPTIONS_MAX = 2, 10
ACTIVITIES_MAX = 100
LABEL_MAX_CHARS, LABEL_MAX_WORDS = 40, 5

DESCRIPTION = (
    "A draft made from an article. Check every slide and prompt, add content notes where a "
    "topic may be hard for someone, and remove what does not fit your group before you run it."
)
NOTICED_PROMPT = "Which of these have you noticed?"
STEPS_PROMPT = "Which of these steps feels hardest?"
CHECKLIST_PROMPT = "Which of these do you already do, even a little?"
TABLE_PROMPT = "Which of these stands out to you most?"
SETTLED_PROMPT = "Right now, how settled do you feel?"

# --- from blocks to a plan ----------------------------------------------------------------


def _option(item: str) -> str:
    """An option from a list item: its short label before ':' if it has one, no final period."""
    label, colon, rest = item.partition(":")
    label = label.strip()
    if colon and rest.strip() and len(label) <= LABEL_MAX_CHARS:
        if re.fullmatch(r"(?:step|phase|stage|part|tip)\s*\d+", label, re.IGNORECASE):
            item = rest.strip()  # "Step 1: Name the hurt" → "Name the hurt"
        elif len(label.split()) <= LABEL_MAX_WORDS:
            item = label
    return shorten(item.rstrip(" .;,"), OPTION_MAX)


def _distinct(options: list[str]) -> list[str]:
    """Options without repeats (ignoring case), at most OPTIONS_MAX of them."""
    seen: set[str] = set()
    kept = []
    for option in options:
        if option and option.casefold() not in seen:
            seen.add(option.casefold())
            kept.append(option)
    return kept[:OPTIONS_MAX]


def _with_title(activity: dict[str, Any], title: str | None) -> dict[str, Any]:
    """The activity with a title, when there is one."""
    return {"title": shorten(title, TITLE_MAX), **activity} if title else activity


def _list_poll(block: ItemList, section: str | None) -> dict[str, Any] | None:
    """A multi (or a choice, for steps) with exactly the list's items as options."""
    options = _distinct([_option(item) for item in block.items])
    if len(options) < OPTIONS_MIN:
        return None
    title = block.label or section
    is_steps = block.ordered or bool(title and re.search(r"\bsteps?\b", title, re.IGNORECASE))
    if block.checklist:
        poll = {"kind": "multi", "prompt": CHECKLIST_PROMPT, "options": options}
    elif is_steps:
        poll = {"kind": "choice", "prompt": STEPS_PROMPT, "options": options}
    else:
        poll = {"kind": "multi", "prompt": NOTICED_PROMPT, "options": options}
    return _with_title(poll, title)


def _table_poll(block: Table, section: str | None) -> dict[str, Any] | None:
    """A choice whose options are the table's first column."""
    column = [shorten(row[0].rstrip(" .;,"), OPTION_MAX) for row in block.rows if row]
    options = _distinct(column)
    if len(options) < OPTIONS_MIN:
        return None
    title = block.header[0] if block.header and block.header[0] else section
    return _with_title({"kind": "choice", "prompt": TABLE_PROMPT, "options": options}, title)


def _quote_slide(block: Quote) -> dict[str, Any]:
    """A quote slide with its attribution."""
    slide = {"kind": "content", "style": "quote", "body": shorten(block.text, BODY_MAX)}
    if block.attribution:
        slide["attribution"] = shorten(block.attribution, ATTRIBUTION_MAX)
    return slide


def _sections(blocks: list[Block]) -> Iterator[tuple[str | None, list[Block]]]:
    """(heading, the blocks under it); the text before the first heading has no heading."""
    heading: str | None = None
    under: list[Block] = []
    for block in blocks:
        if isinstance(block, Heading):
            yield heading, under
            heading, under = block.text, []
        else:
            under.append(block)
    yield heading, under


def _plan_title(blocks: list[Block]) -> str:
    """The article's title: its first heading, else its first sentence."""
    for block in blocks:
        if isinstance(block, Heading):
            return shorten(block.text, TITLE_MAX)
    for block in blocks:
        if isinstance(block, Paragraph) and block.text:
            return shorten(split_sentences(block.text)[0], TITLE_MAX)
    return "A plan from an article"


def _section_activities(
    heading: str | None, under: list[Block], asked: set[str]
) -> list[dict[str, Any]]:
    """The slide of one section, then its prompts, polls and quotes in article order."""
    activities: list[dict[str, Any]] = []
    first_paragraph = next((b.text for b in under if isinstance(b, Paragraph) and b.text), "")
    body = excerpt(first_paragraph)
    if under and (heading or body):
        slide: dict[str, Any] = {"kind": "content", "style": "psychoeducation"}
        if body:
            slide["body"] = body
        activities.append(_with_title(slide, heading))
    for block in under:
        if isinstance(block, Paragraph):
            for question in reader_questions(block.text):
                if question.casefold() not in asked:
                    asked.add(question.casefold())
                    activities.append(_with_title({"kind": "open", "prompt": question}, heading))
        elif isinstance(block, Quote):
            activities.append(_quote_slide(block))
        elif isinstance(block, ItemList):
            poll = _list_poll(block, heading)
            if poll:
                activities.append(poll)
        elif isinstance(block, Table):
            poll = _table_poll(block, heading)
            if poll:
                activities.append(poll)
    return activities


def _agreement() -> dict[str, Any]:
    """The group agreement every draft opens with."""
    return {
        "kind": "content",
        "style": "agreement",
        "title": "How we'll be together today",
        "body": (
            "What's said here stays here.\n\n"
            "You can pass on anything, and you never need to explain why.\n\n"
            "Your answers are anonymous: the screen shows only group totals.\n\n"
            "Take a break whenever you need to."
        ),
    }


def _settled_scale(title: str, pair: str) -> dict[str, Any]:
    """The check-in (pair pre) or check-out (pair post) scale."""
    return {
        "kind": "scale",
        "title": title,
        "prompt": SETTLED_PROMPT,
        "min": 0,
        "max": 10,
        "min_label": "Not settled at all",
        "max_label": "Very settled",
        "pair": pair,
    }


def build_plan(blocks: list[Block]) -> dict[str, Any]:
    """A draft plan from an article's blocks, between the agreement, check-in and check-out."""
    asked: set[str] = set()
    middle = [
        activity
        for heading, under in _sections(blocks)
        for activity in _section_activities(heading, under, asked)
    ]
    bookends = 3  # agreement and check-in first, check-out last
    return {
        "title": _plan_title(blocks),
        "description": DESCRIPTION,
        "activities": [
            _agreement(),
            _settled_scale("Check-in", "pre"),
            *middle[: ACTIVITIES_MAX - bookends],
            _settled_scale("Check-out", "post"),
        ],
    }
