"""Procedural category: an online shop's catalog, customers, orders and returns.

Levels go from ordering the cheapest well-rated product, the best-rated order of one product
per category within a budget, an order lookup across a category, returns inside the 30-day
window with the still-active products re-bought, to (toolset v2, ``cancel_order``)
replacing processing orders that hold discontinued products. Write tasks are verified on
the final database: order and return rows, and stock levels reconciled against the initial
stock.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from typing import Any

from envfoundry.generators.general import refdata
from envfoundry.generators.general.categories._kit import Catalog, Sources, World, row_id

CODE = Sources("retail_orders")
DESCRIPTION = (
    "An online shop: products with prices, ratings and stock, customers with tiers, "
    "orders, returns within 30 days and cancellations."
)
CATALOG = {  # category: (price range, products)
    "Electronics": (
        (19, 320),
        (
            "Wireless Earbuds",
            "Bluetooth Speaker",
            "USB-C Charger 65W",
            "Smartwatch",
            "Noise-Cancelling Headphones",
            "Portable SSD 1TB",
            "Webcam 1080p",
        ),
    ),
    "Home & Kitchen": (
        (12, 240),
        (
            "Chef's Knife 8in",
            "Cast Iron Skillet",
            "French Press",
            "Electric Kettle",
            "Air Fryer",
            "Rice Cooker",
            "Stand Mixer",
        ),
    ),
    "Sports": (
        (8, 180),
        (
            "Yoga Mat",
            "Adjustable Dumbbells",
            "Running Belt",
            "Foam Roller",
            "Resistance Bands",
            "Jump Rope",
            "Water Bottle 1L",
        ),
    ),
    "Books": (
        (9, 60),
        (
            "Weeknight Meals Cookbook",
            "Field Guide to Birds",
            "World Atlas",
            "Sci-Fi Anthology",
            "Mystery Box Set",
            "Gardening Handbook",
            "History of Rome",
        ),
    ),
    "Toys": (
        (10, 120),
        (
            "Building Blocks Set",
            "Puzzle 1000 pcs",
            "Remote Control Car",
            "Plush Bear",
            "Castles Board Game",
            "Stunt Kite",
            "Wooden Train Set",
        ),
    ),
    "Beauty": (
        (7, 150),
        (
            "Moisturizer SPF 30",
            "Vitamin C Serum",
            "Hair Dryer",
            "Electric Toothbrush",
            "Lip Balm Set",
            "Shampoo Bar",
            "Face Mask Pack",
        ),
    ),
    "Garden": (
        (9, 260),
        (
            "Garden Hose 50ft",
            "Pruning Shears",
            "Bird Feeder",
            "Raised Bed Kit",
            "Solar Path Lights",
            "Watering Can",
            "Hammock",
        ),
    ),
    "Office": (
        (6, 280),
        (
            "Desk Lamp",
            "Ergonomic Chair",
            "Notebook Set",
            "Gel Pens 12-pack",
            "Monitor Stand",
            "Label Maker",
            "Paper Shredder",
        ),
    ),
}
BRANDS = (
    "Norland", "Vexa", "Kito", "Aurel", "Brisk", "Solano", "Pemberly", "Zentro", "Halcyon",
    "Orbis", "Tamsin", "Quill & Co",
)  # fmt: skip


class _World:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.today = dt.date(2025, rng.randint(3, 12), rng.randint(1, 28))
        self.cats = rng.sample(sorted(CATALOG), 7)
        self.products: list[dict[str, Any]] = []
        for cat in self.cats:
            (lo, hi), names = CATALOG[cat]
            for pname in rng.sample(names, 5):
                self.products.append(
                    {
                        # numbered like an id: the sku says nothing of generation order
                        "sku": f"SKU-{994 + row_id('products') * 7}",
                        "name": pname,
                        "brand": rng.choice(BRANDS),
                        "category": cat,
                        "price": rng.randint(lo, hi) + 0.99,
                        "rating": round(rng.uniform(3.0, 4.8), 1),
                        "stock": rng.randint(4, 40),
                        "status": "active",
                    }
                )
        people = refdata.person_names(rng, 10)
        cities = rng.sample(refdata.world_cities()[:400], 10)
        self.customers: list[dict[str, Any]] = [
            {
                "id": row_id("customers"),
                "name": n,
                "email": n.lower().replace(" ", ".") + "@example.com",
                "city": c["name"],
                "tier": rng.choice(["standard", "standard", "gold"]),
            }
            for n, c in zip(people, cities, strict=True)
        ]
        self.orders: list[dict[str, Any]] = []
        self.items: list[list[Any]] = []
        self.returns: list[list[Any]] = []

    def in_cat(self, cat: str) -> list[dict[str, Any]]:
        return [p for p in self.products if p["category"] == cat]

    def order(
        self,
        cust: dict[str, Any],
        lines: list[tuple[dict[str, Any], int]],
        age: int,
        status: str = "delivered",
    ) -> int:
        oid = row_id("orders")
        day = self.today - dt.timedelta(days=age)
        delivered = None
        if status == "delivered":
            delivered = min(self.today, day + dt.timedelta(days=self.rng.randint(2, 5))).isoformat()
        factor = 0.9 if cust["tier"] == "gold" else 1.0
        total = 0.0
        for p, qty in lines:
            unit = round(p["price"] * factor, 2)
            self.items.append([oid, p["sku"], qty, unit])
            total += qty * unit
        self.orders.append(
            {
                "id": oid,
                "customer_id": cust["id"],
                "order_date": day.isoformat(),
                "delivered_date": delivered,
                "status": status,
                "total": round(total, 2),
            }
        )
        return oid

    def background(self, cust: dict[str, Any]) -> None:
        for _ in range(self.rng.randint(1, 3)):
            lines = [(p, self.rng.randint(1, 2)) for p in self.rng.sample(self.products, 2)]
            status = self.rng.choice(["delivered", "delivered", "shipped", "cancelled"])
            self.order(cust, lines, self.rng.randint(3, 60), status)

    def db_rows(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        out["settings"] = [["today", self.today.isoformat()]]
        out["products"] = [list(p.values()) for p in sorted(self.products, key=_sku_order)]
        out["customers"] = [list(c.values()) for c in self.customers]
        out["orders"] = [list(o.values()) for o in self.orders]
        out["order_items"] = sorted(self.items, key=lambda r: (r[0], r[1]))
        out["returns"] = sorted(self.returns)
        return out


def _sku_order(p: dict[str, Any]) -> int:
    return int(p["sku"].removeprefix("SKU-"))


def _l3(w: _World) -> Any:
    cust, cat = w.customers[0], w.cats[0]
    own, other = w.in_cat(cat), [p for p in w.products if p["category"] != cat]
    w.order(cust, [(own[0], 1), (other[0], 1)], 40)
    w.order(cust, [(other[1], 2)], 20, "shipped")
    w.order(cust, [(own[1], 1)], 9)
    w.background(cust)
    p = {"NAME": cust["name"], "CATEGORY": cat}
    prompt = CODE.prompt(3, p, QUOTED_CATEGORY=repr(cat))
    return prompt, p, 1


def _l1(w: _World) -> Any:
    cust, cat, qty, min_rating = w.customers[1], w.cats[1], 3, 4.0
    ps = sorted(w.in_cat(cat), key=lambda p: p["price"])
    good, low, short, gone = ps[4], ps[0], ps[1], ps[2]
    good.update(rating=round(w.rng.uniform(4.0, 4.7), 1), stock=w.rng.randint(5, 20))
    low.update(rating=round(w.rng.uniform(3.0, 3.8), 1), stock=w.rng.randint(5, 20))
    short.update(rating=4.5, stock=w.rng.randint(1, 2))
    gone.update(rating=4.6, status="discontinued")
    for p in ps[3:]:
        p["price"] = max(p["price"], ps[2]["price"] + 5)
    p = {"NAME": cust["name"], "CATEGORY": cat, "QTY": qty, "MIN_RATING": min_rating}
    prompt = CODE.prompt(1, p, QUOTED_CATEGORY=repr(cat))
    return prompt, p, 1


def _l4(w: _World) -> Any:
    cust, cat = w.customers[2], w.cats[0]
    own, other = w.in_cat(cat), [p for p in w.products if p["category"] != cat]
    w.order(cust, [(own[2], 2), (other[2], 1)], 12)
    first = w.order(cust, [(own[3], 1), (own[4], 2), (other[3], 1)], 25)
    w.order(cust, [(own[2], 1)], 50)  # outside the window
    w.order(cust, [(own[3], 1), (other[4], 1)], 3, "shipped")
    own[3]["status"] = "discontinued"  # returned but not re-bought
    w.returns.append([row_id("returns"), first, own[4]["sku"], 1, "wrong size", own[4]["price"]])
    placed = next(o for o in w.orders if o["id"] == first)
    delivered = placed["delivered_date"]
    placed["delivered_date"] = min(
        delivered, (w.today - dt.timedelta(days=w.rng.randint(14, 28))).isoformat()
    )
    p = {"NAME": cust["name"], "CATEGORY": cat, "TODAY": w.today.isoformat()}
    prompt = CODE.prompt(4, p, QUOTED_CATEGORY=repr(cat))
    return prompt, p, 1


def _l2(w: _World) -> Any:
    cust, cats, min_rating = w.customers[3], w.cats[2:5], 4.0
    factor = 0.9 if cust["tier"] == "gold" else 1.0
    pools = []
    for cat in cats:
        ps = w.in_cat(cat)
        for q in ps[1:3]:
            q["rating"] = max(q["rating"], 4.0)
        top = ps[0]
        dearest = max(q["price"] for q in ps[1:])
        top.update(rating=4.9, price=float(int(dearest * 2 + 40)) + 0.99)
        pools.append([q for q in ps if q["rating"] >= min_rating])

    def cost(combo: tuple[dict[str, Any], ...]) -> float:
        return sum(round(q["price"] * factor, 2) for q in combo)

    budget = round(min(cost(combo) for combo in itertools.product(*pools)) * 1.15, 2)
    _unique_best_rating(w.rng, [c for c in itertools.product(*pools) if cost(c) <= budget])
    p = {"NAME": cust["name"], "CATEGORIES": cats, "MIN_RATING": min_rating, "BUDGET": budget}
    prompt = CODE.prompt(2, p, CATEGORY_LIST=", ".join(repr(c) for c in cats))
    return prompt, p, 1


def _unique_best_rating(rng: random.Random, combos: list[tuple[dict[str, Any], ...]]) -> None:
    """Nudge ratings (by 0.1, staying in 4.0-4.8) until one combination has the highest
    rating sum, by at least 0.1: the level's optimum is then the only right order."""

    def total(combo: tuple[dict[str, Any], ...]) -> float:
        return round(sum(q["rating"] for q in combo), 1)

    for _ in range(100):
        ranked = sorted(combos, key=total, reverse=True)
        if len(ranked) < 2 or total(ranked[0]) > total(ranked[1]):
            return
        best, runner = ranked[0], ranked[1]
        up = [q for q in best if q not in runner and q["rating"] < 4.8]
        down = [q for q in runner if q not in best and q["rating"] > 4.0]
        if up:
            q = rng.choice(up)
            q["rating"] = round(q["rating"] + 0.1, 1)
        elif down:
            q = rng.choice(down)
            q["rating"] = round(q["rating"] - 0.1, 1)
        else:
            return


def _l5(w: _World) -> Any:
    cust = w.customers[4]
    swaps = []
    for cat in w.cats[5:7]:
        ps = sorted(w.in_cat(cat), key=lambda p: p["price"])
        gone, low, fit = ps[2], ps[0], ps[3]
        gone.update(rating=round(w.rng.uniform(4.0, 4.4), 1), status="discontinued")
        low.update(
            rating=round(w.rng.uniform(3.0, 3.8), 1),
            stock=w.rng.randint(6, 20),
            price=max(1.99, min(low["price"], ps[1]["price"] - 3)),
        )
        fit.update(rating=round(w.rng.uniform(4.5, 4.8), 1), stock=w.rng.randint(6, 20))
        for q in ps:
            q["stock"] = max(q["stock"], 6)
        swaps.append((gone, ps[1]))
    keep = w.in_cat(w.cats[4])[1]
    a = w.order(cust, [(swaps[0][0], 1), (keep, 2)], 2, "processing")
    w.order(cust, [(swaps[1][1], 1)], 1, "processing")  # nothing discontinued: stays
    b = w.order(cust, [(swaps[1][0], 2)], 1, "processing")
    w.order(cust, [(swaps[0][0], 1)], 20)  # delivered long ago: not affected
    p = {"NAME": cust["name"], "AFFECTED": [a, b]}
    prompt = CODE.prompt(5, p)
    return prompt, p, 2


def _generate(rng: random.Random) -> World:
    w = _World(rng)
    for cust in w.customers[7:]:  # earlier history: the planted orders' ids vary
        w.background(cust)
    plants = {1: _l1(w), 2: _l2(w), 5: _l5(w), 3: _l3(w), 4: _l4(w)}
    for cust in w.customers[5:7]:
        w.background(cust)
    common = {
        "INIT_STOCK": {p["sku"]: p["stock"] for p in w.products},
        "MAX_ORDER": max(o["id"] for o in w.orders),
        "MAX_RETURN": max((r[0] for r in w.returns), default=0),
        "OPEN_ORDERS": [o["id"] for o in w.orders if o["status"] == "processing"],
    }
    tasks = {
        level: CODE.task(
            level, prompt, {**common, **params}, toolset_version=version, unique=level == 3
        )
        for level, (prompt, params, version) in plants.items()
    }
    return w.db_rows(), tasks, {}


CATEGORY = Catalog(CODE, DESCRIPTION, _generate)
