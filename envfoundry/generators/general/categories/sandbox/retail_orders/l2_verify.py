import itertools

from ..helpers import _count_changes
from .l2_params import BUDGET, CATEGORIES, MIN_RATING, NAME
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
    if sorted(i["category"] for i in items) != sorted(CATEGORIES):
        return False, "the order needs exactly one product of each asked category"
    if any(i["quantity"] != 1 or i["rating"] < MIN_RATING for i in items):
        return False, f"one unit of each, every product rated at least {MIN_RATING}"
    if o["total"] > BUDGET + 1e-9:
        return False, f"the order total {o['total']} exceeds {BUDGET}"
    if sum(i["rating"] for i in items) < _best_rating(before) - 1e-9:
        return False, "another order within the budget has a higher total rating"
    return True, "the best-rated order within budget"


def _best_rating(before):
    """The highest rating sum of one qualifying product per category within the budget,
    judged on the initial catalog and the customer's tier."""
    gold = before.execute("SELECT tier FROM customers WHERE name = ?", (NAME,)).fetchone()[0]
    factor = 0.9 if gold == "gold" else 1.0
    pools = [
        before.execute(
            "SELECT price, rating FROM products WHERE category = ? AND status = 'active'"
            " AND stock >= 1 AND rating >= ?",
            (cat, MIN_RATING),
        ).fetchall()
        for cat in CATEGORIES
    ]
    return max(
        sum(r["rating"] for r in combo)
        for combo in itertools.product(*pools)
        if sum(round(r["price"] * factor, 2) for r in combo) <= BUDGET + 1e-9
    )
