"""Procedural category: a car rental company with branches in real cities of one country.

Cars with classes, seats, fuel and daily rates; customers with ages (young-driver rules);
reservations without double booking. Levels go from finding the cheapest free car to
reserving under preferences, a two-city trip on a budget, and (toolset v2,
``extend_reservation``) extending a rental in place or rebooking when the car is taken.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from envfoundry.generators.general import refdata
from envfoundry.generators.general.categories._kit import Catalog, Sources, World, row_id

CODE = Sources("car_rental")
DESCRIPTION = (
    "A car rental company with airport and downtown branches in real cities: cars by "
    "class, seats and fuel, customers with young-driver rules, reservations."
)
COUNTRIES = ("US", "DE", "JP", "IN", "BR", "MX", "CA", "ZA", "TR", "KR", "RU", "ID")
FLEET = {  # model: (make, class, seats, transmission, fuel, base daily rate)
    "Yaris": ("Toyota", "economy", 5, "automatic", "hybrid", 38),
    "Clio": ("Renault", "economy", 5, "manual", "petrol", 32),
    "500e": ("Fiat", "economy", 4, "automatic", "electric", 42),
    "Golf": ("Volkswagen", "compact", 5, "manual", "petrol", 45),
    "Civic": ("Honda", "compact", 5, "automatic", "petrol", 49),
    "Kona Electric": ("Hyundai", "compact", 5, "automatic", "electric", 58),
    "Corolla Hybrid": ("Toyota", "compact", 5, "automatic", "hybrid", 47),
    "RAV4 Hybrid": ("Toyota", "suv", 5, "automatic", "hybrid", 72),
    "X-Trail": ("Nissan", "suv", 7, "manual", "petrol", 66),
    "Sorento": ("Kia", "suv", 7, "automatic", "diesel", 78),
    "Carnival": ("Kia", "minivan", 8, "automatic", "diesel", 88),
    "Pacifica Hybrid": ("Chrysler", "minivan", 7, "automatic", "hybrid", 92),
    "Transit Custom": ("Ford", "van", 9, "manual", "diesel", 105),
    "Model 3": ("Tesla", "premium", 5, "automatic", "electric", 99),
    "5 Series": ("BMW", "luxury", 5, "automatic", "petrol", 140),
}
LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"


class _World:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.country = rng.choice(COUNTRIES)
        pool = [c for c in refdata.world_cities() if c["country"] == self.country]
        self.cities = [
            c["name"] for c in rng.sample(sorted(pool, key=lambda c: -c["population"])[:12], 3)
        ]
        self.today = dt.date(2025, rng.randint(2, 10), rng.randint(1, 28))
        self.branches: list[dict[str, Any]] = []
        for city in self.cities:
            for kind in ("airport", "downtown"):
                label = "Airport" if kind == "airport" else "Downtown"
                self.branches.append(
                    {
                        "id": row_id("branches"),
                        "name": f"{city} {label}",
                        "city": city,
                        "kind": kind,
                    }
                )
        self.cars: list[dict[str, Any]] = []
        for b in self.branches:
            for model in rng.sample(sorted(FLEET), 8):
                self.add_car(b, model)
        names = refdata.person_names(rng, 12)
        self.customers: list[dict[str, Any]] = [
            {"id": row_id("customers"), "name": n, "age": rng.randint(26, 72), "license_years": 0}
            for n in names
        ]
        for c in self.customers:
            c["license_years"] = rng.randint(1, c["age"] - 18)
        self.res: list[dict[str, Any]] = []
        for car in list(self.cars):
            for _ in range(rng.randint(0, 2)):
                start = rng.randint(0, 36)
                self.reserve(car, rng.choice(self.customers[6:]), start, start + rng.randint(2, 6))

    def day(self, offset: int) -> str:
        return (self.today + dt.timedelta(days=offset)).isoformat()

    def add_car(
        self, branch: dict[str, Any], model: str, rate: int | None = None
    ) -> dict[str, Any]:
        make, cls, seats, trans, fuel, base = FLEET[model]
        plate = f"{''.join(self.rng.choices(LETTERS, k=3))}-{self.rng.randint(1000, 9999)}"
        car = {
            "id": row_id("cars"),
            "branch_id": branch["id"],
            "make": make,
            "model": model,
            "car_class": cls,
            "seats": seats,
            "transmission": trans,
            "fuel": fuel,
            "daily_rate": rate if rate is not None else int(base * self.rng.uniform(0.85, 1.2)),
            "plate": plate,
        }
        self.cars.append(car)
        return car

    def reserve(self, car: dict[str, Any], cust: dict[str, Any], s: int, e: int) -> int | None:
        start, end = self.day(s), self.day(e)
        if not self.free(car, start, end):
            return None
        fee = 25 if cust["age"] < 25 else 0
        rid = row_id("reservations")
        self.res.append(
            {
                "id": rid,
                "car_id": car["id"],
                "customer_id": cust["id"],
                "start_date": start,
                "end_date": end,
                "total_price": (e - s) * (car["daily_rate"] + fee),
                "status": "active",
            }
        )
        return rid

    def free(self, car: dict[str, Any], start: str, end: str) -> bool:
        return not any(
            r["car_id"] == car["id"]
            and r["status"] == "active"
            and r["start_date"] < end
            and start < r["end_date"]
            for r in self.res
        )

    def at(self, city: str, kind: str | None = None) -> list[dict[str, Any]]:
        ids = {b["id"] for b in self.branches if b["city"] == city and kind in (None, b["kind"])}
        return [c for c in self.cars if c["branch_id"] in ids]

    def branch(self, city: str, kind: str) -> dict[str, Any]:
        return next(b for b in self.branches if b["city"] == city and b["kind"] == kind)

    def db_rows(self) -> dict[str, list[Any]]:
        return {
            "settings": [["today", self.today.isoformat()]],
            "branches": self.branches,
            "cars": self.cars,
            "customers": self.customers,
            "reservations": self.res,
        }


def _l1(w: _World) -> Any:
    city, seats, s, e = w.cities[0], 7, 3, 6
    big = [c for c in w.at(city) if c["seats"] >= seats]
    r = min([c["daily_rate"] for c in big] + [80])
    w.add_car(w.branch(city, "downtown"), "Carnival", r - 6)
    busy = w.add_car(w.branch(city, "airport"), "X-Trail", r - 10)
    w.reserve(busy, w.customers[7], s - 1, e + 1)
    w.add_car(w.branch(city, "airport"), "Sorento", r + 5)
    p = {"CITY": city, "SEATS": seats, "START": w.day(s), "END": w.day(e)}
    prompt = CODE.prompt(1, p)
    return prompt, p


def _l2(w: _World) -> Any:
    city, cust, s, e = w.cities[1], w.customers[1], 5, 9
    suvs = [c["daily_rate"] for c in w.at(city) if c["car_class"] == "suv"]
    m = min([*suvs, 70]) - 7
    # the cheapest SUV of the city is a manual one at the airport; the automatic one to
    # find sits downtown (one branch searched is not enough)
    w.add_car(w.branch(city, "airport"), "X-Trail", m)
    w.add_car(w.branch(city, "downtown"), "RAV4 Hybrid", m + 3)
    w.add_car(w.branch(city, "airport"), "RAV4 Hybrid", m + 8)
    p = {"NAME": cust["name"], "CITY": city, "START": w.day(s), "END": w.day(e)}
    prompt = CODE.prompt(2, p)
    return prompt, p


def _l3(w: _World) -> Any:
    city, cust, seats, s, e = w.cities[1], w.customers[2], 5, 7, 10
    b = w.branch(city, "downtown")
    if w.rng.random() < 0.5:
        cust["age"], cust["license_years"] = w.rng.randint(21, 24), 2
    cheapest = min(c["daily_rate"] for c in w.at(city, "downtown"))
    w.add_car(b, "Model 3")
    w.add_car(b, "Corolla Hybrid")
    w.add_car(b, "Clio", max(20, cheapest - 4))
    # the customer once rented the model of the car they would get otherwise: the
    # preferred-fuel pick without their history is wrong
    young = cust["age"] < 25
    ok = [c for c in w.at(city) if c["seats"] >= seats and w.free(c, w.day(s), w.day(e))
          and not (young and c["car_class"] in ("premium", "luxury"))]  # fmt: skip
    pool = next(
        cars
        for f in ("electric", "hybrid", None)
        if (cars := [c for c in ok if f in (None, c["fuel"])])
    )
    best = min(pool, key=lambda c: (c["daily_rate"], c["id"]))
    w.res.append(
        {
            "id": row_id("reservations"),
            "car_id": best["id"],
            "customer_id": cust["id"],
            "start_date": w.day(-40),
            "end_date": w.day(-36),
            "total_price": 4 * best["daily_rate"],
            "status": "active",
        }
    )
    fuels = ["electric", "hybrid", None]
    p = {"NAME": cust["name"], "CITY": city, "START": w.day(s), "END": w.day(e), "SEATS": seats,
         "FUELS": fuels}  # fmt: skip
    prompt = CODE.prompt(3, p)
    return prompt, p


def _l4(w: _World) -> Any:
    cust, seats = w.customers[3], 5
    legs = [(w.cities[2], 10, 13), (w.cities[0], 13, 17)]
    c2, c0 = w.cities[2], w.cities[0]
    w.add_car(w.branch(c2, "airport"), "Golf", min(c["daily_rate"] for c in w.at(c2)) - 5)
    w.add_car(w.branch(c2, "downtown"), "Clio")
    w.add_car(w.branch(c0, "downtown"), "Yaris", min(c["daily_rate"] for c in w.at(c0)) - 5)
    pools = [
        [c for c in w.at(city) if c["seats"] >= seats and w.free(c, w.day(s), w.day(e))]
        for city, s, e in legs
    ]
    days = [e - s for _, s, e in legs]
    best = min(
        a["daily_rate"] * days[0] + b["daily_rate"] * days[1]
        for a in pools[0]
        for b in pools[1]
        if a["car_class"] == b["car_class"]
    )
    budget = int(best * 1.05) + 5
    leg_p = [[city, w.day(s), w.day(e)] for city, s, e in legs]
    p = {
        "NAME": cust["name"],
        "LEGS": leg_p,
        "SEATS": seats,
        "DAYS": days,
        "BUDGET": budget,
    }
    prompt = CODE.prompt(
        4,
        p,
        CITY1=legs[0][0],
        START1=leg_p[0][1],
        END1=leg_p[0][2],
        CITY2=legs[1][0],
        START2=leg_p[1][1],
        END2=leg_p[1][2],
    )
    return prompt, p


def _l5(w: _World) -> Any:
    cust, extra = w.customers[4], 3
    # three rentals at three branches; at least one car is taken in its extension period
    spots = [(w.branch(w.cities[2], "downtown"), 20), (w.branch(w.cities[0], "airport"), 22),
             (w.branch(w.cities[1], "downtown"), 24)]  # fmt: skip
    taken = [w.rng.random() < 0.5 for _ in spots]
    if not any(taken):
        taken[w.rng.randrange(len(spots))] = True
    olds, old_ends, new_ends = [], [], []
    for (b, s), busy in zip(spots, taken, strict=True):
        e = s + 4
        car = w.add_car(b, "Sorento")
        olds.append(w.reserve(car, cust, s, e))
        if busy:
            w.reserve(car, w.customers[8], e + 1, e + 1 + extra + 2)
        w.add_car(b, "RAV4 Hybrid")
        w.add_car(b, "Clio", 30)
        old_ends.append(w.day(e))
        new_ends.append(w.day(e + extra))
    p = {"NAME": cust["name"], "OLD_IDS": olds, "OLD_ENDS": old_ends, "NEW_ENDS": new_ends,
         "EXTRA": extra}  # fmt: skip
    prompt = CODE.prompt(5, p)
    return prompt, p


def _generate(rng: random.Random) -> World:
    w = _World(rng)
    plants = {1: _l1(w), 2: _l2(w), 3: _l3(w), 5: _l5(w), 4: _l4(w)}
    tasks = {
        level: CODE.task(
            level,
            prompt,
            {**params, "MAX_RES": max(r["id"] for r in w.res)},
            toolset_version=1 + (level == 5),
        )
        for level, (prompt, params) in plants.items()
    }
    return w.db_rows(), tasks, {"country": w.country}


CATEGORY = Catalog(CODE, DESCRIPTION, _generate)
