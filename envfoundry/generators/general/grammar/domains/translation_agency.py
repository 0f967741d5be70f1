"""Grammar category: translators of real languages (langcodes / language_data: speakers and
script; babel: in how many territories a language is official)."""

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
    "ar", "bg", "bn", "cs", "da", "de", "el", "en", "es", "fa", "fi", "fr", "he", "hi", "hr",
    "hu", "id", "it", "ja", "ko", "ms", "nl", "pl", "pt", "ro", "ru", "sr", "sv", "sw", "ta",
    "te", "th", "tr", "uk", "ur", "vi", "zh", "ka", "hy", "am", "km", "my", "ne", "si", "mn",
)  # fmt: skip
SPECIALTIES = ("legal", "medical", "technical", "literary", "financial", "marketing")
SCRIPTS = {
    "Latn": "Latin", "Cyrl": "Cyrillic", "Arab": "Arabic", "Deva": "Devanagari",
    "Hans": "Han", "Jpan": "Japanese", "Kore": "Hangul", "Grek": "Greek", "Hebr": "Hebrew",
    "Thai": "Thai", "Beng": "Bengali", "Taml": "Tamil", "Telu": "Telugu", "Geor": "Georgian",
    "Armn": "Armenian", "Ethi": "Ethiopic", "Khmr": "Khmer", "Mymr": "Myanmar",
    "Sinh": "Sinhala",
}  # fmt: skip


@lru_cache(maxsize=1)
def _languages() -> tuple[dict[str, Any], ...]:
    out = []
    for lang in languages(CODES):
        script = SCRIPTS.get(lang["script"], "")
        if not script:
            continue
        out.append(
            {
                "name": lang["name"],
                "code": lang["code"],
                "script": script,
                "speakers": lang["speakers"],
                "official": lang["official"],
            }
        )
    return tuple(out)


def _rows(rng: random.Random) -> Rows:
    langs = _languages()
    latin = [x for x in langs if x["script"] == "Latin"]
    other = [x for x in langs if x["script"] != "Latin"]
    groups = rng.sample(latin, rng.randint(3, 5)) + rng.sample(other, rng.randint(4, 6))
    rng.shuffle(groups)
    names = people(rng, 90)
    items = []
    for gi, _ in enumerate(groups):
        for _ in range(rng.randint(5, 9)):
            items.append(
                {
                    "name": names.pop(),
                    "specialty": rng.choice(SPECIALTIES),
                    "rate": rng.randrange(6, 32),
                    "years": rng.randint(1, 35),
                    "rating": round(rng.uniform(3.0, 5.0), 1),
                    "words": rng.randrange(1500, 6000, 50),
                    "group": gi,
                    "capacity": rng.randint(0, 3),
                }
            )
    owners = [{"name": n} for n in names[:10]]
    return {"group": [dict(g) for g in groups], "item": items, "owner": owners}


DECLARATION = GrammarCategory(
    name="translation_agency",
    description=(
        "Translators of real languages (speakers, script, countries where official); find "
        "translators by language facts, specialty, rate and experience, and hire them."
    ),
    group=Entity(
        names=(("language", "languages"), ("target_language", "target_languages")),
        label="name",
        attrs=(
            Attr("name", "text", ("name", "language_name"), "name"),
            Attr("code", "text", ("code", "iso_code"), "ISO code"),
            Attr("script", "text", ("script", "writing_system"), "script", categorical=True),
            Attr(
                "speakers",
                "real",
                ("speakers_millions", "speakers_m"),
                "number of speakers (millions)",
                rank=True,
            ),
            Attr(
                "official",
                "int",
                ("official_in", "official_countries"),
                "number of countries where it is official",
                rank=True,
                optional=True,
            ),
        ),
    ),
    item=Entity(
        names=(("translator", "translators"), ("linguist", "linguists")),
        label="name",
        attrs=(
            Attr("name", "text", ("name", "full_name"), "name"),
            Attr("specialty", "text", ("specialty", "domain"), "specialty", categorical=True),
            Attr(
                "rate",
                "int",
                ("rate_cents_per_word", "cents_per_word"),
                "rate",
                unit="cents per word",
                rank=True,
                additive=False,
            ),
            Attr(
                "years",
                "int",
                ("years_experience", "experience_years"),
                "experience",
                unit="years",
                rank=True,
                additive=False,
            ),
            Attr(
                "rating",
                "real",
                ("rating", "client_rating"),
                "client rating",
                rank=True,
                optional=True,
                additive=False,
            ),
            Attr(
                "words",
                "int",
                ("words_per_day", "daily_output"),
                "daily output",
                unit="words",
                rank=True,
                optional=True,
            ),
        ),
    ),
    owner=Entity(
        names=(("client", "clients"), ("customer", "customers")),
        label="name",
        attrs=(Attr("name", "text", ("name", "contact_name"), "name"),),
    ),
    write=WriteAction(
        verbs=("hire_translator", "assign_translator", "book_translator"),
        capacity=("open_slots", "free_slots", "capacity_left"),
        capacity_phrase="an open slot",
        record=(("assignment", "assignments"), ("engagement", "engagements")),
        undo_verbs=("cancel", "withdraw"),
        phrase="hire a translator",
    ),
    rows=_rows,
)

CATEGORY = GrammarCatalog(DECLARATION)
