"""Grammar category: event venues booked for real public holidays of 2026 (holidays: dates
and names per country; pycountry: country names; the weekday, month and how many public
holidays the country has that month follow from the dates)."""

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

YEAR = 2026
COUNTRIES = (
    "AR", "AU", "BR", "CA", "CL", "CO", "CZ", "DE", "DK", "ES", "FI", "FR", "GB", "GR", "IE",
    "IN", "IT", "JP", "KE", "KR", "MX", "NL", "NO", "NZ", "PH", "PL", "PT", "SE", "US", "ZA",
)  # fmt: skip
KINDS = ("banquet hall", "rooftop", "garden", "barn", "gallery", "boathouse", "wine cellar")
FIRST = (
    "Amber", "Birch", "Cedar", "Copper", "Elm", "Granite", "Harbour", "Ivy", "Juniper", "Linden",
    "Maple", "Meadow", "Oak", "Orchard", "Quarry", "Riverside", "Saffron", "Willow", "Slate",
)  # fmt: skip
SECOND = ("Hall", "Loft", "House", "Court", "Terrace", "Pavilion", "Rooms", "Yard", "Mill")


@lru_cache(maxsize=1)
def _holidays() -> dict[str, tuple[dict[str, Any], ...]]:
    """Each country's public holidays of ``YEAR``, by date, with English names."""
    import holidays
    import pycountry

    out: dict[str, tuple[dict[str, Any], ...]] = {}
    for code in COUNTRIES:
        country = pycountry.countries.get(alpha_2=code)
        if country is None:
            continue
        cal = holidays.country_holidays(code, years=YEAR, language="en_US")
        dates = sorted(cal.items())
        per_month: dict[int, int] = {}
        for day, _ in dates:
            per_month[day.month] = per_month.get(day.month, 0) + 1
        rows = []
        seen: set[str] = set()
        for day, name in dates:
            if ";" in name or not name.isascii() or name in seen:
                continue
            seen.add(name)
            rows.append(
                {
                    "name": f"{name} ({country.name})",
                    "country": country.name,
                    "date": day.isoformat(),
                    "month": day.strftime("%B"),
                    "weekday": day.strftime("%A"),
                    "day_of_year": day.timetuple().tm_yday,
                    "in_month": per_month[day.month],
                }
            )
        out[code] = tuple(rows)
    return out


def _venue_names(rng: random.Random, n: int) -> list[str]:
    names = [f"{a} {b}" for a in FIRST for b in SECOND]
    return rng.sample(names, n)


def _rows(rng: random.Random) -> Rows:
    table = _holidays()
    groups: list[dict[str, Any]] = []
    for code in rng.sample(COUNTRIES, rng.randint(3, 4)):
        pool = table[code]
        groups += rng.sample(pool, min(len(pool), rng.randint(2, 4)))
    rng.shuffle(groups)
    names = _venue_names(rng, 9 * len(groups))
    items = []
    for gi, _ in enumerate(groups):
        for _ in range(rng.randint(5, 9)):
            items.append(
                {
                    "name": names.pop(),
                    "kind": rng.choice(KINDS),
                    "guests": rng.randrange(20, 600, 5),
                    "price": rng.randrange(400, 15000, 25),
                    "hours": rng.randint(3, 14),
                    "rating": round(rng.uniform(3.0, 5.0), 1),
                    "group": gi,
                    "capacity": rng.randint(0, 3),
                }
            )
    owners = [{"name": n} for n in people(rng, 10)]
    return {"group": [dict(g) for g in groups], "item": items, "owner": owners}


DECLARATION = GrammarCategory(
    name="holiday_venues",
    description=(
        "Event venues on real public holidays of 2026 (country, month, weekday, day of the "
        "year); find venues by holiday facts, kind, guest capacity and price, and book them "
        "for hosts."
    ),
    group=Entity(
        names=(("holiday", "holidays"), ("public_holiday", "public_holidays")),
        label="name",
        attrs=(
            Attr("name", "text", ("name", "holiday_name"), "name"),
            Attr("date", "text", ("date", "holiday_date"), "date"),
            Attr("country", "text", ("country", "observed_in"), "country", categorical=True),
            Attr("month", "text", ("month", "month_name"), "month", categorical=True),
            Attr(
                "weekday",
                "text",
                ("weekday", "day_of_week"),
                "weekday",
                categorical=True,
                optional=True,
            ),
            Attr(
                "day_of_year",
                "int",
                ("day_of_year", "yday"),
                "day of the year",
                rank=True,
            ),
            Attr(
                "in_month",
                "int",
                ("holidays_that_month", "month_holiday_count"),
                "number of public holidays in its country that month",
                rank=True,
                optional=True,
            ),
        ),
    ),
    item=Entity(
        names=(("venue", "venues"), ("event_space", "event_spaces")),
        label="name",
        attrs=(
            Attr("name", "text", ("name", "venue_name"), "name"),
            Attr("kind", "text", ("kind", "venue_type"), "kind of venue", categorical=True),
            Attr("guests", "int", ("max_guests", "guest_capacity"), "guest capacity", rank=True),
            Attr("price", "int", ("hire_price", "price_eur"), "hire price", unit="EUR", rank=True),
            Attr(
                "hours",
                "int",
                ("hire_hours", "hours_included"),
                "hire length",
                unit="hours",
                rank=True,
                optional=True,
            ),
            Attr(
                "rating",
                "real",
                ("rating", "guest_rating"),
                "guest rating",
                rank=True,
                optional=True,
                additive=False,
            ),
        ),
    ),
    owner=Entity(
        names=(("host", "hosts"), ("event_planner", "event_planners")),
        label="name",
        attrs=(Attr("name", "text", ("name", "contact_name"), "name"),),
    ),
    write=WriteAction(
        verbs=("book_venue", "hire_venue", "reserve_venue"),
        capacity=("slots_left", "free_slots", "openings_left"),
        capacity_phrase="a free slot",
        record=(("venue_booking", "venue_bookings"), ("hire", "hires")),
        undo_verbs=("cancel", "drop"),
        phrase="book a venue",
    ),
    rows=_rows,
)

CATEGORY = GrammarCatalog(DECLARATION)
