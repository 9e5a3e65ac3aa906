"""One pairing rule for check-ins and check-outs, read by the live screens and every export.

The case that used to disagree: check-in A (everyone 1), check-in B (everyone 9), check-out
(everyone 5). The projector said the group moved −4.0 while the JSON export said +4.0. New plans
like that are refused; a plan stored before the rule is reported the same way everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from hearth import exports
from hearth.extensions import db, writing
from hearth.kinds import check_activity, pair_positions
from hearth.models import Plan, Workshop
from hearth.plans import PlanError, validate_plan


def scale(prompt: str, pair: str | None = None) -> dict[str, Any]:
    spec: dict[str, Any] = {"kind": "scale", "prompt": prompt, "min": 1, "max": 9}
    if pair:
        spec["pair"] = pair
    return spec


AMBIGUOUS = [scale("Check-in A", "pre"), scale("Check-in B", "pre"), scale("Check-out", "post")]


@pytest.mark.parametrize(
    ("tags", "pairs"),
    [
        (["pre", "post"], [(0, 1)]),
        (["pre", "post", "pre", "post"], [(0, 1), (2, 3)]),
        (["pre", None, "post", None], [(0, 2)]),
        (["pre", "pre", "post"], [(1, 2)]),  # the nearest check-in before the check-out
        (["post", "pre"], []),
        (["pre"], []),
    ],
)
def test_each_check_out_takes_the_nearest_unpaired_check_in_before_it(
    tags: list[str | None], pairs: list[tuple[int, int]]
) -> None:
    assert pair_positions([scale(f"s{i}", tag) for i, tag in enumerate(tags)]) == pairs


def test_only_scales_take_part_in_a_comparison() -> None:
    choice = {"kind": "choice", "prompt": "c", "options": ["a", "b"], "pair": "pre"}
    assert pair_positions([choice, scale("out", "post")]) == []


def test_a_plan_with_two_check_ins_waiting_is_refused_naming_the_activity() -> None:
    with pytest.raises(PlanError) as refused:
        validate_plan({"title": "Ambiguous", "activities": AMBIGUOUS})
    message = str(refused.value)
    assert message.startswith("Activity 2 'Check-in B':")
    assert "activity 1 is a check-in still waiting for its check-out" in message


def test_a_check_out_without_a_check_in_is_refused() -> None:
    with pytest.raises(PlanError, match="Activity 1 'Check-out': a check-out .* needs a check-in"):
        validate_plan({"title": "No check-in", "activities": [scale("Check-out", "post")]})


def test_alternating_pairs_and_a_check_in_without_check_out_are_accepted() -> None:
    activities = [scale("in", "pre"), scale("out", "post"), scale("in again", "pre")]
    assert len(validate_plan({"title": "Fine", "activities": activities})["activities"]) == 3


def test_the_projector_the_control_room_and_the_export_agree_on_a_stored_ambiguous_plan(
    app: Flask,
    make_workshop: Callable[..., Any],
    show: Callable[..., None],
    act: Callable[..., None],
    crowd: Callable[..., list[Any]],
    facilitator_socket: Any,
    present_socket: Callable[..., Any],
) -> None:
    # Stored as an older Hearth would have stored it, before plans like this were refused.
    with app.app_context(), writing():
        db.session.add(
            Plan(
                slug="stored-ambiguous",
                title="Stored before the rule",
                description="",
                activities=[check_activity(spec) for spec in AMBIGUOUS],
            )
        )
    workshop = make_workshop(min_group=3, plan="stored-ambiguous")
    phones = crowd(workshop, 3)
    for activity, value in zip(workshop.activities, (1, 9, 5), strict=True):
        show(workshop, activity)
        for sock in phones:
            assert sock.answer(activity, value)["ok"] is True
    act(workshop, "reveal")
    live = facilitator_socket(workshop).received("control")[-1]["comparison"]
    projected = present_socket(workshop).received("present")[-1]["comparison"]
    act(workshop, "end")
    with app.app_context():
        stored = db.session.get(Workshop, workshop.id)
        assert stored is not None
        (exported,) = exports.summary(stored)["comparisons"]
    assert (exported["pre_activity"], exported["post_activity"]) == (2, 3)
    assert live["mean_shift"] == projected["mean_shift"] == exported["mean_shift"] == -4.0
    assert live["pre"]["mean"] == exported["pre"]["mean"] == 9.0
