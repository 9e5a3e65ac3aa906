"""Support resources say where and in which language they help; a workshop shows those that
fit its room (issue #11). Phones also get the take-home link once it is published."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from hearth import resources as res
from hearth.extensions import db
from hearth.models import Workshop

EN_ANYWHERE = {"name": "Line", "contact": "Call 123.", "region": "US", "language": "en"}


def names(items: list[dict[str, Any]]) -> list[str]:
    return [item["name"] for item in items]


@pytest.mark.parametrize(
    ("raw", "region"),
    [("any", "any"), ("", "any"), (" de ", "DE"), ("gb/ie", "GB/IE"), ("FR/FR", "FR")],
)
def test_a_region_is_any_or_iso_3166_codes(raw: str, region: str) -> None:
    assert res.check_region(raw) == region


@pytest.mark.parametrize("raw", ["XX", "EU", "UK", "Germany", "DE/", "D", 49, None, "DE/" * 9])
def test_anything_else_is_not_a_region(raw: Any) -> None:
    assert res.check_region(raw) is None


@pytest.mark.parametrize(("raw", "language"), [("any", "any"), ("AR", "ar"), ("ary", "ary")])
def test_a_language_is_any_or_a_primary_tag(raw: str, language: str) -> None:
    assert res.check_language(raw) == language


@pytest.mark.parametrize("raw", ["xx", "de-DE", "german", "d", 7])
def test_anything_else_is_not_a_language(raw: Any) -> None:
    assert res.check_language(raw) is None


def test_the_defaults_are_valid_and_dated() -> None:
    checked = res.check_resources([dict(item) for item in res.DEFAULT_RESOURCES])
    assert checked == res.DEFAULT_RESOURCES
    assert all(item["checked_on"] for item in checked)
    places = {(item["region"], item["language"]) for item in checked}
    assert {("DE", "de"), ("ES", "es"), ("FR", "fr"), ("LB", "ar")} <= places


def test_a_new_workshop_says_the_defaults_for_every_room_in_its_language() -> None:
    german = res.default_resources("de")
    from hearth.i18n import translations_for

    said = [translations_for("de").gettext(text) for text in ("Your facilitator", "Notruf")]
    assert names(german)[:2] == said and said[0] != "Your facilitator"
    assert names(res.default_resources("en"))[:2] == ["Your facilitator", "Emergency services"]
    # The national lines keep their own words.
    assert "TelefonSeelsorge" in names(german) and "Línea 024" in names(german)


@pytest.mark.parametrize(
    ("region", "language", "shown", "hidden"),
    [
        # Anywhere, in English: today's defaults (the US and UK lines), none in another language.
        (
            "any",
            "en",
            ["988 Suicide & Crisis Lifeline (US)", "Samaritans (UK and Ireland)"],
            ["TelefonSeelsorge", "3114"],
        ),
        ("DE", "de", ["TelefonSeelsorge"], ["988 Suicide & Crisis Lifeline (US)", "Línea 024"]),
        # The room's own country counts whatever language the line answers in.
        ("DE", "en", ["TelefonSeelsorge"], ["988 Suicide & Crisis Lifeline (US)"]),
        ("ES", "es", ["Línea 024"], ["TelefonSeelsorge"]),
        ("FR", "fr", ["3114"], ["Samaritans (UK and Ireland)"]),
        ("LB", "ar", ["Embrace LifeLine"], ["3114"]),
        ("IE", "en", ["Samaritans (UK and Ireland)"], ["988 Suicide & Crisis Lifeline (US)"]),
    ],
)
def test_a_workshop_shows_the_resources_that_fit_its_room(
    region: str, language: str, shown: list[str], hidden: list[str]
) -> None:
    fitting = names(res.fitting(res.default_resources(language), region, language))
    assert fitting[:2] == names(res.default_resources(language))[:2]  # every room
    assert set(shown) <= set(fitting)
    assert not set(hidden) & set(fitting)


def test_a_list_saved_before_regions_reads_as_any() -> None:
    old = [{"name": "Old line", "contact": "Call 555."}]
    assert names(res.fitting(old, "DE", "fr")) == ["Old line"]
    assert res.check_resources(old)[0] | {} == {
        "name": "Old line",
        "contact": "Call 555.",
        "purpose": "",
        "checked_on": "",
        "region": "any",
        "language": "any",
    }


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [("region", "Germany", "'region'"), ("language", "german", "'language'")],
)
def test_a_resource_with_a_wrong_place_is_refused_and_nothing_changes(
    app: Flask,
    make_workshop: Callable[..., Any],
    act: Callable[..., None],
    field: str,
    value: str,
    words: str,
) -> None:
    from hearth.errors import HearthError

    workshop = make_workshop()
    with pytest.raises(HearthError) as refused:
        act(workshop, "resources", resources=[{**EN_ANYWHERE, field: value}], region="DE")
    assert refused.value.code == "invalid_value" and words in refused.value.message
    with app.app_context():
        row = db.session.get(Workshop, workshop.id)
        assert row is not None and row.region == "any" and not row.resources_reviewed
        assert "Line" not in names(row.resources)


def test_a_wrong_room_region_is_refused_with_its_field(
    app: Flask, make_workshop: Callable[..., Any], act: Callable[..., None]
) -> None:
    from hearth.errors import HearthError

    workshop = make_workshop()
    with pytest.raises(HearthError) as refused:
        act(workshop, "resources", resources=[EN_ANYWHERE], region="Atlantis")
    assert refused.value.code == "invalid_value" and "'region'" in refused.value.message


def test_phones_get_what_fits_and_the_control_room_gets_everything(
    app: Flask,
    make_workshop: Callable[..., Any],
    act: Callable[..., None],
    phone: Callable[..., Any],
    facilitator_socket: Callable[..., Any],
) -> None:
    workshop = make_workshop()
    german = {
        "name": "Hilfe",
        "contact": "Anrufen: 0800 111 0 111.",
        "region": "DE",
        "language": "de",
    }
    act(workshop, "resources", resources=[EN_ANYWHERE, german], region="DE")
    p = phone(workshop.code)
    state = p.received("state")[-1]
    assert names(state["resources"]) == ["Hilfe"]
    control = facilitator_socket(workshop.id).received("control")[-1]
    assert control["region"] == "DE"
    assert names(control["resources"]) == ["Line", "Hilfe"]
    assert control["resources"][1] == {**german, "purpose": "", "checked_on": ""}


def test_the_api_takes_a_region_setting(api: Any) -> None:
    created = api.post("/workshops", {"plan": "rebuilding-trust", "settings": {"region": "fr"}})
    assert created.status_code == 201
    control = api.get(f"/workshops/{created.get_json()['id']}").get_json()
    assert control["region"] == "FR"
    refused = api.post("/workshops", {"plan": "rebuilding-trust", "settings": {"region": "XX"}})
    assert refused.status_code == 400
    assert refused.get_json()["error"]["code"] == "invalid_settings"
    assert "settings.region" in refused.get_json()["error"]["message"]


def test_phones_on_the_end_screen_get_the_take_home_link_once_published(
    app: Flask,
    make_workshop: Callable[..., Any],
    act: Callable[..., None],
    phone: Callable[..., Any],
    flush: Callable[[], int],
) -> None:
    from hearth.services import retention

    workshop = make_workshop()
    act(workshop, "start")
    p = phone(workshop.code)
    act(workshop, "end")
    flush()
    ended = p.received("state")[-1]
    assert ended["phase"] == "ended" and ended["summary_url"] is None
    with app.app_context():
        row = db.session.get(Workshop, workshop.id)
        assert row is not None
        key = retention.publish_summary(row)
    flush()
    published = p.received("state")[-1]
    assert published["summary_url"].endswith(f"/s/{key}")
