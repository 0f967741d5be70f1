from ..helpers import _exact
from .l1_params import CATEGORY, NAME


def verify(answer, db):
    rows = db.execute(
        "SELECT DISTINCT o.id FROM orders o JOIN customers c ON c.id = o.customer_id"
        " JOIN order_items i ON i.order_id = o.id JOIN products p ON p.sku = i.sku"
        " WHERE c.name = ? AND p.category = ? ORDER BY o.id",
        (NAME, CATEGORY),
    )
    return _exact(answer, "order_ids", [r[0] for r in rows], "exact list of orders", "ints")
