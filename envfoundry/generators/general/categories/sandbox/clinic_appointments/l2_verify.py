from .l2_params import BEFORE, PATIENT, SPEC
from .verify_lib import ACCEPTS, _booked, _candidates


def verify(answer, db):
    p, a, problem = _booked(db, answer, PATIENT, BEFORE, SPEC)
    if a is None:
        return False, problem
    where = "d.specialty = ? AND " + ACCEPTS
    first = _candidates(db, where, (SPEC, p["insurer"]), [a["slot_id"]])[0]
    if a["start"] > first["start"]:
        return False, f"an earlier eligible slot existed at {first['start']}"
    return True, "earliest eligible appointment booked"
