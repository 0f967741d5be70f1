from ..helpers import _malformed
from .l1_params import CITY, MIN_RATING


def verify(answer, db):
    if _malformed(answer, restaurant_ids="ints"):
        return False, "answer must be an object with a list of integer 'restaurant_ids'"
    rows = db.execute(
        "SELECT id FROM restaurants WHERE city = ? AND rating >= ? AND vegan = 1",
        (CITY, MIN_RATING),
    )
    want = sorted(r["id"] for r in rows)
    if answer["restaurant_ids"] != want:
        return False, f"expected the sorted ids {want}, got {answer['restaurant_ids']}"
    return True, "exact set of qualifying vegan restaurants"
