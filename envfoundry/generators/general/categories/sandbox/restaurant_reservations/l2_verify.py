from ..helpers import _unexpected_change, _verdict
from .l2_params import CITY, DATE, MIN_RATING, SIZE, TIME
from .verify_lib import _free, _qualifying, _same_ids


def verify(answer, db, before, changes):
    problem = _unexpected_change(changes)  # a read-only task: nothing may change
    if problem:
        return False, problem
    want = [
        r["id"] for r in _qualifying(before, CITY, MIN_RATING) if _free(before, r, DATE, TIME, SIZE)
    ]
    problem = _same_ids(answer, "restaurant_ids", want)
    return _verdict(problem, "exact set of vegan restaurants with a free table")
