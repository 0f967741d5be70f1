from ..helpers import _lowest, _unexpected_change
from .l1_params import CITY, END, SEATS, START
from .verify_lib import _cars, _free


def verify(answer, db, before, changes):
    problem = _unexpected_change(changes)  # a question: nothing may change
    if problem:
        return False, problem
    cars = _cars(before, "b.city = ? AND c.seats >= ?", (CITY, SEATS))
    ok = [c for c in cars if _free(before, c["id"], START, END)]
    return _lowest(ok, "daily_rate", "car", answer, car_id="id")
