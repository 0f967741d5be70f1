from ..helpers import _exact
from .l1_params import CITY, MIN_RATING


def verify(answer, db):
    rows = db.execute(
        "SELECT id FROM restaurants WHERE city = ? AND rating >= ? AND vegan = 1",
        (CITY, MIN_RATING),
    )
    want = sorted(r["id"] for r in rows)
    return _exact(
        answer, "restaurant_ids", want, "exact set of qualifying vegan restaurants", "ints"
    )
