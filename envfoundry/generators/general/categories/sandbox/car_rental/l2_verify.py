from .l2_params import CITY, END, NAME, START
from .verify_lib import _cheapest_free, _new_reservation


def verify(answer, db, before, changes):
    r, problem = _new_reservation(db, answer, NAME, None, START, END, changes)
    if r is None:
        return False, problem
    if r["city"] != CITY:
        return False, f"the car must be at a branch in {CITY}"
    if r["car_class"] != "suv" or r["transmission"] != "automatic":
        return False, "the car must be an automatic SUV"
    where = "b.city = ? AND c.car_class = 'suv' AND c.transmission = 'automatic'"
    if not _cheapest_free(before, r, where, (CITY,), START, END):
        return False, "a cheaper automatic SUV was free"
    return True, "cheapest automatic SUV reserved"
