from ..helpers import _count_changes
from .l1_params import CATEGORY, MIN_RATING, NAME, QTY
from .verify_lib import _customer_id, _items, _new_order, _placed, _writes


def verify(answer, db, before, changes):
    problem = _writes(changes, before, *_placed(_customer_id(before, NAME)))
    if problem:
        return False, problem
    if _count_changes(changes, "insert", "orders") != 1:
        return False, "exactly one new order for the customer is expected"
    o = _new_order(db, before, answer, "order_id")
    if o is None:
        return False, "expected exactly one new processing order for the customer, the answered one"
    items = _items(db, before, o["id"])
    if len(items) != 1 or items[0]["quantity"] != QTY:
        return False, f"the order must hold one product with quantity {QTY}"
    it = items[0]
    if it["category"] != CATEGORY or it["rating"] < MIN_RATING:
        return False, f"the product is not a {CATEGORY!r} product rated at least {MIN_RATING}"
    rows = before.execute(
        "SELECT * FROM products WHERE category = ? AND status = 'active' AND rating >= ?"
        " AND stock >= ?",
        (CATEGORY, MIN_RATING, QTY),
    )
    if it["price"] > min(r["price"] for r in rows):
        return False, "a cheaper qualifying product was in stock"
    return True, "cheapest qualifying product ordered"
