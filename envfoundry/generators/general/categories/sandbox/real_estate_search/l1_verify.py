from ..helpers import _malformed
from .l1_params import CITY, MAX_RENT, MIN_BED


def verify(answer, db):
    problem = _malformed(answer, listing_ids="list")
    if problem:
        return False, problem
    rows = db.execute(
        "SELECT id FROM listings WHERE city = ? AND status = 'available' AND monthly_rent <= ?"
        " AND bedrooms >= ? AND pets_allowed = 1 ORDER BY id",
        (CITY, MAX_RENT, MIN_BED),
    )
    want = [r["id"] for r in rows]
    if answer["listing_ids"] != want:
        return False, f"expected {want}, got {answer['listing_ids']}"
    return True, "exact list of listings"
