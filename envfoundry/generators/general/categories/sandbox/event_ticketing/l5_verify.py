from ..helpers import _listed, _unexpected_change
from .l5_params import DATE, FRIEND, NAME
from .verify_lib import _customer, _seats_follow


def _plan(before, me):
    """The customer's active orders on DATE before the episode: (to refund, to transfer)."""
    rows = before.execute(
        "SELECT o.id, e.refundable FROM orders o JOIN events e ON e.id = o.event_id"
        " WHERE o.customer_id = ? AND o.status = 'active' AND e.date = ? ORDER BY o.id",
        (me, DATE),
    ).fetchall()
    return [r["id"] for r in rows if r["refundable"]], [
        r["id"] for r in rows if not r["refundable"]
    ]


def _done(db, refund, transfer, me, friend):
    for oid in refund:
        if db.execute("SELECT status FROM orders WHERE id = ?", (oid,)).fetchone()[0] != "refunded":
            return f"order {oid} must be refunded"
    for oid in transfer:
        row = db.execute("SELECT * FROM orders WHERE id = ?", (oid,)).fetchone()
        if row["status"] != "active" or row["customer_id"] != friend:
            return f"order {oid} must be transferred to {FRIEND!r}"
        if row["transferred_from"] != me:
            return f"order {oid} must be transferred from {NAME!r}"
    return ""


def verify(answer, db, before, changes):
    me, friend = _customer(before, NAME), _customer(before, FRIEND)
    refund, transfer = _plan(before, me)
    # both lists in any order, each id once
    problem = _listed(answer, refunded_order_ids=refund, transferred_order_ids=transfer)
    problem = problem or _unexpected_change(
        changes,
        ("update", "orders", {"id": set(refund)}, ("status",)),
        ("update", "orders", {"id": set(transfer)}, ("customer_id", "transferred_from")),
        ("update", "sections", {}, ("seats_left",)),
    )
    problem = problem or _done(db, refund, transfer, me, friend) or _seats_follow(before, db)
    return (False, problem) if problem else (True, "orders refunded or transferred")
