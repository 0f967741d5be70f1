from ..helpers import _lowest, _unexpected_change
from .l2_params import CITY, MIN_BED, RADIUS
from .verify_lib import _near


def verify(answer, db, before, changes):
    # a question: nothing may change, and the listings are judged as they were
    problem = _unexpected_change(changes)
    if problem:
        return False, problem
    rows = before.execute(
        "SELECT * FROM listings WHERE city = ? AND status = 'available' AND bedrooms >= ?",
        (CITY, MIN_BED),
    )
    ok = [r for r in rows if _near(before, r, "metro", RADIUS)]
    return _lowest(ok, "monthly_rent", "listing", answer, listing_id="id")
