"""The import report: what a draft was made of, and its lines in any language.

The builder (hearth/importer/build.py) records what it left out as facts (how many images, which
long list, how many activities did not fit), not as sentences. `report_lines` says them with the
gettext functions it is given: English by default (the API, the CLI, tests), the facilitator's
language on the review page (facilitator/plan_views.py). The article's own words that a line
quotes (a list's heading) stay as the article wrote them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Gettext = Callable[[str], str]
NGettext = Callable[[str, str, int], str]
Numbers = Callable[[int], str]

# How many options a poll holds (hearth/plan.schema.json), and the slides' usual length.
POLL_OPTIONS_MAX = 10
SLIDE_CHARS = 600


def _english(message: str) -> str:
    return message


def _english_plural(singular: str, plural: str, count: int) -> str:
    return singular if count == 1 else plural


def _grouped(number: int) -> str:
    return f"{number:,}"


@dataclass(frozen=True)
class LongPoll:
    """A list (or table) with more items (rows) than a poll holds: only the first are options."""

    source: str  # "list" or "table"
    title: str | None  # the article's heading for it, if any
    count: int


@dataclass(frozen=True)
class Cut:
    """The activities past the plan's limit, left out of the draft."""

    made: int  # how many the article made
    limit: int  # how many a plan holds
    dropped: int
    first: str  # a few words naming the first one left out


@dataclass
class ImportReport:
    """What the draft was made of: counts of what was recognised, and what was left out."""

    format: str = ""
    sections: int = 0
    slides: int = 0
    list_polls: int = 0
    table_polls: int = 0
    open_prompts: int = 0
    quotes: int = 0
    # Every sentence of the article, and how many of them are word for word in the draft.
    sentences: int = 0
    sentences_placed: int = 0
    # What the reader left out on purpose ("image", "page number") and how often, in order.
    omitted: dict[str, int] = field(default_factory=dict)
    long_polls: list[LongPoll] = field(default_factory=list)
    cut: Cut | None = None
    # How much a slide holds: more than SLIDE_CHARS for a long article.
    slide_chars: int = SLIDE_CHARS

    @property
    def left_out(self) -> list[str]:
        """What was left out, in English."""
        return report_lines(self)[0]

    @property
    def notes(self) -> list[str]:
        """Anything else worth knowing, in English."""
        return report_lines(self)[1]

    def as_dict(self) -> dict[str, Any]:
        """The report as the API and the CLI give it (its lines in English)."""
        left_out, notes = report_lines(self)
        counts = (
            "format sections slides list_polls table_polls open_prompts quotes "
            "sentences sentences_placed"
        ).split()
        return {name: getattr(self, name) for name in counts} | {
            "left_out": left_out,
            "notes": notes,
        }


def report_lines(
    report: ImportReport,
    gettext: Gettext = _english,
    ngettext: NGettext = _english_plural,
    number: Numbers = _grouped,
) -> tuple[list[str], list[str]]:
    """The report's lines, (left out, notes), in the language of `gettext` and `ngettext`."""
    left_out = [
        _omitted(what, gettext) % {"num": number(count)} for what, count in report.omitted.items()
    ]
    left_out += [_long_poll(poll, gettext, ngettext, number) for poll in report.long_polls]
    if report.cut is not None:
        cut = report.cut
        left_out.append(
            ngettext(
                "The article makes %(made)s activities and a plan holds %(limit)s: the last "
                "one, “%(first)s”, was left out.",
                "The article makes %(made)s activities and a plan holds %(limit)s: the last "
                "%(num)s, from “%(first)s” on, were left out.",
                cut.dropped,
            )
            % {
                "made": number(cut.made),
                "limit": number(cut.limit),
                "num": number(cut.dropped),
                "first": cut.first,
            }
        )
    notes = []
    if report.slide_chars > SLIDE_CHARS:
        notes.append(
            gettext(
                "The article is long, so its slides hold up to %(limit)s characters (a shorter "
                "one's hold %(usual)s). Consider making two workshops of it."
            )
            % {"limit": number(report.slide_chars), "usual": number(SLIDE_CHARS)}
        )
    return left_out, notes


def _omitted(what: str, gettext: Gettext) -> str:
    """The line for something a reader left out, with %(num)s for how often."""
    lines = {
        "image": gettext("%(num)s × image"),
        "picture": gettext("%(num)s × picture"),
        "code block": gettext("%(num)s × code block"),
        "block of raw HTML": gettext("%(num)s × block of raw HTML"),
        "copyright line": gettext("%(num)s × copyright line"),
        "page number": gettext("%(num)s × page number"),
        "running header or footer line": gettext("%(num)s × running header or footer line"),
        "part of the page around the article (navigation, footer, notice)": gettext(
            "%(num)s × part of the page around the article (navigation, footer, notice)"
        ),
    }
    return lines.get(what, f"%(num)s × {what}")


def _long_poll(poll: LongPoll, gettext: Gettext, ngettext: NGettext, number: Numbers) -> str:
    """The line for a list or table too long for a poll's options."""
    values = {"num": number(poll.count), "limit": number(POLL_OPTIONS_MAX), "name": poll.title}
    if poll.source == "table" and poll.title:
        text = ngettext(
            "The table “%(name)s” has %(num)s row: its first %(limit)s are the poll's options "
            "(a poll holds %(limit)s); every row is on the slide.",
            "The table “%(name)s” has %(num)s rows: its first %(limit)s are the poll's options "
            "(a poll holds %(limit)s); every row is on the slide.",
            poll.count,
        )
    elif poll.source == "table":
        text = ngettext(
            "A table without a heading has %(num)s row: its first %(limit)s are the poll's "
            "options (a poll holds %(limit)s); every row is on the slide.",
            "A table without a heading has %(num)s rows: its first %(limit)s are the poll's "
            "options (a poll holds %(limit)s); every row is on the slide.",
            poll.count,
        )
    elif poll.title:
        text = ngettext(
            "The list “%(name)s” has %(num)s item: its first %(limit)s are the poll's options "
            "(a poll holds %(limit)s); every item is on the slide.",
            "The list “%(name)s” has %(num)s items: its first %(limit)s are the poll's options "
            "(a poll holds %(limit)s); every item is on the slide.",
            poll.count,
        )
    else:
        text = ngettext(
            "A list without a heading has %(num)s item: its first %(limit)s are the poll's "
            "options (a poll holds %(limit)s); every item is on the slide.",
            "A list without a heading has %(num)s items: its first %(limit)s are the poll's "
            "options (a poll holds %(limit)s); every item is on the slide.",
            poll.count,
        )
    return text % values
