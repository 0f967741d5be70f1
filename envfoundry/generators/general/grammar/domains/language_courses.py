"""Grammar category: a language school's course sections of real languages (babel / CLDR:
writing direction, number of plural forms, territories where at least 5% speak it;
langcodes / language_data: script and how many people write it)."""

from __future__ import annotations

import random
from functools import lru_cache
from typing import Any

from envfoundry.generators.general.categories._kit import people
from envfoundry.generators.general.grammar.category import GrammarCatalog
from envfoundry.generators.general.grammar.domains._languages import languages
from envfoundry.generators.general.grammar.model import (
    Attr,
    Entity,
    GrammarCategory,
    Rows,
    WriteAction,
)

CODES = (
    "af", "ar", "az", "be", "bg", "bn", "ca", "cs", "cy", "da", "de", "el", "en", "es", "et",
    "eu", "fa", "fi", "fr", "ga", "gl", "gu", "he", "hi", "hr", "hu", "hy", "id", "is", "it",
    "ja", "ka", "kk", "km", "kn", "ko", "lt", "lv", "mk", "ml", "mn", "mr", "ms", "nl", "pa",
    "pl", "ps", "pt", "ro", "ru", "sk", "sl", "sq", "sr", "sv", "sw", "ta", "te", "th", "tr",
    "uk", "ur", "uz", "vi", "yo", "zh", "zu",
)  # fmt: skip
LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")
FORMATS = ("evening", "intensive", "weekend", "online", "one-to-one")


@lru_cache(maxsize=1)
def _languages() -> tuple[dict[str, Any], ...]:
    from babel import Locale

    out = []
    for lang in languages(CODES):
        loc = Locale.parse(lang["code"])
        if not lang["name"].isascii():
            continue
        out.append(
            {
                "name": lang["name"],
                "code": lang["code"],
                "script": lang["script"],
                "direction": loc.character_order,
                "plurals": len(loc.plural_form.rules) + 1,
                "territories": lang["spoken"],
                "writers": lang["writers"],
            }
        )
    return tuple(out)


def _rows(rng: random.Random) -> Rows:
    groups = rng.sample(_languages(), rng.randint(8, 11))
    items = []
    for gi, g in enumerate(groups):
        numbers = rng.sample(range(100, 999), 9)
        for _ in range(rng.randint(5, 9)):
            level = rng.choice(LEVELS)
            items.append(
                {
                    "code": f"{g['code'].upper()}-{level}-{numbers.pop()}",
                    "level": level,
                    "format": rng.choice(FORMATS),
                    "hours": rng.randrange(12, 320),
                    "fee": rng.randrange(90, 2400, 5),
                    "size": rng.randint(4, 40),
                    "group": gi,
                    "capacity": rng.randint(0, 3),
                }
            )
    owners = [{"name": n} for n in people(rng, 10)]
    return {"group": [dict(g) for g in groups], "item": items, "owner": owners}


DECLARATION = GrammarCategory(
    name="language_courses",
    description=(
        "Course sections of real languages (script, writing direction, plural forms, "
        "territories where it is widely spoken, people who write it); find courses by "
        "language facts, CEFR level, format, hours and fee, and enrol learners."
    ),
    group=Entity(
        names=(("language", "languages"), ("course_language", "course_languages")),
        label="name",
        attrs=(
            Attr("name", "text", ("name", "language"), "name"),
            Attr("code", "text", ("code", "bcp47"), "language code"),
            Attr("script", "text", ("script_code", "script"), "script code", categorical=True),
            Attr(
                "direction",
                "text",
                ("direction", "text_direction"),
                "writing direction",
                categorical=True,
            ),
            Attr(
                "plurals",
                "int",
                ("plural_forms", "plural_categories"),
                "number of plural forms",
                rank=True,
            ),
            Attr(
                "territories",
                "int",
                ("spoken_in", "territories"),
                "number of territories where at least 5% speak it",
                rank=True,
                optional=True,
            ),
            Attr(
                "writers",
                "real",
                ("writers_millions", "literate_m"),
                "number of people who write it (millions)",
                rank=True,
                optional=True,
            ),
        ),
    ),
    item=Entity(
        names=(("course", "courses"), ("class_section", "class_sections")),
        label="code",
        attrs=(
            Attr("code", "text", ("course_code", "section_code"), "code"),
            Attr("level", "text", ("cefr_level", "level"), "CEFR level", categorical=True),
            Attr("format", "text", ("format", "delivery"), "format", categorical=True),
            Attr(
                "hours",
                "int",
                ("contact_hours", "hours"),
                "contact hours",
                unit="hours",
                rank=True,
            ),
            Attr("fee", "int", ("fee_eur", "tuition"), "fee", unit="EUR", rank=True),
            Attr(
                "size",
                "int",
                ("class_size", "max_learners"),
                "class size",
                rank=True,
                optional=True,
            ),
        ),
    ),
    owner=Entity(
        names=(("learner", "learners"), ("student", "students")),
        label="name",
        attrs=(Attr("name", "text", ("name", "full_name"), "name"),),
    ),
    write=WriteAction(
        verbs=("enrol_learner", "enroll", "register_for_course"),
        capacity=("seats_left", "places_left", "open_places"),
        capacity_phrase="a free place",
        record=(("enrolment", "enrolments"), ("registration", "registrations")),
        undo_verbs=("cancel", "withdraw"),
        phrase="enrol them in a course",
    ),
    rows=_rows,
)

CATEGORY = GrammarCatalog(DECLARATION)
