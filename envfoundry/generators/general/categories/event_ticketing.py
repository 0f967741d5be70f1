"""Procedural category: concerts, plays, games and comedy shows in real cities, and tickets.

Venues with priced sections and seats left, customers and their orders. Levels go from
buying in a preferred section, a price lookup across events, buying at the earliest event
under a cap that the customer holds no tickets for, (toolset v2, ``transfer_order``)
refunding or handing over a day's tickets to one of two friends, to a three-event weekend
on a budget.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Iterable
from typing import Any

from envfoundry.generators.general import refdata
from envfoundry.generators.general.categories._kit import Catalog, Sources, World, row_id

CODE = Sources("event_ticketing")
DESCRIPTION = (
    "Concerts, plays, games and comedy shows at venues in real cities: sections with "
    "prices and seats left, customers' ticket orders, refunds and transfers."
)
COUNTRIES = ("US", "GB", "DE", "JP", "BR", "MX", "CA", "IN", "KR", "TR", "ZA", "ES", "IT", "FR")
VENUES = {  # pattern: (categories, capacity, sections as (name, price range))
    "{} Arena": (("concert", "sports"), 18000, (("Floor", (120, 260)), ("Lower Bowl", (70, 150)), ("Upper Bowl", (35, 80)))),
    "{} Symphony Hall": (("concert", "theatre"), 2400, (("Orchestra", (90, 180)), ("Mezzanine", (60, 120)), ("Balcony", (30, 70)))),
    "Grand Theatre {}": (("theatre", "comedy"), 1500, (("Stalls", (70, 160)), ("Dress Circle", (50, 110)), ("Gallery", (25, 60)))),
    "{} Stadium": (("sports", "concert"), 45000, (("Club Level", (110, 240)), ("Field Level", (60, 140)), ("Upper Deck", (25, 70)))),
    "{} Comedy Cellar": (("comedy",), 300, (("Front Tables", (45, 90)), ("General Admission", (20, 45)))),
}  # fmt: skip
PLAYS = (
    "Hamlet", "A Doll's House", "The Cherry Orchard", "Death of a Salesman", "Our Town",
    "The Importance of Being Earnest", "Twelfth Night", "Pygmalion", "Macbeth",
)  # fmt: skip
BANDS = ("Midnight", "Velvet", "Neon", "Paper", "Silver", "Northern", "Echo", "Glass", "Wild")
BAND_NOUNS = ("Owls", "Tides", "Lanterns", "Foxes", "Satellites", "Harbors", "Comets", "Pines")
MASCOTS = ("Falcons", "Sharks", "Wolves", "Titans", "Rangers", "Comets", "Bears", "Lions")


class _World:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.today = dt.date(2025, rng.randint(2, 11), rng.randint(1, 20))
        country = rng.choice(COUNTRIES)
        pool = sorted(
            (c for c in refdata.world_cities() if c["country"] == country),
            key=lambda c: -c["population"],
        )
        self.cities = [c["name"] for c in rng.sample(pool[:10], 2)]
        self.venues: list[dict[str, Any]] = []
        for city in self.cities:
            for pattern in rng.sample(sorted(VENUES), 4):
                self.venues.append(
                    {
                        "id": row_id("venues"),
                        "name": pattern.format(city),
                        "city": city,
                        "capacity": VENUES[pattern][1],
                        "kind": pattern,
                    }
                )
        self.names = refdata.person_names(rng, 14)
        self.events: list[dict[str, Any]] = []
        self.sections: dict[int, list[dict[str, Any]]] = {}
        for v in self.venues:
            for _ in range(4):
                self.add_event(v, self.rng.randint(2, 16))
        self.customers: list[dict[str, Any]] = [
            {
                "id": row_id("customers"),
                "name": n,
                "email": n.lower().replace(" ", ".") + "@mail.com",
            }
            for n in self.names[:10]
        ]
        self.orders: list[dict[str, Any]] = []

    def day(self, offset: int) -> str:
        return (self.today + dt.timedelta(days=offset)).isoformat()

    def add_event(
        self, v: dict[str, Any], offset: int, category: str | None = None
    ) -> dict[str, Any]:
        rng = self.rng
        cats, _, secs = VENUES[v["kind"]]
        cat = category or rng.choice(cats)
        if cat == "concert":
            performer = f"The {rng.choice(BANDS)} {rng.choice(BAND_NOUNS)}"
            title = f"{performer} Live"
        elif cat == "sports":
            other = rng.choice([c for c in self.cities if c != v["city"]])
            performer = f"{v['city']} {rng.choice(MASCOTS)}"
            title = f"{performer} vs {other} {rng.choice(MASCOTS)}"
        elif cat == "theatre":
            performer = f"{v['city']} Repertory Company"
            title = rng.choice(PLAYS)
        else:
            performer = rng.choice(self.names[10:])
            title = f"{performer}: Stand-Up Night"
        e = {
            "id": row_id("events"),
            "title": title,
            "category": cat,
            "performer": performer,
            "venue_id": v["id"],
            "date": self.day(offset),
            "time": rng.choice(["14:00", "18:30", "19:00", "19:30", "20:00"]),
            "refundable": int(rng.random() < 0.5),
        }
        self.events.append(e)
        self.sections[e["id"]] = [
            {
                "name": n,
                "price": rng.randint(*span),
                "seats_left": rng.choice([0, 2, 5, 12, 40, 150]),
            }
            for n, span in secs
        ]
        return e

    def venue(self, e: dict[str, Any]) -> dict[str, Any]:
        return next(v for v in self.venues if v["id"] == e["venue_id"])

    def find(self, city: str, cat: str | None, lo: str, hi: str) -> list[dict[str, Any]]:
        return sorted(
            (
                e
                for e in self.events
                if self.venue(e)["city"] == city
                and lo <= e["date"] <= hi
                and cat in (None, e["category"])
            ),
            key=lambda e: (e["date"], e["time"], e["id"]),
        )

    def order(self, cust: dict[str, Any], e: dict[str, Any], sec: dict[str, Any], qty: int) -> int:
        sec["seats_left"] = max(sec["seats_left"], qty + 1) - qty
        oid = row_id("orders")
        self.orders.append(
            {
                "id": oid,
                "customer_id": cust["id"],
                "event_id": e["id"],
                "section": sec["name"],
                "quantity": qty,
                "total": qty * sec["price"],
                "status": "active",
                "transferred_from": None,
            }
        )
        return oid

    def init(self, events: Iterable[dict[str, Any]]) -> dict[int, dict[str, list[int]]]:
        out = {}
        for e in sorted(events, key=lambda e: e["id"]):
            held = {s["name"]: 0 for s in self.sections[e["id"]]}
            for o in self.orders:
                if o["event_id"] == e["id"] and o["status"] == "active":
                    held[o["section"]] += o["quantity"]
            out[e["id"]] = {
                s["name"]: [s["seats_left"], held[s["name"]]] for s in self.sections[e["id"]]
            }
        return out

    def db_rows(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        out["settings"] = [["today", self.today.isoformat()]]
        out["venues"] = [[v["id"], v["name"], v["city"], v["capacity"]] for v in self.venues]
        out["events"] = [list(e.values()) for e in self.events]
        out["sections"] = [
            [eid, s["name"], s["price"], s["seats_left"]]
            for eid, secs in sorted(self.sections.items())
            for s in secs
        ]
        out["customers"] = [list(c.values()) for c in self.customers]
        out["orders"] = [list(o.values()) for o in self.orders]
        return out


def _l2(w: _World) -> Any:
    city, qty, d1, d2 = w.cities[0], 4, w.day(2), w.day(9)
    v = next(v for v in w.venues if v["city"] == city)
    cat = VENUES[v["kind"]][0][0]
    w.add_event(v, 3, cat)
    w.add_event(v, 5, cat)
    events = w.find(city, cat, d1, d2)
    low = min(s["price"] for e in events for s in w.sections[e["id"]])
    w.sections[events[0]["id"]][-1].update(
        price=max(10, low - 8), seats_left=w.rng.randint(0, qty - 1)
    )
    w.sections[events[1]["id"]][-1]["seats_left"] = 40
    p = {"CITY": city, "CATEGORY": cat, "DATES": (d1, d2), "QTY": qty}
    prompt = CODE.prompt(2, p, D1=d1, D2=d2)
    return prompt, p, lambda: []


def _l3(w: _World) -> Any:
    city, cust, qty = w.cities[1], w.customers[1], 3
    cat, d1 = "concert", w.day(4)
    vs = [v for v in w.venues if v["city"] == city and "concert" in VENUES[v["kind"]][0]]
    if not vs:
        cat = VENUES[w.venues[-1]["kind"]][0][0]
        vs = [w.venues[-1]]
    early = w.add_event(vs[0], 4, cat)
    early["time"] = "11:00"  # a matinee: the day's first event
    cap = min(s["price"] for s in w.sections[early["id"]]) + 10
    for s in w.sections[early["id"]]:  # seats only above the cap
        s["seats_left"] = 0 if s["price"] <= cap else 30
    later = w.add_event(vs[-1], 5, cat)
    w.sections[later["id"]][-1].update(price=cap - 5, seats_left=20)
    # the next day: a look-alike whose sections under the cap lack the seats, then a match
    decoy = w.add_event(vs[-1], 6, cat)
    decoy["time"] = "11:00"
    w.sections[decoy["id"]][-1]["price"] = cap - w.rng.randint(0, 8)
    for s in w.sections[decoy["id"]]:
        s["seats_left"] = w.rng.randint(0, qty - 1) if s["price"] <= cap else 30
    after = w.add_event(vs[0], 6, cat)
    after["time"] = "20:00"
    w.sections[after["id"]][-1].update(price=cap - w.rng.randint(0, 8), seats_left=25)
    # the customer already holds tickets for the first event that would do: it is skipped
    first = next(
        e
        for e in w.find(city, cat, d1, "9999")
        if any(s["seats_left"] >= qty and s["price"] <= cap for s in w.sections[e["id"]])
    )
    w.order(cust, first, w.sections[first["id"]][0], 2)
    p = {"NAME": cust["name"], "CITY": city, "CATEGORY": cat, "D1": d1, "QTY": qty, "CAP": cap}
    prompt = CODE.prompt(3, p)
    return prompt, p, lambda: w.find(city, cat, d1, "9999")


def _l1(w: _World) -> Any:
    cust, qty = w.customers[2], 4
    v = next(v for v in w.venues if len(VENUES[v["kind"]][2]) == 3)
    e = w.add_event(v, 6)
    secs = w.sections[e["id"]]
    top, mid, low = secs
    top["price"], mid["price"], low["price"] = 180 + w.rng.randint(0, 40), 140, 60
    full = w.rng.random() < 0.5
    top["seats_left"] = w.rng.randint(0, qty - 1) if full else 25
    mid["seats_left"], low["seats_left"] = 12, 30
    pref = top["name"]
    p = {"NAME": cust["name"], "EVENT": e["id"], "SECTION": pref, "QTY": qty}
    prompt = CODE.prompt(1, p, E_TITLE=e["title"])
    return prompt, p, lambda: [e]


def _l5(w: _World) -> Any:
    city, cust, qty = w.cities[0], w.customers[3], 2
    d1, d2 = w.day(10), w.day(12)
    vs = [v for v in w.venues if v["city"] == city]
    for day in (10, 11, 12):  # cheap look-alikes: one venue, one category
        e = w.add_event(vs[0], day, VENUES[vs[0]["kind"]][0][0])
        for s in w.sections[e["id"]]:
            s["price"], s["seats_left"] = max(5, s["price"] // 5), 50
    trio = next(
        list(zip(three, cats, strict=True))
        for three in itertools.combinations(vs, 3)
        for cats in itertools.product(*(VENUES[v["kind"]][0] for v in three))
        if len(set(cats)) == 3
    )
    for day, (v, cat) in zip((10, 11, 12), trio, strict=True):
        w.sections[w.add_event(v, day, cat)["id"]][-1]["seats_left"] = 60
    options = []
    for e in w.find(city, None, d1, d2):
        ok = [s["price"] for s in w.sections[e["id"]] if s["seats_left"] >= qty]
        if ok:
            options.append((e, min(ok)))
    costs = [
        sum(c for _, c in combo) * qty
        for combo in itertools.combinations(options, 3)
        if all(
            len({f(e) for e, _ in combo}) == 3
            for f in (lambda e: e["date"], lambda e: e["venue_id"], lambda e: e["category"])
        )
    ]
    budget = int(min(costs) * 1.05) + 5 if costs else 0
    p = {
        "NAME": cust["name"],
        "CITY": city,
        "DATES": (d1, d2),
        "QTY": qty,
        "BUDGET": budget,
    }
    prompt = CODE.prompt(5, p, D1=d1, D2=d2)
    return prompt, p, lambda: w.find(city, None, d1, d2)


def _l4(w: _World) -> Any:
    cust, friend, other = w.customers[4], w.customers[5], w.customers[6]
    offset = 8
    vs = w.rng.sample(w.venues, 4)
    evs = [
        w.add_event(vs[0], offset),
        w.add_event(vs[1], offset),
        w.add_event(vs[2], offset + 2),
        w.add_event(vs[3], offset),
    ]
    for e, refundable in zip(evs, (1, 0, 1, 0), strict=True):
        e["refundable"] = refundable
    ids = [w.order(cust, e, w.sections[e["id"]][-1], 2) for e in evs]
    w.order(friend, evs[3], w.sections[evs[3]["id"]][0], 2)  # theirs: this one goes to other
    p = {
        "NAME": cust["name"],
        "FRIEND": friend["name"],
        "FRIEND2": other["name"],
        "DATE": w.day(offset),
        "REFUND": ids[:1],
        "TRANSFER": [ids[1], ids[3]],
        "KEEP": ids[2:3],
    }
    prompt = CODE.prompt(4, p)
    return prompt, p, lambda: evs


def _generate(rng: random.Random) -> World:
    w = _World(rng)
    plants = {4: _l4(w), 2: _l2(w), 3: _l3(w), 1: _l1(w), 5: _l5(w)}
    for cust in w.customers[6:]:
        e = w.rng.choice(w.events)
        w.order(cust, e, w.rng.choice(w.sections[e["id"]]), w.rng.randint(1, 4))
    tasks = {}
    for level, (prompt, params, events) in plants.items():
        params.update(INIT=w.init(events()), MAX_ORDER=max((o["id"] for o in w.orders), default=0))
        tasks[level] = CODE.task(level, prompt, params, toolset_version=2 if level >= 4 else 1)
    return w.db_rows(), tasks, {}


CATEGORY = Catalog(CODE, DESCRIPTION, _generate)
