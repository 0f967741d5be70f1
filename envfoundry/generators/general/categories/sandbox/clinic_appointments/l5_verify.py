from ..helpers import _each, _within
from .l5_params import BUDGET, CITY, PATIENTS, SPEC
from .verify_lib import _booked, _collateral


def _visit(db, name, aid):
    """The patient's appointment ``aid`` when it is theirs alone, with SPEC in CITY."""
    _, a, problem = _booked(db, {"appointment_id": aid}, name, [], SPEC)
    if a is None or a["city"] != CITY:
        return None, problem or f"the appointment is not in {CITY}"
    return a, ""


def verify(answer, db, before, changes):
    chosen, problem = _each(answer, "appointment_ids", PATIENTS, lambda n, i: _visit(db, n, i))
    if chosen is None:
        return False, problem
    pids = [
        db.execute("SELECT id FROM patients WHERE name = ?", (n,)).fetchone()["id"]
        for n in PATIENTS
    ]
    problem = _collateral(changes, pids, [a["slot_id"] for a in chosen])
    if problem:
        return False, problem
    if len({a["clinic_id"] for a in chosen}) != 1 or len({a["start"][:10] for a in chosen}) != 1:
        return False, "all three appointments must be at one clinic on one date"
    if len({a["start"] for a in chosen}) != 3:
        return False, "the appointments must not overlap"
    return _within(sum(a["fee"] for a in chosen), BUDGET, "family visit booked")
