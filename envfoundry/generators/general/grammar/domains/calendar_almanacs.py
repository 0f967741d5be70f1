"""Grammar category: an archive's almanacs of real calendar years 1901-2099 (stdlib calendar
and dateutil.easter: the weekday of 1 January, leap years, Friday-the-13ths, ISO weeks, the
day of Western Easter and its distance to Orthodox Easter; the Chinese zodiac animal of
the sexagenary cycle)."""

from __future__ import annotations

import datetime
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

ANIMALS = (
    "Rat", "Ox", "Tiger", "Rabbit", "Dragon", "Snake",
    "Horse", "Goat", "Monkey", "Rooster", "Dog", "Pig",
)  # fmt: skip
KINDS = ("farmers", "nautical", "astronomical", "pocket", "ecclesiastical", "gardeners")
CONDITIONS = ("fine", "good", "fair", "fragile")


@lru_cache(maxsize=1)
def _years() -> tuple[dict[str, Any], ...]:
    import calendar

    from dateutil.easter import EASTER_ORTHODOX, EASTER_WESTERN, easter

    out = []
    for year in range(1901, 2100):
        western = easter(year, EASTER_WESTERN)
        orthodox = easter(year, EASTER_ORTHODOX)
        out.append(
            {
                "name": str(year),
                "jan1": datetime.date(year, 1, 1).strftime("%A"),
                "leap": "leap year" if calendar.isleap(year) else "common year",
                "zodiac": ANIMALS[(year - 4) % 12],
                "easter": western.timetuple().tm_yday,
                "gap": (orthodox - western).days,
                "fridays13": sum(datetime.date(year, m, 13).weekday() == 4 for m in range(1, 13)),
                "weeks": datetime.date(year, 12, 28).isocalendar()[1],
            }
        )
    return tuple(out)


def _rows(rng: random.Random) -> Rows:
    # the weekday of 1 January and the zodiac animal are shown, not filtered on: seven and
    # twelve values among a dozen years make joins of one or two years (no more to read
    # than L2's two named ones)
    groups = rng.sample(_years(), rng.randint(10, 13))
    codes = rng.sample(range(1000, 9999), 120)
    items = []
    for gi, _ in enumerate(groups):
        for _ in range(rng.randint(5, 9)):
            items.append(
                {
                    "code": f"ALM-{codes.pop()}",
                    "kind": rng.choice(KINDS),
                    "condition": rng.choice(CONDITIONS),
                    "pages": rng.randrange(48, 900),
                    "value": rng.randrange(15, 4000),
                    "height": round(rng.uniform(14.0, 32.0), 1),
                    "group": gi,
                    "capacity": rng.randint(0, 3),
                }
            )
    owners = [{"name": n} for n in people(rng, 10)]
    return {"group": [dict(g) for g in groups], "item": items, "owner": owners}


DECLARATION = GrammarCategory(
    name="calendar_almanacs",
    description=(
        "An archive's almanacs of real calendar years (weekday of 1 January, leap year, "
        "Chinese zodiac animal, Easter's day of the year, Friday-the-13ths); find almanacs by "
        "calendar facts, kind, pages and value, and request reading-room copies for readers."
    ),
    group=Entity(
        names=(("year", "years"), ("calendar_year", "calendar_years")),
        label="name",
        attrs=(
            Attr("name", "text", ("year_label", "name"), "year"),
            Attr(
                "jan1",
                "text",
                ("starts_on", "jan1_weekday"),
                "weekday of 1 January",
            ),
            Attr("leap", "text", ("year_type", "leap_status"), "year type", categorical=True),
            Attr(
                "zodiac",
                "text",
                ("zodiac_animal", "chinese_zodiac"),
                "Chinese zodiac animal",
                optional=True,
            ),
            Attr(
                "easter",
                "int",
                ("easter_day_of_year", "easter_yday"),
                "day of the year of Western Easter",
                rank=True,
            ),
            Attr(
                "gap",
                "int",
                ("orthodox_easter_gap", "easter_gap_days"),
                "days from Western to Orthodox Easter",
                rank=True,
                optional=True,
            ),
            Attr(
                "fridays13",
                "int",
                ("friday_13ths", "fri13_count"),
                "number of Friday-the-13ths",
                rank=True,
            ),
            Attr("weeks", "int", ("iso_weeks", "week_count"), "number of ISO weeks", rank=True),
        ),
    ),
    item=Entity(
        names=(("almanac", "almanacs"), ("archive_volume", "archive_volumes")),
        label="code",
        attrs=(
            Attr("code", "text", ("shelf_mark", "call_number"), "shelf mark"),
            Attr("kind", "text", ("kind", "almanac_type"), "kind of almanac", categorical=True),
            Attr(
                "condition",
                "text",
                ("condition", "state"),
                "condition",
                categorical=True,
                optional=True,
            ),
            Attr("pages", "int", ("pages", "page_count"), "number of pages", rank=True),
            Attr(
                "value",
                "int",
                ("insured_value", "value_eur"),
                "insured value",
                unit="EUR",
                rank=True,
            ),
            Attr(
                "height",
                "real",
                ("height_cm", "spine_height"),
                "height",
                unit="cm",
                rank=True,
                optional=True,
            ),
        ),
    ),
    owner=Entity(
        names=(("reader", "readers"), ("researcher", "researchers")),
        label="name",
        attrs=(Attr("name", "text", ("name", "reader_name"), "name"),),
    ),
    write=WriteAction(
        verbs=("request_copy", "reserve_copy", "order_to_reading_room"),
        capacity=("copies_left", "copies_available", "free_copies"),
        capacity_phrase="a spare copy",
        record=(("reading_request", "reading_requests"), ("copy_request", "copy_requests")),
        undo_verbs=("cancel", "withdraw"),
        phrase="request a reading-room copy",
    ),
    rows=_rows,
)

CATEGORY = GrammarCatalog(DECLARATION)
