"""Procedural category: an airline's network between real airports, bookings and changes.

Flights of a hub-and-spoke network over four days, passengers with loyalty tiers and
their bookings. Levels go from a fare lookup to booking, rebooking after an airline
cancellation, (toolset v2) changing two travellers' round trip in place onto shared flights,
and the cheapest connection through any airport; write tasks are verified on the final
database (booking rows and seat counters).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from envfoundry.generators.general import refdata
from envfoundry.generators.general.base import TaskDraft
from envfoundry.generators.general.categories._kit import (
    Catalog,
    Sources,
    World,
    haversine_km,
    row_id,
)

CODE = Sources("airline_booking")
DESCRIPTION = (
    "An airline network between real international airports: flights with fares and "
    "seats per cabin, passengers with loyalty tiers, booking, cancelling and changing."
)
REGIONS = ("Africa", "America", "Asia", "Europe")
LAYOVER = (60, 360)  # the shortest and longest layover of level 5, in minutes


@lru_cache(maxsize=1)
def _region_airports() -> dict[str, tuple[dict[str, Any], ...]]:
    """International airports of cities with 1M+ people, one per city, by tz region."""
    big = {(c["name"], c["country"]): c for c in refdata.world_cities() if c["population"] >= 10**6}
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    seen: set[str] = set()
    for a in refdata.airports():
        city = big.get((a["city"], a["country"]))
        if city and "International" in a["name"] and a["city"] not in seen:
            seen.add(a["city"])
            out[a["tz"].split("/")[0]].append(
                {**a, "lat": city["lat"], "lon": city["lon"], "population": city["population"]}
            )
    return {k: tuple(v) for k, v in out.items() if k in REGIONS}


def _stamp(day: str, minute: int) -> str:
    t = dt.datetime.fromisoformat(day) + dt.timedelta(minutes=minute)
    return t.strftime("%Y-%m-%dT%H:%M")


class _World:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        region = rng.choice(REGIONS)
        picks = rng.sample(_region_airports()[region], 7)
        picks.sort(key=lambda a: -a["population"])
        self.airports = picks
        self.hub, self.spokes = picks[0], picks[1:]
        start = dt.date(2025, rng.randint(3, 11), rng.randint(1, 25))
        self.dates = [(start + dt.timedelta(days=i)).isoformat() for i in range(4)]
        self.flights: list[dict[str, Any]] = []
        routes = [(self.hub, s) for s in self.spokes] + [(s, self.hub) for s in self.spokes]
        for a in self.spokes[:3]:  # a few point-to-point routes between other spokes
            for b in self.spokes[:3]:
                if a is not b and rng.random() < 0.5:
                    routes.append((a, b))
        for a, b in routes:
            for day in self.dates:
                for _ in range(rng.randint(2, 3)):
                    self.add(a, b, day, rng.randrange(6 * 60, 21 * 60, 5))
        self.names = refdata.person_names(rng, 14)
        self.passengers: list[dict[str, Any]] = [
            {
                "id": row_id("passengers"),
                "name": n,
                "tier": rng.choice(["basic", "basic", "silver", "gold"]),
                "miles": rng.randrange(0, 180_000, 250),
            }
            for n in self.names
        ]
        self.bookings: list[dict[str, Any]] = []

    def add(
        self, a: dict[str, Any], b: dict[str, Any], day: str, minute: int, **over: Any
    ) -> dict[str, Any]:
        rng = self.rng
        km = haversine_km(a["lat"], a["lon"], b["lat"], b["lon"])
        econ = int((40 + 0.08 * km) * rng.uniform(0.8, 1.6))
        fid = row_id("flights")
        f = {
            "id": fid,
            "flight_no": f"MR{100 + fid}",  # from the id: no generation order either
            "origin": a["iata"],
            "destination": b["iata"],
            "departure": _stamp(day, minute),
            "arrival": _stamp(day, minute + 45 + int(km / 13)),
            "status": "scheduled",
            "economy_fare": econ,
            "business_fare": int(econ * rng.uniform(2.4, 3.6)),
            "economy_seats_left": 0 if rng.random() < 0.1 else rng.randint(1, 40),
            "business_seats_left": rng.randint(0, 8),
        }
        f.update(over)
        self.flights.append(f)
        return f

    def route(self, a: dict[str, Any], b: dict[str, Any], day: str) -> list[dict[str, Any]]:
        return sorted(
            (
                f
                for f in self.flights
                if f["origin"] == a["iata"]
                and f["destination"] == b["iata"]
                and f["departure"][:10] == day
            ),
            key=lambda f: (f["departure"], f["id"]),
        )

    def book(self, pid: int, f: dict[str, Any], cabin: str) -> int:
        bid = row_id("bookings")
        self.bookings.append(
            {
                "id": bid,
                "passenger_id": pid,
                "flight_id": f["id"],
                "cabin": cabin,
                "price_paid": f[f"{cabin}_fare"],
                "change_fee": 0,
                "status": "active",
            }
        )
        return bid

    def init(self, flights: Iterable[dict[str, Any]]) -> dict[int, list[int]]:
        """Seats left and active named bookings per cabin of ``flights`` (verifier literal)."""
        out = {}
        for f in sorted(flights, key=lambda f: f["id"]):
            act = [
                b["cabin"]
                for b in self.bookings
                if b["flight_id"] == f["id"] and b["status"] == "active"
            ]
            out[f["id"]] = [
                f["economy_seats_left"],
                f["business_seats_left"],
                act.count("economy"),
                act.count("business"),
            ]
        return out

    def db_rows(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        countries = refdata.country_names()
        out["airports"] = [
            [a["iata"], a["name"], a["city"], countries.get(a["country"], a["country"])]
            for a in sorted(self.airports, key=lambda a: a["iata"])
        ]
        out["flights"] = [list(f.values()) for f in self.flights]
        out["passengers"] = [list(p.values()) for p in self.passengers]
        out["bookings"] = [list(b.values()) for b in self.bookings]
        return out


def _l1(w: _World) -> Any:
    a, b, day = w.hub, w.spokes[0], w.dates[0]
    flights = w.route(a, b, day)
    for f in flights:
        f["economy_seats_left"] = max(3, f["economy_seats_left"])
    cheapest = min(f["economy_fare"] for f in flights)
    decoy = w.add(
        a,
        b,
        day,
        w.rng.randrange(7 * 60, 20 * 60, 5),
        economy_fare=max(25, cheapest - w.rng.randint(10, 40)),
    )
    if w.rng.random() < 0.5:
        decoy["status"] = "cancelled"
    else:
        decoy["economy_seats_left"] = 0
    p = {"ORIGIN": a["city"], "DEST": b["city"], "DATE": day}
    prompt = CODE.prompt(1, p)
    return lambda _m: CODE.task(1, prompt, p)


def _l2(w: _World) -> Any:
    a, b, day = w.spokes[1], w.hub, w.dates[1]
    flights = w.route(a, b, day)
    for f in flights:
        f["status"] = "scheduled"
    first, second = flights[0], flights[1]
    first["business_seats_left"] = max(2, first["business_seats_left"])
    second["business_seats_left"] = max(1, second["business_seats_left"])
    cap = second["business_fare"] + w.rng.randint(0, 40) // 5 * 5
    first["business_fare"] = cap + w.rng.randint(60, 200)
    name = w.names[1]
    p = {"ORIGIN": a["city"], "DEST": b["city"], "DATE": day, "CAP": cap, "NAME": name}
    prompt = CODE.prompt(2, p)

    def make(max_booking: int) -> TaskDraft:
        p.update(INIT=w.init(w.route(a, b, day)), MAX_BOOKING=max_booking)
        return CODE.task(2, prompt, p)

    return make


def _l5(w: _World) -> Any:
    a, z, day = w.spokes[3], w.spokes[4], w.dates[1]
    first, second = w.route(a, w.hub, day), w.route(w.hub, z, day)
    for f in first + second:
        f["economy_seats_left"] = max(1, f["economy_seats_left"])
    cheap = min(f["economy_fare"] for f in first + second)
    # the cheapest pair connects too tightly (40 minutes)
    x = w.add(a, w.hub, day, 6 * 60 + w.rng.randrange(0, 120, 5), economy_fare=max(20, cheap - 15))
    gap = dt.datetime.fromisoformat(x["arrival"]) - dt.datetime.fromisoformat(day)
    w.add(
        w.hub,
        z,
        day,
        int(gap.total_seconds() // 60) + 40,
        economy_fare=max(20, cheap - 12),
        economy_seats_left=5,
    )
    w.add(
        w.hub,
        z,
        day,
        int(gap.total_seconds() // 60) + 150,
        economy_seats_left=4,
        economy_fare=cheap + w.rng.randint(5, 40),
    )
    x["economy_seats_left"] = 6
    name = w.names[2]
    p = {
        "ORIGIN": a["city"],
        "DEST": z["city"],
        "DATE": day,
        "NAME": name,
        "LAYOVER": LAYOVER,
    }
    prompt = CODE.prompt(5, p, MIN_GAP=LAYOVER[0], MAX_GAP=LAYOVER[1])

    def make(max_booking: int) -> TaskDraft:
        legs = [
            f
            for f in w.flights
            if f["departure"][:10] == day
            and (f["origin"] == a["iata"] or f["destination"] == z["iata"])
        ]
        p.update(INIT=w.init(legs), MAX_BOOKING=max_booking)
        return CODE.task(5, prompt, p, toolset_version=2)

    return make


def _l3(w: _World) -> Any:
    a, b, dates = w.hub, w.spokes[5], w.dates[2:4]
    person = w.passengers[3]
    person["tier"] = w.rng.choice(["gold", "silver"])
    old = w.add(a, b, dates[0], 7 * 60 + w.rng.randrange(0, 120, 5), status="cancelled")
    old_id = w.book(person["id"], old, "economy")
    w.add(a, b, dates[1], 21 * 60 + 30)
    later = [f for d in dates for f in w.route(a, b, d) if f["departure"] > old["departure"]]
    for f in later:
        f["status"] = "scheduled"
    later[0]["economy_seats_left"], later[0]["business_seats_left"] = 3, 0
    later[1]["economy_seats_left"] = 0  # the next one only has business seats left
    later[-1]["economy_seats_left"], later[-1]["business_seats_left"] = 2, 2
    p = {"NAME": person["name"], "OLD_ID": old_id, "DATES": dates}
    prompt = CODE.prompt(3, p)

    def make(max_booking: int) -> TaskDraft:
        flights = [f for d in dates for f in w.route(a, b, d)]
        p.update(INIT=w.init(flights), MAX_BOOKING=max_booking)
        return CODE.task(3, prompt, p)

    return make


def _l4(w: _World) -> Any:
    a, b = w.spokes[2], w.hub
    person, companion = w.passengers[4], w.passengers[5]
    person["tier"] = "silver"
    out_f = w.add(a, b, w.dates[0], 9 * 60)
    ret_f = w.add(b, a, w.dates[2], 15 * 60)
    ids = [w.book(person["id"], out_f, "economy"), w.book(person["id"], ret_f, "economy")]
    pair = [w.book(companion["id"], out_f, "economy"), w.book(companion["id"], ret_f, "economy")]
    new_out, new_ret = w.dates[1], w.dates[3]
    outs, rets = w.route(a, b, new_out), w.route(b, a, new_ret)
    for f in outs + rets:
        f["status"] = "scheduled"
    fits = [f for f in outs if f["arrival"] <= f"{new_out}T18:00"]
    cheap = min(f["economy_fare"] for f in outs)
    if not fits:
        km = haversine_km(a["lat"], a["lon"], b["lat"], b["lon"])
        fits = [w.add(a, b, new_out, max(0, (17 * 60 - 45 - int(km / 13)) // 5 * 5))]
    fits[0]["economy_seats_left"] = max(8, fits[0]["economy_seats_left"])  # room for both
    w.add(a, b, new_out, 20 * 60 + 30, economy_fare=max(20, cheap - 20), economy_seats_left=9)
    # in the window and cheaper than every flight there, but one seat only: not for two
    two = min(f["economy_fare"] for f in fits if f["economy_seats_left"] >= 2)
    start = dt.datetime.fromisoformat(fits[0]["departure"])
    w.add(
        a,
        b,
        new_out,
        max(0, start.hour * 60 + start.minute - 30),
        economy_fare=max(10, two - w.rng.randint(5, 25)),
        economy_seats_left=1,
    )
    late = [f for f in rets if f["departure"] >= f"{new_ret}T12:00"]
    cheap = min(f["economy_fare"] for f in rets)
    if not late:
        late = [w.add(b, a, new_ret, 16 * 60)]
    late[0]["economy_seats_left"] = max(8, late[0]["economy_seats_left"])
    w.add(b, a, new_ret, 7 * 60, economy_fare=max(20, cheap - 20), economy_seats_left=9)
    two = min(f["economy_fare"] for f in late if f["economy_seats_left"] >= 2)
    w.add(
        b,
        a,
        new_ret,
        12 * 60 + w.rng.randrange(0, 240, 5),
        economy_fare=max(10, two - w.rng.randint(5, 25)),
        economy_seats_left=1,
    )
    legs = [[a["iata"], b["iata"], new_out, False], [b["iata"], a["iata"], new_ret, True]]
    p = {
        "NAME": person["name"],
        "COMPANION": companion["name"],
        "IDS": ids,
        "COMPANION_IDS": pair,
        "LEGS": legs,
        "HOME": a["iata"],
    }
    prompt = CODE.prompt(4, p, A_CITY=a["city"], B_CITY=b["city"])

    def make(max_booking: int) -> TaskDraft:
        flights = w.route(a, b, new_out) + w.route(b, a, new_ret) + [out_f, ret_f]
        p.update(INIT=w.init(flights), MAX_BOOKING=max_booking)
        return CODE.task(4, prompt, p, toolset_version=2)

    return make


def _generate(rng: random.Random) -> World:
    w = _World(rng)
    # Each level owns its routes and passenger; background bookings come after the plants.
    plants = {3: _l3(w), 4: _l4(w), 1: _l1(w), 2: _l2(w), 5: _l5(w)}
    for p in w.passengers[8:]:
        for f in w.rng.sample(w.flights, 2):
            cabin = "business" if f["business_seats_left"] and w.rng.random() < 0.3 else "economy"
            if f[f"{cabin}_seats_left"] and f["status"] == "scheduled":
                w.book(p["id"], f, cabin)
    max_booking = max(b["id"] for b in w.bookings)
    tasks = {level: make(max_booking) for level, make in plants.items()}
    return w.db_rows(), tasks, {}


CATEGORY = Catalog(CODE, DESCRIPTION, _generate)
