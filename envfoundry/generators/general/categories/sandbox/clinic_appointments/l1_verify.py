from ..helpers import _malformed
from .l1_params import CITY, INSURER, SPEC


def verify(answer, db):
    problem = _malformed(answer, doctor_ids="list")
    if problem:
        return False, problem
    rows = db.execute(
        "SELECT d.id FROM doctors d JOIN clinics c ON c.id = d.clinic_id JOIN doctor_insurers i"
        " ON i.doctor_id = d.id WHERE d.specialty = ? AND c.city = ? AND i.insurer = ?"
        " ORDER BY d.id",
        (SPEC, CITY, INSURER),
    )
    want = [r["id"] for r in rows]
    if answer["doctor_ids"] != want:
        return False, f"expected the sorted ids {want}, got {answer['doctor_ids']}"
    return True, "exact set of doctors"
