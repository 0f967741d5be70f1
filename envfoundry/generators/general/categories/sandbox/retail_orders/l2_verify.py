from .l2_params import CATEGORY, MIN_RATING, NAME, QTY
from .verify_lib import INIT_STOCK, _items, _new_order, _with_stock


def verify(answer, db):
    o = _new_order(db, NAME, answer, "order_id")
    if o is None:
        return False, "expected exactly one new processing order for the customer, the answered one"
    items = _items(db, o["id"])
    if len(items) != 1 or items[0]["quantity"] != QTY:
        return False, f"the order must hold one product with quantity {QTY}"
    it = items[0]
    if it["category"] != CATEGORY or it["rating"] < MIN_RATING:
        return False, f"the product is not a {CATEGORY!r} product rated at least {MIN_RATING}"
    rows = db.execute(
        "SELECT * FROM products WHERE category = ? AND status = 'active' AND rating >= ?",
        (CATEGORY, MIN_RATING),
    )
    ok = [r for r in rows if INIT_STOCK[r["sku"]] >= QTY]
    if it["price"] > min(r["price"] for r in ok):
        return False, "a cheaper qualifying product was in stock"
    return _with_stock(db, "cheapest qualifying product ordered")
