"""Sentences and the questions an article asks its reader.

A sentence ends at . ! ? or … before a capital or a digit, but never inside a quotation: the
words between quotation marks stay in one piece, so a slide never ends halfway through what
someone said (docs/plan-format.md, "Turning an article into a draft").
"""

from __future__ import annotations

import re

PROMPT_MAX = 500
MIN_SENTENCE_WORDS = 4  # fewer words ("Why?", "The good news?") make a fragment


# A sentence ends at . ! ? or … (and any closing quote) before a capital or a digit.
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
_ABBREVIATIONS = {"dr.", "mr.", "mrs.", "ms.", "prof.", "st.", "vs.", "etc.", "e.g.", "i.e."}
_QUESTION_END = re.compile(r"\?[\"'”’)\]]*$")
_LEADING_LINK = re.compile(r"^(?:but|and|so|or|yet|now|then|well)\b,?\s+", re.IGNORECASE)
_ADDRESSES_READER = re.compile(r"\b(?:you|your|yours|yourself|yourselves)\b", re.IGNORECASE)
# First words of a direct question; contractions are cut at the apostrophe ("don’t" → "don").
_INTERROGATIVES = frozenset(
    "what why how when where who whom whose which do does did is are was were am can could "
    "would will should shall may might must have has had ever don doesn didn isn aren wasn "
    "weren couldn wouldn won shouldn haven hasn hadn".split()
)


# Quotation marks that open a quotation, and the mark that closes each. A straight double quote
# closes itself; single quotes are left out because ’ is also the apostrophe ("don’t").
_CLOSING_MARK = {'"': '"', "“": "”", "„": "“", "«": "»"}


def quotations(text: str) -> list[tuple[int, int]]:
    """(start, end) of each quotation in a paragraph: the offsets of its two quotation marks.

    An opening mark that is never closed opens no quotation, so one stray mark cannot glue the
    rest of a paragraph into a single sentence.
    """
    spans, index = [], 0
    while index < len(text):
        closing = _CLOSING_MARK.get(text[index])
        end = text.find(closing, index + 1) if closing else -1
        if end == -1:
            index += 1
            continue
        spans.append((index, end))
        index = end + 1
    return spans


def split_sentences(text: str) -> list[str]:
    """The sentences of a paragraph, in order; a quotation is never cut in two."""
    sentences, start = [], 0
    spans = iter(quotations(text))
    span = next(spans, None)
    for match in _SENTENCE_END.finditer(text):
        while span is not None and span[1] < match.start():
            span = next(spans, None)
        # An end inside a quotation is not the end of the sentence, unless the quotation
        # closes right there ('… talk." She left.').
        if span is not None and span[0] < match.start() and match.end() <= span[1]:
            continue
        # Only the end of the candidate is looked at, so skipping abbreviations stays linear.
        words = text[max(start, match.start() - 12) : match.end()].split()
        last_word = words[-1].lower() if words else ""
        if last_word in _ABBREVIATIONS or re.fullmatch(r"[a-z]\.", last_word):
            continue
        sentences.append(text[start : match.end()].strip())
        start = match.end()
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


def reader_questions(paragraph: str) -> list[str]:
    """The questions a paragraph asks its reader, ready to be prompts.

    A question is kept when it has at least four words and either speaks to the reader
    ("you", "your") or is a direct question ("What...", "Do..."); rhetorical fragments such as
    "Why?" or "The good news?" are left out. "Here's a question: Do you...?" keeps the part
    after the colon, and a leading "But" or "So," is dropped.
    """
    questions = []
    for sentence in split_sentences(paragraph):
        if not _QUESTION_END.search(sentence):
            continue
        _, colon, after = sentence.rpartition(": ")
        question = after if colon and after[:1].isupper() else sentence
        question = _LEADING_LINK.sub("", question)
        question = question[:1].upper() + question[1:]
        words = question.split()
        first = re.split(r"['’]", words[0].lower())[0] if words else ""
        speaks_to_reader = bool(_ADDRESSES_READER.search(question))
        if len(words) < MIN_SENTENCE_WORDS or len(question) > PROMPT_MAX:
            continue
        if speaks_to_reader or first in _INTERROGATIVES:
            questions.append(question)
    return questions
