from .l3_params import CLIENT, RADIUS
from .verify_lib import _held_one, _near, _pool, _suits


def verify(answer, db, before, changes):
    cl, problem = _held_one(before, changes, answer, CLIENT)
    if cl is None:
        return False, problem
    # the largest among the listings that were available before the episode
    ok = [
        r
        for r in _pool(before)
        if _suits(cl, r) and _near(before, r, "school", RADIUS) and _near(before, r, "park", RADIUS)
    ]
    pick = [r for r in ok if r["id"] == answer["listing_id"]]
    if not pick:
        return False, "the listing breaks the brief or the school/park rule"
    if pick[0]["area_sqm"] < max(r["area_sqm"] for r in ok):
        return False, "a larger qualifying listing exists"
    return True, "largest qualifying listing held"
