import datetime

from ..helpers import _malformed
from .l3_params import CATEGORY, NAME, TODAY
from .verify_lib import MAX_RETURN, _with_stock


def _wanted(db):
    """(order, sku) -> quantity still returnable of the category, delivered in 30 days."""
    today = datetime.date.fromisoformat(TODAY)
    want = {}
    for r in db.execute(
        "SELECT i.order_id, i.sku, i.quantity, o.delivered_date FROM order_items i"
        " JOIN orders o ON o.id = i.order_id JOIN customers c ON c.id = o.customer_id"
        " JOIN products p ON p.sku = i.sku WHERE c.name = ? AND o.status = 'delivered'"
        " AND p.category = ?",
        (NAME, CATEGORY),
    ):
        if (today - datetime.date.fromisoformat(r["delivered_date"])).days <= 30:
            old = db.execute(
                "SELECT COALESCE(SUM(quantity), 0) FROM returns WHERE order_id = ?"
                " AND sku = ? AND id <= ?",
                (r["order_id"], r["sku"], MAX_RETURN),
            ).fetchone()[0]
            if r["quantity"] > old:
                want[(r["order_id"], r["sku"])] = r["quantity"] - old
    return want


def verify(answer, db):
    if _malformed(answer, return_ids="ints"):
        return False, "answer must be an object with a list of integer 'return_ids'"
    new = db.execute(
        "SELECT r.* FROM returns r JOIN orders o ON o.id = r.order_id"
        " JOIN customers c ON c.id = o.customer_id WHERE c.name = ? AND r.id > ?",
        (NAME, MAX_RETURN),
    ).fetchall()
    if sorted(answer["return_ids"]) != sorted(r["id"] for r in new):
        return False, "return_ids must be exactly the customer's new returns"
    got: dict[tuple[int, str], int] = {}
    for r in new:
        got[(r["order_id"], r["sku"])] = got.get((r["order_id"], r["sku"]), 0) + r["quantity"]
    want = _wanted(db)
    if got != want:
        return False, f"expected returns of {sorted(want)} in full, got {sorted(got)}"
    return _with_stock(db, "every eligible item returned")
