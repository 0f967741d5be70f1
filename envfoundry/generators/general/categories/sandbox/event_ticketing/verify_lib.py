"""Verifier helpers: the customer's new orders, sections as they were before the episode,
and the episode's changes (only the task's orders and the seats they move)."""

from ..helpers import _unexpected_change


def _customer(db, name):
    return db.execute("SELECT id FROM customers WHERE name = ?", (name,)).fetchone()[0]


def _new(db, before, name):
    """The customer's active orders made during the episode, with their events."""
    last = before.execute("SELECT COALESCE(MAX(id), 0) FROM orders").fetchone()[0]
    return db.execute(
        "SELECT o.*, e.date, e.category, e.venue_id, e.time FROM orders o"
        " JOIN events e ON e.id = o.event_id JOIN customers c ON c.id = o.customer_id"
        " WHERE c.name = ? AND o.id > ? AND o.status = 'active' ORDER BY o.id",
        (name, last),
    ).fetchall()


def _sections(before, eid, qty, cap=None):
    """The event's sections that had ``qty`` seats left (priced at most ``cap``) before."""
    return [
        r
        for r in before.execute("SELECT * FROM sections WHERE event_id = ?", (eid,))
        if r["seats_left"] >= qty and (cap is None or r["price"] <= cap)
    ]


def _held(db):
    sql = (
        "SELECT event_id, section, SUM(quantity) FROM orders WHERE status = 'active'"
        " GROUP BY event_id, section"
    )
    return {(r[0], r[1]): r[2] for r in db.execute(sql)}


def _seats_follow(before, db):
    """Why a section's seats_left did not move by the tickets its orders took or gave
    back, or ``""``."""
    held0, held1 = _held(before), _held(db)
    for r in before.execute("SELECT event_id, name, seats_left, price FROM sections"):
        key = (r["event_id"], r["name"])
        now = db.execute(
            "SELECT seats_left FROM sections WHERE event_id = ? AND name = ?", key
        ).fetchone()[0]
        if r["seats_left"] - now != held1.get(key, 0) - held0.get(key, 0):
            return f"seat counts of event {key[0]} {key[1]} do not match the orders"
    return ""


def _purchases_only(before, db, changes, name):
    """Why the episode changed more than the customer's new orders (at the section price)
    and the seats they took, or ``""``."""
    cid = _customer(before, name)
    problem = _unexpected_change(
        changes,
        ("insert", "orders", {"customer_id": cid, "status": "active", "transferred_from": None}),
        ("update", "sections", {}, ("seats_left",)),
    )
    if problem:
        return problem
    for o in _new(db, before, name):
        price = db.execute(
            "SELECT price FROM sections WHERE event_id = ? AND name = ?",
            (o["event_id"], o["section"]),
        ).fetchone()[0]
        if o["total"] != o["quantity"] * price:
            return f"order {o['id']} is not charged at the section price"
    return _seats_follow(before, db)
