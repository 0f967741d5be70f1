from .l4_params import BUDGET, CATEGORIES, MIN_RATING, NAME
from .verify_lib import _items, _new_order, _with_stock


def verify(answer, db):
    o = _new_order(db, NAME, answer, "order_id")
    if o is None:
        return False, "expected exactly one new processing order for the customer, the answered one"
    items = _items(db, o["id"])
    if sorted(i["category"] for i in items) != sorted(CATEGORIES):
        return False, "the order needs exactly one product of each asked category"
    if any(i["quantity"] != 1 or i["rating"] < MIN_RATING for i in items):
        return False, f"one unit of each, every product rated at least {MIN_RATING}"
    if o["total"] > BUDGET + 1e-9:
        return False, f"the order total {o['total']} exceeds {BUDGET}"
    return _with_stock(db, "order within budget")
