from .geo import _km, _minutes
from .l5_params import CLIENT, MAX_MINUTES
from .verify_lib import _held_one, _pool, _suits


def _commute(cl, lst):
    return _minutes(cl["commute_mode"], _km(lst["lat"], lst["lon"], cl["work_lat"], cl["work_lon"]))


def verify(answer, db, before, changes):
    cl, problem = _held_one(before, changes, answer, CLIENT)
    if cl is None:
        return False, problem
    # the shortest commute among the listings that were available before the episode
    ok = [
        (_commute(cl, r), r["monthly_rent"], r)
        for r in _pool(before)
        if _suits(cl, r) and _commute(cl, r) <= MAX_MINUTES
    ]
    pick = [o for o in ok if o[2]["id"] == answer["listing_id"]]
    if not pick:
        return False, "the listing breaks the brief or the commute limit"
    if pick[0][:2] > min(o[:2] for o in ok):
        return False, "another listing has a shorter commute (or the same commute for less rent)"
    return True, "shortest-commute listing held"
