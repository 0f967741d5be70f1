from .l2_params import CAP, DATE, DEST, NAME, ORIGIN
from .verify_lib import _collateral, _earliest_of, _new_booking, _pid, _route, _with_counters


def verify(answer, db, before, changes):
    b = _new_booking(db, NAME, answer)
    if b is None:
        return False, "expected exactly one new active booking for the passenger, the answered one"
    problem = _collateral(changes, _pid(db, NAME), [b["flight_id"]], "business")
    if problem:
        return False, problem
    # the earliest qualifying flight as it was before the episode
    ok = [
        f
        for f in _route(before, ORIGIN, DEST, DATE)
        if f["business_fare"] <= CAP and f["business_seats_left"] > 0
    ]
    problem = "a business seat is asked for" if b["cabin"] != "business" else _earliest_of(b, ok)
    return (
        (False, problem)
        if problem
        else _with_counters(db, "earliest qualifying business seat booked")
    )
