from ..helpers import _malformed
from .l1_params import CATEGORY, CITY, D1, D2, QTY


def verify(answer, db):
    if _malformed(answer, event_id="int", section="str"):
        return False, "answer must be an object with 'event_id' and 'section'"
    rows = db.execute(
        "SELECT s.*, e.id AS eid FROM sections s JOIN events e ON e.id = s.event_id"
        " JOIN venues v ON v.id = e.venue_id WHERE v.city = ? AND e.category = ?"
        " AND e.date BETWEEN ? AND ? AND s.seats_left >= ?",
        (CITY, CATEGORY, D1, D2, QTY),
    ).fetchall()
    pick = [r for r in rows if r["eid"] == answer["event_id"] and r["name"] == answer["section"]]
    if not pick:
        return False, f"not a section of a matching event with {QTY} seats left"
    if pick[0]["price"] > min(r["price"] for r in rows):
        return False, "a cheaper section qualifies"
    return True, "cheapest qualifying section"
