from .geo import _km, _minutes
from .l5_params import CLIENT, MAX_MINUTES
from .verify_lib import _fits, _held_by, _pool


def _commute(cl, lst):
    return _minutes(cl["commute_mode"], _km(lst["lat"], lst["lon"], cl["work_lat"], cl["work_lon"]))


def verify(answer, db):
    cl, problem = _held_by(db, answer, CLIENT)
    if cl is None:
        return False, problem
    ok = [
        (_commute(cl, r), r["monthly_rent"], r)
        for r in _pool(db, [answer["listing_id"]])
        if _fits(cl, r) and _commute(cl, r) <= MAX_MINUTES
    ]
    pick = [o for o in ok if o[2]["id"] == answer["listing_id"]]
    if not pick or pick[0][2]["status"] != "held":
        return False, "the listing breaks the brief or the commute limit, or is not held"
    if pick[0][:2] > min(o[:2] for o in ok):
        return False, "another listing has a shorter commute (or the same commute for less rent)"
    return True, "shortest-commute listing held"
