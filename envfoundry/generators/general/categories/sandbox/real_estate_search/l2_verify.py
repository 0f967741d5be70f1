from ..helpers import _lowest
from .l2_params import CITY, MIN_BED, RADIUS
from .verify_lib import _near


def verify(answer, db):
    rows = db.execute(
        "SELECT * FROM listings WHERE city = ? AND status = 'available' AND bedrooms >= ?",
        (CITY, MIN_BED),
    )
    ok = [r for r in rows if _near(db, r, "metro", RADIUS)]
    return _lowest(ok, "monthly_rent", "listing", answer, listing_id="id")
