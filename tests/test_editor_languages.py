"""The plan editor, import, upload and delete pages speak the facilitator's language: the pages,
the messages their ES modules get, the import report on the review page (the article's own
words stay as written), and a refused save says where the problem is in any language."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from flask.testing import FlaskClient

from hearth import i18n
from hearth.importer import build_draft, parse_markdown, report_lines

JSON = {"Accept": "application/json"}
# A Markdown article with a list longer than a poll holds and a picture: both are reported.
ARTICLE = "\n".join(
    [
        "# Ways back to trust",
        "",
        "Trust comes back in small steps, over weeks rather than days.",
        "",
        "## Small things that help",
        "",
        *[f"- Small thing number {n}" for n in range(1, 13)],
        "",
        "![A drawing of two hands](hands.png)",
        "",
        "Each of these is a way to show up again.",
        "",
    ]
)


def _script_messages(html: str) -> dict[str, Any]:
    match = re.search(r'<script type="application/json" id="hearth-messages">(.*?)</script>', html)
    assert match is not None
    return dict(json.loads(match.group(1)))


@pytest.fixture
def german(facilitator_client: FlaskClient) -> FlaskClient:
    """The logged-in facilitator, who chose German for their own pages."""
    facilitator_client.post("/facilitator/account/language", data={"language": "de"})
    return facilitator_client


def test_the_editor_in_german_carries_german_text(german: FlaskClient) -> None:
    html = german.get("/facilitator/plans/new").get_data(as_text=True)
    assert 'lang="de"' in html
    page = html.split('id="hearth-messages"')[0]  # what is shown, not the modules' catalog
    for words in ("Neuer Plan", "Eine Aktivität hinzufügen", "Handy-Vorschau", "Speichern"):
        assert words in page, words
    assert "Add an activity" not in page and "Phone preview" not in page
    # The editor's modules get their words from the same catalog, in German.
    catalog = _script_messages(html)
    assert catalog["language"] == "de"
    messages = catalog["messages"]
    assert messages["Add option"] == "Option hinzufügen"
    assert messages["Saved at %(time)s"] == "Gespeichert um %(time)s"
    assert messages["Edit “%(title)s”"] == "„%(title)s“ bearbeiten"


def test_the_editor_names_the_plan_it_edits(german: FlaskClient) -> None:
    created = german.post(
        "/facilitator/plans",
        json={
            "plan": {"title": "Rebuilding trust", "activities": [{"kind": "open", "prompt": "?"}]}
        },
        headers=JSON,
    )
    html = german.get(created.get_json()["edit_url"]).get_data(as_text=True)
    assert '<h1 id="editor-heading">„Rebuilding trust“ bearbeiten</h1>' in html
    assert "<title>„Rebuilding trust“ bearbeiten · Hearth</title>" in html


def test_the_phone_preview_speaks_the_facilitator_language_with_the_phone_words(
    german: FlaskClient,
) -> None:
    html = german.get("/facilitator/plans/preview").get_data(as_text=True)
    assert "Ich brauche eine Pause" in html and "Noch nichts zu zeigen" in html
    # The frame runs the phone's modules, so it carries the phone's messages.
    messages = _script_messages(html)["messages"]
    assert messages["Send answer"] == "Antwort senden"


def test_the_import_report_is_translated_and_the_article_keeps_its_words(
    german: FlaskClient,
) -> None:
    response = german.post("/facilitator/plans/import", data={"text": ARTICLE, "format": "auto"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Den Entwurf prüfen" in html and "Was Hearth gelesen hat" in html
    assert "Gelesen als Markdown (eingefügter Text)." in html
    assert "1 × Bild" in html
    # The list's heading is the article's own, in the middle of a German sentence.
    assert "Die Liste „Small things that help“ hat 12 Punkte" in html
    assert "Alle 0 Sätze" not in html and "What Hearth read" not in html


@pytest.mark.parametrize("language", ["en", "de", "es", "fr", "ar"])
def test_report_lines_say_the_same_facts_in_every_language(language: str) -> None:
    _, report = build_draft(parse_markdown(ARTICLE), "markdown")
    translations = i18n.translations_for(language)
    left_out, notes = report_lines(report, translations.gettext, translations.ngettext, str)
    assert len(left_out) == 2 and notes == []
    assert "12" in left_out[1] and "Small things that help" in left_out[1]
    if language != "en":
        assert left_out != report.left_out
    else:
        assert (
            left_out
            == report.left_out
            == [
                "1 × image",
                "The list “Small things that help” has 12 items: its first 10 are the poll's "
                "options (a poll holds 10); every item is on the slide.",
            ]
        )


def test_a_refused_save_says_where_the_problem_is(german: FlaskClient) -> None:
    document = {
        "title": "Two activities",
        "activities": [
            {"kind": "open", "prompt": "How are you?"},
            {"kind": "rank", "prompt": "Which step?", "options": ["Only one"]},
        ],
    }
    response = german.post("/facilitator/plans", json={"plan": document}, headers=JSON)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "invalid_plan"
    # The editor opens activity 2 and its options from these, whatever language the message is in.
    assert (error["activity"], error["fields"][0]) == (2, "options")

    document = {"title": "", "activities": [{"kind": "open", "prompt": "How are you?"}]}
    error = german.post("/facilitator/plans", json={"plan": document}, headers=JSON).get_json()
    assert (error["error"]["activity"], error["error"]["fields"]) == (None, ["title"])


def test_flashed_messages_after_duplicate_and_delete_are_german(german: FlaskClient) -> None:
    created = german.post(
        "/facilitator/plans",
        json={"plan": {"title": "Small", "activities": [{"kind": "open", "prompt": "?"}]}},
        headers=JSON,
    ).get_json()
    page = german.post(created["duplicate_url"], follow_redirects=True).get_data(as_text=True)
    assert "Das ist deine eigene Kopie" in page
    confirm = german.get(created["delete_url"]).get_data(as_text=True)
    assert "„Small“ löschen?" in confirm and "Der Plan und seine 1 Aktivität" in confirm
    page = german.post(created["delete_url"], follow_redirects=True).get_data(as_text=True)
    assert "Der Plan „Small“ ist gelöscht." in page
