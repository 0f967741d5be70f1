from ..helpers import _listed, _unexpected_change
from .l1_params import CITY, MAX_RENT, MIN_BED


def verify(answer, db, before, changes):
    # a question: nothing may change; the ids are a set (any order, no repeats)
    rows = before.execute(
        "SELECT id FROM listings WHERE city = ? AND status = 'available' AND monthly_rent <= ?"
        " AND bedrooms >= ? AND pets_allowed = 1 ORDER BY id",
        (CITY, MAX_RENT, MIN_BED),
    )
    want = [r["id"] for r in rows]
    problem = _unexpected_change(changes) or _listed(answer, listing_ids=want)
    return (False, problem) if problem else (True, "exact set of listings")
