from ..helpers import _lowest, _unexpected_change
from .l2_params import CATEGORY, CITY, DATES, QTY


def verify(answer, db, before, changes):
    # a question: nothing may change, and the sections are judged as they were
    problem = _unexpected_change(changes)
    if problem:
        return False, problem
    rows = before.execute(
        "SELECT s.*, e.id AS eid FROM sections s JOIN events e ON e.id = s.event_id"
        " JOIN venues v ON v.id = e.venue_id WHERE v.city = ? AND e.category = ?"
        " AND e.date BETWEEN ? AND ? AND s.seats_left >= ?",
        (CITY, CATEGORY, *DATES, QTY),
    ).fetchall()
    return _lowest(rows, "price", "section", answer, event_id="eid", section="name")
