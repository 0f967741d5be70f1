from ..helpers import _the_rows, _verdict
from .l5_params import BUDGET, CITY, DATES, NAME, QTY
from .verify_lib import _new, _purchases_only


def verify(answer, db, before, changes):
    # the ids in any order, each once
    rows = _the_rows(_new(db, before, NAME), answer, "order_ids", 3)
    if rows is None:
        return False, "order_ids must list exactly the customer's three new orders"
    if any(o["quantity"] != QTY for o in rows):
        return False, f"each order must hold {QTY} tickets"
    cities = {
        r[0]
        for r in db.execute(
            "SELECT v.city FROM orders o JOIN events e ON e.id = o.event_id"
            " JOIN venues v ON v.id = e.venue_id WHERE o.id IN (?, ?, ?)",
            tuple(answer["order_ids"]),
        )
    }
    if cities != {CITY}:
        return False, f"every event must be in {CITY!r}"
    first, last = DATES
    if any(not first <= o["date"] <= last for o in rows):
        return False, f"every event must fall between {first!r} and {last!r}"
    for key, what in (("date", "dates"), ("venue_id", "venues"), ("category", "categories")):
        if len({o[key] for o in rows}) != 3:
            return False, f"the three events need three different {what}"
    total = sum(o["total"] for o in rows)
    if total > BUDGET:
        return False, f"the tickets cost {total}, over {BUDGET}"
    return _verdict(_purchases_only(before, db, changes, NAME), "weekend plan within budget")
