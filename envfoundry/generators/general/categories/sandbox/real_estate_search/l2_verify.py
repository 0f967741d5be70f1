from ..helpers import _malformed
from .l2_params import CITY, MIN_BED, RADIUS
from .verify_lib import _near


def verify(answer, db):
    problem = _malformed(answer, listing_id="int")
    if problem:
        return False, problem
    rows = db.execute(
        "SELECT * FROM listings WHERE city = ? AND status = 'available' AND bedrooms >= ?",
        (CITY, MIN_BED),
    )
    ok = [r for r in rows if _near(db, r, "metro", RADIUS)]
    pick = [r for r in ok if r["id"] == answer["listing_id"]]
    if not pick:
        return False, "the listing does not meet the bedroom, city or metro-distance rule"
    if pick[0]["monthly_rent"] > min(r["monthly_rent"] for r in ok):
        return False, "a cheaper qualifying listing exists"
    return True, "cheapest listing near a metro station"
