from ..helpers import _listed
from .l5_params import AFFECTED, NAME
from .verify_lib import INIT_STOCK, OPEN_ORDERS, _items, _new_order, _with_stock


def _cancellations(db):
    for oid in OPEN_ORDERS:
        status = db.execute("SELECT status FROM orders WHERE id = ?", (oid,)).fetchone()[0]
        if (oid in AFFECTED) != (status == "cancelled"):
            return f"order {oid} is {status}"
    return ""


def _split(db):
    """The cancelled orders' lines: quantities of active skus to keep, and lines to swap."""
    keep: dict[str, int] = {}
    swap = []
    for oid in AFFECTED:
        for i in _items(db, oid):
            if i["pstatus"] == "active":
                keep[i["sku"]] = keep.get(i["sku"], 0) + i["quantity"]
            else:
                swap.append(i)
    return keep, swap


def _price(db, sku):
    return db.execute("SELECT price FROM products WHERE sku = ?", (sku,)).fetchone()[0]


def _replacements(db, got, keep, swap):
    """Why the new order's lines are not the kept lines plus cheapest replacements, or ""."""
    for sku, qty in keep.items():
        if sku not in got or got[sku]["quantity"] < qty:
            return f"{sku} x{qty} from the cancelled orders must be re-ordered"
    extra = {
        s: i["quantity"] - keep.get(s, 0) for s, i in got.items() if i["quantity"] > keep.get(s, 0)
    }
    for old in swap:
        rows = db.execute(
            "SELECT * FROM products WHERE category = ? AND status = 'active' AND rating >= ?",
            (old["category"], old["rating"]),
        )
        ok = [r["sku"] for r in rows if INIT_STOCK[r["sku"]] >= old["quantity"]]
        cheapest = min(_price(db, s) for s in ok)
        pick = [
            s
            for s, q in extra.items()
            if q >= old["quantity"] and s in ok and _price(db, s) <= cheapest
        ]
        if not pick:
            return f"no cheapest qualifying replacement for {old['sku']} x{old['quantity']}"
        extra[pick[0]] -= old["quantity"]
    if any(q for q in extra.values()):
        return "the new order holds products that were not asked for"
    return ""


def verify(answer, db):
    problem = _listed(answer, cancelled_order_ids=AFFECTED) or _cancellations(db)
    if problem:
        return False, problem
    o = _new_order(db, NAME, answer, "new_order_id")
    if o is None:
        return False, "expected exactly one new processing order, the answered one"
    got = {i["sku"]: i for i in _items(db, o["id"])}
    problem = _replacements(db, got, *_split(db))
    return (False, problem) if problem else _with_stock(db, "orders cancelled and replaced")
