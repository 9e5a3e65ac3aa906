"""hearth.importer: an article (plain text or Markdown) becomes a draft plan, deterministically."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from hearth.importer import (
    ArticleError,
    Heading,
    ItemList,
    Paragraph,
    Quote,
    Table,
    draft_from_article,
    import_article,
    parse_markdown,
    parse_text,
    plain,
    reader_questions,
    split_sentences,
)
from hearth.importer.build import SLIDE_CHARS, article_sentences
from hearth.plans import validate_plan

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ARTICLE = (FIXTURES / "trust-issues.txt").read_text(encoding="utf-8")
MARKDOWN = (FIXTURES / "boundaries.md").read_text(encoding="utf-8")

CHECK_IN = {
    "kind": "scale",
    "title": "Check-in",
    "prompt": "Right now, how settled do you feel?",
    "min": 0,
    "max": 10,
    "min_label": "Not settled at all",
    "max_label": "Very settled",
    "pair": "pre",
}
CHECK_OUT = {**CHECK_IN, "title": "Check-out", "pair": "post"}
NOTICED = "Which of these have you noticed?"
STEPS = "Which of these steps feels hardest?"
CHECKLIST = "Which of these do you already do, even a little?"
TABLE = "Which of these stands out to you most?"


def outline(activity: dict[str, Any]) -> tuple[Any, ...]:
    """What a test states about one activity: kind, title, and its text, options or attribution."""
    kind, title = activity["kind"], activity.get("title")
    if kind == "content":
        if activity.get("style") == "quote":
            return ("quote", activity["body"], activity.get("attribution"))
        return (f"content:{activity.get('style')}", title)
    if kind == "open":
        return ("open", title, activity["prompt"])
    if kind in ("choice", "multi"):
        return (kind, title, activity["prompt"], tuple(activity["options"]))
    return (kind, title)


def slide_text(activity: dict[str, Any]) -> str:
    """All of a section slide's text: its script (the slide shows only the lead), else its body."""
    return str(activity.get("script", activity.get("body", "")))


def texts(value: Any) -> list[str]:
    """Every string inside a plan document."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in texts(item)]
    if isinstance(value, list):
        return [text for item in value for text in texts(item)]
    return []


# --- the shared article (plain text) ------------------------------------------------------

ARTICLE_OUTLINE = [
    ("content:agreement", "How we'll be together today"),
    ("scale", "Check-in"),
    ("content:psychoeducation", None),
    ("content:psychoeducation", None),
    (
        "open",
        None,
        "Have you ever felt the sting of betrayal, that gut-punch moment when trust crumbles?",
    ),
    ("content:psychoeducation", "Why Trust Issues Arise in Relationships"),
    ("content:psychoeducation", "Betrayal: The Ultimate Trust-Breaker"),
    ("content:psychoeducation", "Betrayal: The Ultimate Trust-Breaker (continued)"),
    (
        "quote",
        "Betrayal doesn’t just break trust; it fractures the sense of safety we rely on in love.",
        "Relationship counselor",
    ),
    ("content:psychoeducation", "Past Traumas and Emotional Baggage"),
    ("content:psychoeducation", "Past Traumas and Emotional Baggage (continued)"),
    ("content:psychoeducation", "Communication Breakdowns"),
    ("content:psychoeducation", "Communication Breakdowns (continued)"),
    ("open", "Communication Breakdowns", "Ever had a conversation where you felt unheard?"),
    (
        "multi",
        "Communication Breakdowns",
        NOTICED,
        ("Miscommunication", "Stonewalling", "Lack of transparency"),
    ),
    ("content:psychoeducation", "The Role of Intimacy in Trust"),
    ("content:psychoeducation", "The Role of Intimacy in Trust (continued)"),
    ("open", "The Role of Intimacy in Trust", "What happens when intimacy becomes a battleground?"),
    ("quote", "True intimacy requires trust, and trust requires mutual respect.", "Intimacy coach"),
    ("content:psychoeducation", "How Trust Issues Impact Relationships"),
    ("content:psychoeducation", "Emotional Distance"),
    ("content:psychoeducation", "Constant Suspicion"),
    (
        "open",
        "Constant Suspicion",
        "Ever find yourself checking your partner’s phone or overanalyzing their tone?",
    ),
    ("content:psychoeducation", "Conflict Escalation"),
    ("choice", "Trust Issue", TABLE, ("Betrayal", "Suspicion", "Past trauma")),
    ("content:psychoeducation", "Rebuilding Trust: Practical Steps"),
    ("content:psychoeducation", "Step 1: Acknowledge the Hurt"),
    ("content:psychoeducation", "Step 2: Practice Transparency"),
    (
        "choice",
        "Step 2: Practice Transparency",
        STEPS,
        (
            "Share your intentions clearly",
            "Be consistent in your actions",
            "Answer questions honestly, even when it’s uncomfortable",
        ),
    ),
    ("content:psychoeducation", "Step 3: Set Clear Boundaries"),
    ("content:psychoeducation", "Step 4: Seek Professional Help"),
    (
        "quote",
        "Therapy isn’t a sign of failure; it’s a commitment to growth.",
        "Licensed therapist",
    ),
    ("content:psychoeducation", "The Role of Self-Trust"),
    ("content:psychoeducation", "The Role of Self-Trust (continued)"),
    ("open", "The Role of Self-Trust", "Do you trust yourself?"),
    ("open", "The Role of Self-Trust", "Are you projecting past hurts onto your partner?"),
    (
        "open",
        "The Role of Self-Trust",
        "Are you ignoring red flags because you don’t trust your instincts?",
    ),
    (
        "multi",
        "Self-Trust Checklist",
        CHECKLIST,
        (
            "Acknowledge your emotions without judgment",
            "Reflect on past decisions to learn, not to blame",
            'Practice saying "no" to protect your boundaries',
        ),
    ),
    ("content:psychoeducation", "Moving Forward: Building Lasting Trust"),
    ("content:psychoeducation", "Moving Forward: Building Lasting Trust (continued)"),
    (
        "open",
        "Moving Forward: Building Lasting Trust",
        "Did you have a tough conversation without fighting?",
    ),
    ("content:psychoeducation", "Final Thoughts"),
    (
        "open",
        "Final Thoughts",
        "What’s one step you can take today to rebuild trust—whether it’s with your partner "
        "or yourself?",
    ),
    ("scale", "Check-out"),
]


@pytest.fixture(scope="module")
def article_plan() -> dict[str, Any]:
    """The draft made from the shared article."""
    return import_article(ARTICLE, "text")


def test_the_article_becomes_exactly_this_plan(article_plan: dict[str, Any]) -> None:
    assert [outline(activity) for activity in article_plan["activities"]] == ARTICLE_OUTLINE


def test_the_article_draft_is_a_valid_plan(article_plan: dict[str, Any]) -> None:
    normalised = validate_plan(article_plan)
    assert normalised["title"] == "Why Trust Issues Arise in Relationships"
    assert normalised["slug"] == "why-trust-issues-arise-in-relationships"
    assert len(normalised["activities"]) == 44


def test_the_tables_issues_become_a_choice(article_plan: dict[str, Any]) -> None:
    table = [a for a in article_plan["activities"] if a.get("title") == "Trust Issue"]
    assert table == [
        {
            "title": "Trust Issue",
            "kind": "choice",
            "prompt": TABLE,
            "options": ["Betrayal", "Suspicion", "Past trauma"],
        }
    ]


def test_the_three_communication_breakdowns_become_a_multi(article_plan: dict[str, Any]) -> None:
    multi = next(a for a in article_plan["activities"] if a["kind"] == "multi")
    assert multi["options"] == ["Miscommunication", "Stonewalling", "Lack of transparency"]
    assert multi["prompt"] == NOTICED
    assert "max_choices" not in multi  # the default: any number of them


def test_every_quote_keeps_its_attribution(article_plan: dict[str, Any]) -> None:
    quotes = [a for a in article_plan["activities"] if a.get("style") == "quote"]
    assert [(q["kind"], q["attribution"]) for q in quotes] == [
        ("content", "Relationship counselor"),
        ("content", "Intimacy coach"),
        ("content", "Licensed therapist"),
    ]
    assert all("–" not in q["body"] and "–" not in q["attribution"] for q in quotes)


def test_every_question_the_article_asks_its_reader_is_an_open_prompt(
    article_plan: dict[str, Any],
) -> None:
    prompts = [a["prompt"] for a in article_plan["activities"] if a["kind"] == "open"]
    assert prompts == [
        "Have you ever felt the sting of betrayal, that gut-punch moment when trust crumbles?",
        "Ever had a conversation where you felt unheard?",
        "What happens when intimacy becomes a battleground?",
        "Ever find yourself checking your partner’s phone or overanalyzing their tone?",
        "Do you trust yourself?",
        "Are you projecting past hurts onto your partner?",
        "Are you ignoring red flags because you don’t trust your instincts?",
        "Did you have a tough conversation without fighting?",
        "What’s one step you can take today to rebuild trust—whether it’s with your partner "
        "or yourself?",
    ]
    # The rhetorical fragments are not prompts.
    assert not {"Why?", "The good news?"} & set(prompts)


def test_every_paragraph_is_on_a_slide_in_pieces_that_fit(article_plan: dict[str, Any]) -> None:
    slides = {
        a.get("title"): slide_text(a)
        for a in article_plan["activities"]
        if a.get("style") == "psychoeducation"
    }
    paragraphs = [line for line in ARTICLE.splitlines() if line]
    assert slides["Emotional Distance"] == paragraphs[paragraphs.index("Emotional Distance") + 1]
    # Two paragraphs and a quote: the second paragraph goes on on a slide of its own.
    betrayal = paragraphs.index("Betrayal: The Ultimate Trust-Breaker")
    assert slides["Betrayal: The Ultimate Trust-Breaker"] == paragraphs[betrayal + 1]
    assert slides["Betrayal: The Ultimate Trust-Breaker (continued)"] == paragraphs[betrayal + 4]
    assert all(len(body) <= SLIDE_CHARS for body in slides.values())
    prose = [body.split("\n\n")[-1] for body in slides.values()]
    ends = [text for text in prose if not re.search(r"[.!?…]$", text)]
    assert len(ends) == 1 and ends[0].endswith(
        "Past trauma — Insecurity, fear of abandonment — Self-reflection, professional help"
    )


def test_a_list_whose_options_are_shortened_is_on_the_slide_in_full(
    article_plan: dict[str, Any],
) -> None:
    bodies = {a.get("title"): slide_text(a) for a in article_plan["activities"] if "body" in a}
    assert bodies["Communication Breakdowns"].endswith(
        "• Miscommunication: Assuming instead of asking can lead to false narratives.\n"
        "• Stonewalling: Shutting down during conflict leaves issues unresolved.\n"
        "• Lack of transparency: Hiding small truths can snowball into bigger doubts."
    )
    # The steps' options are the items themselves, so the slide does not repeat them.
    assert "Share your intentions" not in bodies["Step 2: Practice Transparency"]


def test_every_sentence_of_the_article_is_in_the_draft() -> None:
    document, report = draft_from_article(ARTICLE, "text")
    sentences = article_sentences(parse_text(ARTICLE))
    assert (
        (report.sentences, report.sentences_placed)
        == (len(sentences), len(sentences))
        == (135, 135)
    )
    draft = "\n".join(texts(document))
    assert [s for s in sentences if s.rstrip(".") not in draft] == []


def test_the_article_opens_with_an_agreement_and_a_check_in_and_ends_with_a_check_out(
    article_plan: dict[str, Any],
) -> None:
    first, check_in, *_, check_out = article_plan["activities"]
    assert (first["kind"], first["style"]) == ("content", "agreement")
    assert check_in == CHECK_IN
    assert check_out == CHECK_OUT


def test_a_section_slide_shows_its_lead_and_its_script_holds_all_of_its_text(
    article_plan: dict[str, Any],
) -> None:
    slides = [a for a in article_plan["activities"] if a.get("style") == "psychoeducation"]
    scripted = [a for a in slides if "script" in a]
    assert (len(scripted), len(slides)) == (24, 25)
    for slide in scripted:
        assert slide["script"].startswith(slide["body"]) and len(slide["body"]) < len(
            slide["script"]
        )
        assert "\n\n" not in slide["body"]
    first = next(a for a in slides if a.get("title") == "Why Trust Issues Arise in Relationships")
    assert first["body"] == split_sentences(first["script"])[0]
    # A slide whose text is one sentence needs no script: the slide says it all.
    assert all(len(split_sentences(a["body"])) == 1 or "\n" in a["body"] for a in slides)


def test_the_same_article_always_gives_the_same_draft() -> None:
    assert import_article(ARTICLE, "text") == import_article(ARTICLE, "text")
    assert import_article(ARTICLE.replace("\n", "\r\n"), "text") == import_article(ARTICLE)


# --- a Markdown article with every construct ----------------------------------------------

MARKDOWN_OUTLINE = [
    ("content:agreement", "How we'll be together today"),
    ("scale", "Check-in"),
    ("content:psychoeducation", "Boundaries That Hold"),
    ("open", "Boundaries That Hold", "Have you ever said yes when you meant no?"),
    ("content:psychoeducation", "Why boundaries slip"),
    ("multi", "Why boundaries slip", NOTICED, ("Over-explaining", "Guilt", "Avoidance")),
    (
        "quote",
        "Boundaries are the distance at which I can love you and me at the same time.",
        "A workshop participant",
    ),
    ("content:psychoeducation", "Setting a boundary, step by step"),
    (
        "choice",
        "Setting a boundary, step by step",
        STEPS,
        (
            "Notice what you feel",
            "Name what you need in one sentence",
            "Say it kindly and clearly, without apologising",
            "Follow through, even when it's uncomfortable",
        ),
    ),
    (
        "open",
        "Setting a boundary, step by step",
        "What would change if you trusted yourself to hold one small boundary this week?",
    ),
    ("choice", "Boundary type", TABLE, ("Time", "Emotional", "Digital")),
    ("content:psychoeducation", "A weekly check"),
    ("open", "A weekly check", "Which of these felt easiest this week?"),
    (
        "multi",
        "A weekly check",
        CHECKLIST,
        (
            "I said no to something I did not want to do",
            "I asked for help when I needed it",
            "I rested without apologising for it",
        ),
    ),
    ("content:psychoeducation", "A quieter close"),
    ("open", "A quieter close", "Where do you notice it first?"),
    ("quote", "Self-respect grows each time you keep a promise to yourself.", "Group facilitator"),
    ("scale", "Check-out"),
]


@pytest.fixture(scope="module")
def markdown_plan() -> dict[str, Any]:
    """The draft made from the Markdown fixture."""
    return import_article(MARKDOWN, "markdown")


def test_the_markdown_article_becomes_exactly_this_plan(markdown_plan: dict[str, Any]) -> None:
    assert [outline(activity) for activity in markdown_plan["activities"]] == MARKDOWN_OUTLINE
    normalised = validate_plan(markdown_plan)
    assert (normalised["title"], normalised["slug"]) == (
        "Boundaries That Hold",
        "boundaries-that-hold",
    )


def test_the_markdown_slides_quote_the_text_without_markup(markdown_plan: dict[str, Any]) -> None:
    bodies = {a.get("title"): slide_text(a) for a in markdown_plan["activities"] if "body" in a}
    assert bodies["Boundaries That Hold"] == (
        "Have you ever said yes when you meant no? Most of us have, and it usually comes from "
        "care rather than weakness. Boundaries are the quiet agreements that let closeness feel "
        "safe."
    )
    assert bodies["Why boundaries slip"] == (
        "Boundaries rarely collapse all at once. They wear down through small moments of "
        "people-pleasing, fear of conflict and habits learned long ago. Why? Saying no once "
        "felt unsafe.\n\n"
        "• Over-explaining: justifying every no until it becomes a maybe.\n"
        "• Guilt: feeling responsible for other people's reactions.\n"
        "• Avoidance: staying quiet to keep the peace. It can look like calm from the outside.\n"
        "  – a nested detail that is not an option"
    )


@pytest.mark.parametrize("fixture", ["article_plan", "markdown_plan"])
def test_no_markup_leaks_into_the_text(fixture: str, request: pytest.FixtureRequest) -> None:
    document = request.getfixturevalue(fixture)
    for text in texts(document):
        assert not re.search(r"\*\*|__|`|\]\(|\[[ xX]?\]|^#|^>|\|", text), text
        assert not re.search(r"<[a-z!]|~~|^[-*] |^\d+\. ", text), text
        assert "code is not workshop text" not in text
    # A link keeps its words, not its address; an address written out is the article's text.
    links = [text for text in texts(document) if "https://" in text]
    assert all("https://example.org/boundaries and the guide" in text for text in links)
    options = [option for a in document["activities"] for option in a.get("options", [])]
    assert not [option for option in options if "nested detail" in option]


# --- the pieces ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("marked", "clean"),
    [
        ("**Miscommunication:** assuming", "Miscommunication: assuming"),
        ("__bold__ and _soft_ and *em* and ***both***", "bold and soft and em and both"),
        ("a `code` span and ``double ticks``", "a code span and double ticks"),
        ("[the guide](https://example.org/g 'title') and [ref][r]", "the guide and ref"),
        ("see <https://example.org> ![a lake](lake.png)", "see https://example.org"),
        ("snake_case_name and 2 * 3 * 4", "snake_case_name and 2 * 3 * 4"),
        (r"\*not emphasis\* and \_this\_", "*not emphasis* and _this_"),
        ("<em>tags</em> &amp; entities <!-- gone -->", "tags & entities"),
        ("a ~~struck~~ word, a footnote[^1]", "a word, a footnote"),
        ("  spaced \n  out  ", "spaced out"),
        ("stray ** markers", "stray markers"),
    ],
)
def test_plain_removes_inline_markup(marked: str, clean: str) -> None:
    assert plain(marked) == clean


def test_a_quotation_is_never_cut_in_two() -> None:
    text = (
        'It would help. "I felt lonely last night when we didn\'t talk. I need us to talk." '
        'She said it twice. “Stop. Breathe.” A stray " mark opens nothing. Then they rested.'
    )
    assert split_sentences(text) == [
        "It would help.",
        '"I felt lonely last night when we didn\'t talk. I need us to talk."',
        "She said it twice.",
        "“Stop. Breathe.”",
        'A stray " mark opens nothing.',
        "Then they rested.",
    ]


def test_pasted_paragraphs_with_a_quotation_and_a_list_keep_every_sentence() -> None:
    """The case in the issue: a slide ended inside a quotation, and text after a list was lost."""
    article = (
        "Talking after a hard day\n"
        "Partners often go quiet after a hard day. A short check-in would help. "
        '"I felt lonely last night when we didn\'t talk. Can we try again tonight?" '
        "Saying it plainly is a gift.\n"
        "Three things make it easier:\n"
        "- A set time\n- A quiet room\n- Phones away\n"
        "Afterwards, notice how you feel. Small steps add up over weeks.\n"
        "Many couples find the first week the hardest. That is normal, and it passes.\n"
    )
    document, report = draft_from_article(article, "text")
    assert report.sentences_placed == report.sentences == 12
    bodies = [slide_text(a) for a in document["activities"] if a.get("style") == "psychoeducation"]
    assert bodies == [
        "Partners often go quiet after a hard day. A short check-in would help. "
        '"I felt lonely last night when we didn\'t talk. Can we try again tonight?" '
        "Saying it plainly is a gift.\n\n"
        "Three things make it easier:\n\n"
        "Afterwards, notice how you feel. Small steps add up over weeks.\n\n"
        "Many couples find the first week the hardest. That is normal, and it passes."
    ]


def test_long_paragraphs_go_on_over_slides_between_sentences() -> None:
    sentence = "Trust grows when words and actions match over many ordinary days. "
    document = import_article("Growing trust\n" + sentence * 30)
    bodies = [slide_text(a) for a in document["activities"] if a.get("style") == "psychoeducation"]
    titles = [a["title"] for a in document["activities"] if a.get("style") == "psychoeducation"]
    assert len(bodies) == 4 and titles[1:] == ["Growing trust (continued)"] * 3
    assert all(len(body) <= SLIDE_CHARS and body.endswith("days.") for body in bodies)
    assert " ".join(bodies) == (sentence * 30).strip()


def test_sentences_split_at_capitals_but_not_after_abbreviations() -> None:
    text = "Dr. Gottman says so, e.g. in one study. Why? Because it works… Mostly."
    assert split_sentences(text) == [
        "Dr. Gottman says so, e.g. in one study.",
        "Why?",
        "Because it works…",
        "Mostly.",
    ]


@pytest.mark.parametrize(
    ("paragraph", "questions"),
    [
        ("Here’s a question: Do you trust yourself? It matters.", ["Do you trust yourself?"]),
        ("So, what would help you today?", ["What would help you today?"]),
        ("But why does this keep happening to us?", ["Why does this keep happening to us?"]),
        ("Why? The good news? Any takers?", []),
        ("The sky asked the sea a long question?", []),
        ("Do you? Do you really feel that now?", ["Do you really feel that now?"]),
        ("“Are you listening to me?” she asked.", []),
    ],
)
def test_reader_questions(paragraph: str, questions: list[str]) -> None:
    assert reader_questions(paragraph) == questions


def test_plain_text_headings_lists_quotes_and_tables() -> None:
    text = (
        "A Title Line\n"
        "An opening paragraph that ends well.\n"
        "\n"
        "Wrapped paragraphs keep going when a line does not end a sentence\n"
        "and the next line starts in lower case.\n"
        "Quoted words here.\n"
        "— Someone Wise\n"
        "Habits\n"
        "1. First step.\n"
        "\n"
        "2. Second step.\n"
        "Name | Note\n"
        "---|---\n"
        "One | x\n"
        "Two | y\n"
        "☐ Box one\n"
        "☑ Box two\n"
    )
    assert parse_text(text) == [
        Heading("A Title Line"),
        Paragraph("An opening paragraph that ends well."),
        Paragraph(
            "Wrapped paragraphs keep going when a line does not end a sentence and the next "
            "line starts in lower case."
        ),
        Quote("Quoted words here.", "Someone Wise"),
        Heading("Habits"),
        ItemList(("First step.", "Second step."), ordered=True),
        Table(("Name", "Note"), (("One", "x"), ("Two", "y"))),
        ItemList(("Box one", "Box two"), checklist=True),
    ]


def test_a_dash_line_after_a_list_lead_in_is_a_list_not_an_attribution() -> None:
    blocks = parse_text("Three things help.\n- Rest\n- Food\n- Friends\n")
    assert blocks == [Paragraph("Three things help."), ItemList(("Rest", "Food", "Friends"))]


def test_an_inline_list_without_the_word_checklist_is_an_ordinary_list() -> None:
    (block,) = parse_text("Warning signs: - Withdrawal. - Secrecy. - Blame.\n")
    assert block == ItemList(("Withdrawal.", "Secrecy.", "Blame."), label="Warning signs")
    (poll,) = [
        a
        for a in import_article("Warning signs: - Withdrawal. - Secrecy.")["activities"]
        if a["kind"] == "multi"
    ]
    assert (poll["title"], poll["prompt"], poll["options"]) == (
        "Warning signs",
        NOTICED,
        ["Withdrawal", "Secrecy"],
    )


def test_markdown_quote_attribution_inside_or_under_the_quote() -> None:
    assert parse_markdown("> Keep going.\n> — A friend\n") == [Quote("Keep going.", "A friend")]
    assert parse_markdown("> Keep going.\n\n— A friend\n") == [Quote("Keep going.", "A friend")]
    assert parse_markdown("> Keep going.\n") == [Quote("Keep going.", None)]
    assert parse_markdown("> Keep going.\n\n- a list\n- b list\n") == [
        Quote("Keep going.", None),
        ItemList(("a list", "b list")),
    ]


def test_markdown_lists_keep_their_kind_and_keep_nested_items_as_notes() -> None:
    text = "1. One\n   more of one\n   - nested\n2. Two\n\n- [ ] Task\n- [x] Done\n"
    assert parse_markdown(text) == [
        ItemList(("One more of one", "Two"), ordered=True, notes=("nested",)),
        ItemList(("Task", "Done"), checklist=True),
    ]


@pytest.mark.parametrize(
    ("item", "option"),
    [
        ("Miscommunication: Assuming instead of asking.", "Miscommunication"),
        ("Step 1: Name the hurt.", "Name the hurt"),
        (
            "A label that is far too long to be a label: the rest.",
            "A label that is far too long to be a label: the rest",
        ),
        ("Plain item;", "Plain item"),
        ("x" * 130, "x" * 119 + "…"),
    ],
)
def test_list_items_become_short_options(item: str, option: str) -> None:
    document = import_article(f"- {item}\n- Other\n", "markdown")
    (poll,) = [a for a in document["activities"] if a["kind"] == "multi"]
    assert poll["options"] == [option, "Other"]


def test_lists_and_tables_that_cannot_be_polls_are_left_out() -> None:
    one_item = import_article("Heading\nText.\n- Only one item.\n")
    assert [a["kind"] for a in one_item["activities"]] == ["content", "scale", "content", "scale"]
    repeats = import_article("- Same\n- same\n- Other\n", "markdown")
    assert [a.get("options") for a in repeats["activities"] if a["kind"] == "multi"] == [
        ["Same", "Other"]
    ]
    many = import_article("\n".join(f"- Item {n}" for n in range(15)), "markdown")
    (poll,) = [a for a in many["activities"] if a["kind"] == "multi"]
    assert poll["options"] == [f"Item {n}" for n in range(10)]


def test_a_very_long_article_is_cut_to_a_plan_of_100_activities() -> None:
    sections = "\n".join(f"## Part {n}\n\nDo you notice part {n} today?\n" for n in range(80))
    document = import_article(sections, "markdown")
    assert len(document["activities"]) == 100
    assert document["activities"][-1] == CHECK_OUT
    validate_plan(document)


def test_an_article_without_headings_is_titled_by_its_first_sentence() -> None:
    document = import_article("Trust grows slowly. It needs care.")
    assert document["title"] == "Trust grows slowly."
    assert validate_plan(document)["slug"] == "trust-grows-slowly"


@pytest.mark.parametrize("text", ["", "   \n\n\t", "\ufeff"])
def test_an_empty_article_is_refused(text: str) -> None:
    with pytest.raises(ArticleError, match="The article is empty"):
        import_article(text)


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(ArticleError, match=r"\.docx, \.pdf, \.html, \.md or \.txt"):
        import_article("Text.", "rtf")  # type: ignore[arg-type]
