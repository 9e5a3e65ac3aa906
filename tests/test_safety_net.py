"""The safety net (issue #13 §5): open answers and questions with crisis language are held for
the facilitator's care, never shown to the room by themselves (docs/privacy.md).

Matching per language with its false-positive traps; held items absent from every audience's
payload, socket message, export and the take-home page; release and dismiss; each
facilitator's own phrases, validated and applied to their workshops; deletion with the other
answers. The authorisation rows live in tests/test_authz_matrix.py.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import test_exports
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from hearth import exports, realtime
from hearth.errors import HearthError
from hearth.extensions import db
from hearth.models import Facilitator, Question, Response, SafetyPhrase, Workshop
from hearth.privacy import issue_participant_token
from hearth.results import care_queue, moderation_queue
from hearth.safety import (
    CATEGORIES,
    LANGUAGES,
    build_matcher,
    builtin_terms,
    fold,
    languages_for,
    parse_terms,
    phrase_pattern,
    variants,
)
from hearth.services import care, questions, responses, retention, workshops

HELD = "Heldmarker I want to kill myself tonight"
HELD_QUESTION = "Heldquestion what if I hurt myself again"
MARK = "Heldm"  # in HELD and, case aside, not in any other text
QMARK = "Heldquestion"


def categories(language: str, text: str) -> list[str]:
    """The categories a text matches in a workshop of `language`."""
    return build_matcher(languages_for(language)).categories(text)


# --- matching -------------------------------------------------------------------------------

MATCHES = [
    ("en", "Sometimes I want to die", ["suicide"]),
    ("en", "I have been SUICIDAL for weeks", ["suicide"]),
    ("en", "i cut myself last night", ["self_harm"]),
    ("en", "My dad hits me when he drinks", ["abuse"]),
    ("en", "He threatened to kill me", ["violence"]),
    ("en", "I wish I wasn't here", ["suicide"]),
    ("en", "I wish I wasnt here", ["suicide"]),
    ("en", "self-harm", ["self_harm"]),
    ("de", "Ich will nicht mehr leben", ["suicide"]),
    ("de", "Selbstmordgedanken seit Wochen", ["suicide"]),
    ("de", "SELBSTMORD", ["suicide"]),
    ("de", "Mein Mann schlägt mich", ["abuse"]),
    ("de", "Mein Mann schlaegt mich", ["abuse"]),
    ("de", "Ich ritze mich", ["self_harm"]),
    ("de", "I want to die", ["suicide"]),  # English is matched in every workshop
    ("es", "Me quiero MORIR", ["suicide"]),
    ("es", "Mi pareja me pega", ["abuse"]),
    ("es", "pienso en el suicidio", ["suicide"]),
    ("es", "tengo ganas de desaparecer", ["suicide"]),
    ("fr", "J'ai envie de mourir", ["suicide"]),
    ("fr", "j’ai envie de mourir", ["suicide"]),  # a typographic apostrophe
    ("fr", "Mon mari me frappe", ["abuse"]),
    ("fr", "des idées noires", ["suicide"]),
    ("fr", "des idees noires", ["suicide"]),
    ("ar", "أريد أن أموت", ["suicide"]),
    ("ar", "اريد ان اموت", ["suicide"]),  # without hamza
    ("ar", "أفكر في الانتِحار", ["suicide"]),  # with a diacritic
    ("ar", "والانتحار", ["suicide"]),  # with a joined prefix
    ("ar", "زوجي يضربني", ["abuse"]),
    ("ar", "تعرضت للتحرش", ["abuse"]),
    ("ar", "أؤذي نفسي", ["self_harm"]),
]


@pytest.mark.parametrize(("language", "text", "expected"), MATCHES)
def test_crisis_language_matches_in_the_workshop_language_and_english(
    language: str, text: str, expected: list[str]
) -> None:
    assert categories(language, text) == expected


TRAPS = [
    ("en", "My therapist helps me a lot"),  # "the rapist" inside one word
    ("en", "That is a skill I want to learn"),  # "kill" inside "skill"
    ("en", "It finally hit me that I was tired"),
    ("en", "He abused my trust once"),
    ("en", "I did not want to hurt her feelings"),
    ("en", "I can't go on holiday this year"),
    ("en", "I could shoot them an email"),
    ("en", "Scunthorpe and Penistone are towns"),
    ("en", "We studied the diet of monkeys"),
    ("de", "Das war ein Mordsspaß"),
    ("de", "Er hat mein Vertrauen missbraucht"),
    ("de", "Die Sitzung war gut, danke"),
    ("de", "Der Gedanke verfolgt mich"),
    ("es", "Fue un abuso de mi confianza"),
    ("es", "Me corté el pelo ayer"),
    ("es", "Quiero matar el tiempo"),
    ("fr", "Ça va me tuer de rire"),
    ("fr", "Ce qui me frappe, c'est sa gentillesse"),
    ("fr", "Ma thérapeute est à l'écoute"),
    ("ar", "أريد أن أتعلم"),
    ("ar", "شكرا على الجلسة"),
]


@pytest.mark.parametrize(("language", "text"), TRAPS)
def test_harmless_words_that_contain_or_resemble_a_phrase_do_not_match(
    language: str, text: str
) -> None:
    assert categories(language, text) == []


def test_folding_ignores_case_accents_punctuation_and_arabic_letter_variants() -> None:
    assert fold("  Ça   VA, très-bien! ") == "ca va tres bien"
    assert fold("Straße") == "strasse"
    assert fold("أإآٱ ة ى ـ") == fold("اااا ه ي")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_built_in_list_names_its_sources_and_fills_every_category(language: str) -> None:
    terms = builtin_terms(language)
    assert len(terms.sources) >= 3
    assert all(terms.phrases[category] for category in CATEGORIES)
    # The one pattern built for the whole list matches every form of every phrase, in its
    # category, and with a star's word going on.
    matcher = build_matcher((language,))
    for category, phrases in terms.phrases.items():
        for phrase in phrases:
            for form in variants(phrase):
                assert category in matcher.categories(form.replace("*", "")), (phrase, form)
                assert category in matcher.categories(form.replace("*", "xyz")), (phrase, form)


def test_variants_and_stars_write_inflections_explicitly() -> None:
    assert variants("{cut|cutting} myself") == ["cut myself", "cutting myself"]
    assert variants("mich {sexuell|} missbraucht") == [
        "mich sexuell missbraucht",
        "mich missbraucht",
    ]
    matcher = build_matcher(("en",), (("violence", "stalk* me"),))
    assert matcher.categories("he keeps stalking me") == ["violence"]
    assert matcher.categories("a stalk of celery, me") == []


@pytest.mark.parametrize(
    "text",
    [
        "[nonsense]\nsuicide\n",  # an unknown category
        "suicide\n",  # a phrase before any category
        "[suicide]\n*\n",  # nothing to match
    ],
)
def test_a_broken_phrase_file_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_terms("xx", text)


def test_a_star_only_ends_a_word() -> None:
    with pytest.raises(ValueError):
        phrase_pattern("sui*cide")


# --- held answers ---------------------------------------------------------------------------


@pytest.fixture
def open_workshop(
    app: Flask, make_plan: Callable[..., str], make_workshop: Callable[..., Any], act: Any
) -> Any:
    """A live workshop (k = 3) showing an open question, then a choice."""
    slug = make_plan(
        [
            {"kind": "open", "prompt": "What helps you?", "max_length": 280},
            {"kind": "choice", "prompt": "Which?", "options": ["A", "B"]},
        ]
    )
    info = make_workshop(min_group=3, plan=slug)
    act(info, "start")
    return info


def answer(app: Flask, info: Any, text: str, n: int) -> dict[str, Any]:
    """Phone number n answers the open question (through the service)."""
    token = issue_participant_token(app.config["SECRET_KEY"], info.id)
    with app.app_context():
        _, mine = responses.submit_answer(
            info.id,
            token,
            {"activity_id": info.activities[0].id, "value": text, "msg_id": f"m{n}-{text[:8]}"},
        )
    return mine


def snapshots(app: Flask, workshop_id: int) -> dict[str, Any]:
    """What each audience would get now."""
    with app.app_context():
        workshop = db.session.get(Workshop, workshop_id)
        assert workshop is not None
        activity = workshop.activities[0]
        payloads = realtime.snapshots.results_payloads(workshop, activity)
        assert payloads is not None
        return {
            "control": realtime.control_state(workshop),
            "state": realtime.participant_snapshot(workshop, None),
            "present": realtime.present_snapshot(workshop),
            "facilitator_results": payloads["facilitator"],
            "public_results": payloads["public"],
            "queue": moderation_queue(workshop),
        }


def text_of(payload: Any) -> str:
    return json.dumps(payload, ensure_ascii=False)


def test_a_held_answer_reaches_only_the_care_panel(app: Flask, open_workshop: Any) -> None:
    mine = answer(app, open_workshop, HELD, 0)
    assert mine == {"value": HELD, "passed": False}  # the phone is told nothing else
    with app.app_context():
        row = db.session.scalar(select(Response))
        assert row is not None and (row.moderation, row.care) == ("held", "suicide,violence")
    # Below k: the panel lists it with its categories, the words wait for k.
    seen = snapshots(app, open_workshop.id)
    assert seen["control"]["care"] == [
        {
            "response_id": row.id,
            "question_id": None,
            "activity_index": 0,
            "categories": ["suicide", "violence"],
            "text": None,
        }
    ]
    assert MARK not in text_of(seen)
    for n in (1, 2):
        answer(app, open_workshop, f"Talking with friends {n}", n)
    seen = snapshots(app, open_workshop.id)
    assert [item["text"] for item in seen["control"]["care"]] == [HELD]
    assert seen["facilitator_results"]["pending"] == 2  # the held one is not waiting there
    assert seen["queue"][1] == 2 and MARK not in text_of(seen["queue"])
    for audience in ("state", "present", "facilitator_results", "public_results"):
        assert MARK not in text_of(seen[audience]), audience


def test_no_socket_message_to_phones_or_projectors_carries_a_held_answer(
    app: Flask,
    open_workshop: Any,
    act: Any,
    flush: Callable[[], int],
    phone: Callable[..., Any],
    present_socket: Callable[..., Any],
    facilitator_socket: Callable[..., Any],
) -> None:
    phones = [phone(open_workshop.code) for _ in range(3)]
    projector = present_socket(open_workshop)
    control = facilitator_socket(open_workshop)
    activity = open_workshop.activities[0]
    assert phones[0].answer(activity, HELD)["ok"]
    for n, device in enumerate(phones[1:], start=1):
        assert device.answer(activity, f"A walk outside {n}")["ok"]
    with app.app_context():
        for row in db.session.scalars(select(Response).where(Response.moderation == "pending")):
            act(open_workshop, "approve", response_id=row.id)
    act(open_workshop, "reveal")
    flush()
    heard = [event for device in phones for event in device.events()] + projector.events()
    assert "A walk outside 1" in text_of(heard)  # the room saw the approved answers
    assert MARK not in text_of(heard)
    controls = [payload for name, payload in control.events() if name == "control"]
    assert controls[-1]["care"][0]["text"] == HELD


def test_approve_and_reject_cannot_reach_a_held_answer(
    app: Flask, open_workshop: Any, act: Any
) -> None:
    answer(app, open_workshop, HELD, 0)
    with app.app_context():
        row_id = db.session.scalar(select(Response.id))
    for action in ("approve", "reject"):
        with pytest.raises(HearthError) as refused:
            act(open_workshop, action, response_id=row_id)
        assert refused.value.code == "not_found"
    with app.app_context():
        assert db.session.scalar(select(Response.moderation)) == "held"


def test_release_moves_a_held_answer_to_the_moderation_queue(
    app: Flask, open_workshop: Any, act: Any
) -> None:
    for n, text in enumerate((HELD, "Music", "Sleep")):
        answer(app, open_workshop, text, n)
    with app.app_context():
        row_id = db.session.scalar(select(Response.id).where(Response.moderation == "held"))
    act(open_workshop, "care_release", response_id=row_id)
    seen = snapshots(app, open_workshop.id)
    assert seen["control"]["care"] == []
    assert HELD in [entry["text"] for entry in seen["queue"][0]]
    assert MARK not in text_of(seen["public_results"])  # still waits for Approve
    with pytest.raises(HearthError) as twice:
        act(open_workshop, "care_release", response_id=row_id)
    assert twice.value.code == "not_found"


def test_dismiss_keeps_a_held_answer_out_of_the_room_for_good(
    app: Flask, open_workshop: Any, act: Any
) -> None:
    for n, text in enumerate((HELD, "Music", "Sleep")):
        answer(app, open_workshop, text, n)
    with app.app_context():
        row_id = db.session.scalar(select(Response.id).where(Response.moderation == "held"))
    act(open_workshop, "care_dismiss", response_id=row_id)
    seen = snapshots(app, open_workshop.id)
    assert seen["control"]["care"] == []
    # From now on an ordinary rejected answer: the team's list of rejected ones, nowhere else.
    assert [a["text"] for a in seen["control"]["rejected"]["answers"]] == [HELD]
    del seen["control"]["rejected"]
    assert MARK not in text_of(seen)
    with app.app_context():
        assert db.session.get(Response, row_id).moderation == "rejected"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"response_id": 1, "question_id": 2},
        {"response_id": "1"},
        {"question_id": True},
    ],
)
def test_care_actions_refuse_a_malformed_payload(
    app: Flask, open_workshop: Any, act: Any, fields: dict[str, Any]
) -> None:
    with pytest.raises(HearthError) as refused:
        act(open_workshop, "care_release", **fields)
    assert refused.value.code == "invalid_payload"


def test_a_care_action_names_only_a_held_item_of_its_own_workshop(
    app: Flask, open_workshop: Any, make_workshop: Callable[..., Any], act: Any
) -> None:
    answer(app, open_workshop, "Music", 0)
    with app.app_context():
        pending_id = db.session.scalar(select(Response.id))
    other = make_workshop()
    answer(app, open_workshop, HELD, 1)
    with app.app_context():
        held_id = db.session.scalar(select(Response.id).where(Response.moderation == "held"))
    for workshop, row_id in ((open_workshop, pending_id), (other, held_id), (open_workshop, 99)):
        with pytest.raises(HearthError) as refused:
            act(workshop, "care_dismiss", response_id=row_id)
        assert refused.value.code == "not_found"


def test_the_same_text_stays_held_and_new_text_is_matched_again(
    app: Flask, open_workshop: Any
) -> None:
    token = issue_participant_token(app.config["SECRET_KEY"], open_workshop.id)
    activity_id = open_workshop.activities[0].id

    def send(text: str, msg_id: str) -> tuple[str | None, str | None]:
        with app.app_context():
            responses.submit_answer(
                open_workshop.id,
                token,
                {"activity_id": activity_id, "value": text, "msg_id": msg_id},
            )
            row = db.session.scalar(select(Response))
            assert row is not None
            return row.moderation, row.care

    assert send(HELD, "a") == ("held", "suicide,violence")
    assert send(HELD, "b") == ("held", "suicide,violence")
    assert send("A long walk", "c") == ("pending", None)
    assert send("I cut myself", "d") == ("held", "self_harm")


def test_a_phone_deleting_its_answers_deletes_a_held_one(app: Flask, open_workshop: Any) -> None:
    token = issue_participant_token(app.config["SECRET_KEY"], open_workshop.id)
    payload = {"activity_id": open_workshop.activities[0].id, "value": HELD, "msg_id": "x"}
    with app.app_context():
        responses.submit_answer(open_workshop.id, token, payload)
        assert responses.retract(open_workshop.id, token, {"all": True}) == 1
        assert db.session.scalar(select(func.count(Response.id))) == 0


# --- held questions -------------------------------------------------------------------------


def ask(app: Flask, info: Any, text: str, msg_id: str = "q1") -> int:
    with app.app_context():
        return questions.ask(info.id, {"text": text, "msg_id": msg_id})


def test_a_held_question_skips_the_board_and_its_queue(
    app: Flask, open_workshop: Any, act: Any, phone: Callable[..., Any]
) -> None:
    device = phone(open_workshop.code)
    ack = device.call("ask", {"text": HELD_QUESTION, "msg_id": "q-held"})
    assert ack == {"ok": True, "question_id": ack["question_id"], "status": "pending"}
    seen = snapshots(app, open_workshop.id)
    assert seen["control"]["care"] == [
        {
            "response_id": None,
            "question_id": ack["question_id"],
            "activity_index": None,
            "categories": ["self_harm"],
            "text": HELD_QUESTION,
        }
    ]
    assert QMARK not in text_of(seen["control"]["qa"])
    assert QMARK not in text_of([seen["state"], seen["present"]])
    with pytest.raises(HearthError) as refused:
        act(open_workshop, "qa_approve", question_id=ack["question_id"])
    assert refused.value.code == "not_found"
    upvote = device.call("upvote", {"question_id": ack["question_id"]})
    assert upvote["ok"] is False and upvote["error"]["code"] == "not_found"


def test_release_and_dismiss_of_a_held_question(app: Flask, open_workshop: Any, act: Any) -> None:
    first = ask(app, open_workshop, HELD_QUESTION, "q1")
    second = ask(app, open_workshop, HELD_QUESTION + " soon", "q2")
    act(open_workshop, "care_release", question_id=first)
    act(open_workshop, "care_dismiss", question_id=second)
    with app.app_context():
        assert db.session.get(Question, first).status == "pending"  # type: ignore[union-attr]
        assert db.session.get(Question, second).status == "dismissed"  # type: ignore[union-attr]
    board = snapshots(app, open_workshop.id)["control"]["qa"]["questions"]
    assert [(q["id"], q["status"]) for q in board] == [(first, "pending")]


# --- documents ------------------------------------------------------------------------------


@pytest.fixture
def ran_held(
    app: Flask, make_plan: Callable[..., str], make_workshop: Callable[..., Any]
) -> test_exports.Ran:
    """The export fixture's finished workshop, plus a held answer and a held question, as the
    answer path and `ask` store them."""
    ran = test_exports.run_workshop(app, make_plan, make_workshop)
    with app.app_context():
        workshop = db.session.get(Workshop, ran.id)
        assert workshop is not None
        step = next(a for a in workshop.activities if a.spec.get("prompt") == "One small step?")
        db.session.add(
            Response(activity_id=step.id, key="k" * 64, value=HELD, moderation="held", care="x")
        )
        db.session.add(Question(workshop_id=ran.id, text=HELD_QUESTION, status="held", care="x"))
        db.session.commit()
    return ran


@pytest.mark.parametrize("fmt", test_exports.FORMATS)
def test_no_export_holds_a_held_item_nor_a_count_of_them(
    app: Flask, ran_held: test_exports.Ran, fmt: str, tmp_path: Path
) -> None:
    if fmt == "pdf" and not test_exports.pdf_available(app):
        pytest.skip("no Chromium-family browser to print the PDF")
    body, _, _ = test_exports.export(app, ran_held.id, fmt)
    text = test_exports.as_text(body, fmt, tmp_path)
    assert test_exports.APPROVED in text  # the real export, with the approved answers
    assert MARK not in text and QMARK not in text
    assert "care" not in text.lower() and "held" not in text.lower()


def test_the_take_home_page_holds_no_held_item(
    app: Flask, client: FlaskClient, facilitator_client: FlaskClient, ran_held: Any
) -> None:
    with app.app_context():
        workshop = db.session.get(Workshop, ran_held.id)
        assert workshop is not None
        assert MARK not in text_of(retention.participant_summary(workshop))
        assert MARK not in text_of(exports.summary(workshop))
        assert care_queue(workshop)  # still waiting for the facilitator after the end
    reply = facilitator_client.post(
        f"/facilitator/workshops/{ran_held.id}/publish",
        json={},
        headers={"Accept": "application/json"},
    )
    path = reply.get_json()["summary"]["summary_url"].removeprefix("http://hearth.test")
    page = client.get(path).get_data(as_text=True)
    assert MARK not in page and QMARK not in page


def test_held_items_are_deleted_with_the_other_answers(app: Flask, ran_held: Any) -> None:
    with app.app_context():
        workshop = db.session.get(Workshop, ran_held.id)
        assert workshop is not None
        record = retention.purge_workshop(workshop)
        assert record.responses > 0 and record.questions > 0
        assert db.session.scalar(select(func.count(Response.id))) == 0
        assert db.session.scalar(select(func.count(Question.id))) == 0
        assert care_queue(workshop) == []


def test_the_database_file_keeps_no_held_text_after_the_purge(
    app: Flask, ran_held: Any, db_path: Path
) -> None:
    with app.app_context():
        workshop = db.session.get(Workshop, ran_held.id)
        assert workshop is not None
        retention.purge_workshop(workshop)
        db.engine.dispose()
    raw = b"".join(
        path.read_bytes() for path in db_path.parent.glob(db_path.name + "*") if path.is_file()
    )
    assert MARK.encode() not in raw and QMARK.encode() not in raw


# --- each facilitator's own phrases ---------------------------------------------------------


def add(client: FlaskClient, category: str, phrase: str) -> Any:
    return client.post(
        "/facilitator/account/safety",
        data={"category": category, "phrase": phrase},
        headers={"Accept": "application/json"},
    )


def stored_phrases(app: Flask) -> list[tuple[str, str]]:
    with app.app_context():
        return [(r.category, r.phrase) for r in db.session.scalars(select(SafetyPhrase))]


@pytest.mark.parametrize(
    ("category", "phrase"),
    [
        ("suicide", "ab"),  # too short
        ("suicide", "x" * 81),  # too long
        ("nonsense", "walk away"),  # not a category
        ("abuse", "a{b|c}"),  # no variants syntax in additions
        ("abuse", "sui*cide"),  # a star inside a word
        ("abuse", "ab* me"),  # too short a stem before a star
        ("abuse", "under_score"),
        ("abuse", "- - -"),  # no letters
    ],
)
def test_an_invalid_phrase_is_refused_and_nothing_is_stored(
    app: Flask, facilitator_client: FlaskClient, category: str, phrase: str
) -> None:
    reply = add(facilitator_client, category, phrase)
    assert reply.status_code == 400
    assert reply.get_json()["error"]["code"] == "invalid_value"
    assert stored_phrases(app) == []


def test_a_refused_phrase_is_shown_again_in_the_page(
    facilitator_client: FlaskClient,
) -> None:
    reply = facilitator_client.post(
        "/facilitator/account/safety", data={"category": "abuse", "phrase": "ab* me"}
    )
    assert reply.status_code == 400
    page = reply.get_data(as_text=True)
    assert 'value="ab* me"' in page and 'role="alert"' in page


def test_a_duplicate_and_the_201st_phrase_are_refused(
    app: Flask, facilitator_client: FlaskClient, owner: Any
) -> None:
    assert add(facilitator_client, "abuse", "Locks me in").status_code == 303
    assert add(facilitator_client, "violence", "locks  ME in").status_code == 400
    with app.app_context():
        for n in range(care.MAX_PHRASES - 1):
            db.session.add(
                SafetyPhrase(facilitator_id=owner.id, category="abuse", phrase=f"phrase {n:03d}")
            )
        db.session.commit()
    reply = add(facilitator_client, "abuse", "one too many")
    assert reply.status_code == 400 and "200" in reply.get_json()["error"]["message"]
    assert len(stored_phrases(app)) == care.MAX_PHRASES


def test_own_phrases_apply_to_the_workshops_of_their_team_only(
    app: Flask,
    open_workshop: Any,
    facilitator_client: FlaskClient,
    make_facilitator: Callable[..., Any],
    logged_in_client: Callable[..., FlaskClient],
) -> None:
    assert answer(app, open_workshop, "He locks me in", 0)
    with app.app_context():
        assert db.session.scalar(select(Response.moderation)) == "pending"
    assert add(facilitator_client, "abuse", "locks me in").status_code == 303
    stranger = logged_in_client(make_facilitator("stranger@example.org"))
    assert add(stranger, "violence", "paper plane*").status_code == 303
    colleague_info = make_facilitator("colleague@example.org")
    with app.app_context():
        workshop = db.session.get(Workshop, open_workshop.id)
        owner = db.session.get(Facilitator, workshop.owner_id)  # type: ignore[union-attr]
        workshops.add_co_facilitator(workshop, owner, "colleague@example.org")  # type: ignore[arg-type]
    assert add(logged_in_client(colleague_info), "self_harm", "the dark room").status_code == 303
    cases = {
        "She locks me in again": ("held", "abuse"),  # the owner's phrase
        "Back to the dark room": ("held", "self_harm"),  # a co-facilitator's
        "Paper planes fly": ("pending", None),  # a stranger's does not apply here
    }
    for n, (text, expected) in enumerate(cases.items(), start=1):
        answer(app, open_workshop, text, n)
        with app.app_context():
            rows = {r.value: r for r in db.session.scalars(select(Response))}
            assert (rows[text].moderation, rows[text].care) == expected, text


def test_a_removed_phrase_no_longer_applies_and_another_s_cannot_be_removed(
    app: Flask,
    open_workshop: Any,
    facilitator_client: FlaskClient,
    make_facilitator: Callable[..., Any],
    logged_in_client: Callable[..., FlaskClient],
) -> None:
    assert add(facilitator_client, "abuse", "locks me in").status_code == 303
    with app.app_context():
        phrase_id = db.session.scalar(select(SafetyPhrase.id))
    stranger = logged_in_client(make_facilitator("stranger@example.org"))
    refused = stranger.post(
        f"/facilitator/account/safety/{phrase_id}/remove", headers={"Accept": "application/json"}
    )
    assert refused.status_code == 404 and refused.get_json()["error"]["code"] == "not_found"
    assert len(stored_phrases(app)) == 1
    removed = facilitator_client.post(f"/facilitator/account/safety/{phrase_id}/remove")
    assert removed.status_code == 303 and stored_phrases(app) == []
    answer(app, open_workshop, "He locks me in", 0)
    with app.app_context():
        assert db.session.scalar(select(Response.moderation)) == "pending"


def test_the_safety_words_page_lists_every_built_in_list_and_the_own_phrases(
    facilitator_client: FlaskClient,
) -> None:
    add(facilitator_client, "violence", "paper plane*")
    page = facilitator_client.get("/facilitator/account/safety")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "paper plane*" in html
    for language in LANGUAGES:
        assert f'<summary lang="{language}">' in html
        assert builtin_terms(language).phrases["suicide"][0] in html
    assert "NICE guideline NG225" in html


def test_nothing_about_a_phrase_or_a_match_is_logged(
    app: Flask, open_workshop: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG")
    answer(app, open_workshop, HELD, 0)
    assert MARK not in caplog.text and "suicide" not in caplog.text
