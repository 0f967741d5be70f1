from ..helpers import _count_changes
from .l5_params import AFFECTED, NAME
from .verify_lib import _customer_id, _items, _new_order, _placed, _same_ids, _writes


def _split(before):
    """The cancelled orders' lines: quantities of active skus to keep, and lines to swap."""
    keep: dict[str, int] = {}
    swap = []
    for oid in AFFECTED:
        for i in _items(before, before, oid):
            if i["pstatus"] == "active":
                keep[i["sku"]] = keep.get(i["sku"], 0) + i["quantity"]
            else:
                swap.append(i)
    return keep, swap


def _replacements(before, got, keep, swap):
    """Why the new order's lines are not the kept lines plus cheapest replacements (judged
    on the initial catalog and stock), or ""."""
    for sku, qty in keep.items():
        if sku not in got or got[sku]["quantity"] < qty:
            return f"{sku} x{qty} from the cancelled orders must be re-ordered"
    extra = {
        s: i["quantity"] - keep.get(s, 0) for s, i in got.items() if i["quantity"] > keep.get(s, 0)
    }
    for old in swap:
        rows = before.execute(
            "SELECT * FROM products WHERE category = ? AND status = 'active' AND rating >= ?"
            " AND stock >= ?",
            (old["category"], old["rating"], old["quantity"]),
        ).fetchall()
        price = {r["sku"]: r["price"] for r in rows}
        cheapest = min(price.values())
        pick = [s for s, q in extra.items() if q >= old["quantity"] and price.get(s) == cheapest]
        if not pick:
            return f"no cheapest qualifying replacement for {old['sku']} x{old['quantity']}"
        extra[pick[0]] -= old["quantity"]
    if any(q for q in extra.values()):
        return "the new order holds products that were not asked for"
    return ""


def verify(answer, db, before, changes):
    cancel = ("update", "orders", {"id": set(AFFECTED)}, ("status",))
    problem = _writes(changes, before, cancel, *_placed(_customer_id(before, NAME)))
    problem = problem or _same_ids(answer, "cancelled_order_ids", AFFECTED)
    if problem:
        return False, problem
    marks = ",".join("?" * len(AFFECTED))
    rows = db.execute(f"SELECT status FROM orders WHERE id IN ({marks})", AFFECTED).fetchall()
    if any(r["status"] != "cancelled" for r in rows):
        return False, "not every affected processing order was cancelled"
    if _count_changes(changes, "insert", "orders") != 1:
        return False, "exactly one new order for the customer is expected"
    o = _new_order(db, before, answer, "new_order_id")
    if o is None:
        return False, "expected exactly one new processing order, the answered one"
    got = {i["sku"]: i for i in _items(db, before, o["id"])}
    problem = _replacements(before, got, *_split(before))
    return (False, problem) if problem else (True, "orders cancelled and replaced")
