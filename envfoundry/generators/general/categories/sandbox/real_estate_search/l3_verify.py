from .l3_params import CLIENT, RADIUS
from .verify_lib import _fits, _held_by, _near, _pool


def verify(answer, db):
    cl, problem = _held_by(db, answer, CLIENT)
    if cl is None:
        return False, problem
    ok = [
        r
        for r in _pool(db, [answer["listing_id"]])
        if _fits(cl, r) and _near(db, r, "school", RADIUS) and _near(db, r, "park", RADIUS)
    ]
    pick = [r for r in ok if r["id"] == answer["listing_id"]]
    if not pick or pick[0]["status"] != "held":
        return False, "the listing breaks the brief or the school/park rule, or is not held"
    if pick[0]["area_sqm"] < max(r["area_sqm"] for r in ok):
        return False, "a larger qualifying listing exists"
    return True, "largest qualifying listing held"
