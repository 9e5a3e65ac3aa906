"""From an article's blocks to a draft plan, and a report of what was made of them.

Offline and deterministic: the same blocks always give the same draft. Sections become content
slides that carry every sentence of the section (split over several slides when long, never
inside a sentence or a quotation): each slide shows its lead and the facilitator's script holds
all of its text, so the room reads a short slide while the facilitator has the article's prose.
Lists and tables become polls, quotes become quote slides,
and the questions the article asks its reader become open prompts, between a check-in and a
check-out. The rules are documented in docs/plan-format.md ("Turning an article into a draft").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

from hearth.importer.blocks import (
    Block,
    Heading,
    ItemList,
    Omitted,
    Paragraph,
    Quote,
    Table,
    shorten,
)
from hearth.importer.report import SLIDE_CHARS, Cut, ImportReport, LongPoll
from hearth.importer.sentences import reader_questions, split_sentences

# Limits of the plan format (hearth/plan.schema.json) that the draft must respect.
TITLE_MAX = 200
BODY_MAX = 4000
ATTRIBUTION_MAX = 120
OPTION_MAX = 120
OPTIONS_MIN, OPTIONS_MAX = 2, 10
ACTIVITIES_MAX = 100
LABEL_MAX_CHARS, LABEL_MAX_WORDS = 40, 5
# SLIDE_CHARS (hearth/importer/report.py), about a hundred words, is what a room reads from a
# projector before the facilitator moves on.
# A long article's slides hold more, rather than lose the end of the article to the plan's
# limit of 100 activities; 4,000 characters is the most a slide's body may hold.
LONG_ARTICLE_SLIDE_CHARS = (1200, 2000, BODY_MAX)
CONTINUED = " (continued)"
# Keys the builder puts on a poll for the report, taken off before the plan is returned.
FROM, LEFT_OUT = "_from", "_left_out"

DESCRIPTION = (
    "A draft made from an article. Check every slide and prompt, add content notes where a "
    "topic may be hard for someone, and remove what does not fit your group before you run it."
)
NOTICED_PROMPT = "Which of these have you noticed?"
STEPS_PROMPT = "Which of these steps feels hardest?"
CHECKLIST_PROMPT = "Which of these do you already do, even a little?"
TABLE_PROMPT = "Which of these stands out to you most?"
SETTLED_PROMPT = "Right now, how settled do you feel?"


# --- options ------------------------------------------------------------------------------


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
    """Options without repeats (ignoring case), in order."""
    seen: set[str] = set()
    kept = []
    for option in options:
        if option and option.casefold() not in seen:
            seen.add(option.casefold())
            kept.append(option)
    return kept


def _with_title(activity: dict[str, Any], title: str | None) -> dict[str, Any]:
    """The activity with a title, when there is one."""
    return {"title": shorten(title, TITLE_MAX), **activity} if title else activity


def _list_poll(block: ItemList, section: str | None) -> dict[str, Any] | None:
    """A multi (or a choice, for steps) with exactly the list's items as options."""
    options = _distinct([_option(item) for item in block.items])
    title = block.label or section
    if len(options) < OPTIONS_MIN:
        return None
    is_steps = block.ordered or bool(title and re.search(r"\bsteps?\b", title, re.IGNORECASE))
    poll: dict[str, Any]
    if block.checklist:
        poll = {"kind": "multi", "prompt": CHECKLIST_PROMPT, "options": options}
    elif is_steps:
        poll = {"kind": "choice", "prompt": STEPS_PROMPT, "options": options}
    else:
        poll = {"kind": "multi", "prompt": NOTICED_PROMPT, "options": options}
    poll = {**poll, "options": options[:OPTIONS_MAX], FROM: "list"}
    if len(options) > OPTIONS_MAX:
        poll[LEFT_OUT] = LongPoll("list", _report_name(title), len(options))
    return _with_title(poll, title)


def _table_poll(block: Table, section: str | None) -> dict[str, Any] | None:
    """A choice whose options are the table's first column."""
    column = [shorten(row[0].rstrip(" .;,"), OPTION_MAX) for row in block.rows if row]
    options = _distinct(column)
    title = block.header[0] if block.header and block.header[0] else section
    if len(options) < OPTIONS_MIN:
        return None
    poll: dict[str, Any] = {"kind": "choice", "prompt": TABLE_PROMPT}
    poll |= {"options": options[:OPTIONS_MAX], FROM: "table"}
    if len(block.rows) > OPTIONS_MAX:
        poll[LEFT_OUT] = LongPoll("table", _report_name(title), len(block.rows))
    return _with_title(poll, title)


def _report_name(title: str | None) -> str | None:
    """How the report names a list or table: by its title, shortened, when it has one."""
    return shorten(title, 60) if title else None


def _quote_slides(block: Quote) -> list[dict[str, Any]]:
    """A quote slide with its attribution (a quotation too long for one goes on over several)."""
    slides: list[dict[str, Any]] = [
        {"kind": "content", "style": "quote", "body": piece}
        for piece in _pieces(block.text, BODY_MAX)
    ]
    if block.attribution:
        slides[-1]["attribution"] = shorten(block.attribution, ATTRIBUTION_MAX)
    return slides


# --- slide text ---------------------------------------------------------------------------


def _list_text(block: ItemList) -> str | None:
    """The list as slide lines, unless the poll's options already say all of it."""
    options = _distinct([_option(item) for item in block.items])
    whole = [item.rstrip(" .;,") for item in block.items]
    if OPTIONS_MIN <= len(options) <= OPTIONS_MAX and options == whole and not block.notes:
        return None
    lines = [f"• {item}" for item in block.items] + [f"  – {note}" for note in block.notes]
    label = f"{block.label}:\n" if block.label else ""
    return label + "\n".join(lines)


def _table_text(block: Table) -> str | None:
    """The table as slide lines, one per row, unless the poll's options already say all of it."""
    widest = max((len(row) for row in (block.header, *block.rows)), default=0)
    options = _distinct([row[0] for row in block.rows if row])
    if widest <= 1 and OPTIONS_MIN <= len(options) <= OPTIONS_MAX:
        return None
    rows = [block.header, *block.rows] if any(block.header) else list(block.rows)
    lines = [" — ".join(cell for cell in row if cell) for row in rows]
    return "\n".join(line for line in lines if line) or None


def _section_texts(under: list[Block]) -> list[str]:
    """The section's text for its slides, paragraph by paragraph, in article order."""
    texts: list[str] = []
    for block in under:
        text = None
        if isinstance(block, Paragraph):
            text = block.text
        elif isinstance(block, ItemList):
            text = _list_text(block)
        elif isinstance(block, Table):
            text = _table_text(block)
        if text:
            texts.append(text)
    return texts


def slide_lead(text: str) -> str:
    """What a slide shows of its text: the first sentence, or a first list or table in full
    (its lines are the point). The whole text goes into the slide's script."""
    first = text.split("\n\n")[0]
    if "\n" in first:
        return first
    return split_sentences(first)[0] if split_sentences(first) else first


def _section_slide(body: str) -> dict[str, Any]:
    """A section's slide: the lead of its text on screen, all of it in the script."""
    slide: dict[str, Any] = {"kind": "content", "style": "psychoeducation"}
    if body:
        slide["body"] = slide_lead(body)
        if slide["body"] != body:
            slide["script"] = body
    return slide


def _pieces(text: str, limit: int = SLIDE_CHARS) -> list[str]:
    """A paragraph in pieces of at most `limit` characters: whole sentences, grouped.

    A single sentence longer than that stays whole in a piece of its own; only one longer than
    the plan format allows (4,000 characters) is cut, between words.
    """
    if len(text) <= limit:
        return [text]
    pieces: list[str] = []
    for sentence in split_sentences(text):
        while len(sentence) > BODY_MAX:
            cut = sentence.rfind(" ", 0, BODY_MAX) if " " in sentence[:BODY_MAX] else BODY_MAX
            cut = cut if cut > 0 else BODY_MAX
            pieces.append(sentence[:cut])
            sentence = sentence[cut:].strip()
        if pieces and len(pieces[-1]) + 1 + len(sentence) <= limit:
            pieces[-1] = f"{pieces[-1]} {sentence}"
        elif sentence:
            pieces.append(sentence)
    return pieces


def slide_bodies(texts: list[str], limit: int = SLIDE_CHARS) -> list[str]:
    """The bodies of a section's slides: its paragraphs, packed in order, split between sentences.

    Paragraphs share a slide while they fit in `limit` characters; a longer paragraph goes on
    on the next slide at a sentence boundary, and a quotation counts as part of its sentence.
    """
    slides: list[list[str]] = [[]]
    for text in texts:
        for index, piece in enumerate(_pieces(text, limit)):
            current = slides[-1]
            used = len("\n\n".join(current))
            joiner = " " if index else "\n\n"  # a paragraph's pieces run on as one paragraph
            if current and used + len(joiner) + len(piece) <= limit:
                if index:
                    current[-1] = f"{current[-1]} {piece}"
                else:
                    current.append(piece)
            elif current:
                slides.append([piece])
            else:
                current.append(piece)
    return ["\n\n".join(slide) for slide in slides if slide]


# --- sections -----------------------------------------------------------------------------


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
    heading: str | None, under: list[Block], asked: set[str], slide_chars: int
) -> list[dict[str, Any]]:
    """The slides of one section, then its prompts, polls and quotes in article order."""
    activities: list[dict[str, Any]] = []
    content = [block for block in under if not isinstance(block, Omitted)]
    bodies = slide_bodies(_section_texts(under), slide_chars)
    if content and not bodies and heading:
        bodies = [""]  # a heading over only a list or a quote still opens its section
    for number, body in enumerate(bodies):
        slide = _section_slide(body)
        title = heading
        if heading and number:
            title = f"{shorten(heading, TITLE_MAX - len(CONTINUED))}{CONTINUED}"
        activities.append(_with_title(slide, title))
    for block in under:
        if isinstance(block, Paragraph):
            for question in reader_questions(block.text):
                if question.casefold() not in asked:
                    asked.add(question.casefold())
                    activities.append(_with_title({"kind": "open", "prompt": question}, heading))
        elif isinstance(block, Quote):
            activities.extend(_quote_slides(block))
        elif isinstance(block, ItemList | Table):
            poll = _list_poll(block, heading) if isinstance(block, ItemList) else None
            poll = _table_poll(block, heading) if isinstance(block, Table) else poll
            if poll is not None:
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


def _omitted(blocks: list[Block]) -> dict[str, int]:
    """What the reader left out on purpose ("image": 2), in order."""
    return dict(Counter(block.what for block in blocks if isinstance(block, Omitted)))


def build_draft(blocks: list[Block], fmt: str = "") -> tuple[dict[str, Any], ImportReport]:
    """A draft plan from an article's blocks, and the report of what it was made of."""
    report = ImportReport(format=fmt, omitted=_omitted(blocks))
    room = ACTIVITIES_MAX - 3  # the agreement and check-in first, the check-out last
    for slide_chars in (SLIDE_CHARS, *LONG_ARTICLE_SLIDE_CHARS):
        asked: set[str] = set()
        middle = [
            activity
            for heading, under in _sections(blocks)
            for activity in _section_activities(heading, under, asked, slide_chars)
        ]
        if len(middle) <= room:
            break
    report.slide_chars = slide_chars
    cut = middle[room:]
    middle = middle[:room]
    _count(middle, report)
    if cut:
        made = len(middle) + len(cut) + 3
        report.cut = Cut(made, ACTIVITIES_MAX, len(cut), _label(cut[0]))
    report.sections = sum(1 for heading, under in _sections(blocks) if heading or under)
    document = {
        "title": _plan_title(blocks),
        "description": DESCRIPTION,
        "activities": [
            _agreement(),
            _settled_scale("Check-in", "pre"),
            *middle,
            _settled_scale("Check-out", "post"),
        ],
    }
    sentences = article_sentences(blocks)
    report.sentences, report.sentences_placed = len(sentences), _placed(sentences, document)
    return document, report


def _count(activities: list[dict[str, Any]], report: ImportReport) -> None:
    """Fill in the report's counts, taking the builder's own keys off the polls."""
    for activity in activities:
        origin = activity.pop(FROM, None)
        report.list_polls += origin == "list"
        report.table_polls += origin == "table"
        if LEFT_OUT in activity:
            report.long_polls.append(activity.pop(LEFT_OUT))
        report.slides += activity.get("style") == "psychoeducation"
        report.quotes += activity.get("style") == "quote"
        report.open_prompts += activity["kind"] == "open"


def article_sentences(blocks: list[Block]) -> list[str]:
    """The article's sentences: of paragraphs and quotes, and each list item and table cell."""
    sentences: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph | Quote):
            sentences.extend(split_sentences(block.text))
        elif isinstance(block, ItemList):
            sentences.extend(block.items + block.notes)
        elif isinstance(block, Table):
            sentences.extend(cell for row in (block.header, *block.rows) for cell in row if cell)
    return sentences


def _placed(sentences: list[str], document: dict[str, Any]) -> int:
    """How many of the sentences are word for word somewhere in the draft."""
    strings = [
        value
        for activity in document["activities"]
        for value in (*activity.values(), *activity.get("options", ()))
        if isinstance(value, str)
    ]
    draft = "\n".join([document["title"], *strings])
    # A list item's final period is dropped from its option ("Rest." → "Rest").
    return sum(sentence.rstrip(" .;,") in draft for sentence in sentences)


def _label(activity: dict[str, Any]) -> str:
    """A few words that name an activity in the report."""
    text = activity.get("title") or activity.get("prompt") or activity.get("body") or ""
    return shorten(str(text), 60)


def build_plan(blocks: list[Block]) -> dict[str, Any]:
    """A draft plan from an article's blocks, between the agreement, check-in and check-out."""
    return build_draft(blocks)[0]
