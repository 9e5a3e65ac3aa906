"""hearth.aggregate: pure tallies and who may see them (docs/protocol.md, docs/privacy.md)."""

from __future__ import annotations

import pytest

from hearth.aggregate import (
    AnswerRow,
    hide_words,
    tally_choice,
    tally_multi,
    tally_open,
    tally_rank,
    tally_scale,
    tally_words,
    visibility,
)

CHOICE = {"options": ["Betrayal", "Suspicion", "Past trauma"]}
SCALE = {"min": 0, "max": 4}


def rows(*values: object) -> list[AnswerRow]:
    """Answer rows with the given values and ids 1, 2, ..."""
    return [AnswerRow(i, value) for i, value in enumerate(values, start=1)]


def test_tally_choice_counts_per_option_in_option_order() -> None:
    assert tally_choice(CHOICE, rows(2, 0, 2, 2)) == {"counts": [1, 0, 3]}


def test_tally_choice_keeps_ties_as_they_are() -> None:
    assert tally_choice(CHOICE, rows(0, 1, 0, 1)) == {"counts": [2, 2, 0]}


def test_tally_choice_with_nothing_answered_is_all_zeros() -> None:
    assert tally_choice(CHOICE, []) == {"counts": [0, 0, 0]}


def test_tally_choice_ignores_values_that_are_not_options() -> None:
    assert tally_choice(CHOICE, rows(1, 3, -1, None, "0")) == {"counts": [0, 1, 0]}


def test_tally_scale_has_every_point_mean_and_median() -> None:
    result = tally_scale(SCALE, rows(1, 2, 2, 4))
    assert result["histogram"] == {"0": 0, "1": 1, "2": 2, "3": 0, "4": 1}
    assert result["mean"] == 2.25
    assert result["median"] == 2


def test_tally_scale_median_of_a_tie_is_the_midpoint() -> None:
    result = tally_scale(SCALE, rows(1, 1, 3, 3))
    assert result["histogram"] == {"0": 0, "1": 2, "2": 0, "3": 2, "4": 0}
    assert result["median"] == 2
    assert result["mean"] == 2


def test_tally_scale_rounds_the_mean_to_two_places() -> None:
    assert tally_scale(SCALE, rows(1, 2, 2))["mean"] == 1.67


def test_tally_scale_with_nothing_answered_has_no_mean_or_median() -> None:
    result = tally_scale(SCALE, [])
    assert result == {
        "histogram": {"0": 0, "1": 0, "2": 0, "3": 0, "4": 0},
        "mean": None,
        "median": None,
    }


def test_tally_open_shows_only_approved_texts_and_counts_pending() -> None:
    answers = [
        AnswerRow(1, "Being listened to", "approved"),
        AnswerRow(2, "Time", "pending"),
        AnswerRow(3, "Something hurtful", "rejected"),
        AnswerRow(4, "Honesty", "approved"),
        AnswerRow(5, "Patience", "pending"),
    ]
    assert tally_open({"max_length": 280}, answers) == {
        "entries": ["Being listened to", "Honesty"],
        "pending": 2,
    }


def test_tally_open_keeps_the_order_it_is_given() -> None:
    """The caller shuffles; the tally must not re-sort into arrival (id) order."""
    answers = [AnswerRow(9, "b", "approved"), AnswerRow(2, "a", "approved")]
    assert tally_open({"max_length": 280}, answers)["entries"] == ["b", "a"]


def test_tally_open_with_nothing_answered_is_empty() -> None:
    assert tally_open({"max_length": 280}, []) == {"entries": [], "pending": 0}


@pytest.mark.parametrize("audience", ["facilitator", "public"])
@pytest.mark.parametrize("revealed", [True, False])
@pytest.mark.parametrize("answered", [0, 1, 4])
def test_below_k_everyone_sees_below_threshold(
    audience: str, revealed: bool, answered: int
) -> None:
    hidden = visibility(answered=answered, min_group=5, revealed=revealed, audience=audience)
    assert hidden == "below_threshold"


def test_nothing_answered_is_below_threshold_even_at_the_floor() -> None:
    """All passed means nobody answered: 0 answers never show anything."""
    assert visibility(answered=0, min_group=3, revealed=True, audience="public") == (
        "below_threshold"
    )


def test_at_k_the_facilitator_sees_results_before_reveal() -> None:
    assert visibility(answered=5, min_group=5, revealed=False, audience="facilitator") is None


def test_at_k_the_public_waits_for_the_reveal() -> None:
    assert visibility(answered=5, min_group=5, revealed=False, audience="public") == (
        "not_revealed"
    )


@pytest.mark.parametrize("audience", ["facilitator", "public"])
def test_at_k_and_revealed_everyone_sees_results(audience: str) -> None:
    assert visibility(answered=6, min_group=5, revealed=True, audience=audience) is None


# --- multi, rank, words -------------------------------------------------------------------


def test_tally_multi_counts_each_option_once_per_phone() -> None:
    result = tally_multi(CHOICE, rows([0, 2], [2], [0, 1, 2]))
    assert result == {"counts": [2, 1, 3], "respondents": 3}


def test_tally_rank_gives_borda_scores_and_mean_positions() -> None:
    result = tally_rank(CHOICE, rows([0, 1, 2], [0, 2, 1], [2, 0, 1]))
    assert result["scores"] == [5, 1, 3]
    assert result["mean_rank"] == [1.33, 2.67, 2.0]


def test_tally_rank_with_nothing_answered_has_no_mean() -> None:
    assert tally_rank(CHOICE, []) == {"scores": [0, 0, 0], "mean_rank": [None, None, None]}


def test_tally_words_normalises_and_counts_a_word_once_per_phone() -> None:
    result = tally_words({"max_words": 3}, rows(["Safe", "SAFE!", "the"], ["safé", "Heard"]))
    counted = {word["key"]: word["count"] for word in result["words"]}
    assert counted == {"safe": 2, "heard": 1}
    assert result["words"][0]["key"] == "safe"


def test_hidden_words_leave_the_public_results_only() -> None:
    results = tally_words({"max_words": 3}, rows(["rage"], ["calm"]))
    public = hide_words(results, ["rage"], "public")
    facilitator = hide_words(results, ["rage"], "facilitator")
    assert [word["key"] for word in public["words"]] == ["calm"]
    assert {word["key"]: word["hidden"] for word in facilitator["words"]} == {
        "calm": False,
        "rage": True,
    }
