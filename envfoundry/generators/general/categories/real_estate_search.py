"""Procedural category: rental search in real cities (listings, amenities, commutes, holds)."""

from __future__ import annotations

import itertools
import random
from typing import Any

from envfoundry.generators.general import refdata
from envfoundry.generators.general.base import TaskDraft
from envfoundry.generators.general.categories._kit import (
    Catalog,
    NoScenario,
    Sources,
    haversine_km,
    planted,
    row_id,
)
from envfoundry.generators.general.categories._kit import people as people_names

CODE = Sources("real_estate_search")
DESCRIPTION = (
    "Rental listings in real cities with rents, rooms, coordinates and nearby amenities, "
    "plus client briefs; find listings that meet briefs and place holds on them."
)
COMMUTE_MODES = sorted(CODE.constant("geo", "MINUTES_PER_KM"))
HOODS = ["Old Town", "Riverside", "Northgate", "University District", "Harbourside",
         "Hillcrest", "Market Quarter", "West End"]  # fmt: skip
KINDS = {"metro": 6, "school": 5, "park": 4, "supermarket": 5, "hospital": 2}
AMENITY_NAMES = {
    "metro": "{} Station", "school": "{} Primary School", "park": "{} Park",
    "supermarket": "{} Market", "hospital": "{} General Hospital",
}  # fmt: skip
STREETS = ["Street", "Avenue", "Road", "Lane", "Boulevard"]


def km(a: dict[str, Any], b: dict[str, Any]) -> float:
    return round(haversine_km(a["lat"], a["lon"], b["lat"], b["lon"]), 2)


class _World:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        pool = [c for c in refdata.world_cities() if c["population"] >= 1_000_000]
        self.cities = rng.sample(pool, 2)
        names = people_names(rng, 80)
        self.surnames = [n.split()[-1] for n in names]
        self.listings: list[dict[str, Any]] = []
        self.amenities: list[dict[str, Any]] = []
        self.locked: set[int] = set()
        for city in self.cities:
            country = refdata.country_names().get(city["country"], city["country"])
            hoods = {h: (city["lat"] + rng.uniform(-0.04, 0.04), city["lon"] + rng.uniform(-0.05, 0.05))
                     for h in rng.sample(HOODS, 6)}  # fmt: skip
            for _ in range(28):
                hood = rng.choice(sorted(hoods))
                beds = rng.choice([0, 1, 1, 2, 2, 2, 3, 3, 4])
                area = 28 + beds * 22 + rng.randint(0, 25)
                self.listings.append({
                    "id": row_id("listings"), "city": city["name"], "country": country,
                    "hood": hood, "type": "studio" if beds == 0 else rng.choice(
                        ["apartment", "apartment", "loft", "house" if beds >= 3 else "apartment"]),
                    "address": f"{rng.randint(2, 240)} {rng.choice(self.surnames)} "
                               f"{rng.choice(STREETS)}",
                    "beds": beds, "baths": 1 + (beds >= 3), "area": area,
                    "rent": int(round(400 + area * rng.uniform(9, 16), -1)),
                    "pets": int(rng.random() < 0.5), "furnished": int(rng.random() < 0.4),
                    "lat": round(hoods[hood][0] + rng.uniform(-0.012, 0.012), 5),
                    "lon": round(hoods[hood][1] + rng.uniform(-0.012, 0.012), 5),
                })  # fmt: skip
            for kind, n in KINDS.items():
                for _ in range(n):
                    self.amenity(city["name"], kind, city["lat"] + rng.uniform(-0.05, 0.05),
                                 city["lon"] + rng.uniform(-0.06, 0.06))  # fmt: skip
        self.clients: list[dict[str, Any]] = []
        for name in names[:12]:
            city = rng.choice(self.cities)
            self.clients.append({
                "id": row_id("clients"), "name": name, "city": city["name"],
                "budget": rng.randrange(900, 2600, 50), "beds": rng.choice([1, 1, 2, 2, 3]),
                "pets": int(rng.random() < 0.3), "mode": rng.choice(COMMUTE_MODES),
                "lat": round(city["lat"] + rng.uniform(-0.03, 0.03), 5),
                "lon": round(city["lon"] + rng.uniform(-0.03, 0.03), 5),
            })  # fmt: skip

    def amenity(self, city: str, kind: str, lat: float, lon: float) -> dict[str, Any]:
        a = {"id": row_id("amenities"), "city": city, "kind": kind,
             "name": AMENITY_NAMES[kind].format(self.surnames[len(self.amenities) % 80]),
             "lat": round(lat, 5), "lon": round(lon, 5)}  # fmt: skip
        self.amenities.append(a)
        return a

    def in_city(self, i: int) -> list[dict[str, Any]]:
        return [x for x in self.listings if x["city"] == self.cities[i]["name"]]

    def nearest(self, x: dict[str, Any], kind: str) -> float:
        return min(km(x, a) for a in self.amenities if a["city"] == x["city"] and a["kind"] == kind)

    def fits(self, cl: dict[str, Any], x: dict[str, Any]) -> bool:
        return (x["city"] == cl["city"] and x["rent"] <= cl["budget"] and x["beds"] >= cl["beds"]
                and bool(x["pets"] or not cl["pets"]))  # fmt: skip

    def far_spot(self, i: int, kind: str, min_km: float) -> tuple[float, float]:
        """A point of city ``i`` farther than ``min_km`` from every amenity of ``kind``."""
        c = self.cities[i]
        for dlat, dlon in itertools.product([0.0, 0.03, -0.03, 0.06, -0.06, 0.09, -0.09], repeat=2):
            spot = {"city": c["name"], "lat": c["lat"] + dlat, "lon": c["lon"] + dlon}
            if self.nearest(spot, kind) > min_km:
                return round(spot["lat"], 5), round(spot["lon"], 5)
        return round(c["lat"] + 0.2, 5), round(c["lon"] + 0.2, 5)

    def client(self, i: int, **brief: Any) -> dict[str, Any]:
        cl = self.clients[i]
        cl.update(brief)
        return cl

    def db_rows(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        out["listings"] = [[x["id"], x["city"], x["country"], x["hood"], x["address"],
                                        x["type"], x["beds"], x["baths"], x["area"], x["rent"],
                                        x["pets"], x["furnished"], x["lat"], x["lon"], "available"]
                                       for x in self.listings]  # fmt: skip
        out["amenities"] = [[a["id"], a["city"], a["kind"], a["name"], a["lat"],
                                         a["lon"]] for a in self.amenities]  # fmt: skip
        out["clients"] = [[c["id"], c["name"], c["city"], c["budget"], c["beds"],
                                       c["pets"], c["mode"], c["lat"], c["lon"]]
                                      for c in self.clients]  # fmt: skip
        return out


def _l1(w: _World) -> TaskDraft:
    rows = [x for x in w.in_city(0) if x["beds"] >= 2]
    max_rent = sorted(x["rent"] for x in rows)[len(rows) // 2]
    cheap = [x for x in rows if x["rent"] <= max_rent]
    cheap[0]["pets"], cheap[-1]["pets"] = 0, 1
    w.locked |= {cheap[0]["id"], cheap[-1]["id"]}
    p = {"CITY": w.cities[0]["name"], "MAX_RENT": max_rent, "MIN_BED": 2}
    prompt = CODE.prompt(1, p)
    return CODE.task(1, prompt, p, unique=True)


def _l2(w: _World) -> TaskDraft:
    radius, beds = 0.8, w.rng.choice([1, 2])
    rows = [x for x in w.in_city(1) if x["beds"] >= beds]
    near = [x for x in rows if w.nearest(x, "metro") <= radius - 0.05]
    if not near:
        x = rows[0]
        w.amenity(x["city"], "metro", x["lat"] + 0.002, x["lon"] - 0.002)
    free = [x for x in rows if x["id"] not in w.locked]
    decoy = max(free, key=lambda x: (w.nearest(x, "metro"), x["id"]))
    if w.nearest(decoy, "metro") <= 1.3:  # out of reach of every metro, also for level 4
        decoy["lat"], decoy["lon"] = w.far_spot(1, "metro", 1.4)
    decoy["rent"] = min(x["rent"] for x in rows) - 40
    w.locked.add(decoy["id"])
    p = {"CITY": w.cities[1]["name"], "MIN_BED": beds, "RADIUS": radius}
    prompt = CODE.prompt(2, p)
    return CODE.task(2, prompt, p)


def _l3(w: _World) -> TaskDraft:
    radius, city = 1.0, w.cities[0]["name"]
    cl = w.client(0, city=city, beds=w.rng.choice([1, 2]), budget=w.rng.randrange(1500, 2500, 50))
    free = w.rng.sample([x for x in w.in_city(0) if x["id"] not in w.locked], 8)
    target, decoy = free[0], free[1]
    park = next(a for a in w.amenities if a["city"] == city and a["kind"] == "park")
    w.amenity(city, "school", park["lat"] + 0.003, park["lon"] + 0.002)
    lat, lon = w.far_spot(0, "park", 1.5)
    w.amenity(city, "school", lat + 0.002, lon)
    target.update(lat=round(park["lat"] - 0.002, 5), lon=round(park["lon"] + 0.001, 5))
    decoy.update(lat=round(lat - 0.001, 5), lon=round(lon + 0.001, 5))
    for x in (target, decoy):  # both meet the brief; the decoy is larger but has no park
        x.update(beds=max(x["beds"], cl["beds"]), rent=min(x["rent"], cl["budget"] - 100),
                 pets=max(x["pets"], cl["pets"]))  # fmt: skip
    decoy["area"] = max(x["area"] for x in w.listings) + 12
    w.locked |= {target["id"], decoy["id"]}
    p = {"CLIENT": cl["name"], "RADIUS": radius}
    prompt = CODE.prompt(3, p)
    return CODE.task(3, prompt, p)


def _l4(w: _World) -> TaskDraft:
    radius, city, rng = 1.2, w.cities[1]["name"], w.rng
    team = [w.client(i, city=city, beds=b, budget=rng.randrange(1600, 2600, 50), pets=0)
            for i, b in ((1, 3), (2, 2), (3, 1))]  # fmt: skip
    free = w.rng.sample([x for x in w.in_city(1) if x["id"] not in w.locked], 8)
    a, b = free[0], free[1]
    low = min(x["rent"] for x in w.in_city(1)) - 60
    # the two cheapest fits share a neighborhood: greedy picking is caught
    a.update(beds=3, rent=low, hood=b["hood"])
    b.update(beds=2, rent=low + 10)
    metro = w.amenity(city, "metro", a["lat"] + 0.002, a["lon"])
    b.update(lat=round(metro["lat"] - 0.002, 5), lon=round(metro["lon"] + 0.001, 5))
    hoods = sorted({x["hood"] for x in w.in_city(1)} - {a["hood"]})
    for cl, x, hood in zip(team, free[2:5], hoods, strict=False):  # one fallback per client
        x.update(beds=max(x["beds"], cl["beds"]), rent=min(x["rent"], cl["budget"] - 50),
                 hood=hood)  # fmt: skip
        w.amenity(city, "metro", x["lat"] - 0.002, x["lon"] + 0.002)
    w.locked |= {x["id"] for x in free[:5]}
    opts = [[x for x in w.in_city(1) if w.fits(cl, x) and w.nearest(x, "metro") <= radius]
            for cl in team]  # fmt: skip
    totals = [sum(x["rent"] for x in combo) for combo in itertools.product(*opts)
              if len({x["id"] for x in combo}) == 3 and len({x["hood"] for x in combo}) == 3]  # fmt: skip
    budget = min(totals) + 150
    names = [cl["name"] for cl in team]
    p = {"CLIENTS": names, "RADIUS": radius, "BUDGET": budget}
    prompt = CODE.prompt(4, p, CLIENT_LIST=", ".join(names))
    return CODE.task(4, prompt, p)


def _l5(w: _World) -> TaskDraft:
    city = w.cities[0]["name"]
    # three colleagues with level 4's one-hold-per-client plan, each judged by the commute
    # to their own workplace (an estimate per listing of their brief, per client)
    team = [w.client(i, city=city, beds=1, pets=0, budget=2400,
                     mode=w.rng.choice(["transit", "bike"])) for i in (4, 5, 6)]  # fmt: skip
    rows = sorted(
        (x for x in w.in_city(0) if w.fits(team[0], x)), key=lambda x: (x["rent"], x["id"])
    )
    cheapest = rows[0]
    used: set[int] = set()
    for cl in team:
        for target in reversed(rows):  # each workplace sits next to a pricier listing
            if target["id"] in used or target is cheapest:
                continue
            cl.update(lat=round(target["lat"] + 0.001, 5), lon=round(target["lon"] + 0.001, 5))
            best = min(rows, key=lambda x: (km(x, cl), x["rent"], x["id"]))
            if best is target and km(cheapest, cl) > km(target, cl) + 0.5:
                used.add(target["id"])
                break
        else:
            raise NoScenario()
    w.locked |= used | {cheapest["id"]}
    names = [cl["name"] for cl in team]
    p = {"CLIENTS": names, "MAX_MINUTES": 35}
    prompt = CODE.prompt(5, p, CLIENT_LIST=", ".join(names))
    return CODE.task(5, prompt, p, toolset_version=2)


# planting order keeps each decoy intact: a later level never edits a locked listing
CATEGORY = Catalog(
    CODE, DESCRIPTION, planted(_World, {1: _l1, 3: _l3, 5: _l5, 4: _l4, 2: _l2}), attempts=5
)
