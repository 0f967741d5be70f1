from ..helpers import _malformed
from .l1_params import CATEGORY, NAME


def verify(answer, db):
    if _malformed(answer, order_ids="ints"):
        return False, "answer must be an object with a list of integer 'order_ids'"
    rows = db.execute(
        "SELECT DISTINCT o.id FROM orders o JOIN customers c ON c.id = o.customer_id"
        " JOIN order_items i ON i.order_id = o.id JOIN products p ON p.sku = i.sku"
        " WHERE c.name = ? AND p.category = ? ORDER BY o.id",
        (NAME, CATEGORY),
    )
    want = [r[0] for r in rows]
    if answer["order_ids"] != want:
        return False, f"expected the ascending ids {want}"
    return True, "exact list of orders"
