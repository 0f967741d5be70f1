"""Generated-code templates of the retail_orders category (tools, solutions, verifiers)."""

from __future__ import annotations

from envfoundry.generators.general.categories._procedural_kit import INT, NUM, STR, obj, tool

SCHEMA_SQL = """
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE products (sku TEXT PRIMARY KEY, name TEXT NOT NULL, brand TEXT NOT NULL,
  category TEXT NOT NULL, price REAL NOT NULL, rating REAL NOT NULL, stock INTEGER NOT NULL,
  status TEXT NOT NULL);
CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, email TEXT NOT NULL,
  city TEXT NOT NULL, tier TEXT NOT NULL);
CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id),
  order_date TEXT NOT NULL, delivered_date TEXT, status TEXT NOT NULL, total REAL NOT NULL);
CREATE TABLE order_items (order_id INTEGER NOT NULL REFERENCES orders(id), sku TEXT NOT NULL
  REFERENCES products(sku), quantity INTEGER NOT NULL, unit_price REAL NOT NULL,
  PRIMARY KEY (order_id, sku));
CREATE TABLE returns (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL REFERENCES orders(id),
  sku TEXT NOT NULL, quantity INTEGER NOT NULL, reason TEXT NOT NULL, refund REAL NOT NULL);
"""

TOOLS_V1 = '''
"""Online shop tools: catalog, customers, orders and returns (gold members get 10% off)."""

import datetime

RETURN_DAYS = 30
GOLD_DISCOUNT = 0.10


def _today(db):
    return db.execute("SELECT value FROM settings WHERE key = 'today'").fetchone()[0]


def _int(value, what):
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"{what} must be an integer")
    return value


def _product(db, sku):
    row = db.execute("SELECT * FROM products WHERE sku = ?", (sku,)).fetchone()
    if row is None:
        raise ValueError(f"no product with sku {sku!r}")
    return row


def _customer(db, customer_id):
    row = db.execute("SELECT * FROM customers WHERE id = ?",
                     (_int(customer_id, "customer_id"),)).fetchone()
    if row is None:
        raise ValueError(f"no customer with id {customer_id}")
    return row


def _order(db, order_id):
    row = db.execute("SELECT * FROM orders WHERE id = ?", (_int(order_id, "order_id"),)).fetchone()
    if row is None:
        raise ValueError(f"no order with id {order_id}")
    return row


def search_products(db, category=None, query=None, max_price=None):
    """Catalog search by category, a case-insensitive name fragment and a maximum price."""
    sql, args = "SELECT * FROM products WHERE 1 = 1", []
    if category is not None:
        sql, args = sql + " AND category = ?", args + [category]
    if query is not None:
        sql, args = sql + " AND lower(name) LIKE ?", args + ["%" + str(query).lower() + "%"]
    if max_price is not None:
        if not isinstance(max_price, (int, float)) or isinstance(max_price, bool):
            raise ValueError("max_price must be a number")
        sql, args = sql + " AND price <= ?", args + [max_price]
    return [dict(r) for r in db.execute(sql + " ORDER BY sku", args)]


def get_product(db, sku):
    """One product: price, rating, stock and status ('active' or 'discontinued')."""
    return dict(_product(db, sku))


def find_customer(db, name):
    """A customer by full name: id, email, city and tier ('standard' or 'gold')."""
    row = db.execute("SELECT * FROM customers WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise ValueError(f"no customer named {name!r}")
    return dict(row)


def list_orders(db, customer_id):
    """A customer's orders (without items), newest first, and today's date."""
    _customer(db, customer_id)
    rows = db.execute("SELECT * FROM orders WHERE customer_id = ? ORDER BY order_date DESC, id DESC",
                      (customer_id,))
    return {"today": _today(db), "orders": [dict(r) for r in rows]}


def get_order(db, order_id):
    """One order with its items (sku, name, category, quantity, unit_price) and returns."""
    order = dict(_order(db, order_id))
    order["items"] = [dict(r) for r in db.execute(
        "SELECT i.sku, p.name, p.category, i.quantity, i.unit_price FROM order_items i"
        " JOIN products p ON p.sku = i.sku WHERE i.order_id = ? ORDER BY i.sku", (order_id,))]
    order["returns"] = [dict(r) for r in db.execute(
        "SELECT * FROM returns WHERE order_id = ? ORDER BY id", (order_id,))]
    return order


def place_order(db, customer_id, items):
    """Order active, in-stock products: items is a list of {sku, quantity}. Stock is reserved
    at once; gold customers pay 10% less. The order starts as 'processing'."""
    cust = _customer(db, customer_id)
    if not isinstance(items, list) or not items:
        raise ValueError("items must be a non-empty list of {sku, quantity}")
    skus = set()
    lines = []
    for item in items:
        if not isinstance(item, dict) or set(item) != {"sku", "quantity"}:
            raise ValueError("each item needs exactly 'sku' and 'quantity'")
        p = _product(db, item["sku"])
        qty = _int(item["quantity"], "quantity")
        if qty < 1 or p["sku"] in skus:
            raise ValueError("quantities must be positive and skus distinct")
        if p["status"] != "active":
            raise ValueError(f"{p['sku']} is discontinued")
        if p["stock"] < qty:
            raise ValueError(f"only {p['stock']} of {p['sku']} in stock")
        skus.add(p["sku"])
        factor = 1 - GOLD_DISCOUNT if cust["tier"] == "gold" else 1
        lines.append((p["sku"], qty, round(p["price"] * factor, 2)))
    total = round(sum(q * u for _, q, u in lines), 2)
    cur = db.execute("INSERT INTO orders (customer_id, order_date, delivered_date, status, total)"
                     " VALUES (?, ?, NULL, 'processing', ?)", (customer_id, _today(db), total))
    for sku, qty, unit in lines:
        db.execute("INSERT INTO order_items VALUES (?, ?, ?, ?)", (cur.lastrowid, sku, qty, unit))
        db.execute("UPDATE products SET stock = stock - ? WHERE sku = ?", (qty, sku))
    return get_order(db, cur.lastrowid)


def request_return(db, order_id, sku, quantity, reason):
    """Return items of a delivered order within 30 days of delivery; refunds the unit price
    paid and puts the items back in stock."""
    order = _order(db, order_id)
    if order["status"] != "delivered":
        raise ValueError(f"order {order_id} is {order['status']}, only delivered orders return")
    age = (datetime.date.fromisoformat(_today(db))
           - datetime.date.fromisoformat(order["delivered_date"])).days
    if age > RETURN_DAYS:
        raise ValueError(f"order {order_id} was delivered {age} days ago (limit {RETURN_DAYS})")
    item = db.execute("SELECT * FROM order_items WHERE order_id = ? AND sku = ?",
                      (order_id, sku)).fetchone()
    if item is None:
        raise ValueError(f"order {order_id} has no item {sku!r}")
    done = db.execute("SELECT COALESCE(SUM(quantity), 0) FROM returns WHERE order_id = ? AND sku = ?",
                      (order_id, sku)).fetchone()[0]
    qty = _int(quantity, "quantity")
    if qty < 1 or qty > item["quantity"] - done:
        raise ValueError(f"can return between 1 and {item['quantity'] - done} of {sku}")
    if not isinstance(reason, str) or not reason.strip():
        raise ValueError("reason must be a non-empty string")
    refund = round(qty * item["unit_price"], 2)
    cur = db.execute("INSERT INTO returns (order_id, sku, quantity, reason, refund)"
                     " VALUES (?, ?, ?, ?, ?)", (order_id, sku, qty, reason, refund))
    db.execute("UPDATE products SET stock = stock + ? WHERE sku = ?", (qty, sku))
    return {"return_id": cur.lastrowid, "refund": refund}
'''

TOOLS_V2_EXTRA = '''
def cancel_order(db, order_id):
    """Cancel a 'processing' order: its items go back in stock and the total is refunded."""
    order = _order(db, order_id)
    if order["status"] != "processing":
        raise ValueError(f"order {order_id} is {order['status']}; only processing orders cancel")
    for item in db.execute("SELECT * FROM order_items WHERE order_id = ?", (order_id,)).fetchall():
        db.execute("UPDATE products SET stock = stock + ? WHERE sku = ?", (item["quantity"], item["sku"]))
    db.execute("UPDATE orders SET status = 'cancelled' WHERE id = ?", (order_id,))
    return {"order_id": order_id, "status": "cancelled", "refund": order["total"]}
'''

TOOLS_V1_SPECS = (
    tool(
        "search_products",
        "Search the catalog; every filter is optional. Returns sku, name, brand, category, "
        "price, rating, stock and status.",
        {"category": STR, "query": {**STR, "description": "Name fragment."}, "max_price": NUM},
    ),
    tool("get_product", "One product by sku.", {"sku": STR}, ["sku"]),
    tool("find_customer", "Find a customer by full name.", {"name": STR}, ["name"]),
    tool(
        "list_orders",
        "A customer's orders (id, order_date, delivered_date, status, total) and today's date.",
        {"customer_id": INT},
        ["customer_id"],
    ),
    tool("get_order", "One order with its items and returns.", {"order_id": INT}, ["order_id"]),
    tool(
        "place_order",
        "Place an order of active, in-stock products for a customer (gold members pay 10% "
        "less); stock is decremented.",
        {
            "customer_id": INT,
            "items": {
                "type": "array",
                "minItems": 1,
                "items": obj({"sku": STR, "quantity": {"type": "integer", "minimum": 1}}),
            },
        },
        ["customer_id", "items"],
        mutates=True,
    ),
    tool(
        "request_return",
        "Return a quantity of one item of a delivered order, within 30 days of delivery; the "
        "item is refunded and restocked.",
        {"order_id": INT, "sku": STR, "quantity": {"type": "integer", "minimum": 1}, "reason": STR},
        ["order_id", "sku", "quantity", "reason"],
        mutates=True,
    ),
)
TOOLS_V2_SPECS = (
    tool(
        "cancel_order",
        "Cancel a 'processing' order; its items are restocked and the total refunded.",
        {"order_id": INT},
        ["order_id"],
        mutates=True,
    ),
)

L1_SOLVE = """
def solve(tools):
    cid = tools.find_customer(name={{NAME}})["id"]
    ids = []
    for o in tools.list_orders(customer_id=cid)["orders"]:
        items = tools.get_order(order_id=o["id"])["items"]
        if any(i["category"] == {{CATEGORY}} for i in items):
            ids.append(o["id"])
    return {"order_ids": sorted(ids)}
"""
L1_PERTURBED = """
def solve(tools):
    # lists every order of the customer
    cid = tools.find_customer(name={{NAME}})["id"]
    return {"order_ids": sorted(o["id"] for o in tools.list_orders(customer_id=cid)["orders"])}
"""
L1_VERIFY = """
def verify(answer, db):
    if not isinstance(answer, dict) or not _int_list(answer.get("order_ids")):
        return False, "answer must be an object with a list of integer 'order_ids'"
    want = [r[0] for r in db.execute(
        "SELECT DISTINCT o.id FROM orders o JOIN customers c ON c.id = o.customer_id"
        " JOIN order_items i ON i.order_id = o.id JOIN products p ON p.sku = i.sku"
        " WHERE c.name = ? AND p.category = ? ORDER BY o.id", ({{NAME}}, {{CATEGORY}}))]
    if answer["order_ids"] != want:
        return False, f"expected the ascending ids {want}"
    return True, "exact list of orders"
"""

# Stock must equal the initial stock adjusted by the episode's orders, returns and cancellations.
V_STOCK = """
INIT_STOCK = {{INIT_STOCK}}
MAX_ORDER = {{MAX_ORDER}}
MAX_RETURN = {{MAX_RETURN}}
OPEN_ORDERS = {{OPEN_ORDERS}}


def _stock_ok(db):
    delta = {}
    for r in db.execute("SELECT i.sku, i.quantity, o.id, o.status FROM order_items i"
                        " JOIN orders o ON o.id = i.order_id"):
        if r["id"] > MAX_ORDER and r["status"] != "cancelled":
            delta[r["sku"]] = delta.get(r["sku"], 0) - r["quantity"]
        if r["id"] in OPEN_ORDERS and r["status"] == "cancelled":
            delta[r["sku"]] = delta.get(r["sku"], 0) + r["quantity"]
    for r in db.execute("SELECT sku, quantity FROM returns WHERE id > ?", (MAX_RETURN,)):
        delta[r["sku"]] = delta.get(r["sku"], 0) + r["quantity"]
    for sku, stock in INIT_STOCK.items():
        now = db.execute("SELECT stock FROM products WHERE sku = ?", (sku,)).fetchone()[0]
        if now != stock + delta.get(sku, 0):
            return False
    return True


def _new_orders(db, name):
    return db.execute("SELECT o.* FROM orders o JOIN customers c ON c.id = o.customer_id"
                      " WHERE c.name = ? AND o.id > ? ORDER BY o.id", (name, MAX_ORDER)).fetchall()


def _items(db, order_id):
    return db.execute("SELECT i.*, p.category, p.rating, p.price, p.status AS pstatus"
                      " FROM order_items i JOIN products p ON p.sku = i.sku WHERE i.order_id = ?"
                      " ORDER BY i.sku", (order_id,)).fetchall()
"""

L2_SOLVE = """
def solve(tools):
    cid = tools.find_customer(name={{NAME}})["id"]
    ok = [p for p in tools.search_products(category={{CATEGORY}})
          if p["status"] == "active" and p["rating"] >= {{MIN_RATING}} and p["stock"] >= {{QTY}}]
    best = min(ok, key=lambda p: (p["price"], p["sku"]))
    order = tools.place_order(customer_id=cid, items=[{"sku": best["sku"], "quantity": {{QTY}}}])
    return {"order_id": order["id"]}
"""
L2_PERTURBED = L2_SOLVE.replace(' and p["rating"] >= {{MIN_RATING}}', "")
L2_VERIFY = (
    V_STOCK
    + """

def verify(answer, db):
    if not isinstance(answer, dict) or not _int(answer.get("order_id")):
        return False, "answer must be an object with an integer 'order_id'"
    new = _new_orders(db, {{NAME}})
    if len(new) != 1 or new[0]["id"] != answer["order_id"] or new[0]["status"] != "processing":
        return False, "expected exactly one new processing order for the customer, the answered one"
    items = _items(db, answer["order_id"])
    if len(items) != 1 or items[0]["quantity"] != {{QTY}}:
        return False, "the order must hold one product with quantity {{QTY}}"
    it = items[0]
    if it["category"] != {{CATEGORY}} or it["rating"] < {{MIN_RATING}}:
        return False, "the product is not a {{CATEGORY}} product rated at least {{MIN_RATING}}"
    ok = [r for r in db.execute("SELECT * FROM products WHERE category = ? AND status = 'active'"
                                " AND rating >= ?", ({{CATEGORY}}, {{MIN_RATING}}))
          if INIT_STOCK[r["sku"]] >= {{QTY}}]
    if it["price"] > min(r["price"] for r in ok):
        return False, "a cheaper qualifying product was in stock"
    if not _stock_ok(db):
        return False, "stock levels do not match the orders"
    return True, "cheapest qualifying product ordered"
"""
)

L3_SOLVE = """
import datetime


def solve(tools):
    cid = tools.find_customer(name={{NAME}})["id"]
    listing = tools.list_orders(customer_id=cid)
    today = datetime.date.fromisoformat(listing["today"])
    ids = []
    for o in sorted(listing["orders"], key=lambda o: o["id"]):
        if o["status"] != "delivered":
            continue
        if (today - datetime.date.fromisoformat(o["delivered_date"])).days > 30:
            continue
        order = tools.get_order(order_id=o["id"])
        for item in order["items"]:
            if item["category"] != {{CATEGORY}}:
                continue
            done = sum(r["quantity"] for r in order["returns"] if r["sku"] == item["sku"])
            if item["quantity"] > done:
                r = tools.request_return(order_id=o["id"], sku=item["sku"],
                                         quantity=item["quantity"] - done, reason="defective")
                ids.append(r["return_id"])
    return {"return_ids": ids}
"""
# returns every item of the eligible orders, not only the asked category
L3_PERTURBED = L3_SOLVE.replace('item["category"] != {{CATEGORY}}', "False")
L3_VERIFY = (
    V_STOCK
    + """
import datetime


def verify(answer, db):
    if not isinstance(answer, dict) or not _int_list(answer.get("return_ids")):
        return False, "answer must be an object with a list of integer 'return_ids'"
    new = db.execute("SELECT r.* FROM returns r JOIN orders o ON o.id = r.order_id"
                     " JOIN customers c ON c.id = o.customer_id WHERE c.name = ? AND r.id > ?",
                     ({{NAME}}, MAX_RETURN)).fetchall()
    if sorted(answer["return_ids"]) != sorted(r["id"] for r in new):
        return False, "return_ids must be exactly the customer's new returns"
    today = datetime.date.fromisoformat({{TODAY}})
    want = {}
    for r in db.execute(
            "SELECT i.order_id, i.sku, i.quantity, o.delivered_date FROM order_items i"
            " JOIN orders o ON o.id = i.order_id JOIN customers c ON c.id = o.customer_id"
            " JOIN products p ON p.sku = i.sku WHERE c.name = ? AND o.status = 'delivered'"
            " AND p.category = ?", ({{NAME}}, {{CATEGORY}})):
        if (today - datetime.date.fromisoformat(r["delivered_date"])).days <= 30:
            old = db.execute("SELECT COALESCE(SUM(quantity), 0) FROM returns WHERE order_id = ?"
                             " AND sku = ? AND id <= ?", (r["order_id"], r["sku"], MAX_RETURN)).fetchone()[0]
            if r["quantity"] > old:
                want[(r["order_id"], r["sku"])] = r["quantity"] - old
    got = {}
    for r in new:
        got[(r["order_id"], r["sku"])] = got.get((r["order_id"], r["sku"]), 0) + r["quantity"]
    if got != want:
        return False, f"expected returns of {sorted(want)} in full, got {sorted(got)}"
    if not _stock_ok(db):
        return False, "stock levels do not match the returns"
    return True, "every eligible item returned"
"""
)

L4_SOLVE = """
import itertools


def solve(tools):
    c = tools.find_customer(name={{NAME}})
    factor = 0.9 if c["tier"] == "gold" else 1.0
    pools = []
    for cat in {{CATEGORIES}}:
        pools.append([p for p in tools.search_products(category=cat)
                      if p["status"] == "active" and p["stock"] >= 1 and p["rating"] >= {{MIN_RATING}}])
    best = None
    for combo in itertools.product(*pools):
        total = sum(round(p["price"] * factor, 2) for p in combo)
        score = sum(p["rating"] for p in combo)
        if total <= {{BUDGET}} and (best is None or score > best[0]):
            best = (score, combo)
    items = [{"sku": p["sku"], "quantity": 1} for p in best[1]]
    return {"order_id": tools.place_order(customer_id=c["id"], items=items)["id"]}
"""
L4_PERTURBED = """
def solve(tools):
    # the best-rated product of each category, whatever the budget
    c = tools.find_customer(name={{NAME}})
    items = []
    for cat in {{CATEGORIES}}:
        ok = [p for p in tools.search_products(category=cat) if p["status"] == "active" and p["stock"] >= 1]
        items.append({"sku": max(ok, key=lambda p: (p["rating"], p["sku"]))["sku"], "quantity": 1})
    return {"order_id": tools.place_order(customer_id=c["id"], items=items)["id"]}
"""
L4_VERIFY = (
    V_STOCK
    + """

def verify(answer, db):
    if not isinstance(answer, dict) or not _int(answer.get("order_id")):
        return False, "answer must be an object with an integer 'order_id'"
    new = _new_orders(db, {{NAME}})
    if len(new) != 1 or new[0]["id"] != answer["order_id"] or new[0]["status"] != "processing":
        return False, "expected exactly one new processing order for the customer, the answered one"
    items = _items(db, answer["order_id"])
    if sorted(i["category"] for i in items) != sorted({{CATEGORIES}}):
        return False, "the order needs exactly one product of each asked category"
    if any(i["quantity"] != 1 or i["rating"] < {{MIN_RATING}} for i in items):
        return False, "one unit of each, every product rated at least {{MIN_RATING}}"
    if new[0]["total"] > {{BUDGET}} + 1e-9:
        return False, f"the order total {new[0]['total']} exceeds {{BUDGET}}"
    if not _stock_ok(db):
        return False, "stock levels do not match the orders"
    return True, "order within budget"
"""
)

L5_SOLVE = """
def solve(tools):
    cid = tools.find_customer(name={{NAME}})["id"]
    cancelled, lines = [], []
    for o in sorted(tools.list_orders(customer_id=cid)["orders"], key=lambda o: o["id"]):
        if o["status"] != "processing":
            continue
        items = tools.get_order(order_id=o["id"])["items"]
        products = {i["sku"]: tools.get_product(sku=i["sku"]) for i in items}
        if all(p["status"] == "active" for p in products.values()):
            continue
        tools.cancel_order(order_id=o["id"])
        cancelled.append(o["id"])
        for i in items:
            lines.append((products[i["sku"]], i["quantity"]))
    want = {}
    for p, qty in lines:
        sku = p["sku"]
        if p["status"] != "active":
            ok = [q for q in tools.search_products(category=p["category"])
                  if q["status"] == "active" and q["rating"] >= p["rating"]
                  and q["stock"] >= qty + want.get(q["sku"], 0)]
            sku = min(ok, key=lambda q: (q["price"], q["sku"]))["sku"]
        want[sku] = want.get(sku, 0) + qty
    items = [{"sku": s, "quantity": q} for s, q in sorted(want.items())]
    order = tools.place_order(customer_id=cid, items=items)
    return {"cancelled_order_ids": cancelled, "new_order_id": order["id"]}
"""
# replaces discontinued products with the cheapest of the category, whatever its rating
L5_PERTURBED = L5_SOLVE.replace(' and q["rating"] >= p["rating"]', "")
L5_VERIFY = (
    V_STOCK
    + """

def verify(answer, db):
    if not isinstance(answer, dict) or not _int_list(answer.get("cancelled_order_ids")) \\
            or not _int(answer.get("new_order_id")):
        return False, "answer needs 'cancelled_order_ids' (integers) and 'new_order_id'"
    if sorted(answer["cancelled_order_ids"]) != sorted({{AFFECTED}}):
        return False, "cancelled_order_ids must be the processing orders with discontinued products"
    for oid in OPEN_ORDERS:
        status = db.execute("SELECT status FROM orders WHERE id = ?", (oid,)).fetchone()[0]
        if (oid in {{AFFECTED}}) != (status == "cancelled"):
            return False, f"order {oid} is {status}"
    new = _new_orders(db, {{NAME}})
    if len(new) != 1 or new[0]["id"] != answer["new_order_id"] or new[0]["status"] != "processing":
        return False, "expected exactly one new processing order, the answered one"
    got = {i["sku"]: i for i in _items(db, answer["new_order_id"])}
    keep, swap = {}, []
    for oid in {{AFFECTED}}:
        for i in _items(db, oid):
            if i["pstatus"] == "active":
                keep[i["sku"]] = keep.get(i["sku"], 0) + i["quantity"]
            else:
                swap.append(i)
    for sku, qty in keep.items():
        if sku not in got or got[sku]["quantity"] < qty:
            return False, f"{sku} x{qty} from the cancelled orders must be re-ordered"
    extra = {s: i["quantity"] - keep.get(s, 0) for s, i in got.items() if i["quantity"] > keep.get(s, 0)}
    for old in swap:
        ok = [r for r in db.execute(
            "SELECT * FROM products WHERE category = ? AND status = 'active' AND rating >= ?",
            (old["category"], old["rating"])) if INIT_STOCK[r["sku"]] >= old["quantity"]]
        cheapest = min(r["price"] for r in ok)
        pick = [s for s, q in extra.items() if q >= old["quantity"] and s in [r["sku"] for r in ok]
                and db.execute("SELECT price FROM products WHERE sku = ?", (s,)).fetchone()[0] <= cheapest]
        if not pick:
            return False, f"no cheapest qualifying replacement for {old['sku']} x{old['quantity']}"
        extra[pick[0]] -= old["quantity"]
    if any(q for q in extra.values()):
        return False, "the new order holds products that were not asked for"
    if not _stock_ok(db):
        return False, "stock levels do not match the orders"
    return True, "orders cancelled and replaced"
"""
)
