from ..helpers import _malformed
from .l1_params import CITY, END, SEATS, START
from .verify_lib import _cars, _free


def verify(answer, db):
    problem = _malformed(answer, car_id="int")
    if problem:
        return False, problem
    ok = [
        c
        for c in _cars(db, "b.city = ? AND c.seats >= ?", (CITY, SEATS))
        if _free(db, c["id"], START, END)
    ]
    pick = [c for c in ok if c["id"] == answer["car_id"]]
    if not pick:
        return False, f"not a free car in {CITY!r} with at least {SEATS} seats"
    if pick[0]["daily_rate"] > min(c["daily_rate"] for c in ok):
        return False, "a cheaper free car qualifies"
    return True, "cheapest free car"
