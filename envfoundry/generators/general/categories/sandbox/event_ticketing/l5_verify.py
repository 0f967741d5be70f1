from ..helpers import _malformed
from .l5_params import DATE, FRIEND, KEEP, NAME, REFUND, TRANSFER
from .verify_lib import MAX_ORDER, _with_seats


def _customer(db, name):
    return db.execute("SELECT id FROM customers WHERE name = ?", (name,)).fetchone()[0]


def _order(db, oid):
    return db.execute("SELECT * FROM orders WHERE id = ?", (oid,)).fetchone()


def _problem(db):
    friend, me = _customer(db, FRIEND), _customer(db, NAME)
    for oid in REFUND:
        if _order(db, oid)["status"] != "refunded":
            return f"order {oid} must be refunded"
    for oid in TRANSFER:
        row = _order(db, oid)
        if row["status"] != "active" or row["customer_id"] != friend:
            return f"order {oid} must be transferred to {FRIEND!r}"
    for oid in KEEP:
        row = _order(db, oid)
        if row["status"] != "active" or row["customer_id"] != me:
            return f"order {oid} is not on {DATE!r} and must stay untouched"
    if db.execute("SELECT COUNT(*) FROM orders WHERE id > ?", (MAX_ORDER,)).fetchone()[0]:
        return "no new orders were asked for"
    return ""


def verify(answer, db):
    if _malformed(answer, refunded_order_ids="ints", transferred_order_ids="ints"):
        return False, "answer needs integer lists 'refunded_order_ids' and 'transferred_order_ids'"
    if sorted(answer["refunded_order_ids"]) != sorted(REFUND):
        return False, f"refunded_order_ids must be the refundable orders on {DATE!r}"
    if sorted(answer["transferred_order_ids"]) != sorted(TRANSFER):
        return False, f"transferred_order_ids must be the non-refundable orders on {DATE!r}"
    problem = _problem(db)
    if problem:
        return False, problem
    return _with_seats(db, "orders refunded or transferred")
