from ..helpers import _listed, _unexpected_change
from .l4_params import DATE, FRIEND, FRIEND2, NAME
from .verify_lib import _customer, _seats_follow


def _plan(before, me, friend, other):
    """The customer's active orders on DATE before the episode: the ids to refund, and the
    ids to transfer with the customer each goes to (FRIEND2 when FRIEND already held an
    active order for the event)."""
    rows = before.execute(
        "SELECT o.id, o.event_id, e.refundable FROM orders o JOIN events e ON e.id = o.event_id"
        " WHERE o.customer_id = ? AND o.status = 'active' AND e.date = ? ORDER BY o.id",
        (me, DATE),
    ).fetchall()
    theirs = {
        r[0]
        for r in before.execute(
            "SELECT event_id FROM orders WHERE customer_id = ? AND status = 'active'", (friend,)
        )
    }
    refund = [r["id"] for r in rows if r["refundable"]]
    transfer = {
        r["id"]: other if r["event_id"] in theirs else friend for r in rows if not r["refundable"]
    }
    return refund, transfer


def _done(db, refund, transfer, me):
    for oid in refund:
        if db.execute("SELECT status FROM orders WHERE id = ?", (oid,)).fetchone()[0] != "refunded":
            return f"order {oid} must be refunded"
    for oid, to in transfer.items():
        row = db.execute("SELECT * FROM orders WHERE id = ?", (oid,)).fetchone()
        if row["status"] != "active" or row["customer_id"] != to:
            who = FRIEND2 if to != _customer(db, FRIEND) else FRIEND
            return f"order {oid} must be transferred to {who!r}"
        if row["transferred_from"] != me:
            return f"order {oid} must be transferred from {NAME!r}"
    return ""


def verify(answer, db, before, changes):
    me, friend = _customer(before, NAME), _customer(before, FRIEND)
    refund, transfer = _plan(before, me, friend, _customer(before, FRIEND2))
    # both lists in any order, each id once
    problem = _listed(answer, refunded_order_ids=refund, transferred_order_ids=list(transfer))
    problem = problem or _unexpected_change(
        changes,
        ("update", "orders", {"id": set(refund)}, ("status",)),
        ("update", "orders", {"id": set(transfer)}, ("customer_id", "transferred_from")),
        ("update", "sections", {}, ("seats_left",)),
    )
    problem = problem or _done(db, refund, transfer, me) or _seats_follow(before, db)
    return (False, problem) if problem else (True, "orders refunded or transferred")
