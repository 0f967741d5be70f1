from .l2_params import CAP, DATE, DEST, NAME, ORIGIN
from .verify_lib import INIT, _earliest_of, _new_booking, _route, _with_counters


def verify(answer, db):
    b = _new_booking(db, NAME, answer)
    if b is None:
        return False, "expected exactly one new active booking for the passenger, the answered one"
    ok = [
        f
        for f in _route(db, ORIGIN, DEST, DATE)
        if f["business_fare"] <= CAP and f["id"] in INIT and INIT[f["id"]][1] > 0
    ]
    problem = "a business seat is asked for" if b["cabin"] != "business" else _earliest_of(b, ok)
    return (
        (False, problem)
        if problem
        else _with_counters(db, "earliest qualifying business seat booked")
    )
