from .l3_params import BRANCH, END, FUELS, NAME, SEATS, START
from .verify_lib import _cars, _free, _new_reservation


def verify(answer, db, before, changes):
    r, problem = _new_reservation(db, answer, NAME, BRANCH, START, END, changes)
    if r is None:
        return False, problem
    if r["seats"] < SEATS:
        return False, f"the car must seat {SEATS}"
    young = r["age"] < 25
    # the cars that were free before the episode
    ok = [
        c
        for c in _cars(before, "c.branch_id = ? AND c.seats >= ?", (BRANCH, SEATS))
        if _free(before, c["id"], START, END)
        and not (young and c["car_class"] in ("premium", "luxury"))
    ]
    fuel, pool = next((f, p) for f in FUELS if (p := [c for c in ok if f in (None, c["fuel"])]))
    if fuel is not None and r["fuel"] != fuel:
        return False, f"a free car running on {fuel} was available and must be preferred"
    if r["daily_rate"] > min(c["daily_rate"] for c in pool):
        return False, "a cheaper car of the preferred fuel was free"
    return True, "preferred fuel, lowest price"
