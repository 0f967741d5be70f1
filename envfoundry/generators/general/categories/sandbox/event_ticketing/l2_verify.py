from ..helpers import _the_one
from .l2_params import CAP, CATEGORY, CITY, D1, NAME, QTY
from .verify_lib import INIT, _new, _sections, _with_seats


def verify(answer, db):
    o = _the_one(_new(db, NAME), answer, "order_id")
    if o is None or o["quantity"] != QTY:
        return False, f"expected exactly one new order of {QTY} tickets, the answered one"
    events = db.execute(
        "SELECT e.* FROM events e JOIN venues v ON v.id = e.venue_id WHERE v.city = ?"
        " AND e.category = ? AND e.date >= ? ORDER BY e.date, e.time, e.id",
        (CITY, CATEGORY, D1),
    ).fetchall()
    first = next((e for e in events if e["id"] in INIT and _sections(db, e["id"], QTY, CAP)), None)
    if first is None or o["event_id"] != first["id"]:
        return False, f"not the earliest event with a section of {QTY} seats at most {CAP}"
    ok = _sections(db, o["event_id"], QTY, CAP)
    price = [r["price"] for r in ok if r["name"] == o["section"]]
    if not price or price[0] > min(r["price"] for r in ok):
        return False, "not the cheapest qualifying section"
    return _with_seats(db, "earliest event, cheapest section")
