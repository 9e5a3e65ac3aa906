"""The projector speaks its workshop's language, in the page and in its ES modules."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from babel.messages.extract import extract_from_file
from flask import Flask
from flask.testing import FlaskClient

from hearth import i18n
from hearth.extensions import db, writing
from hearth.models import Workshop

ROOT = Path(__file__).resolve().parents[1]
# The modules the projector loads: its own and the shared ones it imports.
PRESENT_MODULES = [
    *sorted((ROOT / "static/js/present").glob("*.js")),
    *(ROOT / "static/js/common" / name for name in ("dom.js", "results.js", "countdown.js")),
]


def _projector(app: Flask, client: FlaskClient, workshop: Any, language: str) -> str:
    with app.app_context(), writing():
        row = db.session.get(Workshop, workshop.id)
        assert row is not None
        row.language = language
    reply = client.get(f"/present/{workshop.present_key}", headers={"Accept-Language": "en"})
    assert reply.status_code == 200
    return reply.get_data(as_text=True)


def _messages(body: str) -> dict[str, Any]:
    match = re.search(r'<script type="application/json" id="hearth-messages">(.*?)</script>', body)
    assert match is not None
    return dict(json.loads(match.group(1)))


def _module_ids() -> set[str]:
    ids = set()
    for path in PRESENT_MODULES:
        for _, message, _, _ in extract_from_file("javascript", str(path)):
            ids.add(message if isinstance(message, str) else message[0])
    return ids


def test_the_projector_modules_have_messages_to_translate() -> None:
    ids = _module_ids()
    assert {"Answer on your phone", "%(num)s vote", "and %(num)s more", "%(num)s answered"} <= ids


def test_the_projector_page_carries_every_message_of_its_modules_in_german(
    app: Flask, client: FlaskClient, make_workshop: Callable[..., Any]
) -> None:
    catalog = _messages(_projector(app, client, make_workshop(), "de"))
    assert catalog["language"] == "de"
    messages = catalog["messages"]
    missing = _module_ids() - set(messages)
    assert not missing, f"the projector's message block misses {sorted(missing)[:5]}"
    assert messages["Answer on your phone"] == "Antworte auf deinem Handy"
    assert messages["%(num)s vote"] == {"one": "%(num)s Stimme", "other": "%(num)s Stimmen"}
    german = i18n.translations_for("de")
    for key, text in messages.items():
        if isinstance(text, str):
            assert text == german.gettext(key), key


def test_an_arabic_projector_is_mirrored_and_has_six_plural_forms(
    app: Flask, client: FlaskClient, make_workshop: Callable[..., Any]
) -> None:
    body = _projector(app, client, make_workshop(), "ar")
    html = re.search(r"<html ([^>]*)>", body)
    assert html is not None and 'dir="rtl"' in html.group(1) and 'lang="ar"' in html.group(1)
    votes = _messages(body)["messages"]["%(num)s vote"]
    assert set(votes) == {"zero", "one", "two", "few", "many", "other"}
    assert votes["many"] == "%(num)s صوتًا"
    assert "أسئلة من الغرفة" in body  # the template's own strings, too
