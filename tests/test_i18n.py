"""Languages: the catalogs are complete and consistent, and each page speaks the right one.

The catalog checks extract the messages from the sources themselves (as `make
translations-extract` does), so a new string that nobody translated fails here, not in a room.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from babel.messages.catalog import Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from hearth import i18n
from hearth.extensions import db, writing
from hearth.models import Facilitator, Plan, Workshop

ROOT = Path(__file__).resolve().parents[1]
TRANSLATED = [code for code in i18n.LANGUAGES if code != "en"]
# As the Makefile's BABEL_KEYWORDS, on top of Babel's own (_, gettext, ngettext, ...).
KEYWORDS: dict[str, Any] = {
    "lazy_gettext": None,
    "_l": None,
    "N_": None,
    # Error messages are message ids where they are raised (hearth/errors.py).
    "HearthError": (2,),
    **dict.fromkeys(
        (
            "invalid_payload",
            "not_found",
            "Message",
            "MessageError",
            "PlanError",
            "ArticleError",
            "ArticleTooLarge",
            "SpecError",
        )
    ),
}
SKIPPED_DIRS = {"node_modules", "vendor", "tests", "bench", "build", "dist", "instance"}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w*)\}")
TAG = re.compile(r"</?[a-z]+")


def _source_dirs(dirname: str) -> bool:
    name = Path(dirname).name
    return not name.startswith((".", "_")) and name not in SKIPPED_DIRS


def extracted_ids() -> set[str]:
    """Every message id in the sources (a plural's singular stands for it)."""
    with (ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = extract_from_dir(
        ROOT,
        method_map,
        options_map,
        keywords={**_babel_keywords(), **KEYWORDS},
        directory_filter=_source_dirs,
    )
    return {message[2] if isinstance(message[2], str) else message[2][0] for message in found}


def _babel_keywords() -> dict[str, object]:
    from babel.messages.extract import DEFAULT_KEYWORDS

    return dict(DEFAULT_KEYWORDS)


def messages(language: str) -> Iterator[Message]:
    """The catalog's messages, without the header."""
    return (message for message in i18n.load_catalog(language) if message.id)


def _key(message: Message) -> str:
    return message.id[0] if isinstance(message.id, tuple) else message.id


def _shape(text: str) -> tuple[set[str], list[str]]:
    """The placeholders and the HTML tags in a text: what a translation must keep."""
    names = {a or b for a, b in PLACEHOLDER.findall(text)}
    return names, sorted(TAG.findall(text))


@pytest.fixture(scope="module")
def source_ids() -> set[str]:
    return extracted_ids()


def test_the_sources_have_messages_to_translate(source_ids: set[str]) -> None:
    assert "Join a session" in source_ids
    assert len(source_ids) > 50


@pytest.mark.parametrize("language", list(i18n.LANGUAGES))
def test_every_catalog_has_every_message(language: str, source_ids: set[str]) -> None:
    catalog = {_key(message): message for message in messages(language)}
    missing = sorted(source_ids - set(catalog))
    assert not missing, f"{language} misses {len(missing)}: {missing[:5]}"
    if language == "en":
        return
    untranslated = [
        key
        for key in source_ids
        if catalog[key].fuzzy
        or not catalog[key].string
        or (isinstance(catalog[key].string, tuple) and not all(catalog[key].string))
    ]
    assert not untranslated, f"{language}: {len(untranslated)} untranslated: {untranslated[:5]}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_the_placeholders_and_tags_of_english(language: str) -> None:
    wrong = []
    for message in messages(language):
        if not message.string:
            continue
        if isinstance(message.id, tuple):
            english = [_shape(message.id[0]), _shape(message.id[1])]
            forms = list(message.string)
            # A form for exactly one number ("one", "two" in Arabic) may spell it out; the
            # last form, the general one, must carry every placeholder English has.
            general = _shape(forms[-1])
            if general != english[1] or any(
                not _shape(form)[0] <= english[1][0] or _shape(form)[1] != english[1][1]
                for form in forms
            ):
                wrong.append(message.id[0])
        elif _shape(message.string) != _shape(message.id):
            wrong.append(message.id)
    assert not wrong, f"{language}: {wrong[:5]}"


def test_arabic_plural_forms_follow_cldr_categories() -> None:
    assert i18n.plural_categories("ar") == {
        "zero": 0,
        "one": 1,
        "two": 2,
        "few": 3,
        "many": 4,
        "other": 5,
    }
    assert i18n.plural_categories("de") == {"one": 0, "other": 1}
    assert i18n.plural_categories("en") == {"one": 0, "other": 1}


def _html_attrs(body: str) -> str:
    match = re.search(r"<html ([^>]*)>", body)
    assert match is not None
    return match.group(1)


@pytest.mark.parametrize(
    ("header", "lang", "direction", "heading"),
    [
        ("de-DE,de;q=0.9,en;q=0.5", "de", "ltr", "An einer Sitzung teilnehmen"),
        ("es-MX", "es", "ltr", "Entrar en una sesión"),
        ("fr-CA,fr;q=0.8", "fr", "ltr", "Rejoindre une séance"),
        ("ar-EG,ar;q=0.9", "ar", "rtl", "الانضمام إلى جلسة"),
        ("ja-JP,ja;q=0.9", "en", "ltr", "Join a session"),
        ("", "en", "ltr", "Join a session"),
    ],
)
def test_the_phone_follows_accept_language(
    client: FlaskClient, header: str, lang: str, direction: str, heading: str
) -> None:
    body = client.get("/", headers={"Accept-Language": header}).get_data(as_text=True)
    assert f'lang="{lang}"' in _html_attrs(body)
    assert f'dir="{direction}"' in _html_attrs(body)
    assert heading in body


def test_the_switch_overrides_the_browser_and_offers_every_language(client: FlaskClient) -> None:
    body = client.get("/privacy?lang=fr", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert 'lang="fr"' in _html_attrs(body)
    assert "Ce qui est conservé à mon sujet" in body
    for code, name in i18n.LANGUAGES.items():
        assert f'hreflang="{code}"' in body
        assert name in body
    # The way back keeps the chosen language (phones keep no cookie to remember it).
    assert 'href="/?lang=fr"' in body


def test_an_unknown_language_in_the_address_is_ignored(client: FlaskClient) -> None:
    body = client.get("/?lang=xx", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert 'lang="es"' in _html_attrs(body)


def test_plurals_use_the_language_rules(client: FlaskClient) -> None:
    body = client.get("/privacy?lang=ar").get_data(as_text=True)
    # The default retention is 30 days: Arabic's "many" form (11-99).
    assert "بعد 30 يومًا من انتهاء الورشة" in body


def test_a_facilitator_picks_the_language_of_their_own_pages(
    app: Flask, facilitator_client: FlaskClient, owner: Any
) -> None:
    english = facilitator_client.get("/facilitator/", headers={"Accept-Language": "en"})
    assert 'lang="en"' in _html_attrs(english.get_data(as_text=True))
    reply = facilitator_client.post(
        "/facilitator/account/language", data={"language": "ar", "next": "/facilitator/"}
    )
    assert reply.status_code == 302 and reply.headers["Location"] == "/facilitator/"
    page = facilitator_client.get("/facilitator/", headers={"Accept-Language": "en"})
    assert 'dir="rtl"' in _html_attrs(page.get_data(as_text=True))
    with app.app_context():
        facilitator = db.session.get(Facilitator, owner.id)
        assert facilitator is not None and facilitator.language == "ar"
    # "" goes back to the browser's language.
    facilitator_client.post("/facilitator/account/language", data={"language": ""})
    page = facilitator_client.get("/facilitator/", headers={"Accept-Language": "fr"})
    assert 'lang="fr"' in _html_attrs(page.get_data(as_text=True))


def test_an_unknown_language_is_refused_and_nothing_changes(
    app: Flask, facilitator_client: FlaskClient, owner: Any
) -> None:
    reply = facilitator_client.post("/facilitator/account/language", data={"language": "xx"})
    assert reply.status_code == 400
    with app.app_context():
        facilitator = db.session.get(Facilitator, owner.id)
        assert facilitator is not None and facilitator.language is None


def test_the_projector_speaks_the_workshop_language_whatever_the_laptop_says(
    app: Flask, client: FlaskClient, make_workshop: Callable[..., Any]
) -> None:
    workshop = make_workshop()
    with app.app_context(), writing():
        row = db.session.get(Workshop, workshop.id)
        assert row is not None
        row.language = "de"
    body = client.get(
        f"/present/{workshop.present_key}", headers={"Accept-Language": "fr"}
    ).get_data(as_text=True)
    assert 'lang="de"' in _html_attrs(body)
    assert "Mach mit auf deinem Handy" in body


def test_a_workshop_takes_its_plan_language(app: Flask, make_workshop: Callable[..., Any]) -> None:
    with app.app_context(), writing():
        plan = db.session.scalar(select(Plan).where(Plan.slug == "rebuilding-trust"))
        assert plan is not None
        plan.language = "es"
    workshop = make_workshop()
    with app.app_context():
        row = db.session.get(Workshop, workshop.id)
        assert row is not None and row.language == "es"


def _script_messages(body: str) -> dict[str, Any]:
    match = re.search(r'<script type="application/json" id="hearth-messages">(.*?)</script>', body)
    assert match is not None
    return dict(json.loads(match.group(1)))


def test_the_phone_gets_its_modules_messages_from_the_same_catalog(
    client: FlaskClient, make_workshop: Callable[..., Any]
) -> None:
    workshop = make_workshop()
    body = client.get(f"/j/{workshop.code}?lang=ar").get_data(as_text=True)
    catalog = _script_messages(body)
    assert catalog["language"] == "ar"
    messages = catalog["messages"]
    assert messages["Send answer"] == i18n.translations_for("ar").gettext("Send answer")
    # Plurals come keyed by CLDR category, for the browser's Intl.PluralRules.
    votes = messages["Upvote. %(num)s vote."]
    assert set(votes) == {"zero", "one", "two", "few", "many", "other"}
    assert votes["many"] == "تأييد. %(num)s صوتًا."
    # Only the phone's modules: nothing from the control room's.
    assert all(not key.startswith("Facilitator log in") for key in messages)
    assert 'data-plan-lang="en"' in body


def test_english_pages_carry_english_messages_and_english_plural_forms(
    client: FlaskClient, make_workshop: Callable[..., Any]
) -> None:
    workshop = make_workshop()
    messages = _script_messages(client.get(f"/j/{workshop.code}").get_data(as_text=True))[
        "messages"
    ]
    assert messages["Send answer"] == "Send answer"
    assert messages["Upvote. %(num)s vote."] == {
        "one": "Upvote. %(num)s vote.",
        "other": "Upvote. %(num)s votes.",
    }


# An accessible name must contain the visible label (WCAG 2.5.3): (name, label) pairs whose
# translations have to keep that true in every language.
NAME_HOLDS_LABEL = [("Quick exit: leave this page now", "Exit")]


@pytest.mark.parametrize("language", TRANSLATED)
def test_accessible_names_keep_their_visible_label(language: str) -> None:
    translate = i18n.translations_for(language).gettext
    for name, label in NAME_HOLDS_LABEL:
        assert translate(label).casefold() in translate(name).casefold(), (language, name)


def test_the_dashboard_offers_the_built_in_plan_in_the_facilitator_language_first(
    facilitator_client: FlaskClient,
) -> None:
    facilitator_client.post("/facilitator/account/language", data={"language": "de"})
    html = facilitator_client.get("/facilitator/").get_data(as_text=True)
    first, _, rest = html.partition('<details class="other-languages">')
    assert "Vertrauen wieder aufbauen" in first and "Rebuilding trust" not in first
    for title in ("Rebuilding trust", "Reconstruir la confianza", "إعادة بناء الثقة"):
        assert title in rest
    assert 'lang="de" dir="auto"' in first


def test_every_built_in_plan_exists_in_every_language_with_the_same_activities() -> None:
    from hearth.plans.builtin import builtin_documents

    plans = {document["language"]: document for document in builtin_documents()}
    assert set(plans) == set(i18n.LANGUAGES)
    shape = [
        (a["kind"], a.get("pair"), len(a.get("options", []))) for a in plans["en"]["activities"]
    ]
    for language, document in plans.items():
        kinds = [
            (a["kind"], a.get("pair"), len(a.get("options", []))) for a in document["activities"]
        ]
        assert kinds == shape, language
        # The facilitator's script is translated too: wherever English has one, so does each.
        for number, (english, translated) in enumerate(
            zip(plans["en"]["activities"], document["activities"], strict=True), start=1
        ):
            if english.get("script"):
                assert (translated.get("script") or "").strip(), (language, number)
