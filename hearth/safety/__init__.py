"""The safety net's matching: crisis phrases per language, matched on this computer only.

Open answers and questions that contain crisis language (suicide, self-harm, abuse,
violence) are held for the facilitator's care instead of joining the moderation queue
(`hearth.services.care`, docs/privacy.md). This module only decides whether a text matches
and in which categories; it imports nothing of Hearth, reads its phrase lists from
`hearth/safety/terms/<language>.txt` and sends nothing anywhere.

Matching is on folded text: case, accents and Arabic letter variants do not matter, and any
run of punctuation or spaces is one space. A phrase matches whole words only ("skill" is not
"kill", "therapist" is not "rapist"). A phrase file writes simple inflections explicitly:

    {cut|cutting|cuts} myself     alternatives (one may be empty: {|و}انتحار)
    selbstmord*                   a word that may go on (selbstmordgedanken)
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

CATEGORIES = ("suicide", "self_harm", "abuse", "violence")
LANGUAGES = ("en", "de", "es", "fr", "ar")
TERMS_DIR = Path(__file__).resolve().parent / "terms"
# Letters that stand for one another in everyday Arabic typing (after accents are dropped).
_ARABIC = str.maketrans({"ى": "ي", "ة": "ه", "ٱ": "ا", "ـ": None})
_PIECE = re.compile(r"\{([^{}]*)\}|(\*)|([^{}*]+)")
_SOURCE = "# Source:"
# In a folded form, where a word may go on (a * in the phrase); never a folded character.
STAR = "\x00"
_END = ""


def fold(text: str) -> str:
    """Text as matching sees it: no case, no accents, one space between words."""
    decomposed = unicodedata.normalize("NFKD", text.casefold()).translate(_ARABIC)
    kept = (
        char if char.isalnum() else " "
        for char in decomposed
        if not unicodedata.category(char).startswith("M")
    )
    return " ".join("".join(kept).split())


def variants(phrase: str) -> list[str]:
    """Every concrete form a phrase writes: `{cut|cutting} myself` is two."""
    forms = [""]
    for alternatives, star, literal in _PIECE.findall(phrase):
        options = alternatives.split("|") if not (star or literal) else [star or literal]
        forms = [form + option for form in forms for option in options]
    return list(dict.fromkeys(" ".join(form.split()) for form in forms))


def folded_forms(phrase: str) -> list[str]:
    """A phrase's forms as matching sees them: folded words, `STAR` where a word may go on."""
    if "*" in phrase.replace("* ", " ").removesuffix("*"):
        raise ValueError(f"In {phrase!r}, a * may only end a word.")
    forms = []
    for form in variants(phrase):
        words = [fold(word.removesuffix("*")) + STAR * word.endswith("*") for word in form.split()]
        folded = " ".join(word for word in words if word.strip(STAR))
        if len(folded.replace(STAR, "").replace(" ", "")) < 2:
            raise ValueError(f"The phrase {phrase!r} has a form with no words to match.")
        forms.append(folded)
    return list(dict.fromkeys(forms))


def _trie_pattern(node: dict[str, Any]) -> str:
    """A character trie as a regular expression: at each place one branch per next letter, so
    a thousand phrases cost about what one does (an alternation of them all tried each one)."""
    branches = [
        (r"\w*" if char == STAR else re.escape(char)) + _trie_pattern(child)
        for char, child in sorted(node.items())
        if char != _END
    ]
    if not branches:
        return ""
    if len(branches) == 1 and _END not in node:
        return branches[0]
    group = "(?:" + "|".join(branches) + ")"
    return group + "?" if _END in node else group


def forms_pattern(forms: Iterable[str]) -> str:
    """One regular expression for many folded forms, each matched as whole words."""
    trie: dict[str, Any] = {}
    for form in forms:
        node = trie
        for char in form:
            node = node.setdefault(char, {})
        node[_END] = {}
    return r"(?<!\w)" + _trie_pattern(trie) + r"(?!\w)"


def phrase_pattern(phrase: str) -> str:
    """The regular expression of one phrase: any of its forms, as whole words."""
    return forms_pattern(folded_forms(phrase))


@dataclass(frozen=True)
class Terms:
    """One language's built-in list: where it comes from and its phrases by category."""

    language: str
    sources: tuple[str, ...]
    phrases: dict[str, tuple[str, ...]] = field(default_factory=dict)


def parse_terms(language: str, text: str) -> Terms:
    """Read a phrase file: `# Source:` lines, `[category]` headings, one phrase a line."""
    sources: list[str] = []
    phrases: dict[str, list[str]] = {category: [] for category in CATEGORIES}
    category: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line.startswith(_SOURCE):
            sources.append(line.removeprefix(_SOURCE).strip())
        elif not line or line.startswith("#"):
            continue
        elif line.startswith("[") and line.endswith("]"):
            category = line[1:-1].strip()
            if category not in phrases:
                raise ValueError(f"{language}.txt line {number}: unknown category {category!r}.")
        elif category is None:
            raise ValueError(f"{language}.txt line {number}: a phrase before any [category].")
        else:
            phrase_pattern(line)  # refuse a phrase that cannot match anything
            phrases[category].append(line)
    return Terms(language, tuple(sources), {k: tuple(v) for k, v in phrases.items()})


@lru_cache(maxsize=len(LANGUAGES))
def builtin_terms(language: str) -> Terms:
    """The built-in list of a language (read once per process)."""
    if language not in LANGUAGES:
        raise ValueError(f"No safety phrases for {language!r}.")
    path = TERMS_DIR / f"{language}.txt"
    return parse_terms(language, path.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Matcher:
    """Compiled phrases by category; `categories(text)` says which ones a text touches."""

    patterns: tuple[tuple[str, re.Pattern[str]], ...]

    def categories(self, text: str) -> list[str]:
        """The categories whose phrases occur in the text, in CATEGORIES order."""
        folded = fold(text)
        return [category for category, pattern in self.patterns if pattern.search(folded)]


@lru_cache(maxsize=256)
def build_matcher(
    languages: tuple[str, ...], additions: tuple[tuple[str, str], ...] = ()
) -> Matcher:
    """A matcher for these built-in languages plus (category, phrase) additions."""
    by_category: dict[str, list[str]] = {category: [] for category in CATEGORIES}
    for language in dict.fromkeys(languages):
        for category, phrases in builtin_terms(language).phrases.items():
            for phrase in phrases:
                by_category[category] += folded_forms(phrase)
    for category, phrase in additions:
        if category in by_category:
            by_category[category] += folded_forms(phrase)
    return Matcher(
        tuple(
            (category, re.compile(forms_pattern(forms)))
            for category, forms in by_category.items()
            if forms
        )
    )


def languages_for(language: str) -> tuple[str, ...]:
    """The built-in lists a workshop in `language` uses: its own and English."""
    return tuple(dict.fromkeys(code for code in (language, "en") if code in LANGUAGES))
