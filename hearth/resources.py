"""Support resources shown on phones: a small, dated default set the facilitator must review.

Numbers change over time, so none of these is presented as authoritative: each carries the day
it was last checked, and the control room asks the facilitator to review them for their area.

Each resource says where it helps (`region`: "any", or ISO 3166-1 alpha-2 codes joined by "/",
such as "GB/IE") and in which language it answers (`language`: "any", or a primary language
tag such as "de"). A workshop has a region too ("any" by default); phones and the take-home
page show only the resources that fit the workshop's region and language (`fitting`). The
list is kept as JSON on the workshop, so an older list without these fields reads as "any".
"""

from __future__ import annotations

import functools
import re
from datetime import date
from typing import Any

from babel import Locale

from hearth.errors import N_, HearthError
from hearth.i18n import known_language, translations_for

ANY = "any"
# The defaults that fit every room are written in English here and stored in the workshop's
# language when it is created (`default_resources`).
DEFAULT_RESOURCES: list[dict[str, str]] = [
    {
        "name": N_("Your facilitator"),
        "contact": N_("Speak to the facilitator in a break or after the session."),
        "purpose": N_("Talk something through in person."),
        "checked_on": "2026-11-27",
        "region": ANY,
        "language": ANY,
    },
    {
        "name": N_("Emergency services"),
        "contact": N_("Your local emergency number (112 in the EU, 999 in the UK, 911 in the US)."),
        "purpose": N_("If you or someone else is in immediate danger."),
        "checked_on": "2026-11-27",
        "region": ANY,
        "language": ANY,
    },
    {
        "name": "988 Suicide & Crisis Lifeline (US)",
        "contact": "Call or text 988.",
        "purpose": "Free, confidential crisis support, 24/7.",
        "checked_on": "2026-11-27",
        "region": "US",
        "language": "en",
    },
    {
        "name": "Samaritans (UK and Ireland)",
        "contact": "Call 116 123.",
        "purpose": "Someone to talk to, 24/7.",
        "checked_on": "2026-11-27",
        "region": "GB/IE",
        "language": "en",
    },
    {
        "name": "TelefonSeelsorge",
        "contact": "Anrufen: 0800 111 0 111 oder 0800 111 0 222.",
        "purpose": "Kostenlos und anonym reden, rund um die Uhr.",
        "checked_on": "2026-12-03",
        "region": "DE",
        "language": "de",
    },
    {
        "name": "Línea 024",
        "contact": "Llama al 024.",
        "purpose": "Atención a la conducta suicida: gratuita y confidencial, 24 horas.",
        "checked_on": "2026-12-03",
        "region": "ES",
        "language": "es",
    },
    {
        "name": "3114",
        "contact": "Appelez le 3114.",
        "purpose": "Numéro national de prévention du suicide : gratuit, 24 h/24 et 7 j/7.",
        "checked_on": "2026-12-03",
        "region": "FR",
        "language": "fr",
    },
    {
        "name": "Embrace LifeLine",
        "contact": "اتصل بالرقم 1564.",
        "purpose": "خط وطني للدعم النفسي والوقاية من الانتحار في لبنان، مجاني وسري.",
        "checked_on": "2026-12-03",
        "region": "LB",
        "language": "ar",
    },
]

FIELDS = {"name": 120, "contact": 200, "purpose": 200, "checked_on": 10}
# Where and in which language a resource helps; absent (a list saved before them) is "any".
PLACES = ("region", "language")
MAX_RESOURCES = 12
MAX_REGIONS = 8
# Babel's territories that ISO 3166-1 does not assign (groupings, reserved and test codes).
NOT_ISO_3166 = frozenset(
    {"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "XK", "ZZ"}
)
LANGUAGE_TAG = re.compile(r"[a-z]{2,3}")


@functools.cache
def country_codes() -> frozenset[str]:
    """The ISO 3166-1 alpha-2 codes (Babel's CLDR territories, without CLDR's own groupings)."""
    names = {str(code) for code in Locale("en").territories}
    return frozenset(
        code for code in names if len(code) == 2 and code.isalpha() and code not in NOT_ISO_3166
    )


@functools.cache
def language_codes() -> frozenset[str]:
    """The BCP 47 primary language tags CLDR names (two or three letters)."""
    names = {str(code) for code in Locale("en").languages}
    return frozenset(code for code in names if LANGUAGE_TAG.fullmatch(code))


def check_region(value: Any, field: str = "region") -> str | None:
    """ "any", or ISO 3166-1 alpha-2 codes joined by "/" (upper case); None if it is neither."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text.lower() in ("", ANY):
        return ANY
    codes = [part.strip().upper() for part in text.split("/")]
    if len(codes) > MAX_REGIONS or not all(code in country_codes() for code in codes):
        return None
    return "/".join(dict.fromkeys(codes))


def check_language(value: Any) -> str | None:
    """ "any", or a primary language tag (lower case: "de", "ar"); None if it is neither."""
    if not isinstance(value, str):
        return None
    text = value.strip().lower()
    if text in ("", ANY):
        return ANY
    return text if text in language_codes() else None


def check_resources(raw: Any) -> list[dict[str, str]]:
    """Validate a facilitator's list of support resources."""
    if not isinstance(raw, list) or len(raw) > MAX_RESOURCES:
        raise HearthError(
            "invalid_value", "Give a list of up to %(most)s resources.", most=MAX_RESOURCES
        )
    cleaned = []
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            raise HearthError(
                "invalid_value", "Resource %(number)s must be an object.", number=number
            )
        cleaned.append(_check_resource(number, item))
    return cleaned


def _check_resource(number: int, item: dict[str, Any]) -> dict[str, str]:
    """One resource of the list, cleaned; `number` names it in a refusal."""
    entry = {}
    for field, limit in FIELDS.items():
        value = item.get(field, "")
        if not isinstance(value, str) or len(value.strip()) > limit:
            raise HearthError(
                "invalid_value",
                "Resource %(number)s: '%(field)s' must be text of %(limit)s or fewer characters.",
                number=number,
                field=field,
                limit=limit,
            )
        entry[field] = value.strip()
    if not entry["name"] or not entry["contact"]:
        raise HearthError(
            "invalid_value", "Resource %(number)s needs a name and a contact.", number=number
        )
    if entry["checked_on"]:
        try:
            date.fromisoformat(entry["checked_on"])
        except ValueError:
            raise HearthError(
                "invalid_value",
                "Resource %(number)s: 'checked_on' must be a date (YYYY-MM-DD).",
                number=number,
            ) from None
    region = check_region(item.get("region", ANY))
    if region is None:
        raise HearthError(
            "invalid_value",
            "Resource %(number)s: 'region' must be \"any\" or two-letter country codes "
            "(ISO 3166) such as DE or GB/IE.",
            number=number,
        )
    language = check_language(item.get("language", ANY))
    if language is None:
        raise HearthError(
            "invalid_value",
            "Resource %(number)s: 'language' must be \"any\" or a language code such as de or ar.",
            number=number,
        )
    return {**entry, "region": region, "language": language}


def default_resources(language: str) -> list[dict[str, str]]:
    """The defaults for a new workshop: those that fit every room said in its `language`."""
    gettext = translations_for(known_language(language.split("-")[0]) or "en").gettext
    return [
        {
            **item,
            **{field: gettext(item[field]) for field in ("name", "contact", "purpose")},
        }
        if item["language"] == ANY
        else dict(item)
        for item in DEFAULT_RESOURCES
    ]


def fits(resource: dict[str, Any], region: str, language: str) -> bool:
    """Whether a resource helps in a room of `region` whose workshop speaks `language`.

    A resource of the room's own country always fits (local help, whatever language it answers
    in); one for any place fits when it speaks the workshop's language or any; one for another
    country never does, unless the workshop's region is "any", and then its language decides.
    """
    where = str(resource.get("region") or ANY)
    spoken = str(resource.get("language") or ANY)
    if region != ANY and region in where.split("/"):
        return True
    primary = (language or ANY).split("-")[0].lower()
    return ANY in (where, region) and (ANY in (spoken, primary) or spoken == primary)


def fitting(
    resources: list[dict[str, Any]] | None, region: str, language: str
) -> list[dict[str, Any]]:
    """The resources phones and the take-home page show for a workshop's region and language."""
    return [dict(item) for item in resources or [] if fits(item, region, language)]


def region_setting(settings: Any) -> str:
    """A new workshop's `settings.region` ("any" when absent); `invalid_settings` naming the
    field when it is neither "any" nor country codes. Writes nothing."""
    if not isinstance(settings, dict) or settings.get("region") is None:
        return ANY
    region = check_region(settings["region"])
    if region is None:
        raise HearthError(
            "invalid_settings",
            "'%(field)s' must be \"any\" or two-letter country codes (ISO 3166) such as DE or "
            "GB/IE.",
            field="settings.region",
        )
    return region
