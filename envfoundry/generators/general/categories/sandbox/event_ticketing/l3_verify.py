from ..helpers import _the_one, _verdict
from .l3_params import CAP, CATEGORY, CITY, D1, NAME, QTY
from .verify_lib import _customer, _new, _purchases_only, _sections


def verify(answer, db, before, changes):
    o = _the_one(_new(db, before, NAME), answer, "order_id")
    if o is None or o["quantity"] != QTY:
        return False, f"expected exactly one new order of {QTY} tickets, the answered one"
    # earliest and cheapest as the events and the customer's orders were before the episode
    held = {
        r[0]
        for r in before.execute(
            "SELECT event_id FROM orders WHERE customer_id = ? AND status = 'active'",
            (_customer(before, NAME),),
        )
    }
    events = before.execute(
        "SELECT e.* FROM events e JOIN venues v ON v.id = e.venue_id WHERE v.city = ?"
        " AND e.category = ? AND e.date >= ? ORDER BY e.date, e.time, e.id",
        (CITY, CATEGORY, D1),
    ).fetchall()
    first = next(
        (e for e in events if e["id"] not in held and _sections(before, e["id"], QTY, CAP)), None
    )
    if first is None or o["event_id"] != first["id"]:
        return False, (
            f"not the earliest event with a section of {QTY} seats at most {CAP} that the"
            " customer holds no tickets for"
        )
    ok = _sections(before, o["event_id"], QTY, CAP)
    price = [r["price"] for r in ok if r["name"] == o["section"]]
    if not price or price[0] > min(r["price"] for r in ok):
        return False, "not the cheapest qualifying section"
    problem = _purchases_only(before, db, changes, NAME)
    return _verdict(problem, "earliest event not yet held, cheapest section")
