"""Verifier helpers: stock equals the initial stock adjusted by the episode's orders,
returns and cancellations."""

from ..helpers import _dicts, _the_one, _verdict

INIT_STOCK: dict[str, int] = {}
MAX_ORDER: int = 0
MAX_RETURN: int = 0
OPEN_ORDERS: list[int] = []


def _stock_ok(db):
    delta: dict[str, int] = {}
    for r in db.execute(
        "SELECT i.sku, i.quantity, o.id, o.status FROM order_items i"
        " JOIN orders o ON o.id = i.order_id"
    ):
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


def _with_stock(db, reason):
    """The verdict once a task's own checks passed: stock levels must add up too."""
    return _verdict("" if _stock_ok(db) else "stock levels do not match the orders", reason)


def _new_orders(db, name):
    """The customer's orders placed during the episode."""
    sql = "SELECT o.* FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.name = ?"
    return _dicts(db, sql + " AND o.id > ? ORDER BY o.id", (name, MAX_ORDER))


def _new_order(db, name, answer, key):
    """The customer's one new order, still processing, when the answer names it."""
    o = _the_one(_new_orders(db, name), answer, key)
    return o if o is not None and o["status"] == "processing" else None


def _items(db, order_id):
    return db.execute(
        "SELECT i.*, p.category, p.rating, p.price, p.status AS pstatus"
        " FROM order_items i JOIN products p ON p.sku = i.sku WHERE i.order_id = ?"
        " ORDER BY i.sku",
        (order_id,),
    ).fetchall()
