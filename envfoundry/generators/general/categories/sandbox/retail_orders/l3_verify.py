from ..helpers import _unexpected_change, _verdict
from .l3_params import CATEGORY, NAME
from .verify_lib import _same_ids


def verify(answer, db, before, changes):
    problem = _unexpected_change(changes)  # a read-only task: nothing may change
    if problem:
        return False, problem
    rows = before.execute(
        "SELECT DISTINCT o.id FROM orders o JOIN customers c ON c.id = o.customer_id"
        " JOIN order_items i ON i.order_id = o.id JOIN products p ON p.sku = i.sku"
        " WHERE c.name = ? AND p.category = ?",
        (NAME, CATEGORY),
    )
    problem = _same_ids(answer, "order_ids", [r[0] for r in rows])
    return _verdict(problem, "exact set of orders")
