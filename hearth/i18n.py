"""Languages: one gettext catalog per language for pages, errors and the ES modules.

Which language a response speaks (docs/translating.md):
- a view may fix it (`use_language`): the projector speaks its workshop's language;
- `?lang=xx` in the address (the phone's visible switch; phones keep no cookie, docs/privacy.md);
- a signed-in facilitator's own choice, on the facilitator's pages;
- else the browser's `Accept-Language`, else English.

The catalogs are the `.po` files in hearth/translations/ and nothing else: they are read (and
compiled in memory, once per process) when first needed, so there is no compile step to forget,
nothing generated to commit, and the wheel needs no build tool beyond what it already has. The
ES modules get the messages whose source lines are in static/js, as JSON inside the page.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations
from flask import Flask, g, has_request_context, request, url_for
from flask_babel import Babel, Domain, get_locale, refresh
from flask_login import current_user
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

from hearth.errors import HearthError
from hearth.errors import Message as ErrorMessage

# The languages Hearth speaks, each named in itself (the switch shows these names).
LANGUAGES: dict[str, str] = {
    "en": "English",
    "de": "Deutsch",
    "es": "Español",
    "fr": "Français",
    "ar": "العربية",
}
DEFAULT_LANGUAGE = "en"
RIGHT_TO_LEFT = frozenset({"ar"})
TRANSLATIONS = Path(__file__).resolve().parent / "translations"
# Messages whose source is an ES module go to the browser; the rest stay on the server.
SCRIPT_SOURCES = "static/js/"
SCRIPT_AREAS = ("participant", "present", "facilitator")
SHARED_SCRIPTS = ("shared", "common")
# Numbers that reach every CLDR plural category the five languages use (0, 1, 2, 3-10, 11-99,
# 100-102); the category -> gettext form table is read off them.
PLURAL_SAMPLES = range(0, 203)


def catalog_path(language: str) -> Path:
    """Where a language's catalog lives."""
    return TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"


@functools.cache
def load_catalog(language: str) -> Catalog:
    """The parsed `.po` catalog of a language (an empty one if the file is missing)."""
    path = catalog_path(language)
    if not path.is_file():
        return Catalog(locale=language)
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


@functools.cache
def translations_for(language: str) -> Translations:
    """gettext translations for a language, compiled from its `.po` in memory, once."""
    buffer = io.BytesIO()
    write_mo(buffer, load_catalog(language))  # fuzzy entries are left out, as msgfmt does
    buffer.seek(0)
    return Translations(buffer, domain="messages")


def page_language() -> str:
    """The language of the current response ('en' outside a request)."""
    locale = get_locale()
    return locale.language if locale is not None else DEFAULT_LANGUAGE


def text_direction(language: str) -> str:
    """'rtl' or 'ltr', for the `dir` attribute."""
    return "rtl" if language in RIGHT_TO_LEFT else "ltr"


def known_language(value: Any) -> str | None:
    """`value` if it names a language Hearth speaks, else None."""
    return value if isinstance(value, str) and value in LANGUAGES else None


def use_language(language: str | None) -> None:
    """Make the rest of this request speak `language` (the projector: its workshop's)."""
    # A plan may say "es-MX" or a language Hearth does not speak: its first part, if known.
    chosen = known_language((language or "").split("-")[0])
    if chosen is not None:
        g.hearth_language = chosen
        refresh()


def select_language() -> str:
    """Flask-Babel's locale selector; the order is the module docstring's."""
    fixed = g.get("hearth_language")
    if fixed:
        return str(fixed)
    if not has_request_context():  # an export or a command, rendering outside a request
        return DEFAULT_LANGUAGE
    asked = known_language(request.args.get("lang"))
    if asked:
        return asked
    if request.blueprint in ("facilitator", "api") and current_user.is_authenticated:
        own = known_language(getattr(current_user, "language", None))
        if own:
            return own
    return request.accept_languages.best_match(list(LANGUAGES), DEFAULT_LANGUAGE)


def environ_language(environ: dict[str, Any] | None, asked: Any = None) -> str:
    """The language of a socket (no request context on the answer path): the one it `asked`
    for when it connected (a phone's `lang`), else its handshake's Accept-Language."""
    chosen = known_language(asked)
    if chosen:
        return chosen
    header = (environ or {}).get("HTTP_ACCEPT_LANGUAGE", "")
    accepted = parse_accept_header(header, LanguageAccept)
    return accepted.best_match(list(LANGUAGES), DEFAULT_LANGUAGE) or DEFAULT_LANGUAGE


def say(message: ErrorMessage | HearthError, language: str | None = None) -> str:
    """An error's message in `language` (the current response's by default), its whole numbers
    written the way that language writes them."""
    text = message.text if isinstance(message, HearthError) else message
    chosen = language or page_language()
    return text.render(translations_for(chosen).gettext, speaker_numbers(chosen))


def speaker_numbers(language: str) -> Callable[[int], str]:
    """Whole numbers as `language` writes them: from five digits on, grouped its way
    (20,000 / 20.000 / 20 000); shorter ones (a limit of 4000, activity 3) as they are."""

    def write(number: int) -> str:
        return format_decimal(number, locale=language) if abs(number) >= 10_000 else str(number)

    return write


def error_ack(error: HearthError, language: str) -> dict[str, Any]:
    """A socket's `{"ok": false, "error"}` acknowledgement, its message in `language`."""
    return error.as_ack(translations_for(language).gettext, speaker_numbers(language))


class CatalogDomain(Domain):
    """Flask-Babel's domain, reading the process-wide catalogs above instead of `.mo` files."""

    def get_translations(self) -> Translations:
        """The translations of the current request's language."""
        return translations_for(page_language())


class HearthBabel(Babel):
    """Flask-Babel with one shared domain (its default makes a new one, so a new cache, per
    request)."""

    domain = "messages"
    _domain = CatalogDomain()

    @property
    def domain_instance(self) -> Domain:
        """The one catalog domain."""
        return self._domain


def plural_categories(language: str) -> dict[str, int]:
    """CLDR plural category (what the browser's Intl.PluralRules names) -> gettext form index."""
    rule = Locale.parse(language).plural_form
    forms = translations_for(language)
    table: dict[str, int] = {}
    for number in PLURAL_SAMPLES:
        table.setdefault(rule(number), forms.plural(number))
    return table


def _message_key(message: Message) -> str:
    """A message's id; a plural's singular stands for it."""
    return message.id if isinstance(message.id, str) else str(message.id[0])


def _script_text(message: Message, found: Message | None, categories: dict[str, int]) -> Any:
    """What the browser gets for one message: its text, or {plural category: text}."""
    text = found.string if found is not None and not found.fuzzy else None
    if isinstance(message.id, str):
        return text or message.id
    forms = list(text) if text and all(text) else list(message.id)
    return {category: forms[min(index, len(forms) - 1)] for category, index in categories.items()}


@functools.cache
def script_catalog(language: str, area: str) -> dict[str, Any]:
    """The messages the ES modules of one area (participant, present, facilitator) and the
    shared ones use, as JSON; plurals as {category: text} for the browser's Intl.PluralRules."""
    sources = tuple(f"{SCRIPT_SOURCES}{folder}/" for folder in (area, *SHARED_SCRIPTS))
    translated = load_catalog(language)
    categories = plural_categories(language)
    messages = {
        _message_key(message): _script_text(message, translated.get(message.id), categories)
        for message in load_catalog(DEFAULT_LANGUAGE)
        if message.id and any(path.startswith(sources) for path, _ in message.locations)
    }
    return {"language": language, "messages": messages}


def script_area() -> str:
    """Which ES modules the current page loads: its blueprint's folder in static/js."""
    return request.blueprint if request.blueprint in SCRIPT_AREAS else "facilitator"


def switch_links() -> list[dict[str, str]]:
    """The language switch: this page in every language (phones carry `?lang=` in the URL)."""
    if request.endpoint is None:
        return []
    args = {**(request.view_args or {}), **request.args.to_dict()}
    return [
        {
            "code": code,
            "name": name,
            "url": url_for(request.endpoint, **{**args, "lang": code}),
        }
        for code, name in LANGUAGES.items()
    ]


def keep_language() -> dict[str, str]:
    """`lang=` for links between phone pages, when the phone chose one with the switch."""
    asked = known_language(request.args.get("lang"))
    return {"lang": asked} if asked else {}


def _template_context() -> dict[str, Any]:
    language = page_language()
    return {
        "page_lang": language,
        "page_dir": text_direction(language),
        "languages": LANGUAGES,
        "script_catalog": lambda area=None: script_catalog(language, area or script_area()),
        "switch_links": switch_links,
        "keep_language": keep_language,
    }


def init_app(app: Flask) -> None:
    """Install the catalogs, the language selector and the template helpers."""
    HearthBabel(app, locale_selector=select_language)
    # {% trans %} blocks are extracted and looked up with their whitespace collapsed.
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.context_processor(_template_context)
