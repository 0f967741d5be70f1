from .l2_params import AFTER, BEFORE, MAX_FEE, PATIENT, SPEC
from .verify_lib import ACCEPTS, _active, _booked, _candidates, _collateral


def _earlier(before, p, a, busy):
    """Whether an eligible slot open before the task starts earlier than the appointment."""
    where = "d.specialty = ? AND c.city = ? AND d.fee <= ? AND " + ACCEPTS
    args = (SPEC, p["city"], MAX_FEE, p["insurer"])
    for c in _candidates(before, where, args):
        if c["start"][11:] >= AFTER and c["start"] not in busy:
            return c["start"] < a["start"]
    return False


def verify(answer, db, before, changes):
    p, a, problem = _booked(db, answer, PATIENT, BEFORE, SPEC)
    if a is None:
        return False, problem
    problem = _collateral(changes, [p["id"]], [a["slot_id"]])
    if problem:
        return False, problem
    if a["city"] != p["city"] or a["fee"] > MAX_FEE or a["start"][11:] < AFTER:
        return False, "the appointment breaks the city, fee or afternoon rule"
    busy = {x["start"] for x in _active(before, p["id"])}
    if a["start"] in busy:
        return False, "the appointment clashes with one of the patient's appointments"
    if _earlier(before, p, a, busy):
        return False, "an earlier eligible slot was open"
    return True, "earliest eligible afternoon appointment booked"
