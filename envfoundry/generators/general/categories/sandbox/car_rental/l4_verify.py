from ..helpers import _the_rows, _within
from .l4_params import BUDGET, LEGS, NAME, SEATS
from .verify_lib import _collateral, _new, _sound


def verify(answer, db, before, changes):
    rows = _the_rows(_new(db, NAME), answer, "reservation_ids", 2)
    if rows is None:
        return False, "the answer must list the customer's two new reservations"
    problem = _collateral(changes, db, NAME)
    if problem:
        return False, problem
    for r, (city, start, end) in zip(rows, LEGS, strict=True):
        if (r["city"], r["start_date"], r["end_date"]) != (city, start, end):
            return False, f"the reservations must be in {city} from {start} to {end}, in order"
        if r["seats"] < SEATS:
            return False, f"every car must seat {SEATS}"
        broken = _sound(db, r)
        if broken:
            return False, broken
    if rows[0]["car_class"] != rows[1]["car_class"]:
        return False, "both cars must be of the same class"
    return _within(rows[0]["total_price"] + rows[1]["total_price"], BUDGET, "two-city trip")
