from ..helpers import _malformed, _unexpected_change
from .l4_params import CITY, DATE, SIZE, TIME
from .verify_lib import _free, _rest


def verify(answer, db, before, changes):
    problem = _unexpected_change(changes) or _malformed(answer, restaurant_id="int")
    if problem:
        return False, problem
    rest = _rest(before, answer["restaurant_id"])
    if rest is None or rest["city"] != CITY:
        return False, "not a restaurant in the requested city"
    if not rest["gluten_free"]:
        return False, f"{rest['name']} has no gluten-free options"
    if not _free(before, rest, DATE, TIME, SIZE):
        return False, f"{rest['name']} has no free table for the party at that time"
    rows = before.execute("SELECT * FROM restaurants WHERE city = ? AND gluten_free = 1", (CITY,))
    best = max(r["rating"] for r in rows if _free(before, r, DATE, TIME, SIZE))
    if rest["rating"] < best:
        return False, "a better-rated gluten-free restaurant had a free table"
    return True, "highest-rated gluten-free restaurant with a free table"
