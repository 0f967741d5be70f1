
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
