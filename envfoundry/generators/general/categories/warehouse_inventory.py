"""Procedural category: warehouse inventory (stock, reorder points, lanes, transfers, forecasts)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from envfoundry.generators.general import refdata
from envfoundry.generators.general.base import TaskDraft
from envfoundry.generators.general.categories._kit import (
    Catalog,
    Sources,
    haversine_km,
    planted,
    row_id,
)

CODE = Sources("warehouse_inventory")
DESCRIPTION = (
    "A national warehouse network in real cities: SKUs, stock levels, reorder points, "
    "transport lanes and demand forecasts; plan transfers that keep stock healthy at "
    "minimal cost."
)
PRODUCTS = [
    ("EL", "Electronics", ["USB-C Charger 65W", "Wireless Mouse", "27in Monitor",
                           "Mechanical Keyboard", "Noise-Cancelling Headphones"]),
    ("HO", "Home", ["Stainless Kettle 1.7L", "LED Desk Lamp", "Air Purifier", "Cast Iron Skillet"]),
    ("OU", "Outdoor", ["Camping Tent 2P", "Hiking Backpack 40L", "Insulated Bottle 750ml"]),
    ("OF", "Office", ["A4 Copy Paper (5 reams)", "Ergonomic Office Chair", "Label Printer"]),
]  # fmt: skip


def _letters(text: str) -> str:
    return "".join(ch for ch in text if ch.isalpha())


class _World:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        country, pool = refdata.country_cities(rng, 7)
        cities = sorted(rng.sample(pool, 7), key=lambda c: c["name"])
        name = refdata.country_names().get(country, country)
        self.whs = [
            {"id": (i := row_id("warehouses")), "code": f"{_letters(c['name'])[:3].upper()}-{i}",
             "city": c["name"], "country": name, "lat": c["lat"], "lon": c["lon"]}
            for c in cities
        ]  # fmt: skip
        self.skus: list[dict[str, Any]] = []
        for prefix, category, names in PRODUCTS:
            for j, product in enumerate(names):
                self.skus.append({"sku": f"{prefix}-{1001 + j * 7}", "name": product,
                                  "category": category,
                                  "kg": round(rng.uniform(0.2, 14.0), 1)})  # fmt: skip
        rng.shuffle(self.skus)  # task levels take skus in this order
        self.stock: dict[tuple[int, str], dict[str, int]] = {}
        for w in self.whs:
            for s in self.skus:
                rp = rng.randrange(20, 130, 5)
                self.stock[(w["id"], s["sku"])] = {"qty": rng.randint(0, 420), "rp": rp}
        self.lanes: dict[tuple[int, int], dict[str, Any]] = {}
        for a in self.whs:
            for b in self.whs:
                if a is not b:
                    km = round(haversine_km(a["lat"], a["lon"], b["lat"], b["lon"]) * 1.2, 1)
                    self.lanes[(a["id"], b["id"])] = {
                        "mode": "road", "km": km, "cost": round(0.35 + km * 0.0011, 2),
                        "lead": 1 + int(km // 650),
                    }  # fmt: skip
        week = dt.date(2025, 1, 6) + dt.timedelta(weeks=rng.randint(0, 45))
        self.week = week.isoformat()
        self.forecast: dict[tuple[int, str], int] = {}

    def inbound(self, dest: int) -> list[tuple[int, dict[str, Any]]]:
        lanes = [(src, lane) for (src, to), lane in self.lanes.items() if to == dest]
        return sorted(lanes, key=lambda x: (x[1]["cost"], x[0]))

    def plan(
        self, sku: str, dest: int, need: int, floor: Callable[[int], int]
    ) -> list[tuple[int, int, float]]:
        """Cheapest-first transfers (source, qty, cost) covering ``need``; stock is not changed."""
        out = []
        for src, lane in self.inbound(dest):
            spare = self.stock[(src, sku)]["qty"] - floor(src)
            take = min(spare, need)
            if take > 0:
                out.append((src, take, round(take * lane["cost"], 2)))
                need -= take
        return out

    def db_rows(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        out["warehouses"] = [[w["id"], w["code"], w["city"], w["country"], w["lat"],
                                          w["lon"]] for w in self.whs]  # fmt: skip
        out["skus"] = [[s["sku"], s["name"], s["category"], s["kg"]]
                                   for s in sorted(self.skus, key=lambda s: s["sku"])]  # fmt: skip
        out["stock"] = [[w, s, v["qty"], v["rp"]] for (w, s), v in self.stock.items()]
        out["lanes"] = [[a, b, v["mode"], v["km"], v["cost"], v["lead"]]
                                    for (a, b), v in self.lanes.items()]  # fmt: skip
        out["demand_forecast"] = [[w, s, self.week, q]
                                              for (w, s), q in sorted(self.forecast.items())]  # fmt: skip
        return out


def _l1(w: _World) -> TaskDraft:
    sku = w.skus[0]
    for i, wh in enumerate(w.whs[:3]):
        row = w.stock[(wh["id"], sku["sku"])]
        row["qty"] = [row["rp"], max(0, row["rp"] - 7), row["rp"] + 40][i]
    p = {"SKU": sku["sku"]}
    prompt = CODE.prompt(1, p, SKU_NAME=sku["name"])
    return CODE.task(1, prompt, p, unique=True)


def _l2(w: _World) -> TaskDraft:
    sku, dest, qty = w.skus[1]["sku"], w.whs[1], w.rng.randrange(40, 120, 10)
    (x, _), (y, _) = w.inbound(dest["id"])[:2]
    sx, sy = w.stock[(x, sku)], w.stock[(y, sku)]
    sx["qty"] = qty + sx["rp"] // 2  # holds enough, but would drop below its reorder point
    sy["qty"] = max(sy["qty"], qty + sy["rp"] + 15)
    p = {"SKU": sku, "DEST": dest["code"], "QTY": qty}
    prompt = CODE.prompt(2, p, DEST_CITY=dest["city"])
    return CODE.task(2, prompt, p)


def _l3(w: _World) -> TaskDraft:
    sku, dest, qty = w.skus[2]["sku"], w.whs[2], w.rng.randrange(30, 100, 5)
    inbound = w.inbound(dest["id"])
    (x, fast_lane), (y, lane_y) = inbound[0], inbound[1]
    max_lead = lane_y["lead"]
    # the cheapest lane becomes slow rail freight: ignoring lead times is caught
    fast_lane.update(mode="rail", lead=max_lead + 3, cost=max(0.2, fast_lane["cost"] - 0.1))
    for src in (x, y):
        row = w.stock[(src, sku)]
        row["qty"] = max(row["qty"], qty + row["rp"] + 10)
    initial = {wid: w.stock[(wid, sku)]["qty"] for wid in (wh["id"] for wh in w.whs)}
    p = {"SKU": sku, "DEST": dest["code"], "QTY": qty, "MAX_LEAD": max_lead,
         "INITIAL": initial}  # fmt: skip
    prompt = CODE.prompt(3, p, DEST_CITY=dest["city"])
    return CODE.task(3, prompt, p)


def _l4(w: _World) -> TaskDraft:
    dest, skus = w.whs[3], [w.skus[3]["sku"], w.skus[4]["sku"]]
    targets: dict[str, int] = {}
    initial: dict[str, dict[int, int]] = {}
    budget = 0.0
    for sku in skus:
        mine = w.stock[(dest["id"], sku)]
        mine["qty"] = w.rng.randint(0, mine["rp"] // 3)
        need = w.rng.randrange(80, 160, 10)
        targets[sku] = mine["qty"] + need
        (x, _), (y, _), (z, _) = w.inbound(dest["id"])[:3]
        sx = w.stock[(x, sku)]  # cheapest source: holds the need but cannot spare it
        sx["rp"] = max(sx["rp"], need)
        sx["qty"] = sx["rp"] + need // 2
        for other in (y, z):
            row = w.stock[(other, sku)]
            row["qty"] = max(row["qty"], row["rp"] + need // 2 + 5)
        initial[sku] = {wh["id"]: w.stock[(wh["id"], sku)]["qty"] for wh in w.whs}
        moves = w.plan(sku, dest["id"], need, lambda s, sku=sku: w.stock[(s, sku)]["rp"])  # type: ignore[misc]
        budget += sum(cost for _, _, cost in moves)
    p = {"SKUS": skus, "DEST": dest["code"], "TARGETS": targets, "INITIAL": initial,
         "BUDGET": round(budget, 2)}  # fmt: skip
    prompt = CODE.prompt(
        4,
        p,
        DEST_CITY=dest["city"],
        SKU1=skus[0],
        TARGET1=targets[skus[0]],
        SKU2=skus[1],
        TARGET2=targets[skus[1]],
        BUDGET_TEXT=f"{budget:.2f}",
    )
    return CODE.task(4, prompt, p)


def _l5(w: _World) -> TaskDraft:
    sku, rng = w.skus[5]["sku"], w.rng
    for wh in w.whs:
        row = w.stock[(wh["id"], sku)]
        row["qty"] = rng.randint(row["rp"] + 60, row["rp"] + 200)
        w.forecast[(wh["id"], sku)] = rng.randint(row["rp"] // 2, row["rp"])
    for s in w.skus:  # forecasts exist for every sku, the task uses one
        for wh in w.whs:
            w.forecast.setdefault((wh["id"], s["sku"]), rng.randint(10, 200))
    # three short warehouses (one more entity in the plan than level 4's two skus): each
    # needs its own stock, lanes and transfers
    sinks = sorted(rng.sample([wh["id"] for wh in w.whs], 3))
    for sink in sinks:
        w.forecast[(sink, sku)] = w.stock[(sink, sku)]["qty"] + rng.randrange(40, 90, 5)
    for wh in w.whs:  # the other four can spare enough for all three between them
        if wh["id"] not in sinks:
            row = w.stock[(wh["id"], sku)]
            row["qty"] = max(row["qty"], max(row["rp"], w.forecast[(wh["id"], sku)]) + 100)
    # the cheapest source of the first sink covers its own forecast with little to spare
    need = w.forecast[(sinks[0], sku)] - w.stock[(sinks[0], sku)]["qty"]
    x = next(src for src, _ in w.inbound(sinks[0]) if src not in sinks)
    row = w.stock[(x, sku)]
    w.forecast[(x, sku)] = row["qty"] - need // 3
    row["rp"] = min(row["rp"], row["qty"] - need - 5)
    initial = {wh["id"]: w.stock[(wh["id"], sku)]["qty"] for wh in w.whs}

    def floor(src: int) -> int:
        if src in sinks:
            return w.stock[(src, sku)]["qty"]
        return max(w.stock[(src, sku)]["rp"], w.forecast[(src, sku)])

    cost = 0.0
    for sink in sinks:
        moves = w.plan(sku, sink, w.forecast[(sink, sku)] - w.stock[(sink, sku)]["qty"], floor)
        for src, q, c in moves:
            w.stock[(src, sku)]["qty"] -= q
            w.stock[(sink, sku)]["qty"] += q
            cost += c
    for wid, q in initial.items():  # planning ran on the live stock: restore it
        w.stock[(wid, sku)]["qty"] = q
    budget = round(cost * 1.05, 2)
    p = {"SKU": sku, "INITIAL": initial, "BUDGET": budget}
    prompt = CODE.prompt(5, p, BUDGET_TEXT=f"{budget:.2f}")
    return CODE.task(5, prompt, p, toolset_version=2)


# L3 rewrites one lane, so it is planted before the levels that price lanes
CATEGORY = Catalog(CODE, DESCRIPTION, planted(_World, {3: _l3, 1: _l1, 2: _l2, 4: _l4, 5: _l5}))
