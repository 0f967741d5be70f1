"""Verifier helpers: seat counters of the task's events match the orders."""

from ..helpers import _verdict

INIT: dict[int, dict[str, list[int]]] = {}
MAX_ORDER: int = 0


def _seats_ok(db):
    for eid, sections in INIT.items():
        for name, (left, held) in sections.items():
            now = db.execute(
                "SELECT seats_left FROM sections WHERE event_id = ? AND name = ?", (eid, name)
            ).fetchone()[0]
            active = db.execute(
                "SELECT COALESCE(SUM(quantity), 0) FROM orders WHERE event_id = ?"
                " AND section = ? AND status = 'active'",
                (eid, name),
            ).fetchone()[0]
            if now != left - (active - held):
                return False
    return True


def _new(db, name):
    return db.execute(
        "SELECT o.*, e.date, e.category, e.venue_id, e.time FROM orders o"
        " JOIN events e ON e.id = o.event_id JOIN customers c ON c.id = o.customer_id"
        " WHERE c.name = ? AND o.id > ? AND o.status = 'active' ORDER BY o.id",
        (name, MAX_ORDER),
    ).fetchall()


def _sections(db, eid, qty, cap=None):
    return [
        r
        for r in db.execute("SELECT * FROM sections WHERE event_id = ?", (eid,))
        if INIT[eid][r["name"]][0] >= qty and (cap is None or r["price"] <= cap)
    ]


def _with_seats(db, reason):
    """The verdict once a task's own checks passed: the seat counters must match too."""
    return _verdict("" if _seats_ok(db) else "seat counts do not match the orders", reason)
