from ..helpers import _the_one, _verdict
from .l1_params import EVENT, NAME, QTY, SECTION
from .verify_lib import _new, _purchases_only, _sections


def _wanted(before):
    """The sections the order may be in: the preferred one, else the closest in price
    (as the sections were before the episode)."""
    ok = _sections(before, EVENT, QTY)
    if SECTION in [r["name"] for r in ok]:
        return [SECTION]
    pref = before.execute(
        "SELECT price FROM sections WHERE event_id = ? AND name = ?", (EVENT, SECTION)
    ).fetchone()[0]
    gap = min(abs(r["price"] - pref) for r in ok)
    low = min(r["price"] for r in ok if abs(r["price"] - pref) == gap)
    return [r["name"] for r in ok if r["price"] == low]


def verify(answer, db, before, changes):
    o = _the_one(_new(db, before, NAME), answer, "order_id")
    if o is None:
        return False, "expected exactly one new order, the answered one"
    if o["event_id"] != EVENT or o["quantity"] != QTY:
        return False, f"the order must be {QTY} tickets for event {EVENT}"
    if o["section"] not in _wanted(before):
        return False, "not the preferred section, nor the closest in price with the seats"
    return _verdict(_purchases_only(before, db, changes, NAME), "right section")
