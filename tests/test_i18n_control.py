"""The control room and the presenter view speak the facilitator's language (issue #11).

The page's own text comes from the catalog on the server; what its ES modules draw comes from
the JSON message block the page carries, cut from the same catalog (docs/translating.md).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from hearth import i18n

ROOT = Path(__file__).resolve().parents[1]


def _messages(body: str) -> dict[str, Any]:
    match = re.search(r'<script type="application/json" id="hearth-messages">(.*?)</script>', body)
    assert match is not None
    return dict(json.loads(match.group(1)))


def _html_attrs(body: str) -> str:
    match = re.search(r"<html ([^>]*)>", body)
    assert match is not None
    return match.group(1)


def _page(client: FlaskClient, workshop_id: int, language: str, view: str = "") -> str:
    client.post("/facilitator/account/language", data={"language": language})
    reply = client.get(f"/facilitator/workshops/{workshop_id}{view}")
    assert reply.status_code == 200
    return reply.get_data(as_text=True)


def test_the_control_room_in_german_carries_german_text_and_its_modules_messages(
    facilitator_client: FlaskClient, make_workshop: Callable[..., Any]
) -> None:
    workshop = make_workshop()
    body = _page(facilitator_client, workshop.id, "de")
    assert 'lang="de"' in _html_attrs(body) and 'dir="ltr"' in _html_attrs(body)
    # The page's own text: the strip, the action bar, the side column, the shortcut sheet.
    for german in (
        "Steuerraum",
        "Workshop starten",
        "Antworten öffnen",
        "Ergebnisse zeigen",
        "Raum abschließen",
        "Wünsche nach einer Pause",
        "Wartet auf Freigabe",
        "Tastenkürzel",
        "<kbd>Umschalt</kbd>",
        "Zusammenfassung",
    ):
        assert german in body, german
    for english in ("Start workshop", "Open answers", "Lock the room", "Keyboard shortcuts"):
        assert f">{english}<" not in body, english
    # What the modules draw (stage, side column, door, summary) arrives translated.
    catalog = _messages(body)
    assert catalog["language"] == "de"
    messages = catalog["messages"]
    assert messages["Waiting room"] == "Warteraum"
    assert messages["Lock the room"] == "Raum abschließen"
    assert messages["Approve"] == "Freigeben"
    # Shared modules' messages too: how many answered, as every screen says it.
    assert messages["%(num)s answered"] == {
        "one": "%(num)s geantwortet",
        "other": "%(num)s geantwortet",
    }
    assert (
        messages["%(num)s break request so far"]["other"]
        == "Bisher %(num)s Wünsche nach einer Pause"
    )
    # Only the facilitator's and shared modules: nothing from the phone's own.
    assert "Send answer" not in messages


def test_the_arabic_control_room_reads_right_to_left_with_mirrored_arrows(
    facilitator_client: FlaskClient, make_workshop: Callable[..., Any]
) -> None:
    workshop = make_workshop()
    body = _page(facilitator_client, workshop.id, "ar")
    assert 'lang="ar"' in _html_attrs(body) and 'dir="rtl"' in _html_attrs(body)
    assert "بدء الورشة" in body
    # Next points to the end of an Arabic line (the left), and its keys are the left arrow and a
    # clicker's Page Down.
    assert re.search(
        r'data-action="next" aria-keyshortcuts="ArrowLeft PageDown">'
        r'التالي <span aria-hidden="true">←',
        body,
    )
    assert re.search(
        r'data-action="prev" aria-keyshortcuts="ArrowRight PageUp">'
        r'<span aria-hidden="true">→</span> السابق',
        body,
    )
    # The plan's own text keeps its language and direction on an Arabic page.
    assert 'data-plan-lang="en"' in body
    assert '<h1><bdi lang="en">' in body
    plurals = _messages(body)["messages"]["%(num)s connected"]
    assert set(plurals) == {"zero", "one", "two", "few", "many", "other"}


@pytest.mark.parametrize("language", ["de", "es", "fr", "ar"])
def test_the_presenter_view_speaks_the_facilitator_language(
    facilitator_client: FlaskClient, make_workshop: Callable[..., Any], language: str
) -> None:
    workshop = make_workshop()
    body = _page(facilitator_client, workshop.id, language, "/presenter")
    translate = i18n.translations_for(language).gettext
    assert f'lang="{language}"' in _html_attrs(body)
    for english in ("Your script", "Break requests", "Control room"):
        assert translate(english) != english and translate(english) in body, english
    assert _messages(body)["messages"]["Nothing: this is the last step."] == translate(
        "Nothing: this is the last step."
    )


# Buttons whose accessible name must start with, or hold, their visible label (WCAG 2.5.3).
NAME_HOLDS_LABEL = [
    ("Hide “%(word)s” on the projector and phones", "Hide"),
    ("Show “%(word)s” on the projector and phones", "Show"),
    ("Remove resource %(number)s", "Remove"),
]


@pytest.mark.parametrize("language", [code for code in i18n.LANGUAGES if code != "en"])
def test_word_buttons_keep_their_visible_label_in_their_name(language: str) -> None:
    translate = i18n.translations_for(language).gettext
    for name, label in NAME_HOLDS_LABEL:
        assert translate(label).casefold() in translate(name).casefold(), (language, name)


# A gettext call inside a template literal's `${…}` is invisible to the catalog's extractor
# (Babel reads a template literal as one string), so its message would never be translated.
INTERPOLATED_GETTEXT = re.compile(r"\$\{[^}`]*\b(?:n?gettext)\(")


def test_no_message_hides_inside_a_template_literal() -> None:
    scripts = sorted((ROOT / "static" / "js").rglob("*.js"))
    assert len(scripts) > 20
    hidden = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in scripts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if INTERPOLATED_GETTEXT.search(line)
    ]
    assert not hidden, hidden


def test_the_download_formats_follow_the_page_language_after_an_english_page(
    facilitator_client: FlaskClient, make_workshop: Callable[..., Any]
) -> None:
    # Jinja caches a macro file imported without context, and its module-level words with it:
    # the first page drawn (here in English) must not fix them for every later language.
    workshop = make_workshop()
    assert "read, print" in _page(facilitator_client, workshop.id, "en")
    german = _page(facilitator_client, workshop.id, "de")
    assert "lesen, drucken" in german and "read, print" not in german
