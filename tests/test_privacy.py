"""hearth.privacy: unlinkable response keys and masking of contact details (docs/privacy.md)."""

from __future__ import annotations

import pytest

from hearth.privacy import (
    MAX_TOKEN_LENGTH,
    is_issued_token,
    issue_participant_token,
    mask_contact_details,
    response_key,
    stable_shuffle_key,
)

SECRET = "server-secret"
TOKEN = issue_participant_token(SECRET, 1)


def test_response_key_is_stable_for_a_token_and_activity() -> None:
    assert response_key(SECRET, TOKEN, 7) == response_key(SECRET, TOKEN, 7)


def test_response_key_differs_across_activities() -> None:
    keys = {response_key(SECRET, TOKEN, activity_id) for activity_id in range(1, 50)}
    assert len(keys) == 49


def test_response_key_differs_across_phones_and_secrets() -> None:
    other_token = issue_participant_token(SECRET, 1)
    assert response_key(SECRET, TOKEN, 7) != response_key(SECRET, other_token, 7)
    assert response_key(SECRET, TOKEN, 7) != response_key("another-secret", TOKEN, 7)


def test_response_key_does_not_contain_the_token() -> None:
    key = response_key(SECRET, TOKEN, 7)
    assert len(key) == 64
    assert TOKEN not in key
    assert int(key, 16) >= 0


def test_activity_ids_cannot_be_shifted_into_the_token() -> None:
    """token "a" + activity 12 and token "a1" + activity 2 must not collide."""
    assert response_key(SECRET, "a", 12) != response_key(SECRET, "a1", 2)


def test_participant_tokens_are_random_and_recognised() -> None:
    tokens = {issue_participant_token(SECRET, 1) for _ in range(20)}
    assert len(tokens) == 20
    assert all(len(token) <= MAX_TOKEN_LENGTH for token in tokens)
    assert all(is_issued_token(SECRET, 1, token) for token in tokens)


def test_a_token_is_bound_to_its_workshop_and_secret() -> None:
    assert not is_issued_token(SECRET, 2, TOKEN)
    assert not is_issued_token("another-secret", 1, TOKEN)


@pytest.mark.parametrize(
    "token",
    [None, "", 42, ["x"], "x" * 43, "x" * 500, "nonce.signature"],
    ids=["none", "empty", "number", "list", "invented", "huge", "unsigned"],
)
def test_invented_tokens_are_not_recognised(token: object) -> None:
    assert not is_issued_token(SECRET, 1, token)


def test_an_altered_token_is_not_recognised() -> None:
    nonce, _, signature = TOKEN.rpartition(".")
    altered = ("A" if nonce[0] != "A" else "B") + nonce[1:]
    assert not is_issued_token(SECRET, 1, f"{altered}.{signature}")


def test_stable_shuffle_key_is_stable_and_not_arrival_order() -> None:
    ids = list(range(1, 30))
    order = sorted(ids, key=lambda i: stable_shuffle_key(SECRET, i))
    assert order == sorted(ids, key=lambda i: stable_shuffle_key(SECRET, i))
    assert order != ids


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("write to jo.smith@example.org please", "write to [email removed] please"),
        ("JO+therapy@Mail.Example.co.uk", "[email removed]"),
        ("see https://example.com/path?q=1 now", "see [link removed] now"),
        ("http://10.0.0.1:5000/x", "[link removed]"),
        ("www.example.org", "[link removed]"),
        ("my blog is example.com/me", "my blog is [link removed]"),
        ("bit.ly/abc", "[link removed]"),
        ("call me on +44 20 7946 0958", "call me on [number removed]"),
        ("(555) 123-4567", "[number removed]"),
        ("555.123.4567", "[number removed]"),
        ("07700 900123 after six", "[number removed] after six"),
        ("my number is 0612345678.", "my number is [number removed]."),
    ],
)
def test_contact_details_are_masked(text: str, expected: str) -> None:
    assert mask_contact_details(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "I was 7 when it started",
        "2 or 3 times",
        "It took 10 years, maybe 12",
        "about 50% of the time",
        "5 out of 10",
        "24/7 worry",
        "1-2 times a week",
        "in 2019 and 2020",
        "between 10.30 and 11.45",
        "a 3.5 on a good day",
        "U.S. or U.K.?",
        "e.g. talking, i.e. listening, etc.",
        "We met @ the park",
        "Honesty. Patience. Time.",
        "Trust takes time — and care.",
    ],
)
def test_ordinary_text_is_not_mangled(text: str) -> None:
    assert mask_contact_details(text) == text


@pytest.mark.parametrize("text", ["I felt alone.Me too", "We tried.Co-parenting is hard"])
def test_a_missing_space_after_a_full_stop_is_not_a_link(text: str) -> None:
    assert mask_contact_details(text) == text
