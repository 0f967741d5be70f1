"""Online shop tools: catalog, customers, orders and returns (gold members get 10% off)."""

import datetime

from ..helpers import (
    _by_id,
    _by_id_with,
    _canon,
    _dicts,
    _insert,
    _int_arg,
    _named,
    _rows_of,
    _text_arg,
    _today,
)

RETURN_DAYS = 30
GOLD_DISCOUNT = 0.10
_ORDERS = "SELECT * FROM orders WHERE customer_id = ? ORDER BY order_date DESC, id DESC"


def _product(db, sku):
    row = db.execute("SELECT * FROM products WHERE sku = ?", (sku,)).fetchone()
    if row is None:
        raise ValueError(f"no product with sku {sku!r}")
    return row


def search_products(db, category=None, query=None, max_price=None):
    """Catalog search by category, a case-insensitive name fragment and a maximum price."""
    sql = "SELECT * FROM products WHERE 1 = 1"
    args: list[str | float] = []
    if category is not None:
        sql, args = sql + " AND category = ?", [*args, _canon(db, "products", "category", category)]
    if query is not None:
        sql, args = sql + " AND lower(name) LIKE ?", [*args, "%" + str(query).lower() + "%"]
    if max_price is not None:
        if not isinstance(max_price, int | float) or isinstance(max_price, bool):
            raise ValueError("max_price must be a number")
        sql, args = sql + " AND price <= ?", [*args, max_price]
    return _dicts(db, sql + " ORDER BY sku", args)


def get_product(db, sku):
    """One product: price, rating, stock and status ('active' or 'discontinued')."""
    return dict(_product(db, sku))


def find_customer(db, name):
    """A customer by full name: id, email, city and tier ('standard' or 'gold')."""
    return _named(db, "customers", name, "customer")


def list_orders(db, customer_id):
    """A customer's orders (without items), newest first, and today's date."""
    orders = _rows_of(db, _ORDERS, "customers", customer_id, "customer_id")
    return {"today": _today(db), "orders": orders}


def get_order(db, order_id):
    """One order with its items (sku, name, category, quantity, unit_price) and returns."""
    items = (
        "SELECT i.sku, p.name, p.category, i.quantity, i.unit_price FROM order_items i"
        " JOIN products p ON p.sku = i.sku WHERE i.order_id = ? ORDER BY i.sku"
    )
    returns = "SELECT * FROM returns WHERE order_id = ? ORDER BY id"
    return _by_id_with(db, "orders", order_id, "order_id", items=items, returns=returns)


def _line(db, cust, item, skus):
    """One order line (sku, quantity, unit price) of an item {sku, quantity}."""
    if not isinstance(item, dict) or set(item) != {"sku", "quantity"}:
        raise ValueError("each item needs exactly 'sku' and 'quantity'")
    p = _product(db, item["sku"])
    qty = _int_arg(item["quantity"], "quantity")
    if qty < 1 or p["sku"] in skus:
        raise ValueError("quantities must be positive and skus distinct")
    if p["status"] != "active":
        raise ValueError(f"{p['sku']} is discontinued")
    if p["stock"] < qty:
        raise ValueError(f"only {p['stock']} of {p['sku']} in stock")
    skus.add(p["sku"])
    factor = 1 - GOLD_DISCOUNT if cust["tier"] == "gold" else 1
    return p["sku"], qty, round(p["price"] * factor, 2)


def place_order(db, customer_id, items):
    """Order active, in-stock products: items is a list of {sku, quantity}. Stock is reserved
    at once; gold customers pay 10% less. The order starts as 'processing'."""
    cust = _by_id(db, "customers", customer_id, "customer_id")
    if not isinstance(items, list) or not items:
        raise ValueError("items must be a non-empty list of {sku, quantity}")
    skus: set[str] = set()
    lines = [_line(db, cust, item, skus) for item in items]
    total = round(sum(q * u for _, q, u in lines), 2)
    order = _insert(
        db,
        "orders",
        customer_id=customer_id,
        order_date=_today(db),
        delivered_date=None,
        status="processing",
        total=total,
    )
    for sku, qty, unit in lines:
        db.execute("INSERT INTO order_items VALUES (?, ?, ?, ?)", (order, sku, qty, unit))
        db.execute("UPDATE products SET stock = stock - ? WHERE sku = ?", (qty, sku))
    return get_order(db, order)


def request_return(db, order_id, sku, quantity, reason):
    """Return items of a delivered order within 30 days of delivery; refunds the unit price
    paid and puts the items back in stock."""
    order = _by_id(db, "orders", order_id, "order_id")
    if order["status"] != "delivered":
        raise ValueError(f"order {order_id} is {order['status']}, only delivered orders return")
    age = (
        datetime.date.fromisoformat(_today(db))
        - datetime.date.fromisoformat(order["delivered_date"])
    ).days
    if age > RETURN_DAYS:
        raise ValueError(f"order {order_id} was delivered {age} days ago (limit {RETURN_DAYS})")
    item = db.execute(
        "SELECT * FROM order_items WHERE order_id = ? AND sku = ?", (order_id, sku)
    ).fetchone()
    if item is None:
        raise ValueError(f"order {order_id} has no item {sku!r}")
    done = db.execute(
        "SELECT COALESCE(SUM(quantity), 0) FROM returns WHERE order_id = ? AND sku = ?",
        (order_id, sku),
    ).fetchone()[0]
    qty = _int_arg(quantity, "quantity")
    if qty < 1 or qty > item["quantity"] - done:
        raise ValueError(f"can return between 1 and {item['quantity'] - done} of {sku}")
    _text_arg(reason, "reason")
    refund = round(qty * item["unit_price"], 2)
    ret = _insert(
        db, "returns", order_id=order_id, sku=sku, quantity=qty, reason=reason, refund=refund
    )
    db.execute("UPDATE products SET stock = stock + ? WHERE sku = ?", (qty, sku))
    return {"return_id": ret, "refund": refund}
