from ..helpers import _count_changes
from .l4_params import BUDGET, CATEGORIES, MIN_RATING, NAME
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
    return True, "order within budget"
