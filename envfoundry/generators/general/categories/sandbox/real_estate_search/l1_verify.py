from ..helpers import _exact
from .l1_params import CITY, MAX_RENT, MIN_BED


def verify(answer, db):
    rows = db.execute(
        "SELECT id FROM listings WHERE city = ? AND status = 'available' AND monthly_rent <= ?"
        " AND bedrooms >= ? AND pets_allowed = 1 ORDER BY id",
        (CITY, MAX_RENT, MIN_BED),
    )
    return _exact(answer, "listing_ids", [r["id"] for r in rows], "exact list of listings")
