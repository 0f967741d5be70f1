from ..helpers import _the_one
from .l3_params import EVENT, NAME, QTY, SECTION
from .verify_lib import _new, _sections, _with_seats


def _wanted(db):
    """The sections the order may be in: the preferred one, else the closest in price."""
    ok = _sections(db, EVENT, QTY)
    if SECTION in [r["name"] for r in ok]:
        return [SECTION]
    pref = db.execute(
        "SELECT price FROM sections WHERE event_id = ? AND name = ?", (EVENT, SECTION)
    ).fetchone()[0]
    gap = min(abs(r["price"] - pref) for r in ok)
    low = min(r["price"] for r in ok if abs(r["price"] - pref) == gap)
    return [r["name"] for r in ok if r["price"] == low]


def verify(answer, db):
    o = _the_one(_new(db, NAME), answer, "order_id")
    if o is None:
        return False, "expected exactly one new order, the answered one"
    if o["event_id"] != EVENT or o["quantity"] != QTY:
        return False, f"the order must be {QTY} tickets for event {EVENT}"
    want = _wanted(db)
    if o["section"] not in want:
        return False, f"the section must be one of {want}"
    return _with_seats(db, "right section")
