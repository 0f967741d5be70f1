from ..helpers import _malformed
from .l2_params import CITY, DATE, SIZE, TIME
from .verify_lib import _free, _rest


def verify(answer, db):
    problem = _malformed(answer, restaurant_id="int")
    if problem:
        return False, problem
    rest = _rest(db, answer["restaurant_id"])
    if rest is None or rest["city"] != CITY:
        return False, "not a restaurant in the requested city"
    if not rest["gluten_free"]:
        return False, f"{rest['name']} has no gluten-free options"
    if not _free(db, rest, DATE, TIME, SIZE):
        return False, f"{rest['name']} has no free table for the party at that time"
    rows = db.execute("SELECT * FROM restaurants WHERE city = ? AND gluten_free = 1", (CITY,))
    best = max(r["rating"] for r in rows if _free(db, r, DATE, TIME, SIZE))
    if rest["rating"] < best:
        return False, f"rating {rest['rating']} is below the best available {best}"
    return True, "highest-rated gluten-free restaurant with a free table"
