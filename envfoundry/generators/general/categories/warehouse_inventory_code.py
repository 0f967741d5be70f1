"""Generated-code templates of the warehouse_inventory category (tools, solutions, verifiers)."""

from __future__ import annotations

from envfoundry.generators.general.categories._booking_kit import spec

SCHEMA_SQL = """
CREATE TABLE warehouses (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, city TEXT NOT NULL,
  country TEXT NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL);
CREATE TABLE skus (sku TEXT PRIMARY KEY, name TEXT NOT NULL, category TEXT NOT NULL,
  unit_weight_kg REAL NOT NULL);
CREATE TABLE stock (warehouse_id INTEGER NOT NULL REFERENCES warehouses(id),
  sku TEXT NOT NULL REFERENCES skus(sku), qty INTEGER NOT NULL, reorder_point INTEGER NOT NULL,
  PRIMARY KEY (warehouse_id, sku));
CREATE TABLE lanes (from_id INTEGER NOT NULL, to_id INTEGER NOT NULL, mode TEXT NOT NULL,
  distance_km REAL NOT NULL, cost_per_unit REAL NOT NULL, lead_days INTEGER NOT NULL,
  PRIMARY KEY (from_id, to_id));
CREATE TABLE demand_forecast (warehouse_id INTEGER NOT NULL, sku TEXT NOT NULL,
  week_start TEXT NOT NULL, qty INTEGER NOT NULL, PRIMARY KEY (warehouse_id, sku));
CREATE TABLE transfers (id INTEGER PRIMARY KEY, sku TEXT NOT NULL, from_id INTEGER NOT NULL,
  to_id INTEGER NOT NULL, qty INTEGER NOT NULL, cost_per_unit REAL NOT NULL,
  total_cost REAL NOT NULL, lead_days INTEGER NOT NULL);
"""

TOOLS_V1 = '''"""Warehouse inventory tools: warehouses, SKUs, stock levels, lanes and transfers."""


def _wh(db, warehouse_id, what="warehouse_id"):
    if not isinstance(warehouse_id, int) or isinstance(warehouse_id, bool):
        raise ValueError(f"{what} must be an integer")
    row = db.execute("SELECT * FROM warehouses WHERE id = ?", (warehouse_id,)).fetchone()
    if row is None:
        raise ValueError(f"no warehouse with id {warehouse_id}")
    return dict(row)


def _sku(db, sku):
    if not isinstance(sku, str) or db.execute("SELECT 1 FROM skus WHERE sku = ?", (sku,)).fetchone() is None:
        raise ValueError(f"unknown sku {sku!r}")
    return sku


def list_warehouses(db):
    """All warehouses: id, code, city, country."""
    return [dict(r) for r in db.execute("SELECT id, code, city, country FROM warehouses ORDER BY id")]


def list_skus(db, category=None):
    """Products (sku, name, category, unit_weight_kg), optionally of one category."""
    sql, args = "SELECT * FROM skus", []
    if category is not None:
        sql, args = sql + " WHERE category = ?", [category]
    return [dict(r) for r in db.execute(sql + " ORDER BY sku", args)]


def get_stock(db, sku=None, warehouse_id=None):
    """Stock rows (warehouse_id, warehouse code, sku, qty, reorder_point) for a sku, a
    warehouse, or both. At least one filter is required."""
    if sku is None and warehouse_id is None:
        raise ValueError("give sku, warehouse_id or both")
    sql = ("SELECT s.warehouse_id, w.code, s.sku, s.qty, s.reorder_point FROM stock s"
           " JOIN warehouses w ON w.id = s.warehouse_id WHERE 1 = 1")
    args = []
    if sku is not None:
        sql += " AND s.sku = ?"
        args.append(_sku(db, sku))
    if warehouse_id is not None:
        _wh(db, warehouse_id)
        sql += " AND s.warehouse_id = ?"
        args.append(warehouse_id)
    return [dict(r) for r in db.execute(sql + " ORDER BY s.warehouse_id, s.sku", args)]


def list_lanes(db, to_warehouse_id):
    """Inbound lanes of a warehouse: from_id, mode, distance_km, cost_per_unit, lead_days."""
    _wh(db, to_warehouse_id, "to_warehouse_id")
    return [dict(r) for r in db.execute(
        "SELECT from_id, to_id, mode, distance_km, cost_per_unit, lead_days FROM lanes"
        " WHERE to_id = ? ORDER BY from_id", (to_warehouse_id,))]


def create_transfer(db, sku, from_warehouse_id, to_warehouse_id, qty):
    """Move qty units of a sku between warehouses over their lane. Fails if the source does
    not hold qty units (stock never goes negative). Reorder points are not enforced."""
    _sku(db, sku)
    _wh(db, from_warehouse_id, "from_warehouse_id")
    _wh(db, to_warehouse_id, "to_warehouse_id")
    if from_warehouse_id == to_warehouse_id:
        raise ValueError("source and destination must differ")
    if not isinstance(qty, int) or isinstance(qty, bool) or qty <= 0:
        raise ValueError("qty must be a positive integer")
    have = db.execute("SELECT qty FROM stock WHERE warehouse_id = ? AND sku = ?",
                      (from_warehouse_id, sku)).fetchone()
    if have is None or have["qty"] < qty:
        raise ValueError(f"warehouse {from_warehouse_id} holds only {have['qty'] if have else 0} of {sku}")
    lane = db.execute("SELECT * FROM lanes WHERE from_id = ? AND to_id = ?",
                      (from_warehouse_id, to_warehouse_id)).fetchone()
    db.execute("UPDATE stock SET qty = qty - ? WHERE warehouse_id = ? AND sku = ?",
               (qty, from_warehouse_id, sku))
    db.execute("UPDATE stock SET qty = qty + ? WHERE warehouse_id = ? AND sku = ?",
               (qty, to_warehouse_id, sku))
    total = round(qty * lane["cost_per_unit"], 2)
    cur = db.execute(
        "INSERT INTO transfers (sku, from_id, to_id, qty, cost_per_unit, total_cost, lead_days)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (sku, from_warehouse_id, to_warehouse_id, qty, lane["cost_per_unit"], total, lane["lead_days"]))
    return {"transfer_id": cur.lastrowid, "total_cost": total, "lead_days": lane["lead_days"]}
'''

TOOLS_V2_EXTRA = '''
def get_demand_forecast(db, sku, warehouse_id=None):
    """Next week's forecast demand (warehouse_id, sku, week_start, qty) for a sku."""
    _sku(db, sku)
    sql, args = "SELECT * FROM demand_forecast WHERE sku = ?", [sku]
    if warehouse_id is not None:
        _wh(db, warehouse_id)
        sql, args = sql + " AND warehouse_id = ?", [sku, warehouse_id]
    return [dict(r) for r in db.execute(sql + " ORDER BY warehouse_id", args)]
'''

_WID = {"type": "integer", "description": "Warehouse id."}
TOOLS_V1_SPECS = (
    spec("list_warehouses", "All warehouses: id, code, city, country."),
    spec(
        "list_skus",
        "Products: sku, name, category, unit_weight_kg; optionally only one category.",
        {"category": {"type": "string"}},
    ),
    spec(
        "get_stock",
        "Stock rows (warehouse_id, code, sku, qty, reorder_point) filtered by sku and/or "
        "warehouse; at least one filter is required.",
        {"sku": {"type": "string"}, "warehouse_id": _WID},
    ),
    spec(
        "list_lanes",
        "Inbound transport lanes of a warehouse: from_id, mode, distance_km, cost_per_unit "
        "and lead_days.",
        {"to_warehouse_id": _WID},
        ["to_warehouse_id"],
    ),
    spec(
        "create_transfer",
        "Move qty units of a sku from one warehouse to another over their lane; costs "
        "qty x cost_per_unit. Fails when the source holds fewer than qty units; reorder points "
        "are not enforced.",
        {
            "sku": {"type": "string"},
            "from_warehouse_id": _WID,
            "to_warehouse_id": _WID,
            "qty": {"type": "integer", "minimum": 1},
        },
        ["sku", "from_warehouse_id", "to_warehouse_id", "qty"],
        mutates=True,
    ),
)
TOOLS_V2_SPECS = (
    spec(
        "get_demand_forecast",
        "Next week's forecast demand per warehouse for a sku (warehouse_id, sku, week_start, "
        "qty); optionally for one warehouse.",
        {"sku": {"type": "string"}, "warehouse_id": _WID},
        ["sku"],
    ),
)

V_PRELUDE = """
def _stock(db, sku):
    return {r["warehouse_id"]: r for r in db.execute("SELECT * FROM stock WHERE sku = ?", (sku,))}


def _moves(db, skus):
    return db.execute("SELECT * FROM transfers WHERE sku IN (%s) ORDER BY id"
                      % ",".join("?" * len(skus)), list(skus)).fetchall()


def _consistent(db, sku, initial):
    # final stock must equal the initial stock plus the recorded transfers, never negative
    stock = _stock(db, sku)
    net = {int(k): v for k, v in initial.items()}
    for t in _moves(db, [sku]):
        net[t["from_id"]] -= t["qty"]
        net[t["to_id"]] += t["qty"]
    for wid, qty in net.items():
        if stock[wid]["qty"] != qty or qty < 0:
            return False
    return True


def _lanes(db, to_id):
    return {r["from_id"]: r for r in db.execute("SELECT * FROM lanes WHERE to_id = ?", (to_id,))}
"""

_S_COMMON = """
def _ids(tools):
    return {w["code"]: w["id"] for w in tools.list_warehouses()}


def _surplus_plan(tools, sku, dest, need, floor):
    # cheapest-first: take from each source what it can spare above its floor
    stock = {r["warehouse_id"]: r for r in tools.get_stock(sku=sku)}
    plan = []
    for lane in sorted(tools.list_lanes(to_warehouse_id=dest), key=lambda l: (l["cost_per_unit"], l["from_id"])):
        if need <= 0:
            break
        src = lane["from_id"]
        spare = stock[src]["qty"] - floor(stock[src])
        take = min(spare, need)
        if take > 0:
            plan.append((src, take))
            need -= take
    return plan
"""

# ------------------------------------------------------------------ level 1: below reorder (read)

L1_SOLVE = """
def solve(tools):
    rows = tools.get_stock(sku={{SKU}})
    return {"warehouses": sorted(r["code"] for r in rows if r["qty"] < r["reorder_point"])}
"""
L1_PERTURBED = L1_SOLVE.replace('r["qty"] < r["reorder_point"]', 'r["qty"] <= r["reorder_point"]')
L1_VERIFY = """
def verify(answer, db):
    if not isinstance(answer, dict) or not isinstance(answer.get("warehouses"), list):
        return False, "answer must be an object with a list 'warehouses'"
    want = sorted(r["code"] for r in db.execute(
        "SELECT w.code FROM stock s JOIN warehouses w ON w.id = s.warehouse_id"
        " WHERE s.sku = ? AND s.qty < s.reorder_point", ({{SKU}},)))
    if answer["warehouses"] != want:
        return False, f"expected {want}, got {answer['warehouses']}"
    return True, "exact list of warehouses below their reorder point"
"""

# ------------------------------------------------------------------ level 2: cheapest source (read)

_S_SOURCE = (
    _S_COMMON
    + """

def _best(tools, keep_floor, max_lead):
    ids = _ids(tools)
    dest = ids[{{DEST}}]
    stock = {r["warehouse_id"]: r for r in tools.get_stock(sku={{SKU}})}
    ok = []
    for lane in tools.list_lanes(to_warehouse_id=dest):
        s = stock[lane["from_id"]]
        floor = s["reorder_point"] if keep_floor else 0
        if s["qty"] - {{QTY}} >= floor and lane["lead_days"] <= max_lead:
            ok.append(lane)
    lane = min(ok, key=lambda l: (l["cost_per_unit"], l["from_id"]))
    code = [c for c, i in ids.items() if i == lane["from_id"]][0]
    return dest, lane, code
"""
)
L2_SOLVE = (
    _S_SOURCE
    + """

def solve(tools):
    dest, lane, code = _best(tools, True, 99)
    return {"source": code, "total_cost": round({{QTY}} * lane["cost_per_unit"], 2)}
"""
)
L2_PERTURBED = (
    _S_SOURCE
    + """

def solve(tools):
    # only checks that the source holds the quantity, not that it stays above reorder point
    dest, lane, code = _best(tools, False, 99)
    return {"source": code, "total_cost": round({{QTY}} * lane["cost_per_unit"], 2)}
"""
)
L2_VERIFY = (
    V_PRELUDE
    + """

def verify(answer, db):
    if not isinstance(answer, dict) or not isinstance(answer.get("source"), str) or not isinstance(
            answer.get("total_cost"), (int, float)):
        return False, "answer must be an object with 'source' (code) and 'total_cost' (number)"
    ids = {r["code"]: r["id"] for r in db.execute("SELECT id, code FROM warehouses")}
    dest, src = ids[{{DEST}}], ids.get(answer["source"])
    if src is None or src == dest:
        return False, "unknown or invalid source warehouse"
    stock, lanes = _stock(db, {{SKU}}), _lanes(db, dest)
    ok = [w for w in lanes if stock[w]["qty"] - {{QTY}} >= stock[w]["reorder_point"]]
    if src not in ok:
        return False, "the source would fall below its reorder point"
    if lanes[src]["cost_per_unit"] > min(lanes[w]["cost_per_unit"] for w in ok):
        return False, "a cheaper feasible source exists"
    if abs(answer["total_cost"] - {{QTY}} * lanes[src]["cost_per_unit"]) > 0.011:
        return False, "total_cost does not match the lane cost"
    return True, "cheapest feasible source"
"""
)

# ------------------------------------------------------------------ level 3: transfer (write)

L3_SOLVE = (
    _S_SOURCE
    + """

def solve(tools):
    dest, lane, code = _best(tools, True, {{MAX_LEAD}})
    t = tools.create_transfer(sku={{SKU}}, from_warehouse_id=lane["from_id"], to_warehouse_id=dest, qty={{QTY}})
    return {"transfer_id": t["transfer_id"]}
"""
)
L3_PERTURBED = (
    _S_SOURCE
    + """

def solve(tools):
    # forgets the lead-time limit
    dest, lane, code = _best(tools, True, 99)
    t = tools.create_transfer(sku={{SKU}}, from_warehouse_id=lane["from_id"], to_warehouse_id=dest, qty={{QTY}})
    return {"transfer_id": t["transfer_id"]}
"""
)
L3_VERIFY = (
    V_PRELUDE
    + """

def verify(answer, db):
    if not isinstance(answer, dict) or not isinstance(answer.get("transfer_id"), int):
        return False, "answer must be an object with an integer 'transfer_id'"
    dest = db.execute("SELECT id FROM warehouses WHERE code = ?", ({{DEST}},)).fetchone()["id"]
    moves = _moves(db, [{{SKU}}])
    if len(moves) != 1 or moves[0]["id"] != answer["transfer_id"]:
        return False, "exactly one transfer, the one answered, is expected"
    t = moves[0]
    if t["to_id"] != dest or t["qty"] != {{QTY}} or not _consistent(db, {{SKU}}, {{INITIAL}}):
        return False, "wrong destination or quantity, or stock does not add up"
    stock, lanes = _stock(db, {{SKU}}), _lanes(db, dest)
    initial = {int(k): v for k, v in {{INITIAL}}.items()}
    ok = [w for w in lanes if initial[w] - {{QTY}} >= stock[w]["reorder_point"]
          and lanes[w]["lead_days"] <= {{MAX_LEAD}}]
    if t["from_id"] not in ok:
        return False, "the source falls below its reorder point or its lane is too slow"
    if lanes[t["from_id"]]["cost_per_unit"] > min(lanes[w]["cost_per_unit"] for w in ok):
        return False, "a cheaper feasible source exists"
    return True, "cheapest feasible transfer made"
"""
)

# ------------------------------------------------------------------ level 4: restock two skus

L4_SOLVE = (
    _S_COMMON
    + """

def solve(tools):
    dest = _ids(tools)[{{DEST}}]
    out = []
    for sku in {{SKUS}}:
        have = tools.get_stock(sku=sku, warehouse_id=dest)[0]["qty"]
        for src, qty in _surplus_plan(tools, sku, dest, {{TARGETS}}[sku] - have, lambda s: s["reorder_point"]):
            out.append(tools.create_transfer(sku=sku, from_warehouse_id=src, to_warehouse_id=dest, qty=qty)["transfer_id"])
    return {"transfer_ids": out}
"""
)
L4_PERTURBED = L4_SOLVE.replace('lambda s: s["reorder_point"]', "lambda s: 0")
L4_VERIFY = (
    V_PRELUDE
    + """

def verify(answer, db):
    if not isinstance(answer, dict) or not isinstance(answer.get("transfer_ids"), list):
        return False, "answer must be an object with a list 'transfer_ids'"
    dest = db.execute("SELECT id FROM warehouses WHERE code = ?", ({{DEST}},)).fetchone()["id"]
    moves = _moves(db, {{SKUS}})
    if sorted(t["id"] for t in moves) != sorted(answer["transfer_ids"]):
        return False, "the answer must list exactly the transfers made"
    if any(t["to_id"] != dest for t in moves):
        return False, "every transfer must go to the destination"
    for sku in {{SKUS}}:
        if not _consistent(db, sku, {{INITIAL}}[sku]):
            return False, f"{sku} stock does not add up"
        stock = _stock(db, sku)
        if stock[dest]["qty"] < {{TARGETS}}[sku]:
            return False, f"{sku} at the destination is below its target"
        for t in moves:
            if t["sku"] == sku and stock[t["from_id"]]["qty"] < stock[t["from_id"]]["reorder_point"]:
                return False, f"a source of {sku} fell below its reorder point"
    cost = sum(t["total_cost"] for t in moves)
    if cost > {{BUDGET}} + 1e-6:
        return False, f"total cost {cost:.2f} exceeds the budget"
    return True, f"restocked for {cost:.2f}"
"""
)

# ------------------------------------------------------------------ level 5: forecast (toolset v2)

_S_FORECAST = (
    _S_COMMON
    + """

def _rebalance(tools, own_forecast):
    fc = {r["warehouse_id"]: r["qty"] for r in tools.get_demand_forecast(sku={{SKU}})}
    stock = {r["warehouse_id"]: r for r in tools.get_stock(sku={{SKU}})}
    sinks = sorted(w for w in stock if fc.get(w, 0) > stock[w]["qty"])
    out = []
    for sink in sinks:
        need = fc[sink] - tools.get_stock(sku={{SKU}}, warehouse_id=sink)[0]["qty"]

        def floor(s):
            if s["warehouse_id"] in sinks:
                return s["qty"]
            return max(s["reorder_point"], fc.get(s["warehouse_id"], 0) if own_forecast else 0)

        for src, qty in _surplus_plan(tools, {{SKU}}, sink, need, floor):
            out.append(tools.create_transfer(sku={{SKU}}, from_warehouse_id=src, to_warehouse_id=sink, qty=qty)["transfer_id"])
    return {"transfer_ids": out}
"""
)
L5_SOLVE = (
    _S_FORECAST
    + """

def solve(tools):
    return _rebalance(tools, True)
"""
)
L5_PERTURBED = (
    _S_FORECAST
    + """

def solve(tools):
    # protects the sources' reorder points but not their own forecast demand
    return _rebalance(tools, False)
"""
)
L5_VERIFY = (
    V_PRELUDE
    + """

def verify(answer, db):
    if not isinstance(answer, dict) or not isinstance(answer.get("transfer_ids"), list):
        return False, "answer must be an object with a list 'transfer_ids'"
    moves = _moves(db, [{{SKU}}])
    if sorted(t["id"] for t in moves) != sorted(answer["transfer_ids"]):
        return False, "the answer must list exactly the transfers made"
    if not _consistent(db, {{SKU}}, {{INITIAL}}):
        return False, "stock does not add up"
    initial = {int(k): v for k, v in {{INITIAL}}.items()}
    fc = {r["warehouse_id"]: r["qty"] for r in db.execute(
        "SELECT * FROM demand_forecast WHERE sku = ?", ({{SKU}},))}
    stock = _stock(db, {{SKU}})
    sinks = {w for w in initial if fc.get(w, 0) > initial[w]}
    for w in sinks:
        if stock[w]["qty"] < fc[w]:
            return False, f"warehouse {w} is still short of its forecast"
    for t in moves:
        src = stock[t["from_id"]]
        if t["from_id"] in sinks or t["to_id"] not in sinks:
            return False, "transfers must go from non-short warehouses to short ones"
        if src["qty"] < max(src["reorder_point"], fc.get(t["from_id"], 0)):
            return False, f"source {t['from_id']} fell below its reorder point or its own forecast"
    cost = sum(t["total_cost"] for t in moves)
    if cost > {{BUDGET}} + 1e-6:
        return False, f"total cost {cost:.2f} exceeds the budget"
    return True, f"network rebalanced for {cost:.2f}"
"""
)
