from .l4_params import BEFORE, PATIENT, SPEC
from .verify_lib import ACCEPTS, _booked, _candidates, _collateral


def verify(answer, db, before, changes):
    p, a, problem = _booked(db, answer, PATIENT, BEFORE, SPEC)
    if a is None:
        return False, problem
    problem = _collateral(changes, [p["id"]], [a["slot_id"]])
    if problem:
        return False, problem
    where = "d.specialty = ? AND " + ACCEPTS
    first = _candidates(before, where, (SPEC, p["insurer"]))[0]
    if a["start"] > first["start"]:
        return False, "an earlier eligible slot was open"
    return True, "earliest eligible appointment booked"
