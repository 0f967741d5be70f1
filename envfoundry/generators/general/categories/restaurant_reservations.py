"""Procedural category: restaurant reservations in real cities (tables, hours, dietary rules)."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from typing import Any

from envfoundry.generators.general import refdata
from envfoundry.generators.general.base import TaskDraft
from envfoundry.generators.general.categories._kit import Catalog, Sources, planted, row_id
from envfoundry.generators.general.categories._kit import people as people_names

CODE = Sources("restaurant_reservations")
DESCRIPTION = (
    "Restaurants in real cities with tables, opening hours, cuisines, ratings and dietary "
    "options; find and reserve tables for parties without double-booking."
)
SITTING_MIN: int = CODE.constant("sitting", "SITTING")
CUISINES = {
    "Italian": "Trattoria {}",
    "Japanese": "{} Sushi Bar",
    "Indian": "{} Tandoor House",
    "French": "Bistro {}",
    "Mexican": "Casa {}",
    "Thai": "{} Thai Kitchen",
    "Lebanese": "{} Mezze",
    "Spanish": "Taberna {}",
    "Korean": "{} Korean BBQ",
    "Greek": "{} Taverna",
}
TIMES = [f"{h:02d}:{m:02d}" for h in range(17, 22) for m in (0, 30)]


def _m(t: str) -> int:
    return int(t[:2]) * 60 + int(t[3:])


class _World:
    """The generated data, kept in Python until it is written to SQLite."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        pool = [c for c in refdata.world_cities() if c["population"] >= 1_000_000]
        self.cities = rng.sample(pool, 2)
        start = dt.date(2025, rng.randint(4, 10), rng.randint(1, 20))
        self.dates = [(start + dt.timedelta(days=i)).isoformat() for i in range(5)]
        self.guests = people_names(rng, 60)
        surnames = [n.split()[-1] for n in self.guests]
        self.fill = self.guests[:40]  # names of background reservations; tasks use the rest
        self.rests: list[dict[str, Any]] = []
        self.tables: list[dict[str, Any]] = []
        # reservations per (table id, date), so planting stays cheap
        self.book: dict[tuple[int, str], list[dict[str, Any]]] = {}
        self.locked: set[int] = set()  # restaurants whose planted attributes must stay
        for city in self.cities:
            cuisines = rng.sample(sorted(CUISINES), 8) + rng.sample(sorted(CUISINES), 4)
            for cuisine in cuisines:
                rid = row_id("restaurants")
                veg = rng.random() < 0.7
                self.rests.append(
                    {
                        "id": rid,
                        "name": CUISINES[cuisine].format(surnames[(rid * 7) % len(surnames)]),
                        "city": city["name"],
                        "country": refdata.country_names().get(city["country"], city["country"]),
                        "cuisine": cuisine,
                        "rating": round(rng.uniform(3.4, 4.8), 1),
                        "price_per_person": rng.randrange(18, 95),
                        "opens": rng.choice(["11:30", "12:00", "17:00", "17:30"]),
                        "closes": rng.choice(["22:30", "23:00", "23:30"]),
                        "vegetarian": int(veg),
                        "vegan": int(veg and rng.random() < 0.5),
                        "gluten_free": int(rng.random() < 0.4),
                    }
                )
                for seats in sorted(rng.sample([2, 2, 2, 4, 4, 4, 6, 6, 8], rng.randint(4, 6))):
                    self.tables.append(
                        {
                            "id": row_id("dining_tables"),
                            "rid": rid,
                            "seats": seats,
                            "area": rng.choice(["indoor", "indoor", "terrace", "window"]),
                        }
                    )
        for table in self.tables:
            for date in self.dates:
                if rng.random() < 0.45:
                    self.add(table, date, rng.choice(TIMES[2:8]), rng.choice(self.fill))

    def add(self, table: dict[str, Any], date: str, time: str, name: str) -> int:
        # drop what overlaps, so the planted reservation is consistent with the rest
        key = (table["id"], date)
        self.book[key] = [
            r for r in self.book.get(key, []) if abs(_m(r["time"]) - _m(time)) >= SITTING_MIN
        ]
        rid = row_id("reservations")
        size = max(1, table["seats"] - self.rng.randint(0, 1))
        self.book[key].append(
            {
                "id": rid,
                "rid": table["rid"],
                "table_id": table["id"],
                "name": name,
                "size": size,
                "date": date,
                "time": time,
                "status": "active",
            }
        )
        return rid

    def clear(self, table: dict[str, Any], date: str) -> None:
        self.book.pop((table["id"], date), None)

    def in_city(self, idx: int) -> list[dict[str, Any]]:
        return [r for r in self.rests if r["city"] == self.cities[idx]["name"]]

    def tables_of(self, rest: dict[str, Any], size: int = 1) -> list[dict[str, Any]]:
        return [t for t in self.tables if t["rid"] == rest["id"] and t["seats"] >= size]

    def set_cuisine(self, rest: dict[str, Any], cuisine: str) -> None:
        surname = self.guests[(rest["id"] * 7) % len(self.guests)].split()[-1]
        rest.update(cuisine=cuisine, name=CUISINES[cuisine].format(surname))

    def fitting(self, rest: dict[str, Any], size: int) -> dict[str, Any]:
        """The smallest table of ``rest`` seating ``size``, added when there is none."""
        fits = self.tables_of(rest, size)
        if fits:
            return min(fits, key=lambda t: (t["seats"], t["id"]))
        table = {"id": row_id("dining_tables"), "rid": rest["id"], "seats": size, "area": "indoor"}
        self.tables.append(table)
        return table

    def free(self, rest: dict[str, Any], date: str, time: str, size: int) -> list[dict[str, Any]]:
        if _m(time) < _m(rest["opens"]) or _m(time) + SITTING_MIN > _m(rest["closes"]):
            return []
        return [
            t
            for t in self.tables_of(rest, size)
            if all(
                abs(_m(r["time"]) - _m(time)) >= SITTING_MIN
                for r in self.book.get((t["id"], date), [])
            )
        ]

    def db_rows(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        keys = [
            "id",
            "name",
            "city",
            "country",
            "cuisine",
            "rating",
            "price_per_person",
            "opens",
            "closes",
            "vegetarian",
            "vegan",
            "gluten_free",
        ]
        out["restaurants"] = [[r[k] for k in keys] for r in self.rests]
        out["dining_tables"] = [[t["id"], t["rid"], t["seats"], t["area"]] for t in self.tables]
        res = sorted((r for rows in self.book.values() for r in rows), key=lambda r: r["id"])
        out["reservations"] = [
            [
                r["id"],
                r["rid"],
                r["table_id"],
                r["name"],
                r["size"],
                r["date"],
                r["time"],
                r["status"],
            ]
            for r in res
        ]
        return out


def _l1(w: _World) -> TaskDraft:
    city = w.in_city(0)
    top = max(city, key=lambda r: r["rating"])
    top["vegan"] = 0  # the best-rated place is not vegan: forgetting the filter is caught
    vegan = sorted((r for r in city if r["vegan"]), key=lambda r: -r["rating"])
    if len(vegan) < 2:
        for r in city:
            if r is not top and not r["vegan"] and r["id"] not in w.locked and len(vegan) < 2:
                vegan.append(r)
                r["vegetarian"] = r["vegan"] = 1
        vegan = sorted((r for r in city if r["vegan"]), key=lambda r: -r["rating"])
    min_rating = min(vegan[len(vegan) // 2]["rating"], top["rating"])
    p = {"CITY": city[0]["city"], "MIN_RATING": min_rating}
    prompt = CODE.prompt(1, p)
    return CODE.task(1, prompt, p, unique=True)


def _l4(w: _World) -> TaskDraft:
    city, date, time = w.in_city(1), w.dates[1], w.rng.choice(["19:00", "19:30", "20:00"])
    size = w.rng.choice([3, 4, 5])
    gf = sorted(city, key=lambda r: -r["rating"])[:4]
    for r in gf:
        r["gluten_free"] = 1
    top = max((r for r in city if r["gluten_free"]), key=lambda r: (r["rating"], -r["id"]))
    for t in w.tables_of(top):
        w.add(t, date, time, w.rng.choice(w.fill))  # fully booked: the decoy
    second = next(r for r in gf if r is not top)
    w.clear(w.fitting(second, size), date)
    p = {"CITY": top["city"], "DATE": date, "TIME": time, "SIZE": size}
    prompt = CODE.prompt(4, p)
    return CODE.task(4, prompt, p, toolset_version=2)


def _l2(w: _World) -> TaskDraft:
    rng, date = w.rng, w.dates[2]
    city = w.in_city(0)
    size = rng.choice([2, 4, 6])
    c1, c2 = rng.sample(sorted({r["cuisine"] for r in city}), 2)
    min_rating = 4.0
    pool = [r for r in city if r["cuisine"] in (c1, c2)]
    for r in pool:
        r["vegetarian"], r["rating"] = 1, max(r["rating"], 4.0)
    decoy = pool[0]
    decoy["vegetarian"] = decoy["vegan"] = 0
    decoy["rating"] = 4.9
    if len(pool) < 3:
        extra = next(r for r in city if r not in pool and r["id"] not in w.locked)
        w.set_cuisine(extra, c2)
        extra.update(vegetarian=1, rating=max(extra["rating"], 4.1))
        pool.append(extra)
    w.fitting(decoy, size)
    for t in w.tables_of(decoy):
        w.clear(t, date)
    w.locked.add(decoy["id"])
    cands = [r for r in pool if r is not decoy]
    for r in cands:
        w.fitting(r, size)
    fallback = rng.random() < 0.5
    if fallback:  # nothing qualifying is free at 19:00, one place is free at 21:00
        for r in cands:
            for t in w.tables_of(r, size):
                w.add(t, date, "18:00", rng.choice(w.fill))
        cands[0]["closes"] = "23:30"
        key = (w.fitting(cands[0], size)["id"], date)
        w.book[key] = [x for x in w.book.get(key, []) if x["time"] == "18:00"]
    else:
        w.clear(w.fitting(cands[-1], size), date)
    party = w.guests[40 + rng.randrange(5)]
    p = {
        "CITY": decoy["city"],
        "CUISINES": sorted([c1, c2]),
        "MIN_RATING": min_rating,
        "DATE": date,
        "PREFERRED": "19:00",
        "FALLBACK": "21:00",
        "SIZE": size,
        "PARTY": party,
    }
    prompt = CODE.prompt(2, p, C1=c1, C2=c2, QUOTED_PARTY=repr(party))
    return CODE.task(2, prompt, p, fallback=fallback)


def _l5(w: _World) -> TaskDraft:
    rng, dates, city = w.rng, w.dates[2:], w.in_city(1)
    size, min_rating, times = rng.choice([2, 3, 4]), 3.8, ["19:00", "19:30", "20:00"]
    by_cuisine: dict[str, dict[str, Any]] = {}
    for r in sorted(city, key=lambda r: r["id"]):
        by_cuisine.setdefault(r["cuisine"], r)
    for r in list(by_cuisine.values())[:5]:
        r.update(vegetarian=1, vegan=1, rating=max(r["rating"], min_rating + 0.2))
    vegan = [r for r in city if r["vegan"] and r["rating"] >= min_rating]
    cheap = min(vegan, key=lambda r: (r["price_per_person"], r["id"]))
    for r in city:  # the cheapest place is strictly cheapest and free all three nights
        if r is not cheap and r["price_per_person"] <= cheap["price_per_person"]:
            r["price_per_person"] = cheap["price_per_person"] + 1
    for d in dates:
        w.clear(w.fitting(cheap, size), d)
        for r in list(by_cuisine.values())[:5]:
            if not any(w.free(r, d, t, size) for t in times):
                w.clear(w.fitting(r, size), d)
    nights = []
    for d in dates:
        night = []
        for r in vegan:
            if any(w.free(r, d, t, size) for t in times):
                night.append(r)
        nights.append(night)
    costs = [
        sum(r["price_per_person"] for r in combo) * size
        for combo in itertools.product(*nights)
        if len({r["cuisine"] for r in combo}) == 3
    ]
    budget = min(costs) + size * 5
    party = w.guests[45 + rng.randrange(5)]
    p = {
        "CITY": cheap["city"],
        "DATES": dates,
        "TIMES": times,
        "SIZE": size,
        "MIN_RATING": min_rating,
        "BUDGET": budget,
        "PARTY": party,
    }
    prompt = CODE.prompt(5, p, DATE_LIST=", ".join(dates), QUOTED_PARTY=repr(party))
    return CODE.task(5, prompt, p, toolset_version=2)


def _l3(w: _World) -> TaskDraft:
    rng, date, city = w.rng, w.dates[3], w.in_city(0)
    home = rng.choice(city)
    home["opens"], home["closes"] = "12:00", "23:30"
    twins = [r for r in city if r["cuisine"] == home["cuisine"] and r is not home]
    if not twins:
        twin = next(r for r in city if r is not home)
        w.set_cuisine(twin, home["cuisine"])
        twins = [twin]
    small = min(w.tables_of(home), key=lambda t: t["seats"])
    size = small["seats"] + 2
    w.fitting(home, size)
    time = rng.choice(["19:00", "19:30", "20:00"])
    party = w.guests[50 + rng.randrange(10)]
    old_id = w.add(small, date, time, party)
    w.book[(small["id"], date)][-1]["size"] = small["seats"]
    fallback = rng.random() < 0.5
    for t in w.tables_of(home, size):
        if fallback:
            w.add(t, date, time, rng.choice(w.fill))
    if not fallback:  # the roomy table frees up 30 minutes after the original time
        before = _m(time) - 90
        w.clear(w.tables_of(home, size)[-1], date)
        w.add(
            w.tables_of(home, size)[-1],
            date,
            f"{before // 60:02d}:{before % 60:02d}",
            rng.choice(w.fill),
        )
    w.fitting(twins[0], size)
    w.locked |= {home["id"], twins[0]["id"]}
    for t in w.tables_of(twins[0], size):
        w.clear(t, date)
    p = {"PARTY": party, "SIZE": size, "OLD_ID": old_id}
    prompt = CODE.prompt(3, p, QUOTED_PARTY=repr(party))
    return CODE.task(3, prompt, p, toolset_version=2, fallback=fallback)


# Plant every level's scenario before writing the db. Levels touch disjoint
# (city, date) pairs; the order keeps a later plant from undoing an earlier decoy.
CATEGORY = Catalog(CODE, DESCRIPTION, planted(_World, {3: _l3, 2: _l2, 5: _l5, 4: _l4, 1: _l1}))
