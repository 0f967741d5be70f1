from .l3_params import AFTER, BEFORE, MAX_FEE, PATIENT, SPEC
from .verify_lib import ACCEPTS, _active, _booked, _candidates


def _earlier(db, p, a, busy):
    """The start of an earlier eligible slot than the appointment's, or None."""
    where = "d.specialty = ? AND c.city = ? AND d.fee <= ? AND " + ACCEPTS
    args = (SPEC, p["city"], MAX_FEE, p["insurer"])
    for c in _candidates(db, where, args, [a["slot_id"]]):
        if c["start"][11:] >= AFTER and c["start"] not in busy:
            return c["start"] if c["start"] < a["start"] else None
    return None


def verify(answer, db):
    p, a, problem = _booked(db, answer, PATIENT, BEFORE, SPEC)
    if a is None:
        return False, problem
    if a["city"] != p["city"] or a["fee"] > MAX_FEE or a["start"][11:] < AFTER:
        return False, "the appointment breaks the city, fee or afternoon rule"
    busy = {x["start"] for x in _active(db, p["id"]) if x["id"] != a["id"]}
    if a["start"] in busy:
        return False, "the appointment clashes with one of the patient's appointments"
    earlier = _earlier(db, p, a, busy)
    if earlier:
        return False, f"an earlier eligible slot existed at {earlier}"
    return True, "earliest eligible afternoon appointment booked"
