"""Server error messages speak the reader's language; their codes never change.

Every HearthError (and every plan, article and activity problem) is raised with an English
message id and named values; the id is extracted into the catalogs like any other message, and
hearth/web.py (HTTP) and hearth/acks.py (sockets) translate it where the error is answered.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from test_i18n import extracted_ids

from hearth import i18n
from hearth.errors import HearthError, Message

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("hearth", "facilitator", "participant")
# The calls that take a message, and which positional argument it is.
MESSAGE_ARGUMENT = {
    "HearthError": 1,
    "invalid_payload": 0,
    "not_found": 0,
    "Message": 0,
    "MessageError": 0,
    "PlanError": 0,
    "ArticleError": 0,
    "ArticleTooLarge": 0,
    "SpecError": 0,
    "N_": 0,
}


def _name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _message_argument(call: ast.Call) -> ast.expr | None:
    position = MESSAGE_ARGUMENT[_name(call)]
    if len(call.args) > position:
        return call.args[position]
    return next((word.value for word in call.keywords if word.arg == "message"), None)


def message_calls() -> Iterator[tuple[str, ast.Call, ast.expr]]:
    """Every call that raises or marks an error message, with the message argument."""
    for folder in SOURCES:
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.Call) and _name(node) in MESSAGE_ARGUMENT:
                    argument = _message_argument(node)
                    if argument is not None:
                        where = f"{path.relative_to(ROOT)}:{node.lineno}"
                        yield where, node, argument


def literal_messages() -> dict[str, str]:
    """message id -> where it is raised, for every message written in place."""
    found = {}
    for where, _call, argument in message_calls():
        if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
            found[argument.value] = where
    return found


def test_no_error_message_is_built_where_extraction_cannot_see_it() -> None:
    # An f-string, a + or a % makes a sentence no catalog holds: the values go in as
    # keyword arguments (%(name)s) instead, and messages kept elsewhere are marked with N_.
    built = [
        where
        for where, _call, argument in message_calls()
        if isinstance(argument, ast.JoinedStr | ast.BinOp)
        or (isinstance(argument, ast.Call) and _name(argument) in ("str", "format"))
    ]
    assert not built, built


def test_every_error_message_is_extracted_and_translated() -> None:
    messages = literal_messages()
    assert len(messages) > 150, "the walk found too few error messages"
    extracted = extracted_ids()
    missing = sorted(set(messages) - extracted)
    assert not missing, [f"{messages[m]}: {m}" for m in missing[:5]]
    for language in ("de", "es", "fr", "ar"):
        catalog = i18n.load_catalog(language)
        untranslated = [m for m in messages if not (catalog.get(m) and catalog.get(m).string)]
        assert not untranslated, f"{language}: {[messages[m] for m in untranslated[:5]]}"


def test_a_message_puts_its_values_where_each_language_wants_them() -> None:
    refused = HearthError("too_long", "Please keep questions to %(limit)s characters.", limit=280)
    assert refused.message == "Please keep questions to 280 characters."
    german = refused.as_dict(i18n.translations_for("de").gettext)["error"]
    assert german == {
        "code": "too_long",
        "message": "Bitte halte Fragen bei höchstens 280 Zeichen.",
    }
    # Values that are messages are translated too; whole numbers follow the language's rules.
    notes = Message(
        "%(activity)s: %(problem)s.",
        {
            "activity": Message("Activity %(number)s", {"number": 3}),
            "problem": Message("'%(field)s' is required", {"field": "prompt"}),
        },
    )
    assert str(notes) == "Activity 3: 'prompt' is required."
    assert "3" in i18n.say(notes, "ar") and "prompt" in i18n.say(notes, "ar")
    assert i18n.say(
        Message(
            "Notes can be up to %(limit)s characters; these are %(length)s. "
            "Keep the longer text in a document of your own.",
            {"limit": 20000, "length": 20001},
        ),
        "de",
    ).startswith("Notizen können bis zu 20.000 Zeichen lang sein")


@pytest.mark.parametrize(
    ("language", "words"),
    [("de", "Diese Sitzung"), ("ar", "هذه الجلسة"), ("en", "This workshop")],
)
def test_the_same_bad_request_gets_the_same_code_in_every_language(
    client: FlaskClient, language: str, words: str
) -> None:
    reply = client.get(
        "/j/ZZZZZZ", headers={"Accept": "application/json", "Accept-Language": language}
    )
    assert reply.status_code == 404
    error = reply.get_json()["error"]
    assert error["code"] == "unknown_code"
    english = "No workshop has that code. Check the code on the screen."
    assert (error["message"] == english) == (language == "en")


@pytest.mark.parametrize("language", ["de", "ar"])
def test_an_api_refusal_is_translated_and_keeps_its_code(
    client: FlaskClient, api_token: str, language: str
) -> None:
    headers = {"Authorization": f"Bearer {api_token}", "Accept-Language": language}
    body = {"plan": "rebuilding-trust", "settings": {"min_group": 1}}
    reply = client.post("/api/v1/workshops", json=body, headers=headers)
    assert reply.status_code == 400
    error = reply.get_json()["error"]
    assert error["code"] == "invalid_value"
    expected = i18n.translations_for(language).gettext(
        "The minimum group size must be a whole number from %(lo)s to %(hi)s."
    ) % {"lo": 3, "hi": 50}
    assert error["message"] == expected
    assert expected != "The minimum group size must be a whole number from 3 to 50."


def test_an_error_page_speaks_the_phones_language(client: FlaskClient) -> None:
    page = client.get("/j/ZZZZZZ?lang=ar").get_data(as_text=True)
    assert 'data-code="unknown_code"' in page
    arabic = i18n.translations_for("ar").gettext(UNKNOWN_CODE)
    assert arabic != UNKNOWN_CODE and arabic in page
    assert UNKNOWN_CODE not in page


UNKNOWN_CODE = "No workshop has that code. Check the code on the screen."


def _translated(language: str, message: str, **values: Any) -> str:
    text = i18n.translations_for(language).gettext(message)
    assert text != message, f"{message!r} is not translated into {language}"
    return text % values if values else text


@pytest.mark.parametrize("language", ["de", "ar"])
def test_a_phone_gets_its_socket_errors_in_its_own_language(
    phone: Callable[..., Any], make_workshop: Callable[..., Any], act: Any, language: str
) -> None:
    workshop = make_workshop()
    act(workshop, "start")
    own = phone(auth={"code": workshop.code, "lang": language})
    plain = phone(auth={"code": workshop.code})
    assert own.alive and plain.alive
    bad = {"activity_id": "one", "value": 0, "msg_id": "m1"}
    # `answer` takes the direct path, without a request context.
    translated, english = own.call("answer", bad), plain.call("answer", bad)
    assert translated["ok"] is False and english["ok"] is False
    assert translated["error"]["code"] == english["error"]["code"] == "invalid_payload"
    assert english["error"]["message"] == "'activity_id' must be a whole number."
    assert translated["error"]["message"] == _translated(
        language, "'%(field)s' must be a whole number.", field="activity_id"
    )
    # `ask` runs inside Flask-SocketIO's request context: the same language.
    empty = own.call("ask", {"text": " ", "msg_id": "q1"})
    assert empty["error"] == {
        "code": "invalid_value",
        "message": _translated(language, "Write a question first."),
    }
    # An event the namespace does not take is answered before any handler.
    unknown = own.call("shout", {})
    assert unknown["error"] == {
        "code": "unknown_event",
        "message": _translated(language, "This connection takes no event of that name."),
    }


def test_a_refused_connect_speaks_the_phones_language(phone: Callable[..., Any]) -> None:
    refused = phone(auth={"code": "ZZZZZZ", "lang": "fr"})
    assert not refused.alive
    assert refused.refusal == {
        "code": "unknown_code",
        "message": _translated("fr", UNKNOWN_CODE),
    }
    # Without `lang`, the handshake's Accept-Language (none here): English.
    assert phone("ZZZZZZ").refusal == {"code": "unknown_code", "message": UNKNOWN_CODE}
