from ..helpers import _listed
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
    problem = _listed(answer, refunded_order_ids=REFUND, transferred_order_ids=TRANSFER)
    problem = problem or _problem(db)
    return (False, problem) if problem else _with_seats(db, "orders refunded or transferred")
