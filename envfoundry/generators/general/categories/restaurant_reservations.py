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
        self.dates = [(start + dt.timedelta(days=i)).isoformat() for i in range(6)]
        self.guests = people_names(rng, 60)
        surnames = [n.split()[-1] for n in self.guests]
        self.fill = self.guests[:40]  # names of background reservations; tasks use the rest
        self.rests: list[dict[str, Any]] = []
        self.tables: list[dict[str, Any]] = []
        # reservations per (table id, date), so planting stays cheap
        self.book: dict[tuple[int, str], list[dict[str, Any]]] = {}
        self.pool: _Pool | None = None  # the first city's qualifying restaurants (L1-L4)
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


class _Pool:
    """The first city's restaurants rated at least ``rating`` (``rated``, best first, with
    distinct ratings): the best is not vegan, the other ``vegan`` ones (three or more) are.
    Every level of that city ranges over them, each adding a step to the level below."""

    def __init__(self, w: _World) -> None:
        rng, city = w.rng, w.in_city(0)
        k = rng.choice([4, 5])
        ratings = sorted(rng.sample([4.2, 4.3, 4.4, 4.5, 4.6, 4.7, 4.8, 4.9], k), reverse=True)
        self.rated = sorted(city, key=lambda r: -r["rating"])[:k]  # stable: ids steer nothing
        self.rating = ratings[-1]
        for r, rating in zip(self.rated, ratings, strict=True):
            r["rating"] = rating
        for r in city:
            if r not in self.rated and r["rating"] >= self.rating:
                r["rating"] = round(self.rating - 0.1 * rng.randint(1, 6), 1)
        best, *rest = self.rated
        best["vegan"] = 0  # forgetting the vegan rule picks the best-rated place
        chosen = rng.sample(rest, rng.randint(3, len(rest)))
        for r in rest:
            r["vegan"] = int(r in chosen)
            r["vegetarian"] = max(r["vegetarian"], r["vegan"])
        self.vegan = [r for r in rest if r["vegan"]]  # best first
        self.city = best["city"]

    def others(self, w: _World) -> list[dict[str, Any]]:
        return [r for r in w.in_city(0) if r not in self.rated]


def _pool(w: _World) -> _Pool:
    if w.pool is None:
        w.pool = _Pool(w)
    return w.pool


def _booked(w: _World, rest: dict[str, Any], date: str, time: str) -> None:
    """Every table of ``rest`` taken around ``date`` ``time`` (a decoy)."""
    for t in w.tables_of(rest):
        w.add(t, date, time, w.rng.choice(w.fill))


def _l1(w: _World) -> TaskDraft:
    q = _pool(w)
    p = {"CITY": q.city, "MIN_RATING": q.rating}
    prompt = CODE.prompt(1, p)
    return CODE.task(1, prompt, p, unique=True)


def _l2(w: _World) -> TaskDraft:
    """L1 + a free table for the party: the best vegan place is fully booked then."""
    q, rng, date = _pool(w), w.rng, w.dates[0]
    time, size = rng.choice(["19:00", "19:30", "20:00"]), rng.choice([2, 3, 4])
    _booked(w, q.vegan[0], date, time)
    w.clear(w.fitting(q.vegan[-1], size), date)
    p = {"CITY": q.city, "MIN_RATING": q.rating, "DATE": date, "TIME": time, "SIZE": size}
    prompt = CODE.prompt(2, p)
    return CODE.task(2, prompt, p, unique=True)


def _nights(w: _World, q: _Pool, dates: list[str], time: str, size: int) -> None:
    """The first night the best vegan place is fully booked, on the others it is free; the
    best-rated place (not vegan) is free every night (forgetting the rule books it)."""
    _booked(w, q.vegan[0], dates[0], time)
    w.clear(w.fitting(q.vegan[1], size), dates[0])
    for date in dates:
        w.clear(w.fitting(q.rated[0], size), date)
    for date in dates[1:]:
        w.clear(w.fitting(q.vegan[0], size), date)


def _l3(w: _World) -> TaskDraft:
    """L2's choice on two evenings, booked at the smallest table that seats the party."""
    q, rng, dates = _pool(w), w.rng, w.dates[1:3]
    time, size = rng.choice(["19:00", "19:30", "20:00"]), rng.choice([2, 3, 4])
    _nights(w, q, dates, time, size)
    party = w.guests[40 + rng.randrange(5)]
    p = {
        "CITY": q.city,
        "MIN_RATING": q.rating,
        "DATES": dates,
        "TIME": time,
        "SIZE": size,
        "PARTY": party,
    }
    prompt = CODE.prompt(3, p, DATE_LIST=", ".join(dates), QUOTED_PARTY=repr(party))
    return CODE.task(3, prompt, p)


def _l4(w: _World) -> TaskDraft:
    """L3 on three evenings at the time of a reservation the party holds elsewhere on the
    first (found by name, cancelled): toolset v2."""
    q, rng, dates = _pool(w), w.rng, w.dates[3:6]
    time, size = rng.choice(["19:00", "19:30", "20:00"]), rng.choice([2, 3, 4])
    party = w.guests[50 + rng.randrange(5)]
    held = w.fitting(rng.choice(q.others(w)), size)
    old_id = w.add(held, dates[0], time, party)
    w.book[(held["id"], dates[0])][-1]["size"] = size
    _nights(w, q, dates, time, size)
    p = {
        "CITY": q.city,
        "MIN_RATING": q.rating,
        "DATES": dates,
        "SIZE": size,
        "PARTY": party,
        "OLD_ID": old_id,
    }
    prompt = CODE.prompt(
        4, p, FIRST_DATE=dates[0], DATE_LIST=", ".join(dates), QUOTED_PARTY=repr(party)
    )
    return CODE.task(4, prompt, p, toolset_version=2)


def _l5(w: _World) -> TaskDraft:
    rng, dates, city = w.rng, w.dates[2:5], w.in_city(1)
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


# The first city's levels build on one pool of restaurants (L1) and plant on disjoint
# dates; L5 plans three evenings in the second city.
CATEGORY = Catalog(CODE, DESCRIPTION, planted(_World, {1: _l1, 2: _l2, 3: _l3, 4: _l4, 5: _l5}))
