from ..helpers import _exact, _unexpected_change
from .l1_params import CITY, INSURER, SPEC


def verify(answer, db, before, changes):
    problem = _unexpected_change(changes)  # a question: nothing may change
    if problem:
        return False, problem
    rows = before.execute(
        "SELECT d.id FROM doctors d JOIN clinics c ON c.id = d.clinic_id JOIN doctor_insurers i"
        " ON i.doctor_id = d.id WHERE d.specialty = ? AND c.city = ? AND i.insurer = ?"
        " ORDER BY d.id",
        (SPEC, CITY, INSURER),
    )
    return _exact(answer, "doctor_ids", [r["id"] for r in rows], "exact set of doctors")
