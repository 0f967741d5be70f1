from ..helpers import _unexpected_change, _verdict
from .l1_params import CITY, MIN_RATING
from .verify_lib import _same_ids


def verify(answer, db, before, changes):
    problem = _unexpected_change(changes)  # a read-only task: nothing may change
    if problem:
        return False, problem
    rows = before.execute(
        "SELECT id FROM restaurants WHERE city = ? AND rating >= ? AND vegan = 1",
        (CITY, MIN_RATING),
    )
    want = [r["id"] for r in rows]
    problem = _same_ids(answer, "restaurant_ids", want)
    return _verdict(problem, "exact set of qualifying vegan restaurants")
