import datetime

from ..helpers import _count_changes, _verdict
from .l4_params import CATEGORY, NAME, TODAY
from .verify_lib import _customer_id, _items, _new_order, _new_rows, _placed, _same_ids, _writes


def _wanted(before):
    """(order, sku) -> quantity still returnable of the category, delivered in 30 days."""
    today = datetime.date.fromisoformat(TODAY)
    want = {}
    for r in before.execute(
        "SELECT i.order_id, i.sku, i.quantity, o.delivered_date FROM order_items i"
        " JOIN orders o ON o.id = i.order_id JOIN customers c ON c.id = o.customer_id"
        " JOIN products p ON p.sku = i.sku WHERE c.name = ? AND o.status = 'delivered'"
        " AND p.category = ?",
        (NAME, CATEGORY),
    ):
        if (today - datetime.date.fromisoformat(r["delivered_date"])).days <= 30:
            old = before.execute(
                "SELECT COALESCE(SUM(quantity), 0) FROM returns WHERE order_id = ? AND sku = ?",
                (r["order_id"], r["sku"]),
            ).fetchone()[0]
            if r["quantity"] > old:
                want[(r["order_id"], r["sku"])] = r["quantity"] - old
    return want


def verify(answer, db, before, changes):
    cid = _customer_id(before, NAME)
    theirs = {
        r["id"] for r in before.execute("SELECT id FROM orders WHERE customer_id = ?", (cid,))
    }
    returns = ("insert", "returns", {"order_id": theirs, "reason": "defective"})
    problem = _writes(changes, before, returns, *_placed(cid))
    if problem:
        return False, problem
    got: dict[tuple[int, str], int] = {}
    for c in changes:
        if c["table"] != "returns":
            continue
        key = (c["row"]["order_id"], c["row"]["sku"])
        got[key] = got.get(key, 0) + c["row"]["quantity"]
    if got != _wanted(before):
        return False, "not every eligible item was returned in full, or other items were"
    new = _new_rows(db, before, "returns")
    problem = _same_ids(answer, "return_ids", [r["id"] for r in new])
    if problem:
        return False, problem
    if _count_changes(changes, "insert", "orders") != 1:
        return False, "exactly one new order for the customer is expected"
    o = _new_order(db, before, answer, "new_order_id")
    if o is None:
        return False, "expected exactly one new processing order for the customer, the answered one"
    want: dict[str, int] = {}
    for (_, sku), qty in got.items():
        status = before.execute("SELECT status FROM products WHERE sku = ?", (sku,)).fetchone()[0]
        if status == "active":
            want[sku] = want.get(sku, 0) + qty
    lines = {i["sku"]: i["quantity"] for i in _items(db, before, o["id"])}
    problem = "" if lines == want else "the new order is not the returned active products"
    return _verdict(problem, "every eligible item returned and the active ones re-ordered")
