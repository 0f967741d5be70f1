"""Procedural category: multi-day trip itineraries across real cities of one country.

The seed follows the reference pipeline's trip-planning environment: a traveller leaves a
home city, spends each day in a different city (hotel, lunch, dinner, an afternoon
attraction) and the day's rules depend on the hotel's price tier. Levels grow from a one-day
lookup to five-day trips under weather rules and a total budget (the weather tool is v2).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import random
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

CODE = Sources("trip_planning")
DESCRIPTION = (
    "Multi-day trips across real cities of one country: hotels, restaurants, attractions, "
    "inter-city transport and weather forecasts, with day rules by hotel price tier."
)
COUNTRIES = ("US", "JP", "DE", "IN", "BR", "MX", "CN", "KR", "TR", "CA", "ZA", "RU", "ID", "PH")
N_CITIES = 9  # home + 8 destinations
HOTEL_TIERS = {  # tier: (price range, rating range, stars)
    "luxury": ((800, 1400), (4.0, 4.9), 5),
    "upscale": ((500, 799), (3.6, 4.8), 4),
    "mid": ((200, 499), (3.0, 4.6), 3),
    "budget": ((80, 199), (2.6, 4.2), 2),
}
# One pool for every tier: a hotel's name says nothing of its price, rating or stars, so
# a policy has to look them up (names chosen by tier were a shortcut).
HOTEL_NAMES = ("{} Grand Palace", "The {} Regency", "{} Imperial", "{} Plaza Hotel",
               "{} Continental", "{} Park View", "{} Garden Inn", "{} City Suites",
               "{} Riverside Hotel", "{} Lodge", "{} Express Inn", "{} Central Hotel")  # fmt: skip
ADJ = ("Golden", "Blue", "Red", "Silver", "Green", "Old", "Little", "Royal", "Happy", "Wild",
       "Jade", "Olive", "Copper", "Amber", "Lucky", "Velvet", "Crimson", "Sunny", "Rustic",
       "Urban")  # fmt: skip
NOUN = ("Lotus", "Harbor", "Lantern", "Oak", "Bamboo", "Pepper", "Anchor", "Fig", "Saffron",
        "Maple", "Garden", "Table", "Spoon", "Dragon", "Orchard", "Kettle", "Ember", "Salt")  # fmt: skip
CUISINES = (
    ("Italian", "Trattoria"), ("Japanese", "Sushi Bar"), ("Indian", "Curry House"),
    ("French", "Bistro"), ("Mexican", "Cantina"), ("Chinese", "Noodle House"),
    ("American", "Grill"), ("Thai", "Kitchen"), ("Spanish", "Tapas Bar"), ("Korean", "BBQ"),
    ("Seafood", "Oyster Bar"), ("Local", "Eatery"),
)  # fmt: skip
ATTRACTIONS = (
    ("Museum of Art", "museum", "indoor"), ("History Museum", "museum", "indoor"),
    ("Science Center", "museum", "indoor"), ("Aquarium", "family", "indoor"),
    ("Cathedral", "landmark", "indoor"), ("Observation Tower", "landmark", "indoor"),
    ("Botanical Garden", "nature", "outdoor"), ("Zoo", "family", "outdoor"),
    ("Old Town Walking Tour", "tour", "outdoor"), ("Harbor Cruise", "tour", "outdoor"),
    ("Castle Ruins", "landmark", "outdoor"), ("Theme Park", "family", "outdoor"),
)  # fmt: skip
CONDITIONS = (("sunny", 4), ("partly cloudy", 3), ("cloudy", 2), ("rain", 2), ("thunderstorm", 1))
RAINY = ("rain", "thunderstorm")


def _rule_ok(price: int, lunch: dict[str, Any], dinner: dict[str, Any], ticket: int) -> bool:
    if price >= 800:
        return (
            lunch["avg_cost"] + dinner["avg_cost"] < 350
            and min(lunch["rating"], dinner["rating"]) >= 4.0
            and ticket < 120
        )
    if price >= 500:
        return max(lunch["rating"], dinner["rating"]) >= 4.0 and ticket < 180
    if price >= 200:
        return max(lunch["rating"], dinner["rating"]) >= 3.2
    return True


class _World:
    """The generated travel data, kept in Python until it is written to SQLite."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.country = rng.choice(COUNTRIES)
        pool = [c for c in refdata.world_cities() if c["country"] == self.country]
        pool = sorted(pool, key=lambda c: -c["population"])[:20]
        self.cities = rng.sample(pool, N_CITIES)
        self.home = self.cities[0]["name"]
        self.dests = sorted(c["name"] for c in self.cities[1:])
        start = dt.date(2025, rng.randint(3, 10), rng.randint(1, 24))
        self.dates = [(start + dt.timedelta(days=i)).isoformat() for i in range(5)]
        self.hotels: dict[str, list[dict[str, Any]]] = {}
        self.rests: dict[str, list[dict[str, Any]]] = {}
        self.atts: dict[str, list[dict[str, Any]]] = {}
        self.weather: dict[tuple[str, str], str] = {}
        used: set[str] = set()
        for c in self.cities[1:]:
            self._venues(c["name"], used)
        self.legs: dict[tuple[str, str], list[dict[str, Any]]] = {}
        coords = {c["name"]: (c["lat"], c["lon"]) for c in self.cities}
        names = [c["name"] for c in self.cities]
        self.km = {
            (a, b): haversine_km(*coords[a], *coords[b]) for a in names for b in names if a != b
        }
        for i, a in enumerate(names):
            for b in names[i + 1 :]:
                if rng.random() < 0.45:
                    self.connect(a, b)
        chain = [self.home, *rng.sample(self.dests, len(self.dests))]
        for a, b in itertools.pairwise(chain):
            self.connect(a, b)
        self.chain = chain

    def _venues(self, city: str, used: set[str]) -> None:
        rng = self.rng
        hotels: list[dict[str, Any]] = []
        for tier in ("luxury", "upscale", "mid", "budget", rng.choice(["mid", "upscale"])):
            (plo, phi), (rlo, rhi), stars = HOTEL_TIERS[tier]
            name = next(
                p.format(city)
                for p in rng.sample(HOTEL_NAMES, len(HOTEL_NAMES))
                if p.format(city) not in used
            )
            used.add(name)
            hotels.append(
                {
                    "name": name,
                    "city": city,
                    "stars": stars,
                    "price_per_night": rng.randint(plo, phi) // 10 * 10,
                    "rating": round(rng.uniform(rlo, rhi), 1),
                }
            )
        hotels[2]["rating"] = max(hotels[2]["rating"], 4.1)  # a well-rated mid-range option
        self.hotels[city] = hotels
        rests: list[dict[str, Any]] = []
        for cuisine, kind in rng.sample(CUISINES, 7):
            name = f"{rng.choice(ADJ)} {rng.choice(NOUN)} {kind}"
            while name in used:
                name = f"{rng.choice(ADJ)} {rng.choice(NOUN)} {kind}"
            used.add(name)
            rests.append(
                {
                    "name": name,
                    "city": city,
                    "cuisine": cuisine,
                    "avg_cost": rng.randint(12, 180),
                    "rating": round(rng.uniform(2.8, 4.9), 1),
                }
            )
        for r in rests[:2]:  # two good, affordable places keep every tier feasible
            r["rating"], r["avg_cost"] = max(r["rating"], 4.1), min(r["avg_cost"], 120)
        cheapest = min(rests, key=lambda r: (r["avg_cost"], r["name"]))
        if cheapest in rests[:2]:
            cheapest["avg_cost"] = 40
            cheapest = rests[2]
        cheapest["avg_cost"], cheapest["rating"] = (
            rng.randint(8, 11),
            round(rng.uniform(2.9, 3.6), 1),
        )
        self.rests[city] = rests
        atts: list[dict[str, Any]] = []
        kinds = rng.sample(ATTRACTIONS[:6], 2) + rng.sample(ATTRACTIONS[6:], 3)
        for label, category, setting in kinds:
            name = f"{city} {label}"
            used.add(name)
            atts.append(
                {
                    "name": name,
                    "city": city,
                    "category": category,
                    "setting": setting,
                    "ticket_price": rng.randint(15, 230),
                    "rating": round(rng.uniform(3.3, 4.8), 1),
                }
            )
        atts[0]["ticket_price"] = min(atts[0]["ticket_price"], rng.randint(20, 110))
        atts[2]["ticket_price"] = 0  # a free outdoor sight: the cheapest, strictly
        self.atts[city] = atts
        for date in self.dates:
            self.weather[(city, date)] = rng.choices(
                [c for c, _ in CONDITIONS], [w for _, w in CONDITIONS]
            )[0]

    def connect(self, a: str, b: str) -> None:
        km = self.km[(a, b)]
        modes = []
        if km > 250:
            modes.append(("flight", 60 + 0.11 * km, 70 + km / 12))
        if km < 900:
            modes.append(("train", 15 + 0.09 * km, 20 + km / 2.0))
        if km < 500:
            modes.append(("bus", 8 + 0.05 * km, 15 + km / 1.1))
        for x, y in ((a, b), (b, a)):
            if (x, y) in self.legs:
                continue
            self.legs[(x, y)] = [
                {
                    "mode": mode,
                    "departure_time": f"{self.rng.randint(6, 20):02d}:{self.rng.choice(['00', '30'])}",
                    "duration_min": int(dur),
                    "price": max(9, int(price * self.rng.uniform(0.85, 1.2))),
                }
                for mode, price, dur in modes
            ]

    def fare(self, a: str, b: str) -> int | None:
        legs = self.legs.get((a, b))
        return min(leg["price"] for leg in legs) if legs else None

    def day_costs(
        self, city: str, rainy: bool, min_price: int = 0, min_rating: float = 0.0
    ) -> tuple[int | None, int | None]:
        """The cheapest valid day in ``city`` with a non-luxury and with a luxury hotel."""
        rests = sorted(self.rests[city], key=lambda r: r["avg_cost"])
        tickets = sorted(
            a["ticket_price"] for a in self.atts[city] if not (rainy and a["setting"] == "outdoor")
        )
        best: list[int | None] = [None, None]
        for h in self.hotels[city]:
            price = h["price_per_night"]
            if price < min_price or h["rating"] < min_rating or not tickets:
                continue
            if price >= 800:
                good = [r for r in rests if r["rating"] >= 4.0]
                pair = good[:2] if len(good) >= 2 else None
                limit = 120
            else:
                floor = 4.0 if price >= 500 else 3.2 if price >= 200 else 0.0
                q = next((r for r in rests if r["rating"] >= floor), None)
                other = next((r for r in rests if r is not q), None)
                pair = [q, other] if q and other else None
                limit = 180 if price >= 500 else 10**9
            ticket = next((t for t in tickets if t < limit), None)
            if pair is None or ticket is None or not _rule_ok(price, pair[0], pair[1], ticket):
                continue
            cost = price + pair[0]["avg_cost"] + pair[1]["avg_cost"] + ticket
            slot = int(price >= 800)
            prev = best[slot]
            best[slot] = cost if prev is None else min(prev, cost)
        return best[0], best[1]

    def optimum(
        self,
        n_days: int,
        per_day: dict[str, list[tuple[int | None, int | None]]],
        min_lux: int,
        count_days: bool = True,
    ) -> int | None:
        """Cheapest trip by a DP over (visited set, last city, luxury nights)."""
        cities = sorted(per_day)
        fares = [[self.fare(a, b) for b in cities] for a in [*cities, self.home]]
        home = len(cities)
        states: dict[tuple[int, int, int], int] = {(0, home, 0): 0}
        for d in range(n_days):
            nxt: dict[tuple[int, int, int], int] = {}
            for (seen, last, k), cost in states.items():
                row = fares[last]
                for i, c in enumerate(cities):
                    fare = row[i]
                    if fare is None or seen >> i & 1:
                        continue
                    for lux, day in enumerate(per_day[c][d]):
                        if day is None:
                            continue
                        key = (seen | 1 << i, i, min(min_lux, k + lux))
                        total = cost + fare + (day if count_days else 0)
                        if total < nxt.get(key, total + 1):
                            nxt[key] = total
            states = nxt
        done = [v for (_, _, k), v in states.items() if k >= min_lux]
        return min(done) if done else None

    def db_rows(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        country = refdata.country_names().get(self.country, self.country)
        out["cities"] = [
            [
                c["name"],
                country,
                c["population"],
                c["lat"],
                c["lon"],
                int(c["name"] == self.home),
            ]
            for c in self.cities
        ]
        rows: dict[str, list[list[Any]]] = {"hotels": [], "restaurants": [], "attractions": []}
        for city in self.dests:
            for h in self.hotels[city]:
                rows["hotels"].append([row_id("hotels"), *h.values()])
            for r in self.rests[city]:
                rows["restaurants"].append([row_id("restaurants"), *r.values()])
            for a in self.atts[city]:
                rows["attractions"].append([row_id("attractions"), *a.values()])
        for table, table_rows in rows.items():
            out[table] = table_rows
        legs = [[a, b, *leg.values()] for (a, b), opts in sorted(self.legs.items()) for leg in opts]
        out["transport"] = [[row_id("transport"), *leg] for leg in legs]
        out["weather"] = [
            [c, d, cond, self._temp(c, d)] for (c, d), cond in sorted(self.weather.items())
        ]
        return out

    def _temp(self, city: str, date: str) -> int:
        lat = abs(next(c["lat"] for c in self.cities if c["name"] == city))
        return int(32 - lat * 0.4 + (sum(map(ord, city + date)) % 7))


def _params(w: _World, n: int, **over: Any) -> dict[str, Any]:
    p = {
        "HOME": w.home,
        "N_DAYS": n,
        "FIXED": None,
        "DATES": None,
        "MIN_PRICE": 0,
        "MIN_RATING": 0.0,
        "MIN_LUX": 0,
        "OBJECTIVE": "total",
        "BUDGET": 0,
        "BUDGET_KIND": "none",
    }
    p.update(over)
    return p


def _task(level: int, prompt: str, params: dict[str, Any], perturbed: str) -> TaskDraft:
    """Every level shares the planner (solve.py) and the verifier (verify.py); the weather
    tool of levels 4 and 5 is in toolset v2."""
    return CODE.task(
        level,
        prompt,
        params,
        solve="solve",
        verify="verify",
        perturbed=perturbed,
        toolset_version=2 if level >= 4 else 1,
    )


def _l1(w: _World) -> TaskDraft:
    city = w.chain[1]
    p = _params(w, 1, FIXED=[city], MIN_PRICE=800)
    prompt = CODE.prompt(1, p, CITY=city)
    return _task(1, prompt, p, "perturb_cheap_meals")


def _l2(w: _World) -> TaskDraft:
    c1, c2 = w.chain[1], w.chain[2]
    top = w.atts[c2][1]  # an indoor sight: the best rated and too dear for the 500+ rule
    top["rating"], top["ticket_price"] = 4.9, w.rng.randint(185, 240)
    p = _params(w, 2, FIXED=[c1, c2], MIN_PRICE=500)
    prompt = CODE.prompt(2, p, CITY1=c1, CITY2=c2)
    return _task(2, prompt, p, "perturb_top_attraction")


def _l3(w: _World) -> TaskDraft:
    decoy = w.chain[-1]  # cheap to reach, but no hotel there is rated 4.0
    for h in w.hotels[decoy]:
        h["rating"] = min(h["rating"], 3.9)
    for c in w.dests:
        if c != decoy:
            w.connect(decoy, c)
    for (a, b), opts in w.legs.items():
        if decoy in (a, b):
            for leg in opts:
                leg["price"] = max(9, leg["price"] // 2)
    per_day = {c: [w.day_costs(c, False, 200, 4.0)] * 3 for c in w.dests}
    best = w.optimum(3, per_day, 0, count_days=False)
    if best is None:
        raise ValueError("trip_planning: no feasible 3-day route (generator bug)")
    budget = best + 20
    p = _params(
        w,
        3,
        MIN_PRICE=200,
        MIN_RATING=4.0,
        OBJECTIVE="transport",
        BUDGET=budget,
        BUDGET_KIND="transport",
    )
    prompt = CODE.prompt(3, p)
    return _task(3, prompt, p, "perturb_revisit")


def _weather(w: _World, n: int) -> dict[str, str]:
    """The prompt's dates: the first day and each day's date."""
    dates = ", ".join(f"day {i + 1} = {d}" for i, d in enumerate(w.dates[:n]))
    return {"START": w.dates[0], "DAY_DATES": dates}


def _total(w: _World, n: int, min_lux: int) -> int:
    per_day = {
        c: [w.day_costs(c, w.weather[(c, d)] in RAINY) for d in w.dates[:n]] for c in w.dests
    }
    best = w.optimum(n, per_day, min_lux)
    if best is None:
        raise ValueError("trip_planning: no feasible trip (generator bug)")
    return math.ceil(best * 1.06)


def _l4(w: _World) -> TaskDraft:
    for c in w.dests:  # a storm front crosses the country on day 2
        w.weather[(c, w.dates[1])] = w.rng.choice(RAINY)
    budget = _total(w, 4, 0)
    p = _params(w, 4, DATES=w.dates[:4], BUDGET=budget, BUDGET_KIND="total")
    prompt = CODE.prompt(4, p, **_weather(w, 4))
    return _task(4, prompt, p, "perturb_no_weather")


def _l5(w: _World) -> TaskDraft:
    budget = _total(w, 5, 2)
    p = _params(w, 5, DATES=w.dates, MIN_LUX=2, BUDGET=budget, BUDGET_KIND="total")
    prompt = CODE.prompt(5, p, **_weather(w, 5))
    return _task(5, prompt, p, "perturb_no_lux")


def _generate(rng: random.Random) -> World:
    w = _World(rng)
    tasks = {1: _l1(w), 2: _l2(w), 3: _l3(w), 4: _l4(w), 5: _l5(w)}
    return w.db_rows(), tasks, {"country": w.country}


CATEGORY = Catalog(CODE, DESCRIPTION, _generate)
